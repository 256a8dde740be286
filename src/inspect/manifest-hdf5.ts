/** Manifest objects of an HDF5 file: the builder tree for groups, attributes and links, dataset handles for layout. */
import { dirname, relative, resolve } from "node:path";
import { isUrl } from "../location.js";
import type { HDMFIO } from "../backends/io.js";
import { NdArray } from "../data/ndarray.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder } from "../schema/builders.js";
import { attributeJson, dtypeString, jnum, type Json } from "./render.js";
import { EMPTY_SHA256 } from "./checksum.js";
import { checksumFields, valueChecksum, type ManifestObject } from "./manifest.js";

function attrs(b: Builder): { attrs: Record<string, Json>; attr_dtypes: Record<string, Json> } {
  const out: Record<string, Json> = {}, types: Record<string, Json> = {};
  for (const [k, a] of [...b.attributes].sort(([x], [y]) => (x < y ? -1 : 1))) {
    out[k] = attributeJson(a.value);
    types[k] = dtypeString(a.dtype);
  }
  return { attrs: out, attr_dtypes: types };
}

async function datasetEntry(io: HDMFIO<unknown>, path: string, b: Builder | undefined, maxBytes: number): Promise<ManifestObject> {
  const ds = await io.dataset(path);
  try {
    const s = ds.storage;
    const numericFill = ds.dtype.kind === "numeric" && s.fillvalue !== null && typeof s.fillvalue !== "string";
    const fill = numericFill ? (ds.dtype.kind === "numeric" && ds.dtype.name === "bool" ? Boolean(s.fillvalue) : jnum(s.fillvalue as number | bigint)) : null;
    // a null dataspace (h5py.Empty) has no shape and checksums as no bytes, as in oracle/manifest.py
    const empty = s.native?.space === "null";
    const sums = empty ? { sha256: EMPTY_SHA256, value_kind: "numeric" }
      : b instanceof DatasetBuilder && b.data instanceof NdArray ? valueChecksum(b.data, true) : await checksumFields(ds, true, maxBytes);
    // h5py's names: compact, contiguous, chunked; anything else (virtual) is "other"
    const stored = s.native?.layout;
    const layout = typeof stored !== "string" || ["compact", "contiguous", "chunked"].includes(stored) ? s.layout : "other";
    return {
      path, kind: "dataset", shape: empty ? null : [...ds.shape], dtype: dtypeString(ds.dtype), layout,
      chunks: s.chunks ? [...s.chunks] : null,
      maxshape: empty ? null : [...ds.maxshape],
      filters: ds.filters.map((f) => ({ id: f.id, name: f.name ?? "", flags: f.flags, cd_values: [...f.cdValues] })),
      fillvalue: fill,
      stored_chunks: s.layout === "chunked" ? await ds.storedChunkCount() : null,
      ...(b ? attrs(b) : { attrs: {}, attr_dtypes: {} }),
      ...sums,
    };
  } finally {
    ds.close();
  }
}

export async function hdf5Objects(io: HDMFIO<unknown>, maxBytes: number): Promise<ManifestObject[]> {
  const root = await io.readBuilder();
  const objs: ManifestObject[] = [];
  const remote = isUrl(io.source);
  const folder = remote ? io.source.slice(0, io.source.lastIndexOf("/")) : dirname(resolve(io.source));
  // link targets as the file stores them: relative to its folder (a URL's folder for a remote file)
  const same = (src: string): boolean => (remote ? src === io.source : resolve(src) === resolve(io.source));
  const rel = (src: string): string => (remote ? (src.startsWith(`${folder}/`) ? src.slice(folder.length + 1) : src) : relative(folder, resolve(src)));
  const specs = await io.readCachedSpecs();
  const walk = async (g: GroupBuilder, path: string): Promise<void> => {
    const a = attrs(g);
    if (path === "/" && specs.length > 0) {
      a.attrs[".specloc"] = { $ref: "/specifications" };
      a.attr_dtypes[".specloc"] = "ref:object";
      a.attrs = sortKeys(a.attrs); a.attr_dtypes = sortKeys(a.attr_dtypes);
    }
    objs.push({ path, kind: "group", ...a });
    for (const c of g.children()) {
      const p = path === "/" ? `/${c.name}` : `${path}/${c.name}`;
      if (c instanceof LinkBuilder) {
        const src = c.targetSource;
        if (src === undefined || same(src)) objs.push({ path: p, kind: "soft_link", target_path: c.targetPath });
        else objs.push({ path: p, kind: "external_link", target_file: rel(src), target_path: c.targetPath });
      } else if (c instanceof GroupBuilder) await walk(c, p);
      else objs.push(await datasetEntry(io, p, c, maxBytes));
    }
  };
  await walk(root, "/");
  if (specs.length > 0) {
    const groups = new Set<string>(["/specifications"]);
    for (const s of specs) {
      groups.add(`/specifications/${s.namespace}`);
      groups.add(`/specifications/${s.namespace}/${s.version}`);
      objs.push(await datasetEntry(io, `/specifications/${s.namespace}/${s.version}/${s.source}`, undefined, maxBytes));
    }
    for (const gp of groups) objs.push({ path: gp, kind: "group", attrs: {}, attr_dtypes: {} });
  }
  return objs;
}

function sortKeys(o: Record<string, Json>): Record<string, Json> {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)));
}

