/**
 * One dataset's HDF5 filter pipeline, run in TypeScript over the shared codecs: encode a chunk
 * (filters in pipeline order; an OPTIONAL filter that declines sets its bit in the filter mask,
 * as HDF5 does), decode one (reverse order, honouring the mask), and encode many in parallel
 * with a bounded number in flight, results in input order.
 *
 * The codecs come from src/codecs. The id -> codec table below resolves them synchronously
 * from the codec classes (dataset handles build their pipeline in a constructor); it holds no
 * codec logic of its own, but it repeats the registry's HDF5 table (`resolveHdf5`), which is
 * async. Moving HDF5IO onto `CodecPipeline` + the registry is the known next step.
 */
import { CodecError, UnsupportedError } from "../../errors.js";
import type { CodecConfig } from "../../data/codec-config.js";
import type { ChunkContext, Codec, Hdf5Filter } from "../../codecs/codec.js";
import { ZlibCodec } from "../../codecs/zlib.js";
import { ShuffleCodec } from "../../codecs/shuffle.js";
import { Fletcher32Codec } from "../../codecs/fletcher32.js";
import { LzfCodec } from "../../codecs/lzf.js";
import { BloscCodec } from "../../codecs/blosc.js";
import { Hdf5Lz4Codec } from "../../codecs/lz4-hdf5.js";
import { Bz2Codec } from "../../codecs/bz2.js";
import { ZstdCodec } from "../../codecs/zstd.js";
import { BitshuffleCodec } from "../../codecs/bitshuffle.js";
import type { FilterEntry } from "./type-map.js";

/** HDF5 filter id -> codec (the HDF5 side of the codec table). */
const BY_FILTER: Record<number, (f: Hdf5Filter, ctx: ChunkContext) => Codec> = {
  1: (f) => ZlibCodec.fromHdf5(f),
  2: (f, ctx) => ShuffleCodec.fromHdf5(f, ctx),
  3: () => Fletcher32Codec.fromConfig(),
  32000: () => LzfCodec.fromHdf5(),
  32001: (f, ctx) => BloscCodec.fromHdf5(f, ctx),
  32004: (f) => Hdf5Lz4Codec.fromHdf5(f),
  307: (f) => Bz2Codec.fromHdf5(f),
  32015: (f) => ZstdCodec.fromConfig({ id: "zstd", level: f.cdValues[0] ?? 3 }),
  32008: (f, ctx) => BitshuffleCodec.fromHdf5(f, ctx),
};

/** numcodecs id -> codec, for DataIO pipelines given as configs. */
const BY_CONFIG: Record<string, (c: CodecConfig) => Codec> = {
  zlib: (c) => ZlibCodec.fromConfig(c),
  gzip: (c) => ZlibCodec.fromConfig({ id: "zlib", level: typeof c.level === "number" ? c.level : 4 }),
  shuffle: (c) => ShuffleCodec.fromConfig(c),
  fletcher32: () => Fletcher32Codec.fromConfig(),
  lzf: () => LzfCodec.fromConfig(),
  blosc: (c) => BloscCodec.fromConfig(c),
  lz4: (c) => Hdf5Lz4Codec.fromConfig(c),
  bz2: (c) => Bz2Codec.fromConfig(c),
  zstd: (c) => ZstdCodec.fromConfig(c),
  bitshuffle: (c) => BitshuffleCodec.fromConfig(c),
};

export function knownFilterId(id: number): boolean {
  return id in BY_FILTER;
}

/** A codec for a DataIO codec config (`{id: "hdf5-filter", filter_id, cd_values}` for raw filter ids). */
export function codecForConfig(config: CodecConfig, ctx: ChunkContext, path?: string): Codec {
  if (config.id === "hdf5-filter") {
    const id = Number(config.filter_id);
    const cd = Array.isArray(config.cd_values) ? (config.cd_values as number[]) : [];
    return codecForFilter({ id, flags: 1, cdValues: cd }, ctx, path);
  }
  const make = BY_CONFIG[config.id];
  if (!make) throw new CodecError(`codec "${config.id}" has no HDF5 filter${path ? ` (${path})` : ""}`, { codecId: config.id, path });
  return make(config);
}

export function codecForFilter(filter: FilterEntry, ctx: ChunkContext, path?: string): Codec {
  const make = BY_FILTER[filter.id];
  if (!make) {
    throw new CodecError(`HDF5 filter ${filter.id}${filter.name ? ` (${filter.name})` : ""} has no codec here${path ? ` (${path})` : ""}`, { codecId: `hdf5:${filter.id}`, path });
  }
  return make({ id: filter.id, flags: filter.flags, cdValues: filter.cdValues, name: filter.name }, ctx);
}

export interface EncodedChunk {
  readonly bytes: Uint8Array;
  readonly filterMask: number;
}

export class ChunkPipeline {
  readonly filters: readonly FilterEntry[];
  readonly #codecs: readonly Codec[];
  readonly #ctx: ChunkContext;
  readonly #path: string | undefined;

  constructor(filters: readonly FilterEntry[], ctx: ChunkContext, path?: string) {
    this.filters = filters;
    this.#ctx = ctx;
    this.#path = path;
    this.#codecs = filters.map((f) => codecForFilter(f, ctx, path));
  }

  get empty(): boolean {
    return this.filters.length === 0;
  }

  async encode(raw: Uint8Array): Promise<EncodedChunk> {
    let bytes = raw;
    let mask = 0;
    for (let i = 0; i < this.#codecs.length; i++) {
      const codec = this.#codecs[i]!;
      const optional = (this.filters[i]!.flags & 1) === 1;
      if (optional && codec.encodeOptional) {
        const out = await this.#wrap(() => codec.encodeOptional!(bytes, this.#ctx), codec, "encode");
        if (out === null) { mask |= 1 << i; continue; }
        bytes = out;
      } else {
        bytes = await this.#wrap(() => codec.encode(bytes, this.#ctx), codec, "encode");
      }
    }
    return { bytes, filterMask: mask };
  }

  async decode(stored: Uint8Array, filterMask: number): Promise<Uint8Array> {
    let bytes = stored;
    for (let i = this.#codecs.length - 1; i >= 0; i--) {
      if (filterMask & (1 << i)) continue;
      const codec = this.#codecs[i]!;
      bytes = await this.#wrap(() => codec.decode(bytes, this.#ctx), codec, "decode");
    }
    return bytes;
  }

  async #wrap<T>(fn: () => Promise<T>, codec: Codec, direction: "encode" | "decode"): Promise<T> {
    try {
      return await fn();
    } catch (e) {
      if (e instanceof CodecError || e instanceof UnsupportedError) {
        if (e instanceof CodecError && e.path === undefined && this.#path) {
          throw new CodecError(`${this.#path}: ${e.message}`, { codecId: e.codecId, direction: e.direction ?? direction, path: this.#path, cause: e });
        }
        throw e;
      }
      const why = e instanceof Error ? e.message : String(e);
      throw new CodecError(`${this.#path ?? ""}: ${codec.id} ${direction} failed: ${why}`, { codecId: codec.id, direction, path: this.#path, cause: e });
    }
  }
}
