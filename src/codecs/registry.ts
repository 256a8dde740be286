/**
 * The codec registry: the one table of codecs. Each entry is a numcodecs id with what the
 * formats need to know about it (its role in a pipeline, the HDF5 filter id whose bytes it
 * produces, its Zarr v3 name, whether numcodecs can read it) and lazy loaders from a numcodecs
 * config, an HDF5 filter and a Zarr v3 codec entry. Registries are instances (no module-level
 * mutable state); wasm codecs load on first use. `createDefaultRegistry()` knows every built-in.
 */
import { CodecError } from "../errors.js";
import type { ChunkContext, Codec, CodecConfig, Hdf5Filter, JsonValue, ZarrV3Codec } from "./codec.js";

/** Builds a codec from its numcodecs config (may load wasm on first use). */
export type CodecLoader = (config: CodecConfig) => Promise<Codec>;
/** Builds a codec from an HDF5 filter entry (id, flags, cd_values) and the chunk's element context. */
export type Hdf5FilterLoader = (filter: Hdf5Filter, ctx?: ChunkContext) => Promise<Codec>;
/** Builds a codec from a Zarr v3 codec's `configuration`. */
export type ZarrV3Loader = (configuration: { readonly [key: string]: JsonValue }, ctx?: ChunkContext) => Promise<Codec>;

/**
 * What a codec does in a pipeline: a compressor (the one Zarr v2 `compressor` slot), a filter
 * (array or byte transform ahead of it), a checksum, an object codec (values -> bytes, first in
 * the pipeline), or the Zarr v3 array->bytes step.
 */
export type CodecRole = "compressor" | "filter" | "checksum" | "object" | "array-bytes";

/** One registered codec: its ids in each format, its role, and the loaders that build it. */
export interface CodecEntry {
  /** numcodecs id ("blosc", "zlib", ...), or an hdmf-ts id for HDF5-only codecs ("hdf5-lz4"). */
  readonly id: string;
  /** What it does in a pipeline. */
  readonly role: CodecRole;
  /** The HDF5 filter whose chunk bytes this codec writes and reads. */
  readonly hdf5Filter?: number;
  /** h5py's name for it in a DataIO pipeline when it is an HDF5 built-in (zlib, shuffle, fletcher32, lzf). */
  readonly hdf5Builtin?: boolean;
  /** Zarr v3 codec names that load it. */
  readonly v3Names?: readonly string[];
  /**
   * numcodecs 0.11 (the hdmf-zarr 0.6 stack's, and zarr-python 2's floor) knows this id, so a
   * Zarr v2 pipeline may name it. Zarr v3 pipelines go by `v3Names` instead.
   */
  readonly numcodecs: boolean;
  /** Reads only (HDF5 scaleoffset, nbit, pickle). */
  readonly decodeOnly?: boolean;
  /** Builds it from a numcodecs config. */
  readonly load: CodecLoader;
  /** Builds it from an HDF5 filter entry; without it the codec cannot read HDF5 chunks. */
  readonly loadHdf5?: Hdf5FilterLoader;
  /** Builds it from a Zarr v3 `configuration`; without it `load` gets the configuration plus `id`. */
  readonly loadV3?: ZarrV3Loader;
}

/**
 * A codec table: numcodecs id, HDF5 filter id and Zarr v3 name, each to a lazy loader.
 * An instance, never a module global: `createDefaultRegistry()` gives one with every built-in.
 */
export class CodecRegistry {
  readonly #entries = new Map<string, CodecEntry>();
  readonly #byFilter = new Map<number, CodecEntry>();
  readonly #byV3 = new Map<string, CodecEntry>();

  /** Add or replace a codec (user codecs included). */
  add(entry: CodecEntry): this {
    this.#entries.set(entry.id, entry);
    if (entry.hdf5Filter !== undefined) this.#byFilter.set(entry.hdf5Filter, entry);
    for (const n of entry.v3Names ?? []) this.#byV3.set(n, entry);
    return this;
  }

  /** Register a codec by numcodecs id only (a filter numcodecs knows, unless `role` says otherwise). */
  register(id: string, load: CodecLoader, meta: Partial<Omit<CodecEntry, "id" | "load">> = {}): this {
    return this.add({ role: "filter", numcodecs: true, ...meta, id, load });
  }

  /** True when a numcodecs id is registered. */
  has(id: string): boolean {
    return this.#entries.has(id);
  }

  /** True when some codec can read chunks written with HDF5 filter `filterId`. */
  hasHdf5Filter(filterId: number): boolean {
    return this.#byFilter.get(filterId)?.loadHdf5 !== undefined;
  }

  /** The registered numcodecs ids, sorted. */
  ids(): string[] {
    return [...this.#entries.keys()].sort();
  }

  /** The entry for a numcodecs id; undefined when unknown. */
  entry(id: string): CodecEntry | undefined {
    return this.#entries.get(id);
  }

  /** The entry whose bytes are HDF5 filter `filterId`'s. */
  entryForHdf5(filterId: number): CodecEntry | undefined {
    return this.#byFilter.get(filterId);
  }

  /** A copy users can extend without touching this one. */
  clone(): CodecRegistry {
    const r = new CodecRegistry();
    for (const e of this.#entries.values()) r.add(e);
    return r;
  }

  /** Build the codec a numcodecs config names; an unknown id or a bad config is a CodecError. */
  async resolve(config: CodecConfig): Promise<Codec> {
    const codecId = typeof config?.id === "string" ? config.id : String(config?.id);
    const e = this.#entries.get(codecId);
    if (!e) throw new CodecError(`unknown codec id "${codecId}"`, { codecId });
    return loading(codecId, `cannot create codec "${codecId}"`, () => e.load(config));
  }

  /** Build the codec for an HDF5 filter entry; a filter no codec reads is a CodecError. */
  async resolveHdf5(filter: Hdf5Filter, ctx?: ChunkContext): Promise<Codec> {
    const e = this.#byFilter.get(filter.id);
    const codecId = `hdf5-filter-${filter.id}`;
    if (!e?.loadHdf5) throw new CodecError(`no codec for HDF5 filter ${filter.id}${filter.name ? ` (${filter.name})` : ""}`, { codecId });
    const load = e.loadHdf5;
    return loading(codecId, `cannot create codec for HDF5 filter ${filter.id}`, () => load(filter, ctx));
  }

  /** Build the codec for a Zarr v3 `codecs` entry; an unknown name is a CodecError. */
  async resolveZarrV3(meta: ZarrV3Codec, ctx?: ChunkContext): Promise<Codec> {
    const e = this.#byV3.get(meta.name);
    if (!e) throw new CodecError(`unknown Zarr v3 codec "${meta.name}"`, { codecId: meta.name });
    const conf = meta.configuration ?? {};
    return loading(meta.name, `cannot create Zarr v3 codec "${meta.name}"`, () => (e.loadV3 ? e.loadV3(conf, ctx) : e.load({ ...conf, id: e.id } as CodecConfig)));
  }
}

async function loading(codecId: string, what: string, fn: () => Promise<Codec>): Promise<Codec> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CodecError) throw e;
    throw new CodecError(`${what}: ${e instanceof Error ? e.message : String(e)}`, { codecId, cause: e });
  }
}
