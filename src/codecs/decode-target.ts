/**
 * A decode that writes straight into the caller's output: the chunk engine reads numeric data
 * into an array over a SharedArrayBuffer, and the codec worker that decoded a chunk copies the
 * chunk's selected part into it, so the decoded bytes never travel back to the calling thread.
 */
import { copyBoxBytes, product, type Selection } from "../data/selection.js";

/**
 * Where a decode job puts its chunk instead of replying with the bytes: the job copies the
 * selected box of the decoded chunk (`chunkShape` elements of `elementSize` bytes, C order)
 * into the box `sel` of a shared output of `shape` (both unit-step boxes of one shape), when
 * the chunk decodes to at least a whole chunk. The reply carries only the decoded length, so the
 * caller checks it as it checks returned bytes.
 */
export interface DecodeTarget {
  readonly buffer: SharedArrayBuffer;
  readonly shape: readonly number[];
  readonly sel: Selection;
  readonly chunkShape: readonly number[];
  readonly chunkSel: Selection;
  readonly elementSize: number;
}

/** Copy a decoded chunk's part into its target; false (nothing copied) when it is too short for a whole chunk. */
export function copyIntoTarget(decoded: Uint8Array, t: DecodeTarget): boolean {
  if (decoded.byteLength < product(t.chunkShape) * t.elementSize) return false;
  copyBoxBytes(decoded, t.chunkShape, t.chunkSel, new Uint8Array(t.buffer), t.shape, t.sel, t.elementSize);
  return true;
}
