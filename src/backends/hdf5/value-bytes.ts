/**
 * NdArray <-> the bytes of its HDF5 stored type (the layout direct chunk I/O and raw hyperslab
 * I/O move): numeric values in the stored byte order, bool as one byte, float16 as raw bits,
 * compound records packed at their field offsets, object references as 8-byte hobj_ref_t,
 * fixed strings NUL-padded. Variable-length strings never pass here (the core moves them as text).
 */
import { InvalidInputError } from "../../errors.js";
import { NUMERIC_TABLE, numberToFloat16, float16ToNumber, type CompoundDtype, type Dtype, type TypedArray } from "../../data/dtype.js";
import { convertData, NdArray, type CompoundRecord, type Scalar } from "../../data/ndarray.js";
import { ObjectReference, isReference, type Reference } from "../../data/reference.js";
import { storedItemsize } from "./type-map.js";

/** Turns references into stored bytes and back (needs the open file). */
export interface RefCodec {
  encode(ref: Reference): Uint8Array;
  decode(bytes: Uint8Array): Reference;
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();

export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size <= 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!; bytes[a] = bytes[b]!; bytes[b] = t;
    }
  }
}

/** Encode `a` (of any compatible dtype) as the bytes of `dtype`'s stored layout. */
export function encodeValues(a: NdArray, dtype: Dtype, refs?: RefCodec, path?: string): Uint8Array {
  switch (dtype.kind) {
    case "numeric": {
      const data = a.dtype.kind === "numeric" && a.dtype.name === dtype.name ? a.data as TypedArray : convertData(a, dtype) as TypedArray;
      const out = new Uint8Array(data.byteLength);
      out.set(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
      const info = NUMERIC_TABLE[dtype.name];
      if (dtype.endian === ">") swapBytes(out, info.itemsize / info.lanes);
      return out;
    }
    case "string": {
      if (dtype.length === null) throw new InvalidInputError("variable-length strings are not raw bytes", { path });
      const size = storedItemsize(dtype);
      const out = new Uint8Array(size * a.size);
      (a.data as unknown[]).forEach((v, i) => writeFixedString(out, i * size, size, v));
      return out;
    }
    case "reference": {
      if (!refs) throw new InvalidInputError("references need an open file to encode", { path });
      const size = storedItemsize(dtype);
      const out = new Uint8Array(size * a.size);
      (a.data as unknown[]).forEach((v, i) => out.set(refBytes(v, refs, size, path), i * size));
      return out;
    }
    case "compound":
      return encodeRecords(a.data as unknown[], dtype, refs, path);
    case "object":
      throw new InvalidInputError("object data has no HDF5 byte layout", { path });
  }
}

function refBytes(v: unknown, refs: RefCodec, size: number, path?: string): Uint8Array {
  if (v === null || v === undefined || v === "") return new Uint8Array(size);
  if (typeof v === "string") return refs.encode(new ObjectReference(v));
  if (isReference(v)) return v.kind === "object" && v.isNull ? new Uint8Array(size) : refs.encode(v);
  throw new InvalidInputError(`expected a reference, got ${String(v)}`, { path });
}

function writeFixedString(out: Uint8Array, at: number, size: number, v: unknown): void {
  const bytes = typeof v === "string" ? utf8.encode(v) : v instanceof Uint8Array ? v : utf8.encode(String(v ?? ""));
  out.set(bytes.subarray(0, size), at);
}

function encodeRecords(rows: readonly unknown[], dtype: CompoundDtype, refs: RefCodec | undefined, path?: string): Uint8Array {
  const out = new Uint8Array(dtype.itemsize * rows.length);
  rows.forEach((row, i) => {
    const rec = (row ?? {}) as CompoundRecord;
    for (const f of dtype.fields) {
      const at = i * dtype.itemsize + f.offset;
      const v = rec[f.name] ?? null;
      encodeScalarAt(out, at, v, f.dtype, refs, path);
    }
  });
  return out;
}

function encodeScalarAt(out: Uint8Array, at: number, v: Scalar | CompoundRecord | null, dt: Dtype, refs: RefCodec | undefined, path?: string): void {
  if (dt.kind === "reference") {
    if (!refs) throw new InvalidInputError("references need an open file to encode", { path });
    out.set(refBytes(v, refs, storedItemsize(dt), path), at);
    return;
  }
  if (dt.kind === "string") {
    if (dt.length === null) throw new InvalidInputError("compound fields of variable-length strings are not supported", { path });
    writeFixedString(out, at, storedItemsize(dt), v);
    return;
  }
  if (dt.kind === "compound") {
    out.set(encodeRecords([v], dt, refs, path), at);
    return;
  }
  if (dt.kind !== "numeric") throw new InvalidInputError(`compound field dtype ${dt.kind} is not supported`, { path });
  out.set(encodeValues(scalarArray(dt, v, path), dt, refs, path), at);
}

function scalarArray(dt: Extract<Dtype, { kind: "numeric" }>, v: unknown, path?: string): NdArray {
  const info = NUMERIC_TABLE[dt.name];
  const arr = new info.ctor(info.lanes);
  const big = dt.name === "int64" || dt.name === "uint64";
  let x: number | bigint;
  if (v === null || v === undefined) x = big ? 0n : 0;
  else if (typeof v === "boolean") x = big ? BigInt(Number(v)) : Number(v);
  else if (typeof v === "bigint") x = big ? v : Number(v);
  else if (typeof v === "number") x = big ? BigInt(Math.trunc(v)) : dt.name === "float16" ? numberToFloat16(v) : v;
  else throw new InvalidInputError(`compound field expects a number, got ${String(v)}`, { path });
  (arr as unknown as Array<number | bigint>)[0] = x;
  return new NdArray(arr, [], dt);
}

/** Decode stored bytes of `dtype` into an NdArray of `shape` (host-order numerics). */
export function decodeValues(bytes: Uint8Array, dtype: Dtype, shape: readonly number[], refs?: RefCodec, path?: string): NdArray {
  const n = shape.reduce((p, d) => p * d, 1);
  switch (dtype.kind) {
    case "numeric": {
      const info = NUMERIC_TABLE[dtype.name];
      const copy = new Uint8Array(n * info.itemsize);
      copy.set(bytes.subarray(0, copy.length));
      if (dtype.endian === ">") swapBytes(copy, info.itemsize / info.lanes);
      const data = new info.ctor(copy.buffer, 0, n * info.lanes);
      return new NdArray(data, shape, { kind: "numeric", name: dtype.name, endian: dtype.endian });
    }
    case "string": {
      const size = storedItemsize(dtype);
      const out: string[] = new Array<string>(n);
      for (let i = 0; i < n; i++) out[i] = readFixedString(bytes, i * size, size);
      return new NdArray(out, shape, dtype);
    }
    case "reference": {
      if (!refs) throw new InvalidInputError("references need an open file to decode", { path });
      const size = storedItemsize(dtype);
      const out: Reference[] = new Array<Reference>(n);
      for (let i = 0; i < n; i++) out[i] = decodeRef(bytes.subarray(i * size, (i + 1) * size), refs);
      return new NdArray(out, shape, dtype);
    }
    case "compound": {
      const out: CompoundRecord[] = new Array<CompoundRecord>(n);
      for (let i = 0; i < n; i++) out[i] = decodeRecord(bytes, i * dtype.itemsize, dtype, refs, path);
      return new NdArray(out, shape, dtype);
    }
    case "object":
      throw new InvalidInputError("object data has no HDF5 byte layout", { path });
  }
}

function decodeRef(b: Uint8Array, refs: RefCodec): Reference {
  return b.every((x) => x === 0) ? new ObjectReference("") : refs.decode(b);
}

function readFixedString(bytes: Uint8Array, at: number, size: number): string {
  let end = at + size;
  while (end > at && bytes[end - 1] === 0) end--;
  const nul = bytes.subarray(at, end).indexOf(0);
  if (nul >= 0) end = at + nul;
  return utf8d.decode(bytes.subarray(at, end));
}

function decodeRecord(bytes: Uint8Array, at: number, dtype: CompoundDtype, refs: RefCodec | undefined, path?: string): CompoundRecord {
  const rec: Record<string, Scalar | null> = {};
  for (const f of dtype.fields) {
    const size = storedItemsize(f.dtype);
    const slice = bytes.subarray(at + f.offset, at + f.offset + size);
    if (f.dtype.kind === "compound") {
      throw new InvalidInputError(`nested compound field ${f.name} is not supported`, { path });
    }
    const one = decodeValues(slice, f.dtype, [1], refs, path);
    rec[f.name] = scalarOf(one);
  }
  return rec;
}

function scalarOf(a: NdArray): Scalar | null {
  if (a.dtype.kind === "numeric") {
    const v = (a.data as TypedArray)[0]!;
    if (a.dtype.name === "bool") return v !== 0;
    if (a.dtype.name === "float16") return float16ToNumber(v as number);
    return v;
  }
  return (a.data as Scalar[])[0] ?? null;
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
      v = typeof value === "bigint" ? value : BigInt(typeof value === "boolean" ? Number(value) : Number(value));
    } else {
      v = typeof value === "bigint" ? Number(value) : typeof value === "boolean" ? Number(value) : Number(value);
      if (typeof value === "string" && Number.isNaN(v) && value !== "NaN" && value !== "nan") {
        throw new InvalidInputError(`fill value "${value}" does not fit dtype ${dtype.name}`, { option: "fillvalue", path });
      }
      if (dtype.name === "float16") v = numberToFloat16(v);
    }
    (arr as unknown as Array<number | bigint>)[0] = v;
    return encodeValues(new NdArray(arr, [], dtype), dtype);
  }
  if (dtype.kind === "string" && dtype.length !== null) {
    const out = new Uint8Array(storedItemsize(dtype));
    writeFixedString(out, 0, out.length, value);
    return out;
  }
  // Zarr v2 object arrays (vlen strings) carry fill_value 0 (zarr-python's default for |O); h5py
  // sets no fill value for variable-length data, so export from Zarr drops that default here.
  if ((dtype.kind === "string" || dtype.kind === "object") && (value === 0 || value === "")) return undefined;
  throw new InvalidInputError(`a fill value for ${dtype.kind} data is not supported`, { option: "fillvalue", path });
}
