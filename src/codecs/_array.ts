/** Element access for the array→array codecs (delta, fixedscaleoffset, astype, quantize). */
import type { TypedArray } from "../data/dtype.js";
import { isBigTyped } from "./_util.js";

export function getNum(arr: TypedArray, i: number): number {
  return Number(arr[i]!);
}

/** Store `v` with C/numpy cast rules: typed arrays truncate and wrap ints, round floats. */
export function setNum(arr: TypedArray, i: number, v: number): void {
  if (isBigTyped(arr)) {
    const t = Number.isFinite(v) ? BigInt(Math.trunc(v)) : 0n;
    arr[i] = arr instanceof BigInt64Array ? BigInt.asIntN(64, t) : BigInt.asUintN(64, t);
  } else {
    arr[i] = v;
  }
}

/** numpy.around: round half to even. */
export function roundHalfEven(x: number): number {
  if (!Number.isFinite(x)) return x;
  const r = Math.round(x);
  if (Math.abs(x - Math.trunc(x)) === 0.5 && r % 2 !== 0) return r - 1;
  return r;
}
