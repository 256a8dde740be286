/**
 * A stored pipeline in the other format's vocabulary, from the registry's entries (roles,
 * HDF5 filter ids, numcodecs ids) and the codecs' own config forms; no table of its own.
 *
 * - Same compression, same bytes (HDF5 deflate = numcodecs zlib, Blosc, BZip2, Zstd, shuffle):
 *   the config is kept, so export can copy raw chunks (checked with canCopyRaw).
 * - Same compression, other framing (numcodecs gzip -> deflate, HDF5 LZ4 <-> numcodecs lz4,
 *   Bitshuffle -> Blosc bit-shuffle): the codec's `counterpart`, chunks re-encoded.
 * - No counterpart (LZF into Zarr, delta into HDF5, ...): the destination's lossless default
 *   (transcoded, and said so in the notes), a given fallback, or with `strict` an
 *   UnsupportedError naming the codec.
 * - Checksums the destination cannot express are dropped with a note: they protect bytes,
 *   they do not change values.
 */
import { UnsupportedError } from "../errors.js";
import type { CodecConfig, Hdf5Filter } from "../data/codec-config.js";
import { itemsize, type Dtype } from "../data/dtype.js";
import type { Codec } from "./codec.js";
import { CodecPipeline } from "./pipeline.js";
import { defaultRegistry } from "./default-registry.js";
import type { CodecEntry, CodecRegistry } from "./registry.js";

/** "hdf5", hdmf-zarr's Zarr v2, or Zarr v3. */
export type CodecTarget = "hdf5" | "zarr" | "zarr3";

/** What a target re-encodes with when a codec has no counterpart there. */
export const LOSSLESS_DEFAULT: Readonly<Record<CodecTarget, CodecConfig>> = {
  hdf5: { id: "zlib", level: 4 },
  zarr: { blocksize: 0, clevel: 5, cname: "lz4", id: "blosc", shuffle: 1 },
  zarr3: { id: "zstd", level: 3 },
};

export interface MappedCodecs {
  /** Destination configs in pipeline order (HDF5: filters; Zarr: filters then compressor). */
  readonly codecs: CodecConfig[];
  /** Checksums dropped, codecs transcoded ("lzf -> blosc-lz4: file.nwb:/x"). */
  readonly notes: string[];
}

export interface MapCodecOptions {
  /** Used in place of every compressor without a counterpart (default: the target's LOSSLESS_DEFAULT). */
  readonly fallback?: CodecConfig;
  /** Refuse instead of transcoding (export --strict-codecs). */
  readonly strict?: boolean;
  readonly registry?: CodecRegistry;
}

interface Known { entry: CodecEntry | undefined; codec: Codec | undefined; name: string }

/** A stored HDF5 filter as a DataIO codec config: h5py's built-ins by name, plugins by id. */
export async function hdf5FilterConfig(f: Hdf5Filter, registry: CodecRegistry = defaultRegistry()): Promise<CodecConfig> {
  const e = registry.entryForHdf5(f.id);
  if (e?.hdf5Builtin && e.loadHdf5) return (await e.loadHdf5(f)).toConfig();
  return { id: "hdf5-filter", filter_id: f.id, cd_values: [...f.cdValues] };
}

async function know(c: CodecConfig, registry: CodecRegistry): Promise<Known> {
  if (c.id === "hdf5-filter") {
    const id = Number(c.filter_id);
    const entry = registry.entryForHdf5(id);
    const codec = entry?.loadHdf5 ? await registry.resolve(c).catch(() => undefined) : undefined;
    return { entry, codec, name: `${entry?.id ?? "filter"} (HDF5 filter ${id})` };
  }
  const entry = registry.entry(c.id);
  return { entry, codec: entry ? await registry.resolve(c).catch(() => undefined) : undefined, name: c.id };
}

/** The config of `c` usable in `target` (same bytes, or the same compression re-framed); null = none. */
async function formIn(c: CodecConfig, k: Known, target: CodecTarget, registry: CodecRegistry): Promise<CodecConfig | null> {
  const { entry, codec } = k;
  if (!entry || !codec || entry.decodeOnly) return null;
  const fits = (e: CodecEntry | undefined): boolean => e !== undefined && !e.decodeOnly && (target === "hdf5" ? e.hdf5Filter !== undefined : target === "zarr" ? e.numcodecs : (e.v3Names?.length ?? 0) > 0);
  if (fits(entry)) return c.id === "hdf5-filter" && target !== "hdf5" ? codec.toConfig() : c;
  const other = codec.counterpart?.();
  if (other && fits(registry.entry(other.id))) return other;
  return null;
}

/** Map a stored pipeline (StorageInfo.codecs) to the destination's configs. */
export async function mapCodecs(codecs: readonly CodecConfig[], target: CodecTarget, path: string, options: MapCodecOptions = {}): Promise<MappedCodecs> {
  const registry = options.registry ?? defaultRegistry();
  const out: CodecConfig[] = [];
  const notes: string[] = [];
  const where = target === "hdf5" ? "HDF5 filter" : "Zarr (numcodecs) codec";
  let replaced: string | undefined;
  for (const c of codecs) {
    const k = await know(c, registry);
    const role = k.entry?.role ?? "compressor";
    if (role === "object" || role === "array-bytes") continue;
    const mapped = await formIn(c, k, target, registry);
    if (mapped) { out.push(mapped); continue; }
    if (role === "checksum") { notes.push(`${path}: checksum ${k.name} dropped (no ${where} counterpart)`); continue; }
    if (options.strict) {
      throw new UnsupportedError(`${path}: codec ${k.name} has no ${where} counterpart (without --strict-codecs it is transcoded to ${LOSSLESS_DEFAULT[target].id})`, { feature: `${k.name} in ${target}`, path });
    }
    if (role === "compressor") replaced ??= k.name;
    else notes.push(`${path}: ${k.name} dropped (values are decoded and re-encoded)`);
  }
  if (replaced !== undefined) {
    const fb = options.fallback ?? LOSSLESS_DEFAULT[target];
    const k = await know(fb, registry);
    const cfg = await formIn(fb, k, target, registry);
    if (!cfg) throw new UnsupportedError(`${path}: the fallback codec ${fb.id} has no ${where} form either`, { feature: `fallback ${fb.id} in ${target}`, path });
    notes.push(`${replaced} -> ${codecLabel(cfg)}: ${path}`);
    // a compressor goes after filters, before a trailing checksum
    const at = out.findIndex((c) => registry.entry(c.id)?.role === "checksum");
    if (at >= 0) out.splice(at, 0, cfg); else out.push(cfg);
  }
  if (target !== "hdf5") {
    const compressors = out.filter((c) => registry.entry(c.id)?.role === "compressor");
    if (compressors.length > 1) {
      throw new UnsupportedError(`${path}: a Zarr array takes one compressor, the pipeline has ${compressors.map((c) => c.id).join(" + ")}`, { feature: "two compressors in Zarr", path });
    }
  }
  return { codecs: out, notes };
}

/** "blosc-lz4", "zstd", "zlib". */
export function codecLabel(c: CodecConfig): string {
  return c.id === "blosc" && typeof c.cname === "string" ? `blosc-${c.cname}` : c.id;
}

/** A working pipeline for stored configs (to decide whether raw chunk bytes can be copied); undefined when a codec cannot load. */
export async function pipelineOf(codecs: readonly CodecConfig[], dtype: Dtype, chunkShape: readonly number[], registry: CodecRegistry = defaultRegistry()): Promise<CodecPipeline | undefined> {
  const ctx = { itemsize: itemsize(dtype), chunkShape: [...chunkShape], dtype: dtype.kind === "numeric" ? undefined : "|O" };
  try {
    const resolved = [];
    for (const c of codecs) if (registry.entry(c.id)?.role !== "array-bytes") resolved.push(await registry.resolve(c));
    return new CodecPipeline(resolved, ctx);
  } catch {
    return undefined;
  }
}
