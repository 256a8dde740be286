/**
 * Cached specs as hdmf-zarr writes them (utils.py ZarrSpecWriter): the root attribute
 * `.specloc` = "specifications", and per source a dataset
 * `/specifications/<namespace>/<version>/<source>` of shape [1] whose one element is the spec's
 * JSON text. Legacy (v2): dtype `|O`, the numcodecs JSON codec, no compressor, `zarr_dtype:
 * "scalar"`. Unified (v3, hdmf-zarr >= 0.14): a `string` array (vlen-utf8) with `_SCALAR: true`,
 * still of shape [1] (ZarrSpecReader reads element [0]). On read `.specloc` may also be a
 * `{"_REFERENCE": {path}}` (backend.py _unwrap_ref) and a spec array 0-d.
 * The texts come from the schema layer (`cacheSpecs`), already in hdmf's spelling.
 */
import { FormatError } from "../../errors.js";
import { dtypes } from "../../data/dtype.js";
import { NdArray } from "../../data/ndarray.js";
import { ZarrArray, type ArrayContext } from "./array.js";
import { planArray } from "./create-array.js";
import type { Hierarchy } from "./hierarchy.js";
import { childPath, normalizePath, type ZarrFormat } from "./keys.js";
import { arrayMetaOf } from "./read.js";
import { JSON2_CODEC } from "./codec-bridge.js";
import { datasetMarker, SPEC_SCALAR_ATTR, specLocPath, writeConvention } from "./convention.js";
import { DEFAULT_SPEC_LOC, SPEC_LOC_ATTR, type CachedSpecEntry } from "../../schema/spec/cache.js";

export { SPEC_LOC_ATTR, type CachedSpecEntry };

export async function writeCachedSpecs(h: Hierarchy, ctx: ArrayContext, format: ZarrFormat, entries: readonly CachedSpecEntry[]): Promise<void> {
  if (entries.length === 0) return;
  const root = await h.requireNode("/");
  const loc = typeof root.attrs[SPEC_LOC_ATTR] === "string" ? normalizePath(root.attrs[SPEC_LOC_ATTR] as string) : `/${DEFAULT_SPEC_LOC}`;
  await h.updateAttrs("/", { [SPEC_LOC_ATTR]: loc.slice(1) });
  const ensureGroup = async (p: string): Promise<void> => {
    if (!(await h.node(p))) h.setGroup(p);
  };
  await ensureGroup(loc);
  for (const e of entries) {
    const nsPath = childPath(loc, e.namespace);
    const verPath = childPath(nsPath, e.version || "unversioned");
    await ensureGroup(nsPath);
    await ensureGroup(verPath);
    const p = childPath(verPath, e.source);
    const conv = writeConvention(format);
    const marker = conv === "nwb-zarr-v3" ? { [SPEC_SCALAR_ATTR]: true } : datasetMarker(conv, { typeName: "str", scalar: true, reference: false, compound: false });
    const { meta, doc, attrs } = planArray({
      path: p, format, shape: [1], dtype: dtypes.utf8, chunks: [1], codecs: [], compressorNull: true,
      fill: undefined, marker, attrs: {}, defaultCompressor: null,
    });
    // hdmf-zarr uses numcodecs.JSON for specs, not vlen-utf8.
    const specMeta = format === 2 ? { ...meta, codecs: [JSON2_CODEC], objectCodec: JSON2_CODEC } : meta;
    const specDoc = format === 2 ? { ...doc, filters: [JSON2_CODEC] } : doc;
    h.setArray(p, specDoc, attrs);
    const arr = await ZarrArray.open(ctx, { ...specMeta, doc: specDoc });
    await arr.writeSelection([], new NdArray([e.text], [1], dtypes.utf8));
  }
}

export async function readCachedSpecs(h: Hierarchy, ctx: ArrayContext): Promise<CachedSpecEntry[]> {
  const root = await h.requireNode("/");
  const stored = root.attrs[SPEC_LOC_ATTR];
  if (stored === undefined) return [];
  const locRaw = specLocPath(stored);
  if (locRaw === undefined) throw new FormatError(`/${h.format === 3 ? "zarr.json" : ".zattrs"}: ${SPEC_LOC_ATTR} must be a path string or a {"_REFERENCE": {path}}`, { path: "/" });
  const loc = normalizePath(locRaw);
  const out: CachedSpecEntry[] = [];
  for (const ns of await h.children(loc)) {
    if (ns.kind !== "group") continue;
    const nsPath = childPath(loc, ns.name);
    for (const ver of await h.children(nsPath)) {
      if (ver.kind !== "group") continue;
      const verPath = childPath(nsPath, ver.name);
      for (const src of await h.children(verPath)) {
        if (src.kind !== "array") continue;
        const p = childPath(verPath, src.name);
        const arr = await ZarrArray.open(ctx, arrayMetaOf(h, p, await h.requireNode(p)));
        const v = (await arr.read(arr.shape.length === 0 ? [] : [[0, 1, 1]])).data[0];
        if (typeof v !== "string") throw new FormatError(`${p}: cached spec is not text`, { path: p });
        out.push({ namespace: ns.name, version: ver.name, source: src.name, text: v });
      }
    }
  }
  return out;
}
