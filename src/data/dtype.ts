/**
 * Data types: one table maps each element type to its numpy typestr, Zarr v2 `dtype`,
 * Zarr v3 `data_type` and in-memory container.
 *
 * In memory, values live in the typed array of the same kind and width, little-endian
 * (the host order of every platform Node runs on). Byte order is a property of *storage*:
 * `Dtype.endian` says how the bytes are laid out on disk and codecs swap at the edge.
 *
 * - int64/uint64 use BigInt64Array/BigUint64Array: never rounded through `number`.
 * - bool is a Uint8Array of 0/1 (h5py stores it as an int8 enum, numpy as `|b1`).
 * - float16 is a Uint16Array of raw IEEE binary16 bits (Node 20 has no Float16Array);
 *   `float16ToNumber`/`numberToFloat16` convert. Keeping the bits keeps NaN payloads.
 * - complex64/128 are interleaved (re, im) Float32Array/Float64Array of length 2n.
 */
import { InvalidInputError } from "../errors.js";
import { collectableSharedBuffer } from "./shared-buffer.js";

/** The numeric element types, by numpy name. */
export type NumericName =
  | "bool"
  | "int8" | "int16" | "int32" | "int64"
  | "uint8" | "uint16" | "uint32" | "uint64"
  | "float16" | "float32" | "float64"
  | "complex64" | "complex128";

/** Storage byte order in numpy notation: `<` little-endian, `>` big-endian. */
export type Endian = "<" | ">";

/** A bool, integer, float or complex element type (also numpy datetime64/timedelta64 as int64). */
export interface NumericDtype {
  readonly kind: "numeric";
  readonly name: NumericName;
  /** Storage byte order; "<" for single-byte types. */
  readonly endian: Endian;
  /** numpy datetime64 (`M`) / timedelta64 (`m`) stored as int64 counts of `unit` ("s", "ns", "D", "10ms"...). */
  readonly datetime?: { readonly kind: "M" | "m"; readonly unit: string };
}

/** A text element type: variable-length, or fixed-length bytes (`S`) or UCS-4 characters (`U`). */
export interface StringDtype {
  readonly kind: "string";
  readonly encoding: "utf-8" | "ascii";
  /** Fixed length in bytes (HDF5 / numpy `S`) or characters (numpy `U`); null = variable length. */
  readonly length: number | null;
  /** numpy `U` (UCS-4) fixed strings; only meaningful with a fixed length. */
  readonly unicodeFixed?: boolean;
  /** Byte order of numpy `U` code points (default "<"). */
  readonly endian?: Endian;
}

/** An HDF5 object or region reference element (hdmf-zarr stores them as JSON objects). */
export interface ReferenceDtype {
  readonly kind: "reference";
  readonly refType: "object" | "region";
}

/** Zarr object arrays of arbitrary JSON values (numpy `|O` that are not strings or references). */
export interface ObjectDtype {
  readonly kind: "object";
}

/** One named field of a compound (structured) dtype. */
export interface CompoundField {
  readonly name: string;
  readonly dtype: Dtype;
  /** Byte offset inside one record as stored; derived when not given. */
  readonly offset: number;
}

/** A structured record type (HDF5 compound, numpy structured `V`): fields at byte offsets. */
export interface CompoundDtype {
  readonly kind: "compound";
  readonly fields: readonly CompoundField[];
  readonly itemsize: number;
}

/** The element type of a dataset or attribute, independent of the backend that stores it. */
export type Dtype = NumericDtype | StringDtype | ReferenceDtype | ObjectDtype | CompoundDtype;

/** The typed arrays that hold numeric values in memory (see {@link NumericInfo.ctor}). */
export type TypedArray =
  | Int8Array | Int16Array | Int32Array | BigInt64Array
  | Uint8Array | Uint16Array | Uint32Array | BigUint64Array
  | Float32Array | Float64Array;

/** The constructor of one of the {@link TypedArray} kinds. */
export type TypedArrayCtor =
  | Int8ArrayConstructor | Int16ArrayConstructor | Int32ArrayConstructor | BigInt64ArrayConstructor
  | Uint8ArrayConstructor | Uint16ArrayConstructor | Uint32ArrayConstructor | BigUint64ArrayConstructor
  | Float32ArrayConstructor | Float64ArrayConstructor;

/** One row of {@link NUMERIC_TABLE}: how a numeric type is spelled and held in memory. */
export interface NumericInfo {
  readonly name: NumericName;
  /** numpy kind character: b i u f c */
  readonly char: "b" | "i" | "u" | "f" | "c";
  readonly itemsize: number;
  readonly zarrV3: string;
  /** Elements of the in-memory array per logical element (2 for complex). */
  readonly lanes: 1 | 2;
  readonly ctor: TypedArrayCtor;
  /** hdmf spec dtype names that map here (first is canonical). */
  readonly specNames: readonly string[];
}

/** The one numeric type table: numpy kind and size, Zarr v3 name, in-memory container, hdmf spec names. */
export const NUMERIC_TABLE: Readonly<Record<NumericName, NumericInfo>> = {
  bool: { name: "bool", char: "b", itemsize: 1, zarrV3: "bool", lanes: 1, ctor: Uint8Array, specNames: ["bool"] },
  int8: { name: "int8", char: "i", itemsize: 1, zarrV3: "int8", lanes: 1, ctor: Int8Array, specNames: ["int8"] },
  int16: { name: "int16", char: "i", itemsize: 2, zarrV3: "int16", lanes: 1, ctor: Int16Array, specNames: ["int16", "short"] },
  int32: { name: "int32", char: "i", itemsize: 4, zarrV3: "int32", lanes: 1, ctor: Int32Array, specNames: ["int32", "int"] },
  int64: { name: "int64", char: "i", itemsize: 8, zarrV3: "int64", lanes: 1, ctor: BigInt64Array, specNames: ["int64", "long"] },
  uint8: { name: "uint8", char: "u", itemsize: 1, zarrV3: "uint8", lanes: 1, ctor: Uint8Array, specNames: ["uint8"] },
  uint16: { name: "uint16", char: "u", itemsize: 2, zarrV3: "uint16", lanes: 1, ctor: Uint16Array, specNames: ["uint16"] },
  uint32: { name: "uint32", char: "u", itemsize: 4, zarrV3: "uint32", lanes: 1, ctor: Uint32Array, specNames: ["uint32", "uint"] },
  uint64: { name: "uint64", char: "u", itemsize: 8, zarrV3: "uint64", lanes: 1, ctor: BigUint64Array, specNames: ["uint64"] },
  float16: { name: "float16", char: "f", itemsize: 2, zarrV3: "float16", lanes: 1, ctor: Uint16Array, specNames: ["float16"] },
  float32: { name: "float32", char: "f", itemsize: 4, zarrV3: "float32", lanes: 1, ctor: Float32Array, specNames: ["float32", "float"] },
  float64: { name: "float64", char: "f", itemsize: 8, zarrV3: "float64", lanes: 1, ctor: Float64Array, specNames: ["float64", "double"] },
  complex64: { name: "complex64", char: "c", itemsize: 8, zarrV3: "complex64", lanes: 2, ctor: Float32Array, specNames: ["complex64"] },
  complex128: { name: "complex128", char: "c", itemsize: 16, zarrV3: "complex128", lanes: 2, ctor: Float64Array, specNames: ["complex128"] },
};

const BY_CHAR_SIZE = new Map<string, NumericName>(
  Object.values(NUMERIC_TABLE).map((info) => [`${info.char}${info.itemsize}`, info.name]),
);

/** Shorthands. */
export const dtypes = {
  bool: numeric("bool"),
  int8: numeric("int8"), int16: numeric("int16"), int32: numeric("int32"), int64: numeric("int64"),
  uint8: numeric("uint8"), uint16: numeric("uint16"), uint32: numeric("uint32"), uint64: numeric("uint64"),
  float16: numeric("float16"), float32: numeric("float32"), float64: numeric("float64"),
  complex64: numeric("complex64"), complex128: numeric("complex128"),
  utf8: { kind: "string", encoding: "utf-8", length: null } as StringDtype,
  ascii: { kind: "string", encoding: "ascii", length: null } as StringDtype,
  objectRef: { kind: "reference", refType: "object" } as ReferenceDtype,
  regionRef: { kind: "reference", refType: "region" } as ReferenceDtype,
  object: { kind: "object" } as ObjectDtype,
} as const;

/** A numeric dtype; an unknown name is an InvalidInputError. Single-byte types are always `<`. */
export function numeric(name: NumericName, endian: Endian = "<"): NumericDtype {
  if (!(name in NUMERIC_TABLE)) throw new InvalidInputError(`unknown numeric dtype "${name}"`, { option: "dtype" });
  return { kind: "numeric", name, endian: NUMERIC_TABLE[name].itemsize === 1 ? "<" : endian };
}

/** numpy datetime64 (`M`) / timedelta64 (`m`): int64 counts of `unit`, the unit kept. */
export function datetime64(kind: "M" | "m", unit: string, endian: Endian = "<"): NumericDtype {
  return { kind: "numeric", name: "int64", endian, datetime: { kind, unit } };
}

/** A fixed-length string dtype of `length` bytes (numpy `S`, HDF5 fixed string). */
export function fixedString(length: number, encoding: "utf-8" | "ascii" = "ascii"): StringDtype {
  if (!Number.isInteger(length) || length < 0) {
    throw new InvalidInputError(`fixed string length must be a non-negative integer, got ${length}`, { option: "dtype" });
  }
  return { kind: "string", encoding, length };
}

/** Build a compound dtype; offsets are packed in declaration order unless given. */
export function compound(fields: ReadonlyArray<{ name: string; dtype: Dtype; offset?: number }>): CompoundDtype {
  let offset = 0;
  const out: CompoundField[] = [];
  const seen = new Set<string>();
  for (const f of fields) {
    if (seen.has(f.name)) throw new InvalidInputError(`duplicate compound field "${f.name}"`, { option: "dtype" });
    seen.add(f.name);
    const at = f.offset ?? offset;
    out.push({ name: f.name, dtype: f.dtype, offset: at });
    offset = Math.max(offset, at + itemsize(f.dtype));
  }
  return { kind: "compound", fields: out, itemsize: offset };
}

/**
 * Stored size of one element in bytes. Variable-length strings, references and objects
 * have no fixed size in Zarr; for HDF5 layout they are 16 (vlen) / 8 (object ref) / 12 (region ref).
 */
export function itemsize(dtype: Dtype): number {
  switch (dtype.kind) {
    case "numeric": return NUMERIC_TABLE[dtype.name].itemsize;
    case "string":
      if (dtype.length === null) return 16;
      return dtype.unicodeFixed ? dtype.length * 4 : dtype.length;
    case "reference": return dtype.refType === "object" ? 8 : 12;
    case "object": return 16;
    case "compound": return dtype.itemsize;
  }
}

/** True for bool, integer, float and complex dtypes. */
export function isNumeric(dtype: Dtype): dtype is NumericDtype {
  return dtype.kind === "numeric";
}

/** The {@link NUMERIC_TABLE} row of a numeric dtype. */
export function numericInfo(dtype: NumericDtype): NumericInfo {
  return NUMERIC_TABLE[dtype.name];
}

/** True for int64 and uint64, whose values are `bigint` (BigInt64Array / BigUint64Array). */
export function isBigIntDtype(dtype: Dtype): boolean {
  return dtype.kind === "numeric" && (dtype.name === "int64" || dtype.name === "uint64");
}

/** Same element type and storage byte order (numpy typestr and field layout both match). */
export function dtypeEquals(a: Dtype, b: Dtype): boolean {
  return toNumpyTypestr(a) === toNumpyTypestr(b) && describeDtype(a) === describeDtype(b);
}

/** numpy `dtype.str` for simple types; compound gives the JSON `descr` form as a string. */
export function toNumpyTypestr(dtype: Dtype): string {
  switch (dtype.kind) {
    case "numeric": {
      const info = NUMERIC_TABLE[dtype.name];
      const order = info.itemsize === 1 ? "|" : dtype.endian;
      if (dtype.datetime) return `${order}${dtype.datetime.kind}8[${dtype.datetime.unit}]`;
      return `${order}${info.char}${info.itemsize}`;
    }
    case "string":
      if (dtype.length === null) return "|O";
      return dtype.unicodeFixed ? `${dtype.endian ?? "<"}U${dtype.length}` : `|S${dtype.length}`;
    case "reference":
    case "object":
      return "|O";
    case "compound":
      return JSON.stringify(toZarrV2Dtype(dtype));
  }
}

/** A Zarr v2 `.zarray` `dtype`: a typestr, or a list of [name, typestr] for structured types. */
export type ZarrV2Dtype = string | Array<[string, ZarrV2Dtype] | [string, ZarrV2Dtype, number[]]>;

/** The `.zarray` `dtype` of a dtype: a numpy typestr, or a field list for compound types. */
export function toZarrV2Dtype(dtype: Dtype): ZarrV2Dtype {
  if (dtype.kind === "compound") return dtype.fields.map((f) => [f.name, toZarrV2Dtype(f.dtype)] as [string, ZarrV2Dtype]);
  return toNumpyTypestr(dtype);
}

/** The dtype of a Zarr v3 core `data_type` name (or `string`); unknown names are an InvalidInputError. */
export function fromZarrV3DataType(name: string): Dtype {
  if (name === "string") return dtypes.utf8;
  const hit = Object.values(NUMERIC_TABLE).find((i) => i.zarrV3 === name);
  if (!hit) throw new InvalidInputError(`unknown Zarr v3 data_type "${name}"`, { option: "data_type" });
  return numeric(hit.name);
}

/** A short human name: "int64", "string:utf-8:vlen", "ref:object", "compound{a:int32,b:float64}". */
export function describeDtype(dtype: Dtype): string {
  switch (dtype.kind) {
    case "numeric": return dtype.endian === ">" && NUMERIC_TABLE[dtype.name].itemsize > 1 ? `${dtype.name}(big-endian)` : dtype.name;
    case "string": return `string:${dtype.encoding}:${dtype.length === null ? "vlen" : `fixed${dtype.length}`}`;
    case "reference": return `ref:${dtype.refType}`;
    case "object": return "object";
    case "compound": return `compound{${dtype.fields.map((f) => `${f.name}:${describeDtype(f.dtype)}`).join(",")}}`;
  }
}

const TYPESTR = /^([<>|=]?)([biufcSUOVaMm])(\d*)(?:\[(\d*[a-zA-Z]+)\])?$/;

/**
 * Parse any dtype spelling users bring: numpy typestrs (`<i8`, `|b1`, `>f4`, `<U5`, `|S3`, `|O`),
 * numpy/hdmf names (`int64`, `float`, `text`, `utf8`, `ascii`, `bool`, `object`), Zarr v2
 * structured lists, or a Dtype object (returned as is).
 */
export function parseDtype(spec: string | ZarrV2Dtype | Dtype): Dtype {
  if (typeof spec === "object" && !Array.isArray(spec)) return spec;
  if (Array.isArray(spec)) {
    return compound(spec.map((entry) => {
      if (!Array.isArray(entry) || typeof entry[0] !== "string") {
        throw new InvalidInputError(`bad structured dtype entry ${JSON.stringify(entry)}`, { option: "dtype" });
      }
      if (entry.length === 3) {
        throw new InvalidInputError(`sub-array fields are not supported (${entry[0]})`, { option: "dtype" });
      }
      return { name: entry[0], dtype: parseDtype(entry[1]) };
    }));
  }
  const s = spec.trim();
  const named = byName(s);
  if (named) return named;
  const m = TYPESTR.exec(s);
  if (!m) throw new InvalidInputError(`unknown dtype "${spec}"`, { option: "dtype" });
  const [, order, char, digits, unit] = m;
  const size = digits === "" ? NaN : Number(digits);
  const endian: Endian = order === ">" ? ">" : "<";
  if (unit !== undefined && char !== "M" && char !== "m") throw new InvalidInputError(`unknown dtype "${spec}"`, { option: "dtype" });
  switch (char) {
    case "O": return dtypes.object;
    case "S": case "a": return fixedString(Number.isNaN(size) ? 0 : size, "ascii");
    case "U": return { kind: "string", encoding: "utf-8", length: Number.isNaN(size) ? 0 : size, unicodeFixed: true, ...(endian === ">" ? { endian } : {}) };
    case "M": case "m":
      if (size !== 8 || unit === undefined) throw new InvalidInputError(`unsupported dtype "${spec}" (datetime64/timedelta64 need a unit)`, { option: "dtype" });
      return datetime64(char, unit, endian);
    default: {
      const name = BY_CHAR_SIZE.get(`${char}${digits}`);
      if (!name) throw new InvalidInputError(`unsupported dtype "${spec}"`, { option: "dtype" });
      return numeric(name, endian);
    }
  }
}

function byName(s: string): Dtype | undefined {
  const lower = s.toLowerCase();
  for (const info of Object.values(NUMERIC_TABLE)) {
    if (info.specNames.includes(lower) || info.name === lower) return numeric(info.name);
  }
  switch (lower) {
    case "text": case "utf": case "utf8": case "utf-8": case "str": case "string": case "isodatetime": case "datetime":
      return dtypes.utf8;
    case "ascii": case "bytes": return dtypes.ascii;
    case "object": return dtypes.object;
    case "numeric": return numeric("float64");
    default: return undefined;
  }
}

/** The typed-array constructor that holds values of a numeric dtype in memory. */
export function typedArrayCtor(dtype: NumericDtype): TypedArrayCtor {
  return NUMERIC_TABLE[dtype.name].ctor;
}

/** Allocate a zeroed in-memory container for `count` elements of a numeric dtype (over a SharedArrayBuffer when `shared`). */
export function allocateNumeric(dtype: NumericDtype, count: number, shared = false): TypedArray {
  const info = NUMERIC_TABLE[dtype.name];
  // the lib types of BigInt64Array/BigUint64Array take only an ArrayBuffer; the runtime takes a SharedArrayBuffer too
  if (shared) return new info.ctor(collectableSharedBuffer(count * info.itemsize) as unknown as ArrayBuffer);
  return new info.ctor(count * info.lanes);
}

/** Guess a dtype from a JS value or container, as h5py / numpy would for the same data. */
export function guessDtype(value: unknown): Dtype {
  if (value instanceof Float64Array) return dtypes.float64;
  if (value instanceof Float32Array) return dtypes.float32;
  if (value instanceof BigInt64Array) return dtypes.int64;
  if (value instanceof BigUint64Array) return dtypes.uint64;
  if (value instanceof Int32Array) return dtypes.int32;
  if (value instanceof Int16Array) return dtypes.int16;
  if (value instanceof Int8Array) return dtypes.int8;
  if (value instanceof Uint32Array) return dtypes.uint32;
  if (value instanceof Uint16Array) return dtypes.uint16;
  if (value instanceof Uint8Array) return dtypes.uint8;
  if (typeof value === "boolean") return dtypes.bool;
  if (typeof value === "bigint") return dtypes.int64;
  if (typeof value === "number") return Number.isInteger(value) ? dtypes.int64 : dtypes.float64;
  if (typeof value === "string") return dtypes.utf8;
  if (Array.isArray(value)) {
    if (value.length === 0) return dtypes.float64;
    const kinds = value.map((v) => guessDtype(v));
    if (kinds.every((k) => k.kind === "numeric" && k.name === "bool")) return dtypes.bool;
    if (kinds.every((k) => k.kind === "string")) return dtypes.utf8;
    if (kinds.every((k) => k.kind === "numeric" && k.name !== "bool")) {
      return kinds.some((k) => k.kind === "numeric" && k.name === "float64") ? dtypes.float64 : kinds[0]!;
    }
    return kinds[0]!;
  }
  throw new InvalidInputError(`cannot guess a dtype for ${Object.prototype.toString.call(value)}`, { option: "dtype" });
}

// ---- float16 <-> number (IEEE 754 binary16), bit-exact for every finite value ----

const f32 = new Float32Array(1);
const u32 = new Uint32Array(f32.buffer);

/** Decode IEEE 754 binary16 bits (as stored in a float16 Uint16Array) to a number, exactly. */
export function float16ToNumber(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exp = (bits >> 10) & 0x1f;
  const frac = bits & 0x3ff;
  if (exp === 0) return sign * frac * 2 ** -24;
  if (exp === 0x1f) return frac ? NaN : sign * Infinity;
  return sign * (1 + frac / 1024) * 2 ** (exp - 15);
}

/** Round-to-nearest-even conversion, as numpy's `astype(float16)`. */
export function numberToFloat16(value: number): number {
  f32[0] = value;
  const x = u32[0]!;
  const sign = (x >>> 16) & 0x8000;
  const exp = (x >>> 23) & 0xff;
  let mant = x & 0x7fffff;
  if (exp === 0xff) return sign | 0x7c00 | (mant ? 0x200 | (mant >>> 13) : 0);
  const e = exp - 127 + 15;
  if (e >= 0x1f) return sign | 0x7c00;
  if (e <= 0) {
    if (e < -10) return sign;
    mant |= 0x800000;
    const shift = 14 - e;
    let half = mant >>> shift;
    const rem = mant & ((1 << shift) - 1);
    const mid = 1 << (shift - 1);
    if (rem > mid || (rem === mid && (half & 1))) half++;
    return sign | half;
  }
  let out = sign | (e << 10) | (mant >>> 13);
  const rem = mant & 0x1fff;
  if (rem > 0x1000 || (rem === 0x1000 && (out & 1))) out++;
  return out;
}
