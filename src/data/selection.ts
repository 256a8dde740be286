/**
 * Selections in h5py's vocabulary: per axis an integer (drops the axis), a slice
 * `[start, stop, step]` (any part may be null/omitted; negatives count from the end),
 * or `null` for the whole axis. Missing trailing axes mean "whole axis".
 *
 * Pure, synchronous shape math: no I/O here.
 */
import { InvalidInputError } from "../errors.js";

/** A slice of one axis, `[start, stop, step]` as Python writes `start:stop:step`; omitted or null parts take their defaults. */
export type SliceSpec = readonly [start?: number | null, stop?: number | null, step?: number | null];
/** What to take from one axis: an index (drops the axis), a slice, or null for all of it. */
export type AxisSelection = number | SliceSpec | null;
/** A region of an n-d array, one entry per leading axis (h5py `dset[...]` indexing). */
export type Selection = readonly AxisSelection[];

/** A selection resolved against a shape: one regular (start, count, step) per axis. */
export interface Hyperslab {
  readonly start: readonly number[];
  readonly count: readonly number[];
  readonly step: readonly number[];
  /** Axes selected by an integer; they are dropped from `outShape`. */
  readonly dropped: readonly boolean[];
  /** Shape of the result after dropping integer-indexed axes. */
  readonly outShape: readonly number[];
}

/** Number of elements in an array of this shape (1 for a scalar shape `[]`). */
export function product(shape: readonly number[]): number {
  let n = 1;
  for (const d of shape) n *= d;
  return n;
}

/** C-order strides in elements. */
export function stridesOf(shape: readonly number[]): number[] {
  const strides = new Array<number>(shape.length);
  let s = 1;
  for (let i = shape.length - 1; i >= 0; i--) {
    strides[i] = s;
    s *= shape[i]!;
  }
  return strides;
}

/** Throw an InvalidInputError naming `what` unless every extent is a non-negative safe integer. */
export function assertShape(shape: readonly number[], what = "shape"): void {
  for (const d of shape) {
    if (!Number.isSafeInteger(d) || d < 0) {
      throw new InvalidInputError(`${what} must hold non-negative integers, got [${shape.join(", ")}]`, { option: what });
    }
  }
}

/** Resolve `selection` against `shape` (numpy/h5py semantics for ints and slices). */
export function resolveSelection(shape: readonly number[], selection: Selection = []): Hyperslab {
  if (selection.length > shape.length) {
    throw new InvalidInputError(
      `selection has ${selection.length} axes but the array has ${shape.length} (shape [${shape.join(", ")}])`,
      { option: "selection" },
    );
  }
  const start: number[] = [];
  const count: number[] = [];
  const step: number[] = [];
  const dropped: boolean[] = [];
  const outShape: number[] = [];
  shape.forEach((dim, axis) => {
    const sel = selection[axis] ?? null;
    if (typeof sel === "number") {
      if (!Number.isInteger(sel)) throw new InvalidInputError(`index ${sel} on axis ${axis} is not an integer`, { option: "selection" });
      const i = sel < 0 ? dim + sel : sel;
      if (i < 0 || i >= dim) {
        throw new InvalidInputError(`index ${sel} is out of range for axis ${axis} with size ${dim}`, { option: "selection" });
      }
      start.push(i); count.push(1); step.push(1); dropped.push(true);
      return;
    }
    const [a, b, c] = sel ?? [];
    const st = c ?? 1;
    if (!Number.isInteger(st) || st <= 0) {
      throw new InvalidInputError(`slice step must be a positive integer, got ${st} on axis ${axis}`, { option: "selection" });
    }
    const lo = clampIndex(a ?? 0, dim, axis);
    const hi = clampIndex(b ?? dim, dim, axis);
    const n = hi > lo ? Math.ceil((hi - lo) / st) : 0;
    start.push(lo); count.push(n); step.push(st); dropped.push(false); outShape.push(n);
  });
  return { start, count, step, dropped, outShape };
}

function clampIndex(i: number, dim: number, axis: number): number {
  if (!Number.isInteger(i)) throw new InvalidInputError(`slice bound ${i} on axis ${axis} is not an integer`, { option: "selection" });
  const j = i < 0 ? dim + i : i;
  return Math.min(Math.max(j, 0), dim);
}

/** A selection that covers the box [start, start+count) with unit steps. */
export function boxSelection(start: readonly number[], count: readonly number[]): Selection {
  return start.map((s, i) => [s, s + count[i]!, 1] as const);
}

/**
 * Visit every contiguous run of a hyperslab over an array of `shape`: calls
 * `visit(srcOffset, outOffset, length)` with element offsets (C order). Runs are as long as
 * the innermost unit-step axis allows, so copies stay fast.
 */
export function forEachRun(
  shape: readonly number[],
  slab: Hyperslab,
  visit: (offset: number, outOffset: number, length: number) => void,
): void {
  const rank = shape.length;
  const total = product(slab.count);
  if (total === 0) return;
  if (rank === 0) {
    visit(0, 0, 1);
    return;
  }
  const strides = stridesOf(shape);
  // Trailing axes selected whole are one run with the axis before them (a chunk of full rows is
  // one copy, not one per row).
  let last = rank - 1;
  let inner = 1;
  while (last > 0 && slab.step[last] === 1 && slab.start[last] === 0 && slab.count[last] === shape[last]) inner *= shape[last--]!;
  const runLength = slab.step[last] === 1 ? slab.count[last]! * inner : inner;
  const runsPerRow = slab.step[last] === 1 ? 1 : slab.count[last]!;
  const idx = new Array<number>(rank).fill(0);
  let out = 0;
  for (;;) {
    let base = 0;
    for (let a = 0; a < last; a++) base += (slab.start[a]! + idx[a]! * slab.step[a]!) * strides[a]!;
    for (let r = 0; r < runsPerRow; r++) {
      const off = base + (slab.start[last]! + r * slab.step[last]!) * strides[last]!;
      visit(off, out, runLength);
      out += runLength;
    }
    let a = last - 1;
    while (a >= 0) {
      idx[a]!++;
      if (idx[a]! < slab.count[a]!) break;
      idx[a] = 0;
      a--;
    }
    if (a < 0) return;
  }
}

/**
 * Pair the runs of two equally shaped unit-step hyperslabs over arrays of `srcShape` and
 * `dstShape`: `copy(srcOffset, dstOffset, length)` in elements, C order. The runs of the two
 * sides can differ in length (whole trailing axes merge on one side only), so they are split
 * where either side's run ends. Both the in-memory copier (`copySelection`) and the codec
 * workers' copy into a shared output use it.
 */
export function pairRuns(
  srcShape: readonly number[], a: Hyperslab, dstShape: readonly number[], b: Hyperslab,
  copy: (srcOffset: number, dstOffset: number, length: number) => void,
): void {
  const dstRuns: number[] = [];
  forEachRun(dstShape, b, (off, _o, len) => { dstRuns.push(off, len); });
  let k = 0, used = 0;
  forEachRun(srcShape, a, (off, _o, len) => {
    for (let done = 0; done < len;) {
      const dOff = dstRuns[k]!, dLen = dstRuns[k + 1]!;
      const n = Math.min(len - done, dLen - used);
      copy(off + done, dOff + used, n);
      done += n;
      used += n;
      if (used === dLen) { k += 2; used = 0; }
    }
  });
}

/**
 * Copy the bytes of `src[srcSel]` (an array of `srcShape`, `size`-byte elements, C order) into
 * `dst[dstSel]`; both selections are unit-step boxes of the same shape.
 */
export function copyBoxBytes(
  src: Uint8Array, srcShape: readonly number[], srcSel: Selection,
  dst: Uint8Array, dstShape: readonly number[], dstSel: Selection, size: number,
): void {
  const a = resolveSelection(srcShape, srcSel);
  const b = resolveSelection(dstShape, dstSel);
  if (a.step.some((x) => x !== 1) || b.step.some((x) => x !== 1) || a.count.join(",") !== b.count.join(",")) {
    throw new InvalidInputError(`a byte copy needs two unit-step boxes of one shape, got [${a.count}] and [${b.count}]`, { option: "selection" });
  }
  pairRuns(srcShape, a, dstShape, b, (s, d, n) => dst.set(src.subarray(s * size, (s + n) * size), d * size));
}

/** Every cell of a grid box [lo, hi] (inclusive) in C order; nothing when the box is empty. */
export function* gridCells(lo: readonly number[], hi: readonly number[]): Iterable<number[]> {
  if (hi.some((h, i) => h < lo[i]!)) return;
  const idx = [...lo];
  if (idx.length === 0) { yield []; return; }
  for (;;) {
    yield [...idx];
    let a = idx.length - 1;
    while (a >= 0 && ++idx[a]! > hi[a]!) { idx[a] = lo[a]!; a--; }
    if (a < 0) return;
  }
}
