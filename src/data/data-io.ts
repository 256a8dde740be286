/**
 * DataIO: data plus how to store it (hdmf's DataIO / H5DataIO / ZarrDataIO), with hdmf's
 * option names in camelCase. Backend-neutral: it describes *what* to write; each backend
 * maps the normalised `StorageRequest` to its own storage. Invalid combinations fail here,
 * at construction, with an InvalidInputError naming the option.
 */
import { InvalidInputError } from "../errors.js";
import { itemsize, parseDtype, type Dtype, type ZarrV2Dtype } from "./dtype.js";
import { BUILTIN_HDF5_FILTERS, HDF5_FILTER_IDS, hdf5FilterConfig, PLUGIN_HDF5_FILTERS, type CodecConfig } from "./codec-config.js";
import { AbstractDataChunkIterator } from "./iterators.js";
import { array, NdArray, type JsonValue } from "./ndarray.js";
import { assertShape } from "./selection.js";
import type { StoredDataset } from "./data-source.js";

/** h5py's `compression`: "gzip", "lzf", an HDF5 filter id (plugins need `allowPlugins`), or a numcodecs config. */
export type Compression = "gzip" | "lzf" | number | CodecConfig;

/** Options of {@link DataIO}: hdmf's DataIO/H5DataIO arguments in camelCase. */
export interface DataIOOptions {
  /** The values: an array, an iterator, a stored dataset (to link or copy), or omitted with `shape`. */
  data?: NdArray | AbstractDataChunkIterator | StoredDataset | ArrayLike<unknown> | unknown[];
  /** `true` = guess like h5py; a shape; `false` = contiguous. */
  chunks?: boolean | readonly number[];
  /** `null` entries = unlimited. */
  maxshape?: readonly (number | null)[];
  /** The compressor; needs chunked storage. */
  compression?: Compression;
  /** gzip level, or the HDF5 cd_values of a plugin filter given by id. */
  compressionOpts?: number | readonly number[];
  /** Byte-shuffle before compressing (HDF5 filter 2, numcodecs `shuffle`). */
  shuffle?: boolean;
  /** Fletcher-32 checksum per chunk (HDF5 filter 3; Zarr stores it as numcodecs `fletcher32`). */
  fletcher32?: boolean;
  /** The value unwritten elements read as. */
  fillvalue?: number | bigint | string | boolean;
  /** Allow HDF5 filters that are not built into h5py (Blosc, LZ4, Zstd, ...). */
  allowPlugins?: boolean;
  /** For data read from another file: keep a link to it (true, hdmf's default) or copy it. */
  linkData?: boolean;
  /** Element type to store; default: the data's own. Required with `shape` and no data. */
  dtype?: string | Dtype | ZarrV2Dtype;
  /** Allocate a dataset of this shape without data (the tutorial's user-defined write). */
  shape?: readonly number[];
}

/** The normalised request a backend acts on. */
export interface StorageRequest {
  /** `"auto"` = the backend guesses (h5py guess_chunk); null = contiguous. */
  readonly chunks: readonly number[] | "auto" | null;
  readonly maxshape: readonly (number | null)[] | undefined;
  /** Codec pipeline in HDF5 order: [shuffle], compressor, [fletcher32]. */
  readonly codecs: readonly CodecConfig[];
  readonly fillvalue: number | bigint | string | boolean | undefined;
}

/**
 * Data plus how to store it: chunks, maxshape, compression, shuffle, fletcher32, fillvalue.
 * Wrap a DatasetBuilder's data in it; `storage()` gives the request the backends act on.
 */
export class DataIO {
  readonly data: NdArray | AbstractDataChunkIterator | StoredDataset | undefined;
  readonly options: Readonly<DataIOOptions>;
  readonly linkData: boolean;
  readonly #dtype: Dtype | undefined;
  readonly #shape: readonly number[] | undefined;

  constructor(options: DataIOOptions) {
    this.options = { ...options };
    this.linkData = options.linkData ?? true;
    const d = options.data;
    if (d === undefined) this.data = undefined;
    else if (d instanceof NdArray || d instanceof AbstractDataChunkIterator || isStored(d)) this.data = d;
    else this.data = array(d, options.dtype !== undefined ? { dtype: options.dtype } : {});
    this.#dtype = options.dtype !== undefined ? parseDtype(options.dtype) : undefined;
    if (options.shape) assertShape(options.shape, "shape");
    if (this.data === undefined && !options.shape) {
      throw new InvalidInputError("DataIO needs data or a shape to allocate", { option: "data" });
    }
    if (this.data !== undefined && options.shape && this.data instanceof NdArray &&
        options.shape.join(",") !== this.data.shape.join(",")) {
      throw new InvalidInputError(
        `shape [${options.shape.join(", ")}] disagrees with the data's shape [${this.data.shape.join(", ")}]`,
        { option: "shape" },
      );
    }
    if (this.data === undefined && this.#dtype === undefined) {
      throw new InvalidInputError("allocating without data needs a dtype", { option: "dtype" });
    }
    this.#shape = options.shape;
    validate(options, this.shape);
  }

  get dtype(): Dtype {
    if (this.#dtype) return this.#dtype;
    return this.data!.dtype;
  }

  /** The initial shape: from `shape`, the array, or the iterator's recommendation. */
  get shape(): readonly number[] | undefined {
    if (this.#shape) return this.#shape;
    const d = this.data;
    if (d instanceof NdArray) return d.shape;
    if (d instanceof AbstractDataChunkIterator) {
      try { return d.recommendedDataShape(); } catch { return undefined; }
    }
    return d?.shape;
  }

  /** The storage request a backend maps to its layout. */
  storage(): StorageRequest {
    const o = this.options;
    const codecs: CodecConfig[] = [];
    if (o.shuffle) codecs.push({ id: "shuffle" });
    const c = compressionConfig(o.compression, o.compressionOpts);
    if (c) codecs.push(c);
    if (o.fletcher32) codecs.push({ id: "fletcher32" });
    // hdmf: an iterator's recommended chunk shape is used unless chunks were given explicitly
    const rec = this.data instanceof AbstractDataChunkIterator ? safeChunkShape(this.data) : undefined;
    let chunks: StorageRequest["chunks"];
    if (Array.isArray(o.chunks)) chunks = [...(o.chunks as readonly number[])];
    else if (o.chunks === false) chunks = null;
    else if (o.chunks === undefined && rec) chunks = [...rec];
    else if (o.chunks === true || codecs.length > 0 || hasUnlimited(o.maxshape)) chunks = "auto";
    else chunks = null;
    return { chunks, maxshape: o.maxshape ? [...o.maxshape] : undefined, codecs, fillvalue: o.fillvalue };
  }
}

/** H5DataIO: the same options, named as in pynwb so tutorial code ports line by line. */
export class H5DataIO extends DataIO {}

/** A dataset's Zarr v3 sharding: a shard shape in elements, automatic, or none (whatever the IO default). */
export type ShardRequest = readonly number[] | "auto" | false;

/** Options of {@link ZarrDataIO}: DataIO's plus numcodecs `filters`/`compressor` and v3 `shards`. */
export interface ZarrDataIOOptions extends DataIOOptions {
  /** numcodecs filter configs, applied before the compressor. */
  filters?: readonly CodecConfig[];
  /** numcodecs compressor config; `null` = uncompressed. */
  compressor?: CodecConfig | null;
  /**
   * Zarr v3 shards (hdmf-zarr's ZarrDataIO `shards`): a shard shape in elements, a multiple of
   * `chunks` (the inner chunks); `"auto"` or `true` for zarr-python's automatic shape; `false`
   * for no sharding even when the IO shards by default. HDF5 ignores it; Zarr v2 refuses it.
   */
  shards?: readonly number[] | "auto" | boolean;
}

/** ZarrDataIO: DataIO plus Zarr's own `filters`, `compressor` (numcodecs configs) and `shards`. */
export class ZarrDataIO extends DataIO {
  readonly filters: readonly CodecConfig[] | undefined;
  readonly compressor: CodecConfig | null | undefined;
  /** The dataset's sharding request; undefined = the IO's default. */
  readonly shards: ShardRequest | undefined;
  constructor(options: ZarrDataIOOptions) {
    if (options.compressor !== undefined && options.compression !== undefined) {
      throw new InvalidInputError("give either compressor or compression, not both", { option: "compressor" });
    }
    super(options);
    this.filters = options.filters;
    this.compressor = options.compressor;
    this.shards = shardRequest(options.shards);
    if (this.shards !== undefined && this.shards !== false) checkShards(this.shards, options, this.shape, DataIO.prototype.storage.call(this).chunks);
  }

  override storage(): StorageRequest {
    const base = super.storage();
    if (this.filters === undefined && this.compressor === undefined) return base;
    const codecs = [...(this.filters ?? []), ...base.codecs.filter((c) => c.id === "shuffle" || c.id === "fletcher32")];
    if (this.compressor) codecs.push(this.compressor);
    return { ...base, codecs, chunks: base.chunks ?? "auto" };
  }
}

function shardRequest(v: ZarrDataIOOptions["shards"]): ShardRequest | undefined {
  if (v === undefined) return undefined;
  if (v === true || v === "auto") return "auto";
  if (v === false) return false;
  if (Array.isArray(v)) return [...(v as readonly number[])];
  throw new InvalidInputError(`shards must be a shape, "auto", true or false, got ${JSON.stringify(v)}`, { option: "shards" });
}

/** hdmf-zarr's ZarrDataIO checks: the shard shape has the data's rank and is a multiple of the chunks. */
function checkShards(shards: "auto" | readonly number[], o: ZarrDataIOOptions, shape: readonly number[] | undefined, chunks: StorageRequest["chunks"]): void {
  const bad = (msg: string): never => { throw new InvalidInputError(msg, { option: "shards" }); };
  if (o.chunks === false) bad("shards need a chunked layout (chunks: false given)");
  if (shards === "auto") return;
  const positive = shardShapeProblem(shards, shards.map(() => 1)); // positive integers (every shape is a multiple of chunks of 1)
  if (positive) bad(positive);
  const rank = o.maxshape?.length ?? shape?.length;
  if (rank !== undefined && shards.length !== rank) bad(`shard shape [${shards.join(", ")}] has ${shards.length} axes, the data has ${rank}`);
  const problem = Array.isArray(chunks) ? shardShapeProblem(shards, chunks) : undefined;
  if (problem) bad(problem);
}

/**
 * Why `shards` is not a shard shape for `chunks` (positive integers, each a multiple of the chunk
 * along its axis), or undefined when it is one. The one rule for ZarrDataIO and the Zarr writer.
 * @internal
 */
export function shardShapeProblem(shards: readonly number[], chunks: readonly number[]): string | undefined {
  const s = `shard shape [${shards.join(", ")}]`;
  if (shards.length === 0 || shards.some((x) => !Number.isSafeInteger(x) || x <= 0)) return `${s} must hold positive integers`;
  if (chunks.length !== shards.length) return `${s} and chunk shape [${chunks.join(", ")}] have different numbers of axes`;
  const i = shards.findIndex((x, k) => x % chunks[k]! !== 0);
  return i < 0 ? undefined : `${s} must be a multiple of the chunk shape [${chunks.join(", ")}] (axis ${i}: ${shards[i]} is not a multiple of ${chunks[i]})`;
}

function isStored(d: unknown): d is StoredDataset {
  return typeof d === "object" && d !== null && (d as { kind?: unknown }).kind === "stored";
}

function hasUnlimited(maxshape: readonly (number | null)[] | undefined): boolean {
  return !!maxshape && maxshape.some((m) => m === null);
}

function safeChunkShape(it: AbstractDataChunkIterator): readonly number[] | undefined {
  try { return it.recommendedChunkShape(); } catch { return undefined; }
}

function compressionConfig(compression: Compression | undefined, opts: number | readonly number[] | undefined): CodecConfig | undefined {
  if (compression === undefined) return undefined;
  if (compression === "gzip" || compression === HDF5_FILTER_IDS.gzip) {
    const level = typeof opts === "number" ? opts : Array.isArray(opts) && opts.length ? opts[0]! : 4;
    return { id: "zlib", level };
  }
  if (compression === "lzf" || compression === HDF5_FILTER_IDS.lzf) return { id: "lzf" };
  if (typeof compression === "number") return hdf5FilterConfig(compression, typeof opts === "number" ? [opts] : opts ?? []);
  return compression;
}

function validate(o: DataIOOptions, shape: readonly number[] | undefined): void {
  const bad = (msg: string, option: string): never => { throw new InvalidInputError(msg, { option }); };
  if (o.compression !== undefined) {
    if (typeof o.compression === "string" && o.compression !== "gzip" && o.compression !== "lzf") {
      bad(`unknown compression "${o.compression}": use "gzip", "lzf", an HDF5 filter id or a codec config`, "compression");
    }
    if (typeof o.compression === "number") {
      const id = o.compression;
      if (!BUILTIN_HDF5_FILTERS.has(id) && !PLUGIN_HDF5_FILTERS.has(id)) bad(`unknown HDF5 filter id ${id}`, "compression");
      if (!BUILTIN_HDF5_FILTERS.has(id) && !o.allowPlugins) {
        bad(`HDF5 filter ${id} is a plugin filter: pass allowPlugins: true to use it`, "allowPlugins");
      }
    }
    if (typeof o.compression === "object" && (typeof o.compression.id !== "string" || o.compression.id === "")) {
      bad("a codec config needs a string id", "compression");
    }
    if (o.compression === "gzip" && o.compressionOpts !== undefined) {
      const lv = typeof o.compressionOpts === "number" ? o.compressionOpts : o.compressionOpts[0];
      if (lv === undefined || !Number.isInteger(lv) || lv < 0 || lv > 9) bad(`gzip level must be 0..9, got ${String(o.compressionOpts)}`, "compressionOpts");
    }
  } else if (o.compressionOpts !== undefined) {
    bad("compressionOpts given without compression", "compressionOpts");
  }
  const wantsFilters = o.compression !== undefined || o.shuffle || o.fletcher32;
  if (o.chunks === false && (wantsFilters || hasUnlimited(o.maxshape))) {
    bad("compression, shuffle, fletcher32 and unlimited maxshape need a chunked layout (chunks: false given)", "chunks");
  }
  if (o.maxshape && shape) {
    if (o.maxshape.length !== shape.length) bad(`maxshape has ${o.maxshape.length} axes, data has ${shape.length}`, "maxshape");
    o.maxshape.forEach((m, i) => {
      if (m !== null && (!Number.isInteger(m) || m < shape[i]!)) {
        bad(`maxshape [${o.maxshape!.join(", ")}] is smaller than the shape [${shape.join(", ")}] on axis ${i}`, "maxshape");
      }
    });
  }
  if (Array.isArray(o.chunks)) {
    const chunks = o.chunks as readonly number[];
    if (chunks.some((c) => !Number.isInteger(c) || c <= 0)) bad(`chunk shape [${chunks.join(", ")}] must hold positive integers`, "chunks");
    const rank = o.maxshape?.length ?? shape?.length;
    if (rank !== undefined && chunks.length !== rank) bad(`chunk shape [${chunks.join(", ")}] has ${chunks.length} axes, data has ${rank}`, "chunks");
    chunks.forEach((c, i) => {
      const m = o.maxshape?.[i];
      if (m !== undefined && m !== null && c > m) {
        bad(`chunk shape [${chunks.join(", ")}] is larger than maxshape [${o.maxshape!.join(", ")}] on axis ${i}`, "chunks");
      }
    });
  }
  if (o.fillvalue !== undefined && o.dtype !== undefined) {
    const dt = parseDtype(o.dtype);
    if (dt.kind === "numeric" && typeof o.fillvalue === "string") bad(`fill value "${o.fillvalue}" does not fit dtype ${dt.name}`, "fillvalue");
    if (dt.kind === "numeric" && itemsize(dt) > 0 && typeof o.fillvalue === "number" && dt.name.startsWith("int") && !Number.isInteger(o.fillvalue) && !Number.isNaN(o.fillvalue)) {
      bad(`fill value ${o.fillvalue} is not an integer for dtype ${dt.name}`, "fillvalue");
    }
  }
}

export type { JsonValue };
