/**
 * One chunk <-> its stored bytes: serialise the elements (numeric bytes in the stored byte
 * order, packed structured records, fixed strings, or object values through the object
 * codec), then run the bytes codecs in order; decoding reverses it and checks the size, so a
 * chunk of the wrong length is a FormatError naming its key, never a silently short array.
 */
import { FormatError, InvalidInputError } from "../../errors.js";
import { itemsize, NUMERIC_TABLE, type CompoundDtype, type Dtype, type NumericDtype, type TypedArray } from "../../data/dtype.js";
import { NdArray, type CompoundRecord, type ElementArray, type JsonValue, type Scalar } from "../../data/ndarray.js";
import { product } from "../../data/selection.js";
import type { ChunkContext, ObjectCodec, ObjectValue } from "../../codecs/codec.js";
import type { CodecPipeline } from "../../codecs/pipeline.js";

/** Converts elements of object-stored dtypes (references, compound rows with references). */
export interface ElementMapper {
  toStored(value: unknown, dtype: Dtype): ObjectValue;
  fromStored(value: ObjectValue, dtype: Dtype): unknown;
}

export const PLAIN_MAPPER: ElementMapper = {
  toStored: (v) => v as ObjectValue,
  fromStored: (v) => v,
};

const utf8 = new TextDecoder("utf-8");
const utf8enc = new TextEncoder();

/** Whether a dtype is stored as an object (`|O`) array in Zarr. */
export function isObjectStored(dtype: Dtype): boolean {
  if (dtype.kind === "string") return dtype.length === null;
  if (dtype.kind === "reference" || dtype.kind === "object") return true;
  if (dtype.kind === "compound") return dtype.fields.some((f) => isObjectStored(f.dtype));
  return false;
}

export class ChunkCodec {
  readonly #ctx: ChunkContext;
  readonly objectCodec: ObjectCodec | undefined;
  constructor(
    readonly dtype: Dtype,
    readonly chunkShape: readonly number[],
    /** The dataset's codecs in encode order (object codec first for object-stored dtypes). */
    readonly pipeline: CodecPipeline,
    readonly mapper: ElementMapper = PLAIN_MAPPER,
    readonly path = "",
    /** Zarr v3: non-text elements travel as JSON text through vlen-utf8. */
    readonly jsonText = false,
  ) {
    this.objectCodec = pipeline.objectCodec;
    if (isObjectStored(dtype) && !this.objectCodec) {
      throw new FormatError(`${path}: an object array needs an object codec (json2, vlen-utf8, ...)`, { path });
    }
    if (!isObjectStored(dtype) && this.objectCodec) {
      throw new FormatError(`${path}: object codec ${this.objectCodec.id} on a fixed-size dtype`, { path });
    }
    this.#ctx = {
      dtype: dtype.kind === "numeric" ? numpyStr(dtype) : "|O",
      itemsize: isObjectStored(dtype) ? 1 : itemsize(dtype),
      chunkShape,
    };
  }

  get context(): ChunkContext {
    return this.#ctx;
  }

  async encode(chunk: NdArray): Promise<Uint8Array> {
    if (this.objectCodec) return this.pipeline.encodeObjects(this.#toObjects(chunk), this.#ctx);
    const bytes = serialise(chunk, this.dtype);
    if (!this.pipeline.prefersWorkers) return this.pipeline.encodeChunk(bytes, this.#ctx);
    // wasm codecs (blosc, zstd, ...) run on the codec layer's worker pool, off this thread.
    for await (const out of this.pipeline.encodeMany([bytes], { concurrency: 1, ctx: this.#ctx })) return out;
    throw new FormatError(`${this.path}: encode produced nothing`, { path: this.path });
  }

  /** Decode stored bytes into a chunk-shaped array; `key` names the chunk in errors. */
  async decode(stored: Uint8Array, key: string): Promise<NdArray> {
    const n = product(this.chunkShape);
    if (this.objectCodec) {
      const values = await this.pipeline.decodeObjects(stored, this.#ctx);
      if (values.length !== n) {
        throw new FormatError(`chunk ${key} holds ${values.length} elements, expected ${n} (chunk shape [${this.chunkShape}])`, { path: key });
      }
      return new NdArray(this.#fromObjects(values), this.chunkShape, this.dtype);
    }
    let bytes: Uint8Array | undefined;
    if (this.pipeline.prefersWorkers) {
      for await (const out of this.pipeline.decodeMany([stored], { concurrency: 1, ctx: this.#ctx })) bytes = out;
    } else bytes = await this.pipeline.decodeChunk(stored, this.#ctx);
    const want = n * itemsize(this.dtype);
    if (!bytes || bytes.byteLength !== want) {
      throw new FormatError(`chunk ${key} decodes to ${bytes?.byteLength ?? 0} bytes, expected ${want} (chunk shape [${this.chunkShape}])`, { path: key });
    }
    return new NdArray(deserialise(bytes, this.dtype, n), this.chunkShape, this.dtype);
  }

  #toObjects(chunk: NdArray): ObjectValue[] {
    const values = this.#toObjectValues(chunk);
    if (!this.jsonText || this.dtype.kind === "string") return values;
    return values.map((v) => sortedJson(v));
  }

  #toObjectValues(chunk: NdArray): ObjectValue[] {
    const d = this.dtype;
    const src = chunk.data as unknown[];
    if (d.kind === "string") {
        const text = src.map((v) => (v === null || v === undefined ? "" : String(v)));
        return this.objectCodec?.id === "vlen-bytes" ? text.map((t) => utf8enc.encode(t)) : text;
      }
    if (d.kind === "compound") {
      return (src as CompoundRecord[]).map((rec) => d.fields.map((f) => fieldToObject(rec?.[f.name] ?? null, f.dtype, this.mapper)));
    }
    return src.map((v) => this.mapper.toStored(v, d));
  }

  #fromObjects(stored: ObjectValue[]): ElementArray {
    const d = this.dtype;
    const values = this.jsonText && d.kind !== "string" ? stored.map((v) => parseJsonText(v, this.path)) : stored;
    if (d.kind === "string") return values.map(objectToString);
    if (d.kind === "compound") {
      return values.map((row) => {
        const rec: Record<string, Scalar | null> = {};
        d.fields.forEach((f, i) => {
          const v = Array.isArray(row) ? row[i] : isPlainObject(row) ? row[f.name] : undefined;
          rec[f.name] = objectToField(v ?? null, f.dtype, this.mapper);
        });
        return rec;
      });
    }
    return values.map((v) => this.mapper.fromStored(v, d)) as JsonValue[];
  }
}

/** JSON text with sorted keys (Python's json.dumps(sort_keys=True, separators=(",", ":"))). */
export function sortedJson(v: unknown): string {
  if (v === null || typeof v !== "object") return typeof v === "bigint" ? v.toString() : JSON.stringify(v) ?? "null";
  if (Array.isArray(v)) return `[${v.map(sortedJson).join(",")}]`;
  const entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${JSON.stringify(k)}:${sortedJson(x)}`).join(",")}}`;
}

function parseJsonText(v: ObjectValue, path: string): ObjectValue {
  if (typeof v !== "string" || v === "") return null;
  try {
    return JSON.parse(v) as ObjectValue;
  } catch (e) {
    throw new FormatError(`${path}: element is not JSON text: ${v.slice(0, 40)}`, { path, cause: e });
  }
}

function isPlainObject(v: unknown): v is { readonly [k: string]: ObjectValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof Uint8Array);
}

function objectToString(v: ObjectValue): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return utf8.decode(v);
  if (v === null || v === 0) return ""; // zarr-python's object fill value is 0
  return String(v);
}

function fieldToObject(v: unknown, dtype: Dtype, mapper: ElementMapper): ObjectValue {
  if (dtype.kind === "reference" || dtype.kind === "object") return mapper.toStored(v, dtype);
  if (dtype.kind === "string") return v === null ? "" : String(v);
  if (typeof v === "boolean" || typeof v === "number" || typeof v === "bigint" || typeof v === "string" || v === null) {
    return typeof v === "bigint" && v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  }
  throw new InvalidInputError(`cannot store ${String(v)} in a field of type ${dtype.kind}`, { option: "data" });
}

function objectToField(v: ObjectValue, dtype: Dtype, mapper: ElementMapper): Scalar | null {
  if (dtype.kind === "reference" || dtype.kind === "object") return mapper.fromStored(v, dtype) as Scalar | null;
  if (dtype.kind === "string") return objectToString(v);
  if (dtype.kind === "numeric") {
    if (dtype.name === "int64" || dtype.name === "uint64") return typeof v === "bigint" ? v : BigInt(Number(v ?? 0));
    if (dtype.name === "bool") return Boolean(v);
    return typeof v === "bigint" ? Number(v) : (v as number);
  }
  return v as Scalar | null;
}

function numpyStr(d: NumericDtype): string {
  const info = NUMERIC_TABLE[d.name];
  return `${info.itemsize === 1 ? "|" : d.endian}${info.char}${info.itemsize}`;
}

const littleEndianHost = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

/** Elements -> stored bytes (fixed-size dtypes only). */
export function serialise(a: NdArray, dtype: Dtype): Uint8Array {
  if (dtype.kind === "numeric") {
    const t = a.data as TypedArray;
    const bytes = new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
    const lane = NUMERIC_TABLE[dtype.name].itemsize / NUMERIC_TABLE[dtype.name].lanes;
    if ((dtype.endian === ">") === littleEndianHost && lane > 1) return swapped(bytes, lane);
    return bytes;
  }
  if (dtype.kind === "string") return packFixedStrings(a.data as string[], dtype.length!, dtype.unicodeFixed === true);
  if (dtype.kind === "compound") return packRecords(a.data as CompoundRecord[], dtype);
  throw new InvalidInputError(`dtype ${dtype.kind} is not stored as fixed-size bytes`, { option: "dtype" });
}

/** Stored bytes -> elements (fixed-size dtypes only). */
export function deserialise(bytes: Uint8Array, dtype: Dtype, n: number): ElementArray {
  if (dtype.kind === "numeric") {
    const info = NUMERIC_TABLE[dtype.name];
    const lane = info.itemsize / info.lanes;
    const copy = (dtype.endian === ">") === littleEndianHost && lane > 1 ? swapped(bytes, lane) : bytes.slice();
    return new info.ctor(copy.buffer as ArrayBuffer, copy.byteOffset, n * info.lanes);
  }
  if (dtype.kind === "string") return unpackFixedStrings(bytes, dtype.length!, dtype.unicodeFixed === true, n);
  if (dtype.kind === "compound") return unpackRecords(bytes, dtype, n);
  throw new InvalidInputError(`dtype ${dtype.kind} is not stored as fixed-size bytes`, { option: "dtype" });
}

function swapped(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(src.length);
  for (let i = 0; i < src.length; i += size) for (let j = 0; j < size; j++) out[i + j] = src[i + size - 1 - j]!;
  return out;
}

function packFixedStrings(values: string[], length: number, ucs4: boolean, out?: Uint8Array, at = 0): Uint8Array {
  const size = ucs4 ? length * 4 : length;
  const buf = out ?? new Uint8Array(values.length * size);
  values.forEach((s, i) => {
    const base = at + i * size;
    if (ucs4) {
      const view = new DataView(buf.buffer, buf.byteOffset);
      [...s].slice(0, length).forEach((ch, k) => view.setUint32(base + k * 4, ch.codePointAt(0)!, true));
    } else buf.set(utf8enc.encode(s).subarray(0, size), base);
  });
  return buf;
}

function unpackFixedStrings(bytes: Uint8Array, length: number, ucs4: boolean, n: number, at = 0, stride?: number): string[] {
  const size = ucs4 ? length * 4 : length;
  const step = stride ?? size;
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: string[] = [];
  for (let i = 0; i < n; i++) {
    const base = at + i * step;
    if (ucs4) {
      let s = "";
      for (let k = 0; k < length; k++) {
        const cp = view.getUint32(base + k * 4, true);
        if (cp === 0) break;
        s += String.fromCodePoint(cp);
      }
      out.push(s);
    } else {
      let end = base + size;
      while (end > base && bytes[end - 1] === 0) end--;
      out.push(utf8.decode(bytes.subarray(base, end)));
    }
  }
  return out;
}

function packRecords(records: CompoundRecord[], dtype: CompoundDtype): Uint8Array {
  const buf = new Uint8Array(records.length * dtype.itemsize);
  const view = new DataView(buf.buffer);
  records.forEach((rec, i) => {
    for (const f of dtype.fields) {
      const at = i * dtype.itemsize + f.offset;
      const v = rec?.[f.name] ?? null;
      if (f.dtype.kind === "numeric") writeNumber(view, at, f.dtype, v);
      else if (f.dtype.kind === "string" && f.dtype.length !== null) packFixedStrings([v === null ? "" : String(v)], f.dtype.length, f.dtype.unicodeFixed === true, buf, at);
      else throw new InvalidInputError(`compound field ${f.name} of kind ${f.dtype.kind} needs an object codec`, { option: "dtype" });
    }
  });
  return buf;
}

function unpackRecords(bytes: Uint8Array, dtype: CompoundDtype, n: number): CompoundRecord[] {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const out: CompoundRecord[] = [];
  for (let i = 0; i < n; i++) {
    const rec: Record<string, Scalar | null> = {};
    for (const f of dtype.fields) {
      const at = i * dtype.itemsize + f.offset;
      if (f.dtype.kind === "numeric") rec[f.name] = readNumber(view, at, f.dtype);
      else if (f.dtype.kind === "string" && f.dtype.length !== null) rec[f.name] = unpackFixedStrings(bytes, f.dtype.length, f.dtype.unicodeFixed === true, 1, at)[0]!;
    }
    out.push(rec);
  }
  return out;
}

function writeNumber(view: DataView, at: number, d: NumericDtype, v: unknown): void {
  const le = d.endian !== ">";
  const num = typeof v === "boolean" ? Number(v) : v === null ? 0 : v;
  switch (d.name) {
    case "bool": case "uint8": view.setUint8(at, Number(num)); break;
    case "int8": view.setInt8(at, Number(num)); break;
    case "int16": view.setInt16(at, Number(num), le); break;
    case "uint16": case "float16": view.setUint16(at, Number(num), le); break;
    case "int32": view.setInt32(at, Number(num), le); break;
    case "uint32": view.setUint32(at, Number(num), le); break;
    case "int64": view.setBigInt64(at, BigInt(num as number | bigint), le); break;
    case "uint64": view.setBigUint64(at, BigInt(num as number | bigint), le); break;
    case "float32": case "complex64": view.setFloat32(at, Number(num), le); break;
    case "float64": case "complex128": view.setFloat64(at, Number(num), le); break;
  }
}

function readNumber(view: DataView, at: number, d: NumericDtype): Scalar {
  const le = d.endian !== ">";
  switch (d.name) {
    case "bool": return view.getUint8(at) !== 0;
    case "uint8": return view.getUint8(at);
    case "int8": return view.getInt8(at);
    case "int16": return view.getInt16(at, le);
    case "uint16": case "float16": return view.getUint16(at, le);
    case "int32": return view.getInt32(at, le);
    case "uint32": return view.getUint32(at, le);
    case "int64": return view.getBigInt64(at, le);
    case "uint64": return view.getBigUint64(at, le);
    case "float32": case "complex64": return view.getFloat32(at, le);
    case "float64": case "complex128": return view.getFloat64(at, le);
  }
}

