/**
 * `hdmf-ts manifest`: describe every object of a file or store and checksum every dataset, in
 * the format of ../shared/fixtures/manifest.json (oracle/manifest.py), so outputs diff against
 * the Python reference. Derived from what the IO contract gives (builders, dataset handles and
 * their StorageInfo) plus what the contract exposes for inspection: dataset handles' `filters`
 * and `storedChunkCount()`, and a Zarr IO's raw `store` (raw attributes incl. `zarr_dtype` /
 * `zarr_link`, codecs and chunk keys as stored).
 */
import { stat, readdir } from "node:fs/promises";
import { join } from "node:path";
import { isUrl, ZIP_NAME } from "../location.js";
import { openIO, type OpenIOOptions } from "../backends/factory.js";
import type { HDMFIO } from "../backends/io.js";
import type { StoredDataset } from "../data/data-source.js";
import type { NdArray } from "../data/ndarray.js";
import { product } from "../data/selection.js";
import { fieldSha256, manifestSha256, NumericHasher, renderRef, valueKind, EMPTY_SHA256 } from "./checksum.js";
import type { Json } from "./render.js";
import { hdf5Objects } from "./manifest-hdf5.js";
import { checkDatasetSize, DEFAULT_MAX_BYTES } from "./size-limit.js";
import { zarrObjects } from "./manifest-zarr.js";

/** One object of a manifest: its path and kind ("group", "dataset", "link", ...) plus the oracle's fields for that kind. */
export type ManifestObject = { path: string; kind: string } & { [key: string]: Json };

/** Options of {@link manifestOf}: how to reach remote linked files, and the per-dataset read limit. */
export interface ManifestOptions extends Pick<OpenIOOptions<unknown>, "http" | "s3"> {
  /** Most bytes of values read (checksummed) per dataset; larger ones are a LimitError (default DEFAULT_MAX_BYTES, 4 GiB). */
  maxBytes?: number;
}

/** The manifest of one file or store, in the oracle's manifest.json format (field names as Python writes them). */
export interface ManifestEntry {
  /** The format family. */
  backend: "hdf5" | "zarr";
  /** Every group, dataset and link, sorted by path. */
  objects: ManifestObject[];
  /** Bytes stored (the file size, or the sum of a store's values); null when a remote store cannot list them all. */
  size_bytes: number | null;
  /** Files (1 for HDF5) or store objects counted in `size_bytes`; null with it. */
  n_files: number | null;
}

/**
 * Checksum fields of a dataset: sha256 + value_kind, or field_sha256 + field_kinds; ref_targets.
 * A dataset of more than `maxBytes` bytes of values is a LimitError before anything is read.
 */
export async function checksumFields(ds: StoredDataset, refTargets: boolean, maxBytes = DEFAULT_MAX_BYTES): Promise<Record<string, Json>> {
  checkDatasetSize(ds.path, ds.shape, ds.dtype, maxBytes, "its checksum");
  if (ds.dtype.kind === "numeric" && ds.shape.length > 0) {
    if (product(ds.shape) === 0) return { sha256: EMPTY_SHA256, value_kind: "numeric" };
    const h = new NumericHasher();
    const rowBytes = Math.max(1, product(ds.shape.slice(1)) * 16);
    const rows = Math.max(1, Math.floor((16 << 20) / rowBytes));
    for (let r = 0; r < ds.shape[0]!; r += rows) {
      const stop = Math.min(ds.shape[0]!, r + rows);
      h.update(await ds.read(ds.shape.map((n, i) => (i === 0 ? [r, stop, 1] : [0, n, 1]) as [number, number, number])));
    }
    return { sha256: h.digest(), value_kind: "numeric" };
  }
  const value: NdArray = await ds.read();
  return valueChecksum(value, refTargets);
}

export function valueChecksum(value: NdArray, refTargets: boolean): Record<string, Json> {
  const out: Record<string, Json> = { sha256: manifestSha256(value) };
  if (value.dtype.kind === "compound") {
    out.field_sha256 = fieldSha256(value);
    out.field_kinds = Object.fromEntries(value.dtype.fields.map((f) => {
      const col = (value.data as Array<Record<string, unknown>>).map((r) => r?.[f.name]);
      const kind = f.dtype.kind === "numeric" ? "numeric" : f.dtype.kind === "string" ? "string" : f.dtype.kind === "reference" ? "ref" : typeof col[0] === "string" ? "string" : "ref";
      return [f.name, kind];
    }));
    return out;
  }
  out.value_kind = value.size === 0 && value.dtype.kind !== "numeric" && value.dtype.kind !== "string" && value.dtype.kind !== "reference" ? "ref" : valueKind(value);
  if (refTargets && out.value_kind === "ref" && value.size <= 64) {
    const items = value.data as unknown[];
    if (value.dtype.kind === "reference" || (items.length > 0 && typeof items[0] === "object" && items[0] !== null)) out.ref_targets = items.map(renderRef);
  }
  return out;
}

async function sizeOf(io: HDMFIO<unknown>, isHdf5: boolean, options: Pick<OpenIOOptions<unknown>, "http" | "s3">): Promise<{ size: number | null; files: number | null }> {
  const location = io.source;
  if (isUrl(location)) {
    if (isHdf5 || ZIP_NAME.test(location.replace(/\/+$/, ""))) {
      // one remote object (an HDF5 file, a zipped store), as the local file is one
      const { openRemoteFile } = await import("../stores/remote-file.js");
      const f = openRemoteFile({ url: location, ...(options.http ? { http: options.http } : {}), ...(options.s3 ? { s3: options.s3 } : {}) });
      try {
        return { size: await f.size(), files: 1 };
      } finally {
        await f.close();
      }
    }
    // a store: its complete listing with sizes (S3 ListObjectsV2; HTTP with a directory index), else
    // unknown (null), never a count of only the keys the metadata names
    const sizes = await io.store?.listSizes?.("/");
    if (!sizes) return { size: null, files: null };
    let size = 0;
    for (const n of sizes.values()) size += n;
    return { size, files: sizes.size };
  }
  const info = await stat(location).catch(() => undefined);
  if (!info) return { size: null, files: null };
  if (info.isFile()) return { size: info.size, files: 1 };
  let size = 0, files = 0;
  const walk = async (dir: string): Promise<void> => {
    for (const e of await readdir(dir, { withFileTypes: true })) {
      const p = join(dir, e.name);
      if (e.isDirectory()) await walk(p);
      else { files++; size += (await stat(p)).size; }
    }
  };
  await walk(location);
  return { size, files };
}

/** The manifest entry of an open IO. */
export async function manifestOf(io: HDMFIO<unknown>, options: ManifestOptions = {}): Promise<ManifestEntry> {
  const isZarr = io.format !== "hdf5";
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const objects = isZarr ? await zarrObjects(io, maxBytes) : await hdf5Objects(io, maxBytes);
  objects.sort((a, b) => (a.path < b.path ? -1 : a.path > b.path ? 1 : 0));
  const { size, files } = await sizeOf(io, !isZarr, options);
  return { backend: isZarr ? "zarr" : "hdf5", objects, size_bytes: size, n_files: files };
}

/** Open `location` read-only and describe it. */
export async function manifest(location: string, options: Omit<OpenIOOptions<unknown>, "manager"> & { maxBytes?: number } = {}): Promise<ManifestEntry> {
  const { maxBytes, ...openOptions } = options;
  const io = await openIO(location, "r", { ...openOptions, allowBrokenLinks: true });
  try {
    return await manifestOf(io, { ...openOptions, ...(maxBytes !== undefined ? { maxBytes } : {}) });
  } finally {
    await io.close();
  }
}
