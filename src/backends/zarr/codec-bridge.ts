/**
 * Where ZarrIO gets its codecs: one resolver from a numcodecs config to a working Codec of
 * src/codecs, plus the DataIO pipeline (HDF5 order: shuffle, compressor, fletcher32) mapped
 * to Zarr v2 `filters` / `compressor` and to a Zarr v3 codec chain.
 *
 * The resolver is injectable (ZarrIO option `codecs`) so users can register their own codecs.
 */
import { CodecError } from "../../errors.js";
import { isNumeric, itemsize, type Dtype } from "../../data/dtype.js";
import type { CodecConfig } from "../../data/codec-config.js";
import type { Codec } from "../../codecs/codec.js";
import { defaultRegistry } from "../../codecs/default-registry.js";

export type { Codec };
/** Turns a numcodecs config into a working codec (ZarrIO's codec lookup; e.g. `(c) => registry.resolve(c)`). */
export type CodecResolver = (config: CodecConfig) => Promise<Codec>;

/** The library's default registry (one per process; codecs are stateless). */
export function defaultCodecResolver(): CodecResolver {
  const registry = defaultRegistry();
  return (config) => registry.resolve(config);
}

const roleOf = (id: string): string | undefined => defaultRegistry().entry(id)?.role;

/** A numcodecs id that compresses (the Zarr v2 `compressor` slot); everything else is a filter. */
const isCompressor = (id: string): boolean => roleOf(id) === "compressor";

/** An object codec: the first v2 filter of an object (`|O`) array turns values into bytes. */
export const isObjectCodecId = (id: string): boolean => roleOf(id) === "object" || id === "json";

export interface V2Pipeline {
  readonly filters: CodecConfig[] | null;
  readonly compressor: CodecConfig | null;
}

/**
 * Map a DataIO pipeline (HDF5 order) to `.zarray` filters + compressor. Shuffle gets its
 * `elementsize` from the dtype (numcodecs Shuffle has no per-chunk context); fletcher32 stays
 * a filter ahead of the compressor, which is as close as Zarr v2 gets to HDF5's order.
 */
export function toV2Pipeline(codecs: readonly CodecConfig[], dtype: Dtype): V2Pipeline {
  const filters: CodecConfig[] = [];
  let compressor: CodecConfig | null = null;
  for (const c of codecs) {
    if (isCompressor(c.id) && compressor === null) compressor = normaliseCompressor(c);
    else if (isCompressor(c.id)) {
      throw new CodecError(`Zarr v2 takes one compressor; got ${compressor!.id} and ${c.id}`, { codecId: c.id });
    } else if (c.id === "shuffle") filters.push({ id: "shuffle", elementsize: typeof c.elementsize === "number" ? c.elementsize : elementSize(dtype) });
    else filters.push(c);
  }
  return { filters: filters.length ? filters : null, compressor };
}

function normaliseCompressor(c: CodecConfig): CodecConfig {
  if (c.id === "zlib" || c.id === "gzip") return { id: c.id, level: typeof c.level === "number" ? c.level : 1 };
  return c;
}

function elementSize(dtype: Dtype): number {
  return isNumeric(dtype) || dtype.kind === "compound" || (dtype.kind === "string" && dtype.length !== null) ? itemsize(dtype) : 1;
}

/** The default compressor zarr-python 2 uses when none is given: Blosc(lz4, 5, SHUFFLE). */
export const ZARR_DEFAULT_COMPRESSOR: CodecConfig = { blocksize: 0, clevel: 5, cname: "lz4", id: "blosc", shuffle: 1 };

/** numcodecs JSON as hdmf-zarr/zarr-python configure it (numcodecs.JSON() defaults). */
export const JSON2_CODEC: CodecConfig = {
  allow_nan: true,
  check_circular: true,
  encoding: "utf-8",
  ensure_ascii: true,
  id: "json2",
  indent: null,
  separators: [",", ":"],
  skipkeys: false,
  sort_keys: true,
  strict: true,
};

export const VLEN_UTF8: CodecConfig = { id: "vlen-utf8" };

/**
 * DataIO may name an HDF5 plugin filter by id (`H5DataIO({compression: 32001, allowPlugins})`,
 * the tutorial's dynamically loaded filters). A Zarr store records the numcodecs codec that
 * produces the same kind of bytes, so zarr-python can read it: the codec's own numcodecs config
 * (Blosc, Zstd, BZip2), or its counterpart (HDF5 LZ4 -> numcodecs LZ4, Bitshuffle -> Blosc).
 */
export async function zarrCodecConfigs(codecs: readonly CodecConfig[] | undefined, resolver: CodecResolver): Promise<CodecConfig[] | undefined> {
  if (!codecs?.some((c) => c.id === "hdf5-filter")) return codecs ? [...codecs] : undefined;
  const out: CodecConfig[] = [];
  for (const c of codecs) {
    if (c.id !== "hdf5-filter") { out.push(c); continue; }
    const codec = await resolver(c);
    const own = codec.toConfig();
    out.push(defaultRegistry().entry(own.id)?.numcodecs ? own : codec.counterpart?.() ?? own);
  }
  return out;
}
