/**
 * Building pipelines from stored metadata and back, and the HDF5 filter ⇄ numcodecs ⇄ Zarr v3
 * table export uses (docs/notes/codecs.md has the table). A codec with no counterpart in the
 * destination raises UnsupportedError naming it, unless the caller gives a fallback codec.
 */
import { UnsupportedError } from "../errors.js";
import { isObjectCodec, type ChunkContext, type Codec, type CodecConfig, type Hdf5Filter, type ZarrV3Codec } from "./codec.js";
import { contextChain } from "./chain.js";
import { CodecPipeline } from "./pipeline.js";
import type { CodecRegistry } from "./registry.js";
import { defaultRegistry } from "./default-registry.js";

const isCompressor = (c: Codec): boolean => defaultRegistry().entry(c.id)?.role === "compressor";

/** Options of the pipeline-to-metadata mappings (`pipelineToHdf5Filters`, `pipelineToZarrV2`, `pipelineToZarrV3`). */
export interface MapOptions {
  /** Used in place of every codec the destination cannot express (once, where the first one was). */
  readonly fallback?: Codec;
}

/** The pipeline for a dataset's HDF5 filter list; a filter no registered codec reads is a CodecError. */
export async function pipelineFromHdf5Filters(filters: readonly Hdf5Filter[], ctx: ChunkContext, registry: CodecRegistry): Promise<CodecPipeline> {
  const codecs: Codec[] = [];
  for (const f of filters) codecs.push(await registry.resolveHdf5(f, ctx));
  return new CodecPipeline(codecs, ctx);
}

/** HDF5 filters for a pipeline (object codecs and little-endian `bytes` are the backend's job and vanish). */
export async function pipelineToHdf5Filters(p: CodecPipeline, registry: CodecRegistry, opts: MapOptions = {}): Promise<{ filters: Hdf5Filter[]; pipeline: CodecPipeline }> {
  const kept: Codec[] = [];
  let fellBack = false;
  for (const c of p.codecs) {
    if (isObjectCodec(c) || (c.id === "bytes" && (c.toConfig().endian ?? "little") === "little")) continue;
    if (c.toHdf5) { kept.push(c); continue; }
    const eq = c.counterpart?.();
    if (eq && registry.entry(eq.id)?.hdf5Filter !== undefined) {
      kept.push(await registry.resolve(eq));
      continue;
    }
    if (!opts.fallback) throw new UnsupportedError(`codec ${c.id} has no HDF5 filter; give a fallback codec to re-encode`, { feature: `codec ${c.id} in HDF5` });
    if (!fellBack && opts.fallback.toHdf5) kept.push(opts.fallback);
    fellBack = true;
  }
  const pipeline = new CodecPipeline(kept, p.ctx);
  const ctxs = contextChain(kept, p.ctx);
  return { filters: kept.map((c, i) => c.toHdf5!(ctxs[i])), pipeline };
}

/** The pipeline for a `.zarray`'s `filters` and `compressor` (filters first); unknown ids are a CodecError. */
export async function pipelineFromZarrV2(filters: readonly CodecConfig[] | null | undefined, compressor: CodecConfig | null | undefined, registry: CodecRegistry, ctx: ChunkContext = {}): Promise<CodecPipeline> {
  const configs = [...(filters ?? []), ...(compressor ? [compressor] : [])];
  const codecs: Codec[] = [];
  for (const c of configs) codecs.push(await registry.resolve(c));
  return new CodecPipeline(codecs, ctx);
}

/**
 * `.zarray` filters + compressor. Zarr v2 runs every filter before the compressor, so a
 * pipeline with a codec after its compressor (HDF5's deflate → fletcher32) is reordered:
 * `reordered: true` means chunks must be re-encoded, not copied.
 */
export function pipelineToZarrV2(p: CodecPipeline, opts: MapOptions = {}): { filters: CodecConfig[] | null; compressor: CodecConfig | null; reordered: boolean } {
  const codecs = p.codecs.filter((c) => !(c.id === "bytes" && (c.toConfig().endian ?? "little") === "little"));
  for (const c of codecs) {
    if (c.id.startsWith("hdf5-") && c.decodeOnly && !opts.fallback) {
      throw new UnsupportedError(`HDF5 filter ${c.id} has no numcodecs counterpart; give a fallback codec`, { feature: `${c.id} in Zarr` });
    }
  }
  const usable = codecs.filter((c) => !(c.id.startsWith("hdf5-") && c.decodeOnly));
  let ci = -1;
  for (let i = usable.length - 1; i >= 0; i--) if (isCompressor(usable[i]!)) { ci = i; break; }
  const compressor = ci >= 0 ? usable[ci]!.toConfig() : opts.fallback?.toConfig() ?? null;
  const filters = usable.filter((_c, i) => i !== ci).map((c) => c.toConfig());
  const reordered = ci >= 0 && ci !== usable.length - 1;
  return { filters: filters.length ? filters : null, compressor, reordered: reordered || usable.length !== codecs.length };
}

/** The pipeline for a Zarr v3 array's `codecs` list; unknown names are a CodecError. */
export async function pipelineFromZarrV3(codecs: readonly ZarrV3Codec[], registry: CodecRegistry, ctx: ChunkContext = {}): Promise<CodecPipeline> {
  const out: Codec[] = [];
  for (const m of codecs) {
    if (m.name === "sharding_indexed") throw new UnsupportedError("sharding_indexed is handled by the Zarr backend", { feature: "sharding_indexed in a codec pipeline" });
    out.push(await registry.resolveZarrV3(m, ctx));
  }
  return new CodecPipeline(out, ctx);
}

/** Zarr v3 codec list, with the `bytes` codec inserted after the array→array codecs if missing. */
export function pipelineToZarrV3(p: CodecPipeline, opts: MapOptions = {}): ZarrV3Codec[] {
  const ctxs = contextChain(p.codecs, p.ctx);
  const out: ZarrV3Codec[] = [];
  let sawArrayBytes = false;
  p.codecs.forEach((c, i) => {
    if (!sawArrayBytes && c.kind === "bytes-bytes") { out.push({ name: "bytes", configuration: { endian: "little" } }); sawArrayBytes = true; }
    if (c.kind === "array-bytes") sawArrayBytes = true;
    if (c.toZarrV3) { out.push(c.toZarrV3(ctxs[i])); return; }
    if (opts.fallback?.toZarrV3) { out.push(opts.fallback.toZarrV3(ctxs[i])); return; }
    throw new UnsupportedError(`codec ${c.id} has no Zarr v3 form; give a fallback codec`, { feature: `${c.id} in Zarr v3` });
  });
  if (!sawArrayBytes) out.push({ name: "bytes", configuration: { endian: "little" } });
  return out;
}

/** What decoding depends on, per codec (compression levels do not matter to a reader). */
function decodeKey(c: Codec, ctx: ChunkContext): string | null {
  const cfg = c.workerConfig?.() ?? c.toConfig();
  switch (c.id) {
    case "bytes": return cfg.endian === "big" && (ctx.itemsize ?? 1) > 1 ? "bytes:big" : null;
    case "zlib": case "gzip": case "zstd": case "lz4": case "bz2": case "lzf": case "blosc": case "hdf5-lz4":
    case "fletcher32": case "crc32": case "adler32": case "crc32c":
      return c.id;
    case "shuffle": {
      const size = typeof cfg.elementsize === "number" && c.toHdf5 ? c.toHdf5(ctx).cdValues[0] : ctx.itemsize;
      return (size ?? 1) <= 1 ? null : `shuffle:${size}`;
    }
    // xz and alone chunks say how they were made; raw ones decode only with the same filter chain
    case "lzma": return cfg.format === 3 ? `lzma:3:${exact(cfg.filters)}` : `lzma:${String(cfg.format)}`;
    default: return exact(cfg);
  }
}

/** JSON with bigints spelled out (FILTER_LZMA1 is 2^62 + 1). */
const exact = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x));

/**
 * True when a chunk encoded by `src` decodes correctly with `dst`, so export may copy the stored
 * bytes. (An HDF5 chunk whose filter mask is not 0 still needs re-encoding: check per chunk.)
 */
export function canCopyRaw(src: CodecPipeline, dst: CodecPipeline): boolean {
  if (src.objectCodec || dst.objectCodec) return false;
  const keys = (p: CodecPipeline) => {
    const ctxs = contextChain(p.codecs, p.ctx);
    return p.codecs.map((c, i) => decodeKey(c, ctxs[i]!)).filter((k): k is string => k !== null);
  };
  const a = keys(src), b = keys(dst);
  return a.length === b.length && a.every((k, i) => k === b[i]);
}
