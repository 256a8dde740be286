/**
 * Export's codec table: a stored dataset's pipeline (StorageInfo.codecs: HDF5 filters as
 * `zlib`/`shuffle`/`fletcher32`/`lzf`/`hdf5-filter{filter_id, cd_values}`, Zarr numcodecs
 * configs) mapped to the configs the destination backend creates datasets with.
 *
 * - Same compression, same bytes: HDF5 deflate = numcodecs zlib, Blosc = Blosc, BZip2 = bz2,
 *   Zstd = zstd, shuffle = shuffle. These allow raw chunk copies (checked with canCopyRaw).
 * - Same compression, other framing (re-encoded): numcodecs gzip -> deflate, HDF5 LZ4 <-> lz4.
 * - No counterpart: UnsupportedError naming the codec, unless a fallback codec is given; then
 *   a compressor is replaced by the fallback and an array filter (delta, quantize, ...) is
 *   dropped (values are decoded before re-encoding, so nothing is lost but the transform).
 * - Checksums the destination cannot express (fletcher32 in numcodecs 0.11 Zarr, crc32 in
 *   HDF5) are dropped and reported: they protect bytes, they do not change values.
 */
import { UnsupportedError } from "../errors.js";
import type { CodecConfig } from "../data/codec-config.js";
import { itemsize, type Dtype } from "../data/dtype.js";
import { CodecPipeline } from "../codecs/pipeline.js";
import { createDefaultRegistry } from "../codecs/default-registry.js";
import type { CodecRegistry } from "../codecs/registry.js";

export type CodecTarget = "hdf5" | "zarr";

export interface MappedCodecs {
  /** Destination configs in pipeline order (HDF5: filters; Zarr: filters then compressor). */
  readonly codecs: CodecConfig[];
  /** Human-readable notes: checksums dropped, filters replaced by the fallback. */
  readonly notes: string[];
}

type Role = "compressor" | "filter" | "checksum" | "object";
interface Entry { role: Role; name: string; hdf5: CodecConfig | null; zarr: CodecConfig | null }

const BLOSC_NAMES = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];
const OBJECT_IDS = new Set(["json2", "json", "vlen-utf8", "vlen-bytes", "vlen-array", "pickle", "msgpack2", "bytes"]);
const CHECKSUMS = new Set(["fletcher32", "crc32", "adler32", "crc32c"]);
const ZARR_COMPRESSORS = new Set(["zlib", "gzip", "blosc", "zstd", "lz4", "bz2", "lzma"]);

function num(v: unknown, dflt: number): number {
  return typeof v === "number" && Number.isFinite(v) ? v : dflt;
}

/** What one stored codec is, and its form on each backend (null = none). */
function classify(c: CodecConfig, dtype: Dtype): Entry {
  const size = Math.max(1, itemsize(dtype) || 1);
  if (OBJECT_IDS.has(c.id)) return { role: "object", name: c.id, hdf5: null, zarr: null };
  if (CHECKSUMS.has(c.id)) {
    return { role: "checksum", name: c.id, hdf5: c.id === "fletcher32" ? { id: "fletcher32" } : null, zarr: c.id === "fletcher32" ? null : c };
  }
  switch (c.id) {
    case "zlib": return { role: "compressor", name: "zlib", hdf5: { id: "zlib", level: num(c.level, 1) }, zarr: { id: "zlib", level: num(c.level, 1) } };
    case "gzip": return { role: "compressor", name: "gzip", hdf5: { id: "zlib", level: num(c.level, 5) }, zarr: { id: "gzip", level: num(c.level, 5) } };
    case "shuffle": return { role: "filter", name: "shuffle", hdf5: { id: "shuffle" }, zarr: { id: "shuffle", elementsize: num(c.elementsize, size) } };
    case "lzf": return { role: "compressor", name: "lzf (HDF5 filter 32000)", hdf5: { id: "lzf" }, zarr: null };
    case "blosc": {
      const cfg: CodecConfig = { id: "blosc", cname: typeof c.cname === "string" ? c.cname : "lz4", clevel: num(c.clevel, 5), shuffle: num(c.shuffle, 1), blocksize: num(c.blocksize, 0) };
      return { role: "compressor", name: "blosc", hdf5: cfg, zarr: cfg };
    }
    case "lz4": return { role: "compressor", name: "lz4", hdf5: { id: "lz4" }, zarr: { id: "lz4", acceleration: num(c.acceleration, 1) } };
    case "bz2": return { role: "compressor", name: "bz2", hdf5: { id: "bz2", level: num(c.level, 9) }, zarr: { id: "bz2", level: num(c.level, 9) } };
    case "zstd": return { role: "compressor", name: "zstd", hdf5: { id: "zstd", level: num(c.level, 3) }, zarr: { id: "zstd", level: num(c.level, 3) } };
    case "lzma": return { role: "compressor", name: "lzma", hdf5: null, zarr: c };
    case "hdf5-filter": return classifyHdf5(c);
    default: return { role: "filter", name: c.id, hdf5: null, zarr: c };
  }
}

function classifyHdf5(c: CodecConfig): Entry {
  const id = Number(c.filter_id);
  const cd = Array.isArray(c.cd_values) ? c.cd_values.map(Number) : [];
  switch (id) {
    case 32001: {
      const cname = BLOSC_NAMES[cd[6] ?? 0] ?? "blosclz";
      return { role: "compressor", name: "blosc (HDF5 filter 32001)", hdf5: c, zarr: { id: "blosc", cname, clevel: cd[4] ?? 5, shuffle: cd[5] ?? 1, blocksize: 0 } };
    }
    case 32004: return { role: "compressor", name: "lz4 (HDF5 filter 32004)", hdf5: c, zarr: { id: "lz4", acceleration: 1 } };
    case 307: return { role: "compressor", name: "bzip2 (HDF5 filter 307)", hdf5: c, zarr: { id: "bz2", level: cd[0] ?? 9 } };
    case 32015: return { role: "compressor", name: "zstd (HDF5 filter 32015)", hdf5: c, zarr: { id: "zstd", level: cd[0] ?? 3 } };
    case 32008: return { role: "compressor", name: "bitshuffle (HDF5 filter 32008)", hdf5: c, zarr: null };
    case 5: return { role: "filter", name: "nbit (HDF5 filter 5)", hdf5: null, zarr: null };
    case 6: return { role: "filter", name: "scaleoffset (HDF5 filter 6)", hdf5: null, zarr: null };
    default: return { role: "compressor", name: `HDF5 filter ${id}`, hdf5: null, zarr: null };
  }
}

/**
 * Map a stored pipeline to the destination's configs. `fallback` (a numcodecs config, e.g.
 * `{"id": "zlib", "level": 4}`) stands in for every compressor without a counterpart.
 */
export function mapCodecs(codecs: readonly CodecConfig[], dtype: Dtype, to: CodecTarget, path: string, fallback?: CodecConfig): MappedCodecs {
  const out: CodecConfig[] = [];
  const notes: string[] = [];
  let needFallback = false;
  for (const c of codecs) {
    const e = classify(c, dtype);
    if (e.role === "object") continue;
    const mapped = to === "hdf5" ? e.hdf5 : e.zarr;
    if (mapped) { out.push(mapped); continue; }
    if (e.role === "checksum") { notes.push(`${path}: checksum ${e.name} dropped (no ${to === "hdf5" ? "HDF5" : "numcodecs"} counterpart)`); continue; }
    if (!fallback) {
      throw new UnsupportedError(`${path}: codec ${e.name} has no ${to === "hdf5" ? "HDF5 filter" : "Zarr (numcodecs) codec"} counterpart; give a fallback codec (--codec '{"id":"zlib","level":4}')`,
        { feature: `${e.name} in ${to === "hdf5" ? "HDF5" : "Zarr"}`, path });
    }
    if (e.role === "compressor") needFallback = true;
    notes.push(`${path}: ${e.name} ${e.role === "compressor" ? `replaced by ${fallback.id}` : "dropped (values are decoded and re-encoded)"}`);
  }
  if (needFallback) {
    const fb = classify(fallback!, dtype);
    const cfg = to === "hdf5" ? fb.hdf5 : fb.zarr;
    if (!cfg) throw new UnsupportedError(`${path}: the fallback codec ${fallback!.id} has no ${to} form either`, { feature: `fallback ${fallback!.id} in ${to}`, path });
    // the fallback compressor goes where compressors go: after filters, before a trailing checksum
    const at = out.findIndex((c) => c.id === "fletcher32");
    if (at >= 0) out.splice(at, 0, cfg); else out.push(cfg);
  }
  if (to === "zarr") {
    const compressors = out.filter((c) => ZARR_COMPRESSORS.has(c.id));
    if (compressors.length > 1) {
      throw new UnsupportedError(`${path}: a Zarr v2 array takes one compressor, the pipeline has ${compressors.map((c) => c.id).join(" + ")}`, { feature: "two compressors in Zarr", path });
    }
  }
  return { codecs: out, notes };
}

let registry: CodecRegistry | undefined;

/** A working pipeline for stored configs (to decide whether raw chunk bytes can be copied). */
export async function pipelineOf(codecs: readonly CodecConfig[], dtype: Dtype, chunkShape: readonly number[]): Promise<CodecPipeline | undefined> {
  registry ??= createDefaultRegistry();
  const size = itemsize(dtype);
  const ctx = { itemsize: size, chunkShape: [...chunkShape], dtype: dtype.kind === "numeric" ? undefined : "|O" };
  try {
    const resolved = [];
    for (const c of codecs) if (!(c.id === "bytes")) resolved.push(await registry.resolve(c));
    return new CodecPipeline(resolved, ctx);
  } catch {
    return undefined;
  }
}
