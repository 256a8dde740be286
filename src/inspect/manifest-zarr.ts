/**
 * Manifest objects of a Zarr store, from the raw metadata as stored (attributes keep
 * `zarr_dtype` / `zarr_link`; codecs are the `.zarray` configs; stored chunks are the chunk
 * keys present) and values read through the IO. v2 (`.zgroup`/`.zarray`) and v3 (`zarr.json`).
 */
import type { HDMFIO } from "../backends/io.js";
import type { Store } from "../stores/store.js";
import { CodecError, InvalidInputError } from "../errors.js";
import { product } from "../data/selection.js";
import { checksumFields, type ManifestObject } from "./manifest.js";
import { renderRef } from "./checksum.js";
import { jnum, type Json } from "./render.js";
import { pyParse, PyFloat, type PyJsonValue } from "../data/py-json.js";

/** Metadata JSON as Python's json reads it: NaN / Infinity tokens (as the oracle's strings), integers exact. */
function parsePyJson(bytes: Uint8Array, key: string): Json {
  const plain = (v: PyJsonValue): Json => {
    if (v instanceof PyFloat) return jnum(v.value);
    if (Array.isArray(v)) return v.map(plain);
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x)]));
    return v;
  };
  return plain(pyParse(bytes, key));
}

type Doc = { [key: string]: Json };

function sortKeys(o: Doc): Doc {
  return Object.fromEntries(Object.entries(o).sort(([a], [b]) => (a < b ? -1 : 1)).map(([k, v]) => [k, renderAttr(v)]));
}

/** hdmf-zarr reference attributes stay as stored; nothing else changes but NaN spelling. */
function renderAttr(v: Json): Json {
  return v;
}

/** The value a pickled scalar fill (`gAVLAC4=` = pickle of 0) stands for; other fills as stored. */
function decodeFill(fill: Json, dtype: Json): Json {
  if (typeof fill === "string" && (dtype === "|O" || Array.isArray(dtype))) {
    const b = Buffer.from(fill, "base64");
    let v: Json = fill;
    if (b.length >= 5 && b[0] === 0x80 && b[2] === 0x4b && b[4] === 0x2e) v = b[3]!; // BININT1
    if (Array.isArray(dtype)) return Object.fromEntries(dtype.map((f) => [String((f as Json[])[0]), v]));
    return v;
  }
  return fill;
}

export async function zarrObjects(io: HDMFIO<unknown>, maxBytes: number): Promise<ManifestObject[]> {
  const store = io.store;
  if (!store) throw new InvalidInputError(`${io.source}: a Zarr manifest needs the store under the IO`, { path: io.source });
  const keys: string[] = [];
  for await (const k of store.list("/")) keys.push(k.startsWith("/") ? k : `/${k}`);
  const objs: ManifestObject[] = [];
  const v3 = keys.some((k) => k.endsWith("/zarr.json") || k === "/zarr.json");
  const metaName = v3 ? ["zarr.json"] : [".zgroup", ".zarray"];
  const nodes = keys.filter((k) => metaName.some((m) => k.endsWith(`/${m}`)));
  for (const key of nodes.sort()) {
    const dir = key.slice(0, key.lastIndexOf("/"));
    const path = dir === "" ? "/" : dir;
    const meta = parsePyJson((await store.get(key as `/${string}`))!, key) as Doc;
    let attrs: Doc;
    let isArray: boolean;
    if (v3) {
      attrs = (meta.attributes as Doc | undefined) ?? {};
      isArray = meta.node_type === "array";
    } else {
      const raw = await store.get(`${dir}/.zattrs` as `/${string}`);
      attrs = raw ? (parsePyJson(raw, `${dir}/.zattrs`) as Doc) : {};
      isArray = key.endsWith("/.zarray");
    }
    if (!isArray) {
      objs.push({ path, kind: "group", attrs: sortKeys(attrs) });
      // `_LINKS` (unified v3 convention), else hdmf-zarr 0.x `zarr_link`; the manifest's kind stays "zarr_link"
      const raw = "_LINKS" in attrs ? attrs._LINKS : attrs.zarr_link;
      const links = Array.isArray(raw) ? raw : [];
      for (const l of links as Doc[]) {
        objs.push({ path: `${path === "/" ? "" : path}/${String(l.name)}`, kind: "zarr_link", target_file: l.source ?? null, target_path: l.path ?? null });
      }
      continue;
    }
    objs.push(await arrayEntry(io, store, keys, path, meta, attrs, v3, maxBytes));
  }
  return objs;
}

async function arrayEntry(io: HDMFIO<unknown>, store: Store, keys: string[], path: string, meta: Doc, attrs: Doc, v3: boolean, maxBytes: number): Promise<ManifestObject> {
  const shape = (meta.shape as number[]) ?? [];
  const chunks = v3 ? ((((meta.chunk_grid as Doc).configuration as Doc).chunk_shape) as number[]) : (meta.chunks as number[]);
  const sep = v3 ? "/" : typeof meta.dimension_separator === "string" ? meta.dimension_separator : ".";
  const prefix = `${path === "/" ? "" : path}/`;
  const chunkKey = v3 ? /^c(\/\d+)*$/ : sep === "/" ? /^\d+(\/\d+)*$/ : /^\d+(\.\d+)*$/;
  const stored = keys.filter((k) => k.startsWith(prefix) && chunkKey.test(k.slice(prefix.length))).length;
  const nchunks = product(shape.map((n, i) => Math.ceil(n / Math.max(1, chunks[i] ?? 1))));
  const dtype = v3 ? (meta.data_type ?? null) : (meta.dtype ?? null);
  let ds: Awaited<ReturnType<typeof io.dataset>>;
  try {
    ds = await io.dataset(path);
  } catch (e) {
    // a codec this build has no decoder for: the entry says so (as the oracle's --strict entries do)
    if (!(e instanceof CodecError)) throw e;
    return { path, kind: "dataset", shape: [...shape], dtype, error: e.message };
  }
  const entry: ManifestObject = {
    path, kind: "dataset", shape: [...shape], dtype, layout: "chunked", chunks: [...chunks], maxshape: null,
    ...(v3 ? { codecs: meta.codecs ?? [] } : {
      order: meta.order ?? "C", dimension_separator: sep,
      compressor: meta.compressor ?? null, filters: (meta.filters as Json[] | null) ?? [],
    }),
    fillvalue: decodeFill(meta.fill_value ?? null, dtype),
    stored_chunks: stored, nchunks,
    attrs: sortKeys(attrs),
    ...(await checksumFields(ds, false, maxBytes)),
  };
  if (entry.value_kind === "ref" && ds.dtype.kind !== "numeric" && product(shape) <= 64) {
    const values = (await ds.read()).data as unknown[];
    if (values.length && typeof values[0] === "object" && values[0] !== null) entry.ref_targets = values.map(renderRef);
  }
  return entry;
}
