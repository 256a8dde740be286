/**
 * Per-rank regions for a parallel write: contiguous blocks of whole chunks along axis 0,
 * balanced (chunk counts differ by at most one, the first ranks take the extra ones), full
 * extent on the other axes. Two ranks never touch the same chunk, so no chunk is ever
 * read-modified-written by two processes at once — the condition for correct concurrent
 * writes to Zarr without locks. Ranks beyond the number of chunks get an empty region.
 */
import { InvalidInputError } from "../errors.js";
import type { SliceSpec } from "../data/selection.js";

/** The block of a dataset one rank writes in a parallel write: whole chunks along axis 0. */
export interface Region {
  /** The rank it belongs to. */
  readonly rank: number;
  /** First element per axis (inclusive). */
  readonly start: readonly number[];
  /** End per axis (exclusive). */
  readonly stop: readonly number[];
  /** `[start, stop, 1]` per axis: pass it to `DatasetHandle.write`. */
  readonly selection: readonly SliceSpec[];
  /** Chunk indices along axis 0: `[first, end)`. */
  readonly chunkRange: readonly [number, number];
  /** No elements (more ranks than chunks along axis 0, or an empty dataset). */
  readonly empty: boolean;
}

function checkInts(values: readonly number[], name: string, min: number): void {
  if (!Array.isArray(values)) throw new InvalidInputError(`${name} must be an array of integers`, { option: name });
  values.forEach((v, i) => {
    if (!Number.isSafeInteger(v) || v < min) {
      throw new InvalidInputError(`${name}[${i}] must be an integer >= ${min}, got ${v}`, { option: name });
    }
  });
}

/** The region of one rank. */
export function regionFor(shape: readonly number[], chunks: readonly number[], rank: number, size: number): Region {
  checkInts(shape, "shape", 0);
  checkInts(chunks, "chunks", 1);
  if (shape.length === 0) throw new InvalidInputError("a scalar dataset cannot be split between ranks", { option: "shape" });
  if (chunks.length !== shape.length) {
    throw new InvalidInputError(`chunks [${chunks.join(", ")}] and shape [${shape.join(", ")}] differ in rank`, { option: "chunks" });
  }
  if (!Number.isSafeInteger(size) || size < 1) throw new InvalidInputError(`size must be a positive integer, got ${size}`, { option: "size" });
  if (!Number.isSafeInteger(rank) || rank < 0 || rank >= size) {
    throw new InvalidInputError(`rank must be an integer in [0, ${size}), got ${rank}`, { option: "rank" });
  }
  const c0 = chunks[0]!;
  const n = Math.ceil(shape[0]! / c0);
  const base = Math.floor(n / size);
  const extra = n % size;
  const first = rank * base + Math.min(rank, extra);
  const end = first + base + (rank < extra ? 1 : 0);
  const start = [Math.min(first * c0, shape[0]!), ...shape.slice(1).map(() => 0)];
  const stop = [Math.min(end * c0, shape[0]!), ...shape.slice(1)];
  const empty = stop.some((s, i) => s <= start[i]!);
  return {
    rank,
    start,
    stop,
    selection: start.map((s, i) => [s, stop[i]!, 1] as const),
    chunkRange: [first, end],
    empty,
  };
}

/** The regions of every rank, in rank order; together they cover the shape exactly once. */
export function splitRegions(shape: readonly number[], chunks: readonly number[], size: number): Region[] {
  return Array.from({ length: size }, (_, rank) => regionFor(shape, chunks, rank, size));
}

/** Number of elements in a region. */
export function regionSize(region: Region): number {
  return region.empty ? 0 : region.stop.reduce((p, s, i) => p * (s - region.start[i]!), 1);
}
