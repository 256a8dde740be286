/**
 * A linked file set converts as a set (`--links preserve` across formats). hdmf-zarr follows a
 * `zarr_link` only into Zarr stores (0.6: v2 ones) and pynwb an external link only into HDF5
 * files, so a store whose links lead into files of another format opens in hdmf-ts alone. When
 * a file links into files of another format than the destination's (HDF5, Zarr v2, Zarr v3),
 * each of them is exported too, beside the destination with the same relative layout
 * (`c_link_source.nwb` -> `c_link_source.nwb.zarr`), and the links are pointed at the converted
 * files: the tutorial's "zip all linked files together, which maintains relative paths", across
 * formats.
 *
 * - Files already in the destination's format stay linked where they are (as before).
 * - Each file is planned once (a target shared by several links is converted once), and a file
 *   already planned is not visited again, so link cycles end.
 * - Local paths only: links to or from URLs are kept as they are.
 * - Missing targets are not planned: the export reports them (LinkError, or kept with
 *   allowBrokenLinks).
 */
import { stat } from "node:fs/promises";
import { basename, dirname, join, relative, resolve } from "node:path";
import { HDF5_NAME, isUrl, sameLocation, ZARR_NAME } from "../location.js";
import { LinkBuilder } from "../schema/builders.js";
import { openIO, type BackendFormat, type OpenIOOptions } from "./factory.js";

export interface LinkedFile {
  /** The linked file as it is (absolute path). */
  readonly source: string;
  /** Where its converted copy goes (absolute path). */
  readonly destination: string;
}

/**
 * The converted file's name: `x.nwb` -> `x.nwb.zarr`; `x.nwb.zarr` -> `x.nwb`, `x.zarr` -> `x.h5`;
 * a Zarr store converted to the other Zarr version keeps its name.
 */
export function convertedName(name: string, format: BackendFormat): string {
  if (format !== "hdf5") return ZARR_NAME.test(name) ? name : `${name}.zarr`;
  const stem = name.replace(/(\.zarr3?)?(\.zip)?$/i, "");
  return HDF5_NAME.test(stem) ? stem : `${stem}.h5`;
}

/** A file's format and the absolute locations of the other files its links point into. */
async function linksOf<C>(location: string, open: OpenIOOptions<C>): Promise<{ format: BackendFormat; targets: string[] }> {
  const io = await openIO<C>(location, "r", { ...open, allowBrokenLinks: true });
  try {
    const out = new Set<string>();
    for (const l of (await io.readBuilder()).walk()) {
      const t = l instanceof LinkBuilder ? l.targetSource : undefined;
      if (t !== undefined && !sameLocation(t, location)) out.add(isUrl(t) ? t : resolve(t));
    }
    return { format: io.format, targets: [...out] };
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
  for (const queue = [(await linksOf(src, open)).targets]; queue.length > 0;) {
    for (const target of queue.shift()!) {
      if (isUrl(target) || seen.has(target)) continue;
      seen.add(target);
      if (!(await stat(target).then(() => true, () => false))) continue; // missing: the export reports it
      const linked = await linksOf(target, open).catch(() => undefined);
      if (linked === undefined || linked.format === format) continue; // unreadable (reported too), or readable as it is
      const rel = relative(srcDir, target);
      planned.push({ source: target, destination: join(dstDir, dirname(rel), convertedName(basename(target), format)) });
      queue.push(linked.targets);
    }
  }
  return planned;
}
