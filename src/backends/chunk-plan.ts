/**
 * The chunk planner: turns an array or a DataChunk stream into chunk-aligned writes with a
 * bounded buffer. Lives beside the contract; every backend gives it a sink.
 *
 * - A chunk is emitted as soon as every element of it (inside the dataset's bounds) has been
 *   written: `complete: true`, the backend can encode it without reading anything.
 * - Chunks still open when the stream ends, or pushed out because the buffer limit was hit,
 *   are emitted with `complete: false` and the boxes that were written; the backend merges
 *   them with what is stored (read-modify-write) or with the fill value.
 * - Chunks no DataChunk touched are never emitted: sparse data stays unallocated.
 * - Along unlimited axes the dataset grows as data arrives (`sink.resize` before the write).
 */
import { InvalidInputError } from "../errors.js";
import { copySelection, lanesOf, NdArray, type FillValue, type Scalar } from "../data/ndarray.js";
import { stagingArray } from "../data/staging.js";
import { itemsize, type Dtype } from "../data/dtype.js";
import { gridCells, product, type SliceSpec } from "../data/selection.js";
import type { DataChunk } from "../data/iterators.js";

/** A box inside one chunk, chunk-relative. */
export interface Box { readonly start: readonly number[]; readonly count: readonly number[] }

/** One chunk the planner hands to its sink: a full chunk buffer and which parts of it are new. */
export interface PlannedChunk {
  /** Chunk grid coordinates. */
  readonly coords: readonly number[];
  /** Full chunk-shaped buffer; elements outside `written` hold the fill value. */
  readonly data: NdArray;
  /** True when every in-bounds element was written. */
  readonly complete: boolean;
  /** The boxes that hold new data (chunk-relative); the whole chunk when complete. */
  readonly written: readonly Box[];
  /** `data` was made for this chunk alone and nobody reads it after `writeChunk`: the sink may give its buffer away. */
  readonly owned?: boolean;
}

/** Where the planner sends chunks: each backend's chunked dataset implements it. */
export interface ChunkSink {
  /** Grow the dataset to `shape` before chunks beyond the old shape are written. */
  resize(shape: readonly number[]): Promise<void>;
  /** Store one chunk; an incomplete one is merged with what is stored (or the fill value). */
  writeChunk(chunk: PlannedChunk): Promise<void>;
}

/** The dataset a ChunkPlanner writes into. */
export interface PlannerOptions {
  /** Current extent; grows along unlimited axes as data arrives. */
  readonly shape: readonly number[];
  /** Extent bounds (null = unlimited); writing past a bound is an InvalidInputError. */
  readonly maxshape: readonly (number | null)[];
  /** Chunk shape, same rank as `shape`. */
  readonly chunks: readonly number[];
  /** Element type of the chunk buffers. */
  readonly dtype: Dtype;
  /** What unwritten elements of an emitted chunk hold. */
  readonly fillvalue?: FillValue;
  /** Most bytes held in open chunk buffers before the oldest is emitted incomplete. Default 256 MiB. */
  readonly bufferBytes?: number;
  /** Path used in error messages. */
  readonly path?: string;
}

interface OpenChunk { coords: number[]; data: NdArray; covered: number; written: Box[] }

/**
 * Turns arrays and DataChunk streams into chunk-aligned writes to a ChunkSink: whole chunks
 * as soon as complete, partial ones at the end or when `bufferBytes` is exceeded.
 */
export class ChunkPlanner {
  readonly #o: PlannerOptions;
  readonly #sink: ChunkSink;
  readonly #open = new Map<string, OpenChunk>();
  readonly #chunkBytes: number;
  #shape: number[];
  #written = 0;
  #emitted = 0;

  constructor(options: PlannerOptions, sink: ChunkSink) {
    const { shape, maxshape, chunks } = options;
    if (chunks.length !== shape.length || maxshape.length !== shape.length) {
      throw new InvalidInputError(
        `shape [${shape}], maxshape [${maxshape}] and chunks [${chunks}] must have the same rank`,
        { option: "chunks", path: options.path },
      );
    }
    if (chunks.some((c) => !Number.isInteger(c) || c <= 0)) throw new InvalidInputError(`bad chunk shape [${chunks}]`, { option: "chunks", path: options.path });
    this.#o = options;
    this.#sink = sink;
    this.#shape = [...shape];
    this.#chunkBytes = product(chunks) * Math.max(itemsize(options.dtype), 1);
  }

  get shape(): readonly number[] { return this.#shape; }
  /** Chunks handed to the sink so far. */
  get chunksEmitted(): number { return this.#emitted; }
  /** Elements received so far. */
  get elementsWritten(): number { return this.#written; }

  /** Feed a whole array at an offset (default the origin). */
  async writeArray(data: NdArray, offset: readonly number[] = data.shape.map(() => 0)): Promise<void> {
    await this.write({ data, selection: data.shape.map((d, i) => [offset[i]!, offset[i]! + d, 1] as const) });
  }

  /** Feed one DataChunk. */
  async write(chunk: DataChunk): Promise<void> {
    const rank = this.#shape.length;
    const sel = normaliseSelection(chunk, rank, this.#o.path);
    const start = sel.map((s) => s[0]);
    const stop = sel.map((s) => s[1]);
    const want = stop.map((s, i) => s - start[i]!);
    const got = chunk.data.ndim === rank ? chunk.data.shape : [];
    if (chunk.data.size !== product(want) || (chunk.data.ndim === rank && got.join(",") !== want.join(","))) {
      throw new InvalidInputError(
        `DataChunk data of shape [${chunk.data.shape}] does not fill its selection of shape [${want}]`,
        { option: "data", path: this.#o.path },
      );
    }
    if (product(want) === 0) return;
    await this.#grow(stop);
    const data = chunk.data.ndim === rank ? chunk.data : chunk.data.reshape(want);
    const cs = this.#o.chunks;
    const lo = start.map((s, i) => Math.floor(s / cs[i]!));
    const hi = stop.map((s, i) => Math.floor((s - 1) / cs[i]!));
    for (const coords of gridCells(lo, hi)) {
      const cStart = coords.map((c, i) => c * cs[i]!);
      const boxStart = cStart.map((c, i) => Math.max(c, start[i]!));
      const boxStop = cStart.map((c, i) => Math.min(c + cs[i]!, stop[i]!));
      const count = boxStop.map((b, i) => b - boxStart[i]!);
      const srcSel = boxStart.map((b, i) => [b - start[i]!, boxStop[i]! - start[i]!, 1] as const);
      const key = coords.join(",");
      if (!this.#open.has(key) && count.every((c, i) => c === cs[i])) {
        // Fast path: one DataChunk covers the whole chunk: one copy, into a staging buffer.
        this.#emitted++;
        const staged = stagingArray(this.#o.dtype, cs);
        copySelection(data, srcSel, staged, []);
        await this.#sink.writeChunk({ coords, data: staged, complete: true, written: [{ start: cs.map(() => 0), count: cs }], owned: true });
        continue;
      }
      const src = data.get(srcSel);
      const open = this.#openChunk(coords);
      const rel = boxStart.map((b, i) => b - cStart[i]!);
      open.data.set(rel.map((r, i) => [r, r + count[i]!, 1] as const), src);
      open.written.push({ start: rel, count });
      open.covered += product(count);
      if (open.covered >= this.#inBounds(coords)) await this.#emit(open, true);
    }
    this.#written += product(want);
    await this.#enforceLimit();
  }

  /** Emit every open chunk (incomplete) and forget them. Call once at the end. */
  async finish(): Promise<void> {
    for (const open of [...this.#open.values()]) await this.#emit(open, open.covered >= this.#inBounds(open.coords));
  }

  #openChunk(coords: number[]): OpenChunk {
    const key = coords.join(",");
    let open = this.#open.get(key);
    if (!open) {
      open = { coords, data: stagingArray(this.#o.dtype, this.#o.chunks, this.#o.fillvalue ?? null), covered: 0, written: [] };
      this.#open.set(key, open);
    }
    return open;
  }

  /** Elements of the chunk inside the dataset's bounds (unlimited axes: the whole chunk). */
  #inBounds(coords: readonly number[]): number {
    return product(coords.map((c, i) => {
      const cs = this.#o.chunks[i]!;
      if (this.#o.maxshape[i] === null) return cs;
      return Math.min(cs, this.#shape[i]! - c * cs);
    }));
  }

  async #emit(open: OpenChunk, complete: boolean): Promise<void> {
    this.#open.delete(open.coords.join(","));
    this.#emitted++;
    await this.#sink.writeChunk({
      coords: open.coords,
      data: open.data,
      complete,
      written: complete ? [{ start: this.#o.chunks.map(() => 0), count: this.#o.chunks }] : open.written,
      owned: true,
    });
  }

  async #enforceLimit(): Promise<void> {
    const limit = this.#o.bufferBytes ?? 256 * 1024 * 1024;
    while (this.#open.size > 1 && this.#open.size * this.#chunkBytes > limit) {
      const oldest = this.#open.values().next().value as OpenChunk;
      await this.#emit(oldest, false);
    }
  }

  async #grow(stop: readonly number[]): Promise<void> {
    const next = this.#shape.map((d, i) => Math.max(d, stop[i]!));
    if (next.every((d, i) => d === this.#shape[i])) return;
    next.forEach((d, i) => {
      const m = this.#o.maxshape[i];
      if (m !== null && m !== undefined && d > m) {
        throw new InvalidInputError(
          `write up to [${stop}] exceeds maxshape [${this.#o.maxshape.map((x) => x ?? "None")}] on axis ${i}`,
          { option: "maxshape", path: this.#o.path },
        );
      }
    });
    await this.#sink.resize(next);
    this.#shape = next;
  }
}

function normaliseSelection(chunk: DataChunk, rank: number, path?: string): Array<[number, number]> {
  if (chunk.selection.length !== rank) {
    throw new InvalidInputError(`DataChunk selection has ${chunk.selection.length} axes, dataset has ${rank}`, { option: "selection", path });
  }
  return chunk.selection.map((s, i) => {
    const [a, b, step] = s;
    if (a === undefined || a === null || b === undefined || b === null || (step ?? 1) !== 1 || a < 0 || b < a) {
      throw new InvalidInputError(`DataChunk selection on axis ${i} must be a [start, stop] box with start <= stop, got [${s}]`, { option: "selection", path });
    }
    return [a, b];
  });
}

/** Drive a planner from any chunk source. */
export async function planChunks(
  source: AsyncIterable<DataChunk> | Iterable<DataChunk>,
  options: PlannerOptions,
  sink: ChunkSink,
  signal?: AbortSignal,
): Promise<ChunkPlanner> {
  const planner = new ChunkPlanner(options, sink);
  for await (const chunk of source) {
    signal?.throwIfAborted();
    await planner.write(chunk);
  }
  await planner.finish();
  return planner;
}

/** Elements per stored chunk including complex lanes, for buffer sizing. */
export function chunkElementLanes(dtype: Dtype, chunks: readonly number[]): number {
  return product(chunks) * lanesOf(dtype);
}

export type { SliceSpec };

