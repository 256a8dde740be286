/**
 * Dataset creation: DataIO options -> the dataset creation property list h5py builds for the
 * same `create_dataset` call (h5py/_hl/filters.py `fill_dcpl`, 3.7):
 *
 * - chunks: `true`, or unset with shuffle / fletcher32 / compression / maxshape given -> guess_chunk
 *   on the shape and numpy itemsize; a chunked dataset gets fill_time ALLOC ("prevent resize glitch").
 * - filter order: shuffle, compressor, fletcher32. Flags: shuffle / deflate / lzf / any filter given
 *   by id are OPTIONAL, fletcher32 MANDATORY (H5Pset_fletcher32).
 * - cd_values as stored after each filter's set_local: shuffle [itemsize], deflate [level],
 *   fletcher32 [], lzf [4, 261, chunk bytes], blosc [2, 2, typesize, chunk bytes, clevel, shuffle,
 *   compcode], plugins as their codec reports them.
 * - fillvalue -> H5Pset_fill_value; scalars take no chunk / filter / maxshape option.
 *
 * Bare iterators follow hdmf's `__chunked_iter_fill__`: chunks = the iterator's recommendation or
 * guessed, maxshape = the iterator's.
 */
import { CodecError, InvalidInputError } from "../../errors.js";
import { itemsize as numpyLikeItemsize, NUMERIC_TABLE, numberToFloat16, type Dtype } from "../../data/dtype.js";
import type { CodecConfig, Hdf5Filter } from "../../data/codec-config.js";
import { elementSize, encodeElements } from "../../data/element-bytes.js";
import { NdArray } from "../../data/ndarray.js";
import { defaultRegistry } from "../../codecs/default-registry.js";
import { DataIO, type StorageRequest } from "../../data/data-io.js";
import { AbstractDataChunkIterator } from "../../data/iterators.js";
import type { ChunkContext } from "../../codecs/codec.js";
import { guessChunks } from "../chunk-guess.js";
import type { CreateDatasetOptions } from "./core.js";

export interface CreatePlan {
  readonly spec: CreateDatasetOptions;
  /** The pipeline with numeric flags, as h5py reports it (what chunk encoding uses). */
  readonly filters: readonly Hdf5Filter[];
  readonly dtype: Dtype;
  /** The user's fill value (for the chunk planner's buffers). */
  readonly fillvalue: number | bigint | string | boolean | undefined;
}

/** numpy's itemsize (what h5py's guess_chunk sees): object / vlen types are 8-byte pointers. */
export function numpyItemsize(dtype: Dtype): number {
  if (dtype.kind === "string" && dtype.length === null) return 8;
  if (dtype.kind === "reference" || dtype.kind === "object") return 8;
  return numpyLikeItemsize(dtype);
}

/** Storage request for data given without DataIO (h5py defaults; hdmf's rule for iterators). */
export function requestFor(data: unknown): StorageRequest & { explicitChunks: boolean; maxshapeGiven: boolean } {
  if (data instanceof DataIO) {
    const req = data.storage();
    const o = data.options;
    let chunks = req.chunks;
    if (chunks === null && o.chunks === undefined && (o.maxshape !== undefined || data.data instanceof AbstractDataChunkIterator)) {
      chunks = data.data instanceof AbstractDataChunkIterator ? iteratorChunks(data.data) : "auto";
    }
    const maxshape = req.maxshape ?? (data.data instanceof AbstractDataChunkIterator ? data.data.maxshape : undefined);
    return { ...req, chunks, maxshape, explicitChunks: Array.isArray(o.chunks), maxshapeGiven: o.maxshape !== undefined };
  }
  if (data instanceof AbstractDataChunkIterator) {
    return { chunks: iteratorChunks(data), maxshape: data.maxshape, codecs: [], fillvalue: undefined, explicitChunks: false, maxshapeGiven: true };
  }
  return { chunks: null, maxshape: undefined, codecs: [], fillvalue: undefined, explicitChunks: false, maxshapeGiven: false };
}

function iteratorChunks(it: AbstractDataChunkIterator): readonly number[] | "auto" {
  let rec: readonly number[] | undefined;
  try { rec = it.recommendedChunkShape(); } catch { rec = undefined; }
  return rec ? [...rec] : "auto";
}

export async function planCreate(path: string, dtype: Dtype, shape: readonly number[], req: StorageRequest): Promise<CreatePlan> {
  const bad = (msg: string, option: string): never => { throw new InvalidInputError(`${path}: ${msg}`, { option, path }); };
  const rank = shape.length;
  if (rank === 0) {
    if ((req.chunks !== null && req.chunks !== undefined) || req.codecs.length || (req.maxshape && req.maxshape.length)) {
      bad("scalar datasets take no chunks, compression, shuffle, fletcher32 or maxshape (as in h5py)", "chunks");
    }
    return {
      spec: { dtype, shape: [], layout: "contiguous", fillvalue: fillBytes(dtype, req.fillvalue, path) },
      filters: [], dtype, fillvalue: req.fillvalue,
    };
  }
  const maxshape = req.maxshape ? [...req.maxshape] : null;
  if (maxshape) {
    if (maxshape.length !== rank) bad(`maxshape [${fmt(maxshape)}] has ${maxshape.length} axes, shape [${shape}] has ${rank}`, "maxshape");
    maxshape.forEach((m, i) => {
      if (m !== null && (!Number.isInteger(m) || m < shape[i]!)) bad(`maxshape [${fmt(maxshape)}] is smaller than shape [${shape}] on axis ${i}`, "maxshape");
    });
  }
  let chunks: number[] | null = null;
  if (req.chunks === "auto") chunks = guessChunks(shape, numpyItemsize(dtype));
  else if (req.chunks) chunks = [...req.chunks];
  if (!chunks && (req.codecs.length || (maxshape && maxshape.some((m, i) => m !== shape[i])))) {
    bad("filters and a maxshape larger than the shape need a chunked layout", "chunks");
  }
  if (chunks) {
    if (chunks.length !== rank) bad(`chunk shape [${chunks}] has ${chunks.length} axes, shape [${shape}] has ${rank}`, "chunks");
    chunks.forEach((c, i) => {
      if (!Number.isInteger(c) || c <= 0) bad(`chunk shape [${chunks}] must hold positive integers`, "chunks");
      const m = maxshape ? maxshape[i] : shape[i];
      // Only a chunk shape the caller gave is held to the maximum shape (h5py's rule): a guessed
      // one may exceed a fixed axis, as h5py's guess for shape (0, 2), maxshape (5, 2) is (512, 2).
      if (req.chunks !== "auto" && m !== null && m !== undefined && c > m && m > 0) bad(`chunk shape [${chunks}] exceeds the maximum shape on axis ${i}`, "chunks");
    });
  }
  const ctx: ChunkContext = { itemsize: elementSize(dtype.kind === "string" && dtype.length === null ? { ...dtype, length: 16 } : dtype), chunkShape: chunks ?? undefined };
  const filters = chunks ? await Promise.all(req.codecs.map((c) => filterEntry(c, ctx, path))) : [];
  return {
    spec: {
      dtype,
      shape: [...shape],
      maxshape: maxshape ?? undefined,
      layout: chunks ? "chunked" : "contiguous",
      chunks: chunks ?? undefined,
      filters,
      fillvalue: fillBytes(dtype, req.fillvalue, path),
      fillTime: chunks ? "alloc" : undefined,
    },
    filters,
    dtype,
    fillvalue: req.fillvalue,
  };
}

function fmt(m: readonly (number | null)[]): string {
  return m.map((x) => x ?? "None").join(", ");
}

/**
 * The HDF5 filter entry h5py would store for a DataIO codec config: the registry's codec for it
 * (or for its counterpart: numcodecs gzip -> deflate, lz4 -> HDF5 LZ4), with the cd_values its
 * set_local would compute for this chunk shape and item size.
 */
export async function filterEntry(config: CodecConfig, ctx: ChunkContext, path?: string): Promise<Hdf5Filter> {
  const registry = defaultRegistry();
  const where = path ? `${path}: ` : "";
  let codec;
  try {
    codec = await registry.resolve(config);
    const other = codec.toHdf5 ? undefined : codec.counterpart?.();
    if (other) codec = await registry.resolve(other);
  } catch (e) {
    if (e instanceof CodecError) throw new CodecError(`${where}${e.message}`, { codecId: e.codecId, path, cause: e });
    throw e;
  }
  const h = codec.decodeOnly ? undefined : codec.toHdf5?.(ctx);
  if (!h) throw new InvalidInputError(`${where}codec ${config.id} has no HDF5 filter`, { option: "compression", path });
  return h;
}

/** The fill value's stored bytes for one element (undefined = leave HDF5's default). */
export function fillBytes(dtype: Dtype, value: number | bigint | string | boolean | undefined, path?: string): Uint8Array | undefined {
  if (value === undefined) return undefined;
  if (dtype.kind === "numeric") {
    const info = NUMERIC_TABLE[dtype.name];
    const arr = new info.ctor(info.lanes);
    let v: number | bigint;
    if (dtype.name === "int64" || dtype.name === "uint64") {
      if (typeof value === "number" && !Number.isInteger(value)) throw new InvalidInputError(`fill value ${value} is not an integer for ${dtype.name}`, { option: "fillvalue", path });
      v = typeof value === "bigint" ? value : BigInt(Number(value));
    } else {
      v = Number(value);
      if (typeof value === "string" && Number.isNaN(v) && value !== "NaN" && value !== "nan") {
        throw new InvalidInputError(`fill value "${value}" does not fit dtype ${dtype.name}`, { option: "fillvalue", path });
      }
      if (dtype.name === "float16") v = numberToFloat16(v);
    }
    if (arr instanceof BigInt64Array || arr instanceof BigUint64Array) arr[0] = BigInt(v);
    else arr[0] = Number(v);
    return encodeElements(new NdArray(arr, [], dtype), dtype).slice();
  }
  if (dtype.kind === "string" && dtype.length !== null) return encodeElements(new NdArray([String(value)], [], dtype), dtype);
  // Zarr v2 object arrays (vlen strings) carry fill_value 0 (zarr-python's default for |O); h5py
  // sets no fill value for variable-length data, so export from Zarr drops that default here.
  if ((dtype.kind === "string" || dtype.kind === "object") && (value === 0 || value === "")) return undefined;
  throw new InvalidInputError(`a fill value for ${dtype.kind} data is not supported`, { option: "fillvalue", path });
}
