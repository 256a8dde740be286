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
import { InvalidInputError } from "../../errors.js";
import { itemsize as numpyLikeItemsize, type Dtype } from "../../data/dtype.js";
import type { CodecConfig } from "../../data/codec-config.js";
import { DataIO, type StorageRequest } from "../../data/data-io.js";
import { AbstractDataChunkIterator } from "../../data/iterators.js";
import type { ChunkContext } from "../../codecs/codec.js";
import { guessChunks } from "../chunk-guess.js";
import { codecForConfig } from "./chunk-pipeline.js";
import { fillBytes } from "./value-bytes.js";
import { storedItemsize, type FilterEntry } from "./type-map.js";
import type { CreateDatasetOptions, FilterSpec } from "./core.js";

export interface CreatePlan {
  readonly spec: CreateDatasetOptions;
  /** The pipeline with numeric flags, as h5py reports it (what chunk encoding uses). */
  readonly filters: readonly FilterEntry[];
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

export function planCreate(path: string, dtype: Dtype, shape: readonly number[], req: StorageRequest): CreatePlan {
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
      if (m !== null && m !== undefined && c > m && m > 0) bad(`chunk shape [${chunks}] exceeds the maximum shape on axis ${i}`, "chunks");
    });
  }
  const ctx: ChunkContext = { itemsize: storedItemsize(dtype), chunkShape: chunks ?? undefined };
  const filters = chunks ? req.codecs.map((c) => filterEntry(c, ctx, path)) : [];
  return {
    spec: {
      dtype,
      shape: [...shape],
      maxshape: maxshape ?? undefined,
      layout: chunks ? "chunked" : "contiguous",
      chunks: chunks ?? undefined,
      filters: filters.map(toFilterSpec),
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

/** The HDF5 filter entry h5py would store for a DataIO codec config. */
export function filterEntry(config: CodecConfig, ctx: ChunkContext, path?: string): FilterEntry {
  const codec = codecForConfig(config, ctx, path);
  const h = codec.toHdf5?.(ctx);
  if (!h) throw new InvalidInputError(`${path ?? ""}: codec ${config.id} has no HDF5 filter`, { option: "compression", path });
  switch (h.id) {
    case 2: return { id: 2, flags: 1, cdValues: [ctx.itemsize ?? 1], name: "shuffle" };
    case 1: return { id: 1, flags: 1, cdValues: [h.cdValues[0] ?? 4], name: "deflate" };
    case 3: return { id: 3, flags: 0, cdValues: [], name: "fletcher32" };
    case 32001: {
      // blosc's set_local: [filter rev 2, blosc version 2, typesize, chunk bytes, user values...]
      const chunkBytes = (ctx.itemsize ?? 1) * (ctx.chunkShape ?? []).reduce((a, b) => a * b, 1);
      return { id: h.id, flags: 1, cdValues: [2, 2, ctx.itemsize ?? 1, chunkBytes, ...h.cdValues.slice(4)], name: h.name };
    }
    default: return { id: h.id, flags: 1, cdValues: [...h.cdValues], name: h.name };
  }
}

function toFilterSpec(f: FilterEntry): FilterSpec {
  return { id: f.id, flags: f.flags & 1 ? "optional" : "mandatory", cdValues: f.cdValues };
}
