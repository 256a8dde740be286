/**
 * The one element serialiser: an NdArray <-> the bytes of its fixed-size stored layout, as
 * numpy lays it out and HDF5 stores it (what chunks hold before codecs run, what HDF5 direct
 * chunk and hyperslab I/O move):
 *
 * - numbers in the dtype's byte order (`<`/`>`, swapped when the host differs), bool as one
 *   byte, float16 as its raw bits, complex as two floats;
 * - fixed strings NUL-padded: `|S` as UTF-8 bytes, numpy `<U` as UTF-32LE code points; reading
 *   strips trailing NULs as numpy does;
 * - compound records packed at their field offsets (nested compounds included; float16 fields
 *   as numbers, bool fields as booleans);
 * - object references through a RefCodec (HDF5's 8-byte hobj_ref_t of the open file).
 *
 * Variable-length strings and object arrays are not fixed-size: the backends move them as
 * text (HDF5) or through an object codec (Zarr).
 */
import { FormatError, InvalidInputError } from "../errors.js";
import { float16ToNumber, NUMERIC_TABLE, numberToFloat16, type CompoundDtype, type Dtype, type NumericDtype, type TypedArray } from "./dtype.js";
import { convertData, NdArray, type CompoundRecord, type ElementArray, type Scalar } from "./ndarray.js";
import { isReference, ObjectReference, type Reference } from "./reference.js";

/** Turns references into stored bytes and back (needs the open file). */
export interface RefCodec {
  encode(ref: Reference): Uint8Array;
  decode(bytes: Uint8Array): Reference;
}

const utf8 = new TextEncoder();
const utf8d = new TextDecoder();
const LITTLE_ENDIAN_HOST = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Bytes of one element in the stored layout; InvalidInputError for variable-length types. */
export function elementSize(dtype: Dtype, path?: string): number {
  switch (dtype.kind) {
    case "numeric": return NUMERIC_TABLE[dtype.name].itemsize;
    case "string":
      if (dtype.length === null) throw new InvalidInputError(`${path ? `${path}: ` : ""}variable-length strings have no fixed element size`, { path });
      return Math.max(1, dtype.unicodeFixed ? dtype.length * 4 : dtype.length);
    case "reference": return dtype.refType === "object" ? 8 : 12;
    case "compound": return dtype.itemsize;
    case "object": throw new InvalidInputError(`${path ? `${path}: ` : ""}object data has no fixed element size`, { path });
  }
}

/** True when every element of `dtype` has a fixed size (no vlen strings or objects anywhere). */
export function isFixedSize(dtype: Dtype): boolean {
  if (dtype.kind === "string") return dtype.length !== null;
  if (dtype.kind === "object") return false;
  if (dtype.kind === "compound") return dtype.fields.every((f) => isFixedSize(f.dtype));
  return true;
}

/** Reverse the byte order of every `size`-byte lane, in place. */
export function swapBytes(bytes: Uint8Array, size: number): void {
  if (size <= 1) return;
  for (let i = 0; i + size <= bytes.length; i += size) {
    for (let a = i, b = i + size - 1; a < b; a++, b--) {
      const t = bytes[a]!; bytes[a] = bytes[b]!; bytes[b] = t;
    }
  }
}

/** True when `dtype` is stored as its in-memory elements' bytes (numbers in host byte order): a byte copy decodes it. */
export function storesHostBytes(dtype: Dtype): dtype is NumericDtype {
  return dtype.kind === "numeric" && !needsSwap(dtype);
}

function needsSwap(d: NumericDtype): boolean {
  const info = NUMERIC_TABLE[d.name];
  return info.itemsize / info.lanes > 1 && (d.endian === ">") === LITTLE_ENDIAN_HOST;
}

/** `a` (of any compatible dtype) as the bytes of `dtype`'s stored layout. May share `a`'s buffer. */
export function encodeElements(a: NdArray, dtype: Dtype, refs?: RefCodec, path?: string): Uint8Array {
  switch (dtype.kind) {
    case "numeric": {
      const data = (a.dtype.kind === "numeric" && a.dtype.name === dtype.name ? a.data : convertData(a, dtype)) as TypedArray;
      const view = new Uint8Array(data.buffer, data.byteOffset, data.byteLength);
      if (!needsSwap(dtype)) return view;
      const out = view.slice();
      swapBytes(out, NUMERIC_TABLE[dtype.name].itemsize / NUMERIC_TABLE[dtype.name].lanes);
      return out;
    }
    case "compound": {
      const out = new Uint8Array(dtype.itemsize * a.size);
      (a.data as unknown[]).forEach((row, i) => encodeRecordAt(out, i * dtype.itemsize, row, dtype, refs, path));
      return out;
    }
    default: {
      const size = elementSize(dtype, path);
      const out = new Uint8Array(size * a.size);
      (a.data as unknown[]).forEach((v, i) => encodeScalarAt(out, i * size, v, dtype, refs, path));
      return out;
    }
  }
}

/**
 * Stored bytes of `dtype` as an NdArray of `shape` (host-order numbers, dtype kept).
 * `adopt`: the caller hands over `bytes` (a decoder's fresh output that nothing else holds), so
 * numbers that need no swap are a view of them instead of a copy.
 */
export function decodeElements(bytes: Uint8Array, dtype: Dtype, shape: readonly number[], refs?: RefCodec, path?: string, adopt = false): NdArray {
  const n = shape.reduce((p, d) => p * d, 1);
  const size = elementSize(dtype, path);
  if (bytes.byteLength < n * size) {
    throw new FormatError(`${path ? `${path}: ` : ""}${bytes.byteLength} bytes hold fewer than ${n} elements of ${size} bytes`, { path });
  }
  return new NdArray(decodeRun(bytes, 0, size, n, dtype, refs, path, adopt), shape, dtype);
}

function decodeRun(bytes: Uint8Array, at: number, stride: number, n: number, dtype: Dtype, refs: RefCodec | undefined, path?: string, adopt = false): ElementArray {
  if (dtype.kind === "numeric" && stride === NUMERIC_TABLE[dtype.name].itemsize) {
    const info = NUMERIC_TABLE[dtype.name];
    const lane = info.itemsize / info.lanes;
    const buf = bytes.buffer;
    if (adopt && buf instanceof ArrayBuffer && !needsSwap(dtype) && (bytes.byteOffset + at) % lane === 0) return new info.ctor(buf, bytes.byteOffset + at, n * info.lanes);
    const copy = bytes.slice(at, at + n * info.itemsize);
    if (needsSwap(dtype)) swapBytes(copy, info.itemsize / info.lanes);
    return new info.ctor(copy.buffer, 0, n * info.lanes);
  }
  const out = new Array<Scalar | CompoundRecord | null>(n);
  for (let i = 0; i < n; i++) out[i] = decodeScalarAt(bytes, at + i * stride, dtype, refs, path);
  return out as ElementArray;
}

function encodeRecordAt(out: Uint8Array, at: number, row: unknown, dtype: CompoundDtype, refs: RefCodec | undefined, path?: string): void {
  const rec = (row ?? {}) as CompoundRecord;
  for (const f of dtype.fields) encodeScalarAt(out, at + f.offset, rec[f.name] ?? null, f.dtype, refs, path);
}

function encodeScalarAt(out: Uint8Array, at: number, v: unknown, dt: Dtype, refs: RefCodec | undefined, path?: string): void {
  switch (dt.kind) {
    case "numeric": writeNumber(new DataView(out.buffer, out.byteOffset, out.byteLength), at, dt, v, path); return;
    case "string": writeFixedString(out, at, dt.length ?? 0, dt.unicodeFixed === true, v, dt.endian !== ">"); return;
    case "reference": {
      if (!refs) throw new InvalidInputError(`${path ? `${path}: ` : ""}references need an open file to encode`, { path });
      out.set(refBytes(v, refs, elementSize(dt), path), at);
      return;
    }
    case "compound": encodeRecordAt(out, at, v, dt, refs, path); return;
    case "object": throw new InvalidInputError(`${path ? `${path}: ` : ""}object data has no fixed byte layout`, { path });
  }
}

function decodeScalarAt(bytes: Uint8Array, at: number, dt: Dtype, refs: RefCodec | undefined, path?: string): Scalar | CompoundRecord | null {
  switch (dt.kind) {
    case "numeric": return readNumber(new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength), at, dt);
    case "string": return readFixedString(bytes, at, dt.length ?? 0, dt.unicodeFixed === true, dt.endian !== ">");
    case "reference": {
      if (!refs) throw new InvalidInputError(`${path ? `${path}: ` : ""}references need an open file to decode`, { path });
      const b = bytes.subarray(at, at + elementSize(dt));
      if (b.every((x) => x === 0)) return new ObjectReference("");
      try {
        return refs.decode(b);
      } catch (e) {
        // name the dataset holding the reference (the decoder knows only the file)
        if (path && e instanceof FormatError && !e.message.startsWith(path)) throw new FormatError(`${path}: ${e.message}`, { path, cause: e });
        throw e;
      }
    }
    case "compound": {
      const rec: Record<string, Scalar | CompoundRecord | null> = {};
      for (const f of dt.fields) rec[f.name] = decodeScalarAt(bytes, at + f.offset, f.dtype, refs, path);
      return rec as CompoundRecord;
    }
    case "object": throw new InvalidInputError(`${path ? `${path}: ` : ""}object data has no fixed byte layout`, { path });
  }
}

function refBytes(v: unknown, refs: RefCodec, size: number, path?: string): Uint8Array {
  if (v === null || v === undefined || v === "") return new Uint8Array(size);
  if (typeof v === "string") return refs.encode(new ObjectReference(v));
  if (isReference(v)) return v.kind === "object" && v.isNull ? new Uint8Array(size) : refs.encode(v);
  throw new InvalidInputError(`${path ? `${path}: ` : ""}expected a reference, got ${String(v)}`, { path });
}

function writeFixedString(out: Uint8Array, at: number, length: number, ucs4: boolean, v: unknown, le = true): void {
  if (ucs4) {
    const view = new DataView(out.buffer, out.byteOffset, out.byteLength);
    [...String(v ?? "")].slice(0, length).forEach((ch, k) => view.setUint32(at + k * 4, ch.codePointAt(0)!, le));
    return;
  }
  const bytes = typeof v === "string" ? utf8.encode(v) : v instanceof Uint8Array ? v : utf8.encode(String(v ?? ""));
  out.set(bytes.subarray(0, Math.max(1, length)), at);
}

function readFixedString(bytes: Uint8Array, at: number, length: number, ucs4: boolean, le = true): string {
  if (ucs4) {
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    let end = length;
    while (end > 0 && view.getUint32(at + (end - 1) * 4, le) === 0) end--;
    let s = "";
    for (let k = 0; k < end; k++) s += String.fromCodePoint(view.getUint32(at + k * 4, le));
    return s;
  }
  let end = at + Math.max(1, length);
  while (end > at && bytes[end - 1] === 0) end--;
  return utf8d.decode(bytes.subarray(at, end));
}

function writeNumber(view: DataView, at: number, d: NumericDtype, v: unknown, path?: string): void {
  const le = d.endian !== ">";
  if (v !== null && v !== undefined && typeof v !== "number" && typeof v !== "bigint" && typeof v !== "boolean") {
    throw new InvalidInputError(`${path ? `${path}: ` : ""}expected a number for ${d.name}, got ${String(v)}`, { path });
  }
  const x = v === null || v === undefined ? 0 : typeof v === "boolean" ? Number(v) : v;
  switch (d.name) {
    case "bool": case "uint8": view.setUint8(at, Number(x)); break;
    case "int8": view.setInt8(at, Number(x)); break;
    case "int16": view.setInt16(at, Number(x), le); break;
    case "uint16": view.setUint16(at, Number(x), le); break;
    case "float16": view.setUint16(at, numberToFloat16(Number(x)), le); break;
    case "int32": view.setInt32(at, Number(x), le); break;
    case "uint32": view.setUint32(at, Number(x), le); break;
    case "int64": view.setBigInt64(at, typeof x === "bigint" ? x : BigInt(Math.trunc(x)), le); break;
    case "uint64": view.setBigUint64(at, typeof x === "bigint" ? x : BigInt(Math.trunc(x)), le); break;
    case "float32": case "complex64": view.setFloat32(at, Number(x), le); break;
    case "float64": case "complex128": view.setFloat64(at, Number(x), le); break;
  }
}

function readNumber(view: DataView, at: number, d: NumericDtype): Scalar {
  const le = d.endian !== ">";
  switch (d.name) {
    case "bool": return view.getUint8(at) !== 0;
    case "uint8": return view.getUint8(at);
    case "int8": return view.getInt8(at);
    case "int16": return view.getInt16(at, le);
    case "uint16": return view.getUint16(at, le);
    case "float16": return float16ToNumber(view.getUint16(at, le));
    case "int32": return view.getInt32(at, le);
    case "uint32": return view.getUint32(at, le);
    case "int64": return view.getBigInt64(at, le);
    case "uint64": return view.getBigUint64(at, le);
    case "float32": case "complex64": return view.getFloat32(at, le);
    case "float64": case "complex128": return view.getFloat64(at, le);
  }
}
