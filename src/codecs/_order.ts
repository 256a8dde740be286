/**
 * Element order of a flat list: Fortran (first axis fastest, numpy `order="F"`) to C (last axis
 * fastest) and back. Object items that numpy flattens with `reshape(-1, order="A")` (vlen-*,
 * categorize; a pickled array's data) follow the array's memory order.
 */
import { product } from "./_util.js";

/** Visit every C-order position with the matching Fortran-order position. */
function eachIndex(shape: readonly number[], fn: (c: number, f: number) => void): void {
  const nd = shape.length;
  const n = product(shape);
  const idx = new Array<number>(nd).fill(0);
  for (let c = 0; c < n; c++) {
    let f = 0, stride = 1;
    for (let d = 0; d < nd; d++) { f += idx[d]! * stride; stride *= shape[d]!; }
    fn(c, f);
    for (let d = nd - 1; d >= 0; d--) { if (++idx[d]! < shape[d]!) break; idx[d] = 0; }
  }
}

export function fortranToC<T>(values: readonly T[], shape: readonly number[]): T[] {
  const out = new Array<T>(values.length);
  eachIndex(shape, (c, f) => { out[c] = values[f]!; });
  return out;
}

export function cToFortran<T>(values: readonly T[], shape: readonly number[]): T[] {
  const out = new Array<T>(values.length);
  eachIndex(shape, (c, f) => { out[f] = values[c]!; });
  return out;
}
