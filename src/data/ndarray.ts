/**
 * NdArray: an element container + shape + dtype, C order.
 *
 * The container depends on the dtype kind (see dtype.ts): a typed array for numeric data
 * (int64/uint64 as BigInt arrays, complex interleaved), `string[]` for strings,
 * `Reference[]` for references, `CompoundRecord[]` for compound rows, `JsonValue[]` for objects.
 */
import { InvalidInputError } from "../errors.js";
import {
  allocateNumeric, describeDtype, guessDtype, NUMERIC_TABLE, numberToFloat16, float16ToNumber,
  parseDtype, type Dtype, type NumericDtype, type TypedArray, type ZarrV2Dtype,
} from "./dtype.js";
import type { Reference } from "./reference.js";
import { forEachRun, pairRuns, product, resolveSelection, type Selection, assertShape } from "./selection.js";

/** A JSON value, as JSON.parse returns it (attributes, codec configs, Zarr object arrays). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };
/** One element of a non-compound array: a number, bigint (int64/uint64), bool, string or reference. */
export type Scalar = number | bigint | boolean | string | Reference;
/** One row of a compound dtype, keyed by field name. */
export type CompoundRecord = Readonly<Record<string, Scalar | null>>;
/** A fill value: a scalar, a compound record, or a complex number as [re, im]. */
export type FillValue = Scalar | CompoundRecord | readonly [number, number] | null;
/** The flat C-order containers an NdArray can hold; which one depends on the dtype kind. */
export type ElementArray = TypedArray | string[] | Reference[] | CompoundRecord[] | JsonValue[];

/**
 * An n-d array in memory: a flat C-order container, a shape and a dtype. The unit of data that
 * reads return and writes take, in both backends.
 */
export class NdArray<D extends ElementArray = ElementArray> {
  readonly data: D;
  readonly shape: readonly number[];
  readonly dtype: Dtype;

  constructor(data: D, shape: readonly number[], dtype: Dtype) {
    assertShape(shape);
    const n = product(shape);
    const lanes = dtype.kind === "numeric" ? NUMERIC_TABLE[dtype.name].lanes : 1;
    if (data.length !== n * lanes) {
      throw new InvalidInputError(
        `data has ${data.length / lanes} elements but shape [${shape.join(", ")}] needs ${n} (${describeDtype(dtype)})`,
        { option: "shape" },
      );
    }
    if (dtype.kind === "numeric") {
      const ctor = NUMERIC_TABLE[dtype.name].ctor;
      if (!(data instanceof ctor)) {
        throw new InvalidInputError(
          `dtype ${dtype.name} needs a ${ctor.name}, got ${data.constructor?.name ?? typeof data}`,
          { option: "dtype" },
        );
      }
    } else if (!Array.isArray(data)) {
      throw new InvalidInputError(`dtype ${describeDtype(dtype)} needs a plain array of elements`, { option: "dtype" });
    }
    this.data = data;
    this.shape = [...shape];
    this.dtype = dtype;
  }

  get size(): number {
    return product(this.shape);
  }

  get ndim(): number {
    return this.shape.length;
  }

  /** Copy out a selection (h5py vocabulary). Integer-indexed axes are dropped. */
  get(selection: Selection = []): NdArray {
    const slab = resolveSelection(this.shape, selection);
    const out = emptyLike(this.dtype, product(slab.outShape));
    const lanes = lanesOf(this.dtype);
    forEachRun(this.shape, slab, (off, outOff, len) => copyElements(this.data, off * lanes, out, outOff * lanes, len * lanes));
    return new NdArray(out, slab.outShape, this.dtype);
  }

  /**
   * Assign into a selection. `value` is a scalar (broadcast) or an array whose shape equals
   * the selection's shape (ignoring axes of length 1).
   */
  set(selection: Selection, value: NdArray | Scalar): void {
    const slab = resolveSelection(this.shape, selection);
    const n = product(slab.outShape);
    const lanes = lanesOf(this.dtype);
    if (value instanceof NdArray) {
      const a = slab.outShape.filter((d) => d !== 1).join(",");
      const b = value.shape.filter((d) => d !== 1).join(",");
      if (a !== b) {
        throw new InvalidInputError(
          `cannot assign shape [${value.shape.join(", ")}] to a selection of shape [${slab.outShape.join(", ")}]`,
          { option: "value" },
        );
      }
      const src = value.dtype.kind === this.dtype.kind && sameContainer(value, this) ? value.data : convertData(value, this.dtype);
      forEachRun(this.shape, slab, (off, srcOff, len) => copyElements(src, srcOff * lanes, this.data, off * lanes, len * lanes));
      return;
    }
    if (n === 0) return;
    const scalar = full(this.dtype, [1], value).data;
    forEachRun(this.shape, slab, (off, _o, len) => {
      for (let i = 0; i < len; i++) copyElements(scalar, 0, this.data, (off + i) * lanes, lanes);
    });
  }

  /** Element at a full integer index, as a JS value (bigint for 64-bit ints, number for float16). */
  at(...index: number[]): Scalar | CompoundRecord | JsonValue {
    const slab = resolveSelection(this.shape, index);
    let flat = 0;
    forEachRun(this.shape, slab, (off) => { flat = off; });
    return elementAt(this, flat);
  }

  /** All elements as JS values, flat in C order. */
  toArray(): Array<Scalar | CompoundRecord | JsonValue> {
    const out: Array<Scalar | CompoundRecord | JsonValue> = [];
    for (let i = 0; i < this.size; i++) out.push(elementAt(this, i));
    return out;
  }

  /** The same elements under another shape of equal size (no copy); otherwise an InvalidInputError. */
  reshape(shape: readonly number[]): NdArray<D> {
    if (product(shape) !== this.size) {
      throw new InvalidInputError(`cannot reshape ${this.size} elements to [${shape.join(", ")}]`, { option: "shape" });
    }
    return new NdArray(this.data, shape, this.dtype);
  }
}

/**
 * Copy `src[srcSel]` into `dst[dstSel]` (same selected shape) without an intermediate array
 * when both selections are unit-step boxes (the chunk engine's hot path).
 */
export function copySelection(src: NdArray, srcSel: Selection, dst: NdArray, dstSel: Selection): void {
  const a = resolveSelection(src.shape, srcSel);
  const b = resolveSelection(dst.shape, dstSel);
  const unit = a.step.every((x) => x === 1) && b.step.every((x) => x === 1) && a.count.join(",") === b.count.join(",");
  if (!unit || !sameContainer(src, dst)) {
    dst.set(dstSel, src.get(srcSel));
    return;
  }
  const lanes = lanesOf(dst.dtype);
  pairRuns(src.shape, a, dst.shape, b, (s, d, n) => copyElements(src.data, s * lanes, dst.data, d * lanes, n * lanes));
}

/** Container slots per element: 2 for complex (interleaved re, im), 1 for everything else. */
export function lanesOf(dtype: Dtype): number {
  return dtype.kind === "numeric" ? NUMERIC_TABLE[dtype.name].lanes : 1;
}

function sameContainer(a: NdArray, b: NdArray): boolean {
  if (a.dtype.kind !== "numeric" || b.dtype.kind !== "numeric") return a.dtype.kind === b.dtype.kind;
  return a.data.constructor === b.data.constructor && lanesOf(a.dtype) === lanesOf(b.dtype);
}

function elementAt(a: NdArray, i: number): Scalar | CompoundRecord | JsonValue {
  if (a.dtype.kind === "numeric") {
    const d = a.data as TypedArray;
    if (a.dtype.name === "bool") return d[i] !== 0;
    if (a.dtype.name === "float16") return float16ToNumber(d[i] as number);
    if (NUMERIC_TABLE[a.dtype.name].lanes === 2) return d[2 * i] as number; // real part; use .data for both
    return d[i] as number | bigint;
  }
  return (a.data as Array<Scalar | CompoundRecord | JsonValue>)[i]!;
}

function copyElements(src: ElementArray, srcOff: number, dst: ElementArray, dstOff: number, len: number): void {
  if (ArrayBuffer.isView(src) && ArrayBuffer.isView(dst)) {
    (dst as Uint8Array).set((src as Uint8Array).subarray(srcOff, srcOff + len), dstOff);
    return;
  }
  const s = src as unknown[];
  const d = dst as unknown[];
  for (let i = 0; i < len; i++) d[dstOff + i] = s[srcOff + i];
}

/** A zero/empty container of `count` elements for `dtype`. */
export function emptyLike(dtype: Dtype, count: number): ElementArray {
  if (dtype.kind === "numeric") return allocateNumeric(dtype, count);
  if (dtype.kind === "string") return new Array<string>(count).fill("");
  return new Array<JsonValue>(count).fill(null);
}

/**
 * An array of `shape` filled with `value` (the fill value of unwritten chunks, for instance).
 * `shared`: a numeric array's elements live in a SharedArrayBuffer (codec workers write into it).
 */
export function full(dtype: Dtype, shape: readonly number[], value: FillValue, shared = false): NdArray {
  const n = product(shape);
  if (dtype.kind === "numeric") {
    const arr = allocateNumeric(dtype, n, shared);
    fillNumeric(arr, dtype, value, true);
    return new NdArray(arr, shape, dtype);
  }
  const fillWith = value ?? (dtype.kind === "string" ? "" : null);
  return new NdArray(new Array(n).fill(fillWith) as ElementArray, shape, dtype);
}

/** Set every element of a numeric container to `value` (null: zero); `zeroed`: it is all zeros already. */
export function fillNumeric(arr: TypedArray, dtype: NumericDtype, value: FillValue, zeroed = false): void {
  const n = arr.length / NUMERIC_TABLE[dtype.name].lanes;
  if (Array.isArray(value) && NUMERIC_TABLE[dtype.name].lanes === 2) {
    for (let i = 0; i < n; i++) { (arr as Float64Array)[2 * i] = value[0] as number; (arr as Float64Array)[2 * i + 1] = value[1] as number; }
  } else if (value !== null && value !== 0 && value !== 0n && value !== false) {
    const v = toNumericElement(dtype, value);
    if (NUMERIC_TABLE[dtype.name].lanes === 2) {
      for (let i = 0; i < n; i++) { (arr as Float64Array)[2 * i] = v as number; (arr as Float64Array)[2 * i + 1] = 0; }
    } else {
      (arr as unknown as { fill(v: number | bigint): void }).fill(v);
    }
  } else if (!zeroed) {
    new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength).fill(0);
  }
}

function toNumericElement(dtype: NumericDtype, value: unknown): number | bigint {
  const name = dtype.name;
  if (name === "int64" || name === "uint64") {
    if (typeof value === "bigint") return value;
    if (typeof value === "number" && Number.isInteger(value)) return BigInt(value);
    if (typeof value === "boolean") return value ? 1n : 0n;
    throw new InvalidInputError(`cannot store ${String(value)} in ${name}`, { option: "value" });
  }
  let v: number;
  if (typeof value === "number") v = value;
  else if (typeof value === "boolean") v = value ? 1 : 0;
  else if (typeof value === "bigint") {
    v = Number(value);
    if (BigInt(v) !== value) throw new InvalidInputError(`${value} does not fit in ${name} without rounding`, { option: "value" });
  } else throw new InvalidInputError(`cannot store ${String(value)} in ${name}`, { option: "value" });
  if (name === "float16") return numberToFloat16(v);
  if (name === "bool") return v ? 1 : 0;
  return v;
}

/** Convert an array's elements to another dtype's container (numeric casts, as numpy's astype). */
export function convertData(a: NdArray, dtype: Dtype): ElementArray {
  if (dtype.kind !== "numeric") {
    if (a.dtype.kind === "numeric") {
      throw new InvalidInputError(`cannot convert ${describeDtype(a.dtype)} values to ${describeDtype(dtype)}`, { option: "dtype" });
    }
    return [...(a.data as unknown[])] as ElementArray;
  }
  if (a.dtype.kind !== "numeric") {
    const out = allocateNumeric(dtype, a.size);
    (a.data as unknown[]).forEach((v, i) => { (out as unknown as Array<number | bigint>)[i] = toNumericElement(dtype, v); });
    return out;
  }
  const out = allocateNumeric(dtype, a.size);
  const lanesIn = lanesOf(a.dtype);
  const lanesOut = lanesOf(dtype);
  const src = a.data as TypedArray;
  for (let i = 0; i < a.size; i++) {
    let v: number | bigint = src[i * lanesIn]!;
    if (a.dtype.name === "float16") v = float16ToNumber(v as number);
    const w = toNumericElement(dtype, typeof v === "bigint" && dtype.name !== "int64" && dtype.name !== "uint64" ? Number(v) : v);
    (out as unknown as Array<number | bigint>)[i * lanesOut] = w;
    if (lanesIn === 2 && lanesOut === 2) (out as Float64Array)[i * 2 + 1] = src[i * 2 + 1] as number;
  }
  return out;
}

/** Options of {@link array}: the shape and dtype to use instead of the ones guessed from the data. */
export interface ArrayOptions {
  shape?: readonly number[];
  dtype?: string | Dtype | ZarrV2Dtype;
}

/**
 * Make an NdArray from what users have: a typed array, nested JS arrays of numbers /
 * bigints / booleans / strings / references, or a scalar. `shape` defaults to the nesting.
 */
export function array(data: unknown, options: ArrayOptions = {}): NdArray {
  if (data instanceof NdArray) return options.dtype ? new NdArray(convertData(data, parseDtype(options.dtype)), data.shape, parseDtype(options.dtype)) : data;
  const inferred: number[] = [];
  let flat: unknown[] | TypedArray;
  if (ArrayBuffer.isView(data)) {
    flat = data as TypedArray;
    inferred.push((data as TypedArray).length);
  } else {
    flat = flatten(data, inferred);
  }
  const dtype = options.dtype ? parseDtype(options.dtype) : guessDtype(ArrayBuffer.isView(flat) ? flat : flat.length ? flat[0] : []);
  const shape = options.shape ?? (Array.isArray(data) || ArrayBuffer.isView(data) ? inferred : []);
  if (dtype.kind === "numeric") {
    const info = NUMERIC_TABLE[dtype.name];
    if (ArrayBuffer.isView(flat) && flat instanceof info.ctor) {
      const els = flat.length / info.lanes;
      return new NdArray(flat, options.shape ?? (Array.isArray(data) ? inferred : [els]), dtype);
    }
    const out = allocateNumeric(dtype, (flat as ArrayLike<unknown>).length);
    for (let i = 0; i < (flat as ArrayLike<unknown>).length; i++) {
      (out as unknown as Array<number | bigint>)[i] = toNumericElement(dtype, (flat as ArrayLike<unknown>)[i]);
    }
    return new NdArray(out, shape, dtype);
  }
  return new NdArray(Array.from(flat as ArrayLike<unknown>) as ElementArray, shape, dtype);
}

function flatten(data: unknown, shape: number[], depth = 0, out: unknown[] = []): unknown[] {
  if (!Array.isArray(data)) {
    out.push(data);
    return out;
  }
  if (shape.length === depth) shape.push(data.length);
  else if (shape[depth] !== data.length) {
    throw new InvalidInputError(`ragged nested array: axis ${depth} has lengths ${shape[depth]} and ${data.length}`, { option: "data" });
  }
  for (const item of data) {
    if (Array.isArray(item) !== (depth + 1 < shape.length || (shape.length === depth + 1 && Array.isArray(item)))) {
      throw new InvalidInputError(`ragged nested array at axis ${depth + 1}`, { option: "data" });
    }
    flatten(item, shape, depth + 1, out);
  }
  return out;
}
