/**
 * A linked file set converts as a set (`--links preserve` across formats). hdmf-zarr follows a
 * `zarr_link` only into Zarr stores and pynwb an external link only into HDF5 files, so a store
 * whose links lead into files of the other format opens in hdmf-ts alone. When a file links
 * into files of the other format family (HDF5 vs Zarr), each of them is exported too, beside the
 * destination with the same relative layout (`c_link_source.nwb` -> `c_link_source.nwb.zarr`),
 * and the links are pointed at the converted files: the tutorial's "zip all linked files
 * together, which maintains relative paths", across formats.
 *
 * - Files already in the target's format family stay linked where they are (as before).
 * - Each file is planned once (a target shared by several links is converted once), and a file
 *   already planned is not visited again, so link cycles end.
 * - Local paths only: links to or from URLs are kept as they are.
 * - Missing targets are not planned: the export reports them (LinkError, or kept with
 *   allowBrokenLinks).
 */
import { stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { HDF5_NAME, isUrl, sameLocation } from "../location.js";
import { GroupBuilder } from "../schema/builders.js";
import { detectFormat, openIO, type BackendFormat, type OpenIOOptions } from "./factory.js";

export interface LinkedFile {
  /** The linked file as it is (absolute path). */
  readonly source: string;
  /** Where its converted copy goes (absolute path). */
  readonly destination: string;
}

/** HDF5 and Zarr (v2 and v3 alike: hdmf-zarr opens both through zarr) are what readers tell apart. */
function family(format: BackendFormat): "hdf5" | "zarr" {
  return format === "hdf5" ? "hdf5" : "zarr";
}

/** The converted file's name: `x.nwb` -> `x.nwb.zarr`; `x.nwb.zarr` -> `x.nwb`, `x.zarr` -> `x.h5`. */
export function convertedName(name: string, format: BackendFormat): string {
  if (family(format) === "zarr") return `${name}.zarr`;
  const stem = name.replace(/(\.zarr3?)?(\.zip)?$/i, "");
  return HDF5_NAME.test(stem) ? stem : `${stem}.h5`;
}

/** Absolute locations of the other files `location`'s links point into. */
async function linkedLocations<C>(location: string, open: OpenIOOptions<C>): Promise<string[]> {
  const io = await openIO<C>(location, "r", { ...open, allowBrokenLinks: true });
  try {
    const out = new Set<string>();
    for (const b of (await io.readBuilder()).walk()) {
      if (!(b instanceof GroupBuilder)) continue;
      for (const l of b.links.values()) {
        const t = l.targetSource;
        if (t !== undefined && !sameLocation(t, location)) out.add(isUrl(t) ? t : resolve(t));
      }
    }
    return [...out];
  } finally {
    await io.close();
  }
}

/**
 * The linked files exporting `src` to `dst` as `format` must convert too, found by following
 * links from `src` through every file converted (breadth first). Empty when nothing needs it.
 */
export async function planLinkedSet<C>(src: string, dst: string, format: BackendFormat, open: OpenIOOptions<C>): Promise<LinkedFile[]> {
  if (isUrl(src) || isUrl(dst)) return [];
  const srcDir = dirname(resolve(src));
  const dstDir = dirname(resolve(dst));
  const seen = new Set<string>([resolve(src)]);
  const planned: LinkedFile[] = [];
  for (const queue = [resolve(src)]; queue.length > 0;) {
    for (const target of await linkedLocations(queue.shift()!, open)) {
      if (isUrl(target) || seen.has(target)) continue;
      seen.add(target);
      const found = (await stat(target).then(() => true, () => false)) ? await detectFormat(target).catch(() => undefined) : undefined;
      if (found === undefined || family(found) === family(format)) continue; // missing (the export reports it) or readable as it is
      const rel = relative(srcDir, target);
      planned.push({ source: target, destination: join(dstDir, dirname(rel), convertedName(basename(target), format)) });
      queue.push(target);
    }
  }
  return planned;
}
