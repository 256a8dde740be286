/**
 * One chunk <-> its stored bytes, for both backends: serialise the elements (the one element
 * serialiser, src/data/element-bytes.ts, for fixed-size types; the object codec for Zarr's
 * object-stored types: vlen strings, references, compounds with references), then run the
 * dataset's CodecPipeline, on the codec worker pool when its codecs would block this thread.
 * HDF5 pipelines keep HDF5's rules: an optional filter may decline a chunk (its filter-mask bit
 * is set) and decoding skips the filters the mask names. Decoding checks the size, so a chunk
 * of the wrong length is a FormatError naming it, never a silently short array.
 */
import { FormatError, InvalidInputError } from "../../errors.js";
import { NUMERIC_TABLE, type Dtype, type NumericDtype } from "../../data/dtype.js";
import { NdArray, type CompoundRecord, type ElementArray, type JsonValue, type Scalar } from "../../data/ndarray.js";
import { product } from "../../data/selection.js";
import { decodeElements, elementSize, encodeElements, isFixedSize, storesHostBytes, type RefCodec } from "../../data/element-bytes.js";
import type { ChunkContext, ObjectCodec, ObjectValue } from "../../codecs/codec.js";
import type { CodecPipeline } from "../../codecs/pipeline.js";
import type { DecodeTarget } from "../../codecs/decode-target.js";
import type { StoredChunk } from "./chunk-store.js";

/** Converts elements of object-stored dtypes (references, compound rows with references). */
export interface ElementMapper {
  toStored(value: unknown, dtype: Dtype): ObjectValue;
  fromStored(value: ObjectValue, dtype: Dtype): unknown;
}

/**
 * Zarr v3 unified convention: the chunks hold records of another layout than the dataset's
 * dtype (text and reference fields as fixed UTF-32 strings); converted on the way in and out.
 */
export interface RecordLayout {
  readonly stored: Dtype;
  toStored(chunk: NdArray): NdArray;
  fromStored(chunk: NdArray): NdArray;
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

export interface ChunkCodecOptions {
  readonly dtype: Dtype;
  readonly chunkShape: readonly number[];
  /** The dataset's codecs in encode order (object codec first for object-stored dtypes). */
  readonly pipeline: CodecPipeline;
  /** Zarr: how object-stored elements (references) become stored values. */
  readonly mapper?: ElementMapper;
  /** HDF5: how references become their 8-byte stored form. */
  readonly refs?: RefCodec;
  /** HDF5 filter semantics (filter masks, chunks may decode longer than needed). */
  readonly hdf5?: boolean;
  /** Zarr v3 (legacy hdmf-ts layout): non-text elements travel as JSON text through vlen-utf8. */
  readonly jsonText?: boolean;
  /** Records stored in another layout (compound-v3.ts). */
  readonly layout?: RecordLayout;
  /** Names the dataset in errors. */
  readonly path?: string;
  /** Zarr v2 order "F" of an object-stored dtype: the object codec reorders its items (ChunkContext.order). */
  readonly order?: "C" | "F";
}

export class ChunkCodec {
  readonly #ctx: ChunkContext;
  readonly objectCodec: ObjectCodec | undefined;
  readonly dtype: Dtype;
  readonly chunkShape: readonly number[];
  readonly pipeline: CodecPipeline;
  readonly mapper: ElementMapper;
  readonly path: string;
  readonly jsonText: boolean;
  readonly #refs: RefCodec | undefined;
  readonly #hdf5: boolean;
  readonly #layout: RecordLayout | undefined;
  /** The dtype of the bytes in a chunk (the stored record layout, else the dtype). */
  readonly #bytesDtype: Dtype;

  constructor(o: ChunkCodecOptions) {
    const { dtype, chunkShape, pipeline } = o;
    const path = o.path ?? "";
    this.dtype = dtype;
    this.chunkShape = chunkShape;
    this.pipeline = pipeline;
    this.mapper = o.mapper ?? PLAIN_MAPPER;
    this.path = path;
    this.jsonText = o.jsonText ?? false;
    this.#refs = o.refs;
    this.#hdf5 = o.hdf5 ?? false;
    this.#layout = o.layout;
    const bytesDtype = o.layout?.stored ?? dtype;
    this.#bytesDtype = bytesDtype;
    this.objectCodec = pipeline.objectCodec;
    // HDF5 stores references as fixed-size elements and vlen data in the core, never as objects.
    if (!this.#hdf5 && isObjectStored(bytesDtype) && !this.objectCodec) {
      throw new FormatError(`${path}: an object array needs an object codec (json2, vlen-utf8, ...)`, { path });
    }
    if (!isObjectStored(bytesDtype) && this.objectCodec) {
      throw new FormatError(`${path}: object codec ${this.objectCodec.id} on a fixed-size dtype`, { path });
    }
    this.#ctx = this.#hdf5
      ? { itemsize: elementSize(bytesDtype, path), chunkShape }
      : { dtype: bytesDtype.kind === "numeric" ? numpyStr(bytesDtype) : "|O", itemsize: isObjectStored(bytesDtype) ? 1 : elementSize(bytesDtype, path), chunkShape, ...(o.order ? { order: o.order } : {}) };
  }

  get context(): ChunkContext {
    return this.#ctx;
  }

  /**
   * Encode one chunk-shaped array. `disposable`: the caller made `chunk` for this encode and never
   * reads it again, so its buffer may go to a codec worker (detached) instead of being copied.
   */
  async encode(chunk: NdArray, disposable = false): Promise<StoredChunk> {
    if (this.objectCodec) return { bytes: await this.pipeline.encodeObjects(this.#toObjects(chunk), this.#ctx), filterMask: 0 };
    const stored = this.#layout ? this.#layout.toStored(chunk) : chunk;
    const bytes = encodeElements(stored, this.#bytesDtype, this.#refs, this.path);
    if (!this.pipeline.prefersWorkers("encode", bytes.byteLength)) {
      return this.#hdf5 ? this.pipeline.encodeChunkHdf5(bytes, this.#ctx) : { bytes: await this.pipeline.encodeChunk(bytes, this.#ctx), filterMask: 0 };
    }
    // wasm codecs (blosc, zstd, ...) run on the codec layer's worker pool, off this thread.
    const item = { data: bytes, owned: disposable };
    const many = this.#hdf5 ? this.pipeline.encodeManyHdf5([item], { concurrency: 1, ctx: this.#ctx }) : this.pipeline.encodeMany([item], { concurrency: 1, ctx: this.#ctx });
    for await (const out of many) return out instanceof Uint8Array ? { bytes: out, filterMask: 0 } : out;
    throw new FormatError(`${this.path}: encode produced nothing`, { path: this.path });
  }

  /**
   * Decode a stored chunk into a chunk-shaped array. `where` names the chunk in errors: a store
   * key ("/x/0.1", then also the error's path) or grid coordinates ("[0,1]").
   */
  async decode(stored: StoredChunk, where: string): Promise<NdArray> {
    const n = product(this.chunkShape);
    const path = where.startsWith("/") ? where : this.path;
    if (this.objectCodec) {
      const values = await this.pipeline.decodeObjects(stored.bytes, this.#ctx);
      if (values.length !== n) {
        throw new FormatError(`${this.path}: chunk ${where} holds ${values.length} elements, expected ${n} (chunk shape [${this.chunkShape}])`, { path });
      }
      return new NdArray(this.#fromObjects(values), this.chunkShape, this.dtype);
    }
    const mask = stored.filterMask;
    let bytes: Uint8Array | undefined;
    if (this.pipeline.prefersWorkers("decode", this.#chunkBytes)) {
      for await (const out of this.pipeline.decodeMany([{ data: stored.bytes, filterMask: mask, owned: stored.disposable }], { concurrency: 1, ctx: this.#ctx })) bytes = out;
    } else bytes = this.#hdf5 ? await this.pipeline.decodeChunkHdf5(stored.bytes, mask, this.#ctx) : await this.pipeline.decodeChunk(stored.bytes, this.#ctx);
    this.#checkLength(bytes?.byteLength ?? 0, where);
    // a decoder's output is ours to keep (no view of the stored bytes survives a real codec)
    const fresh = bytes!.buffer !== stored.bytes.buffer;
    const decoded = decodeElements(bytes!, this.#bytesDtype, this.chunkShape, this.#refs, this.path, fresh);
    return this.#layout ? this.#layout.fromStored(decoded) : decoded;
  }

  /**
   * Whether {@link decodeInto} applies: the codecs run on the worker pool and the chunk's bytes
   * are the elements' in-memory bytes (numbers in host byte order; no record layout, no object
   * codec, no references).
   */
  get decodesInto(): boolean {
    return this.pipeline.prefersWorkers("decode", this.#chunkBytes) && !this.objectCodec && !this.#layout && storesHostBytes(this.#bytesDtype);
  }

  /**
   * Decode a stored chunk and copy its `chunkSel` box into the `sel` box of a numeric output over a
   * SharedArrayBuffer (a codec worker does the copy; see {@link decodesInto}). Same size check and
   * errors as {@link decode}.
   */
  async decodeInto(stored: StoredChunk, where: string, out: Omit<DecodeTarget, "chunkShape" | "elementSize">): Promise<void> {
    const target: DecodeTarget = { ...out, chunkShape: this.chunkShape, elementSize: elementSize(this.#bytesDtype, this.path) };
    this.#checkLength(await this.pipeline.decodeInto(stored.bytes, stored.filterMask, target, this.#ctx, stored.disposable), where);
  }

  /** A whole chunk's stored element bytes (unbounded for variable-size elements). */
  get #chunkBytes(): number {
    return isFixedSize(this.#bytesDtype) ? product(this.chunkShape) * elementSize(this.#bytesDtype, this.path) : Infinity;
  }

  /** A decoded chunk of `got` bytes must hold the whole chunk (HDF5 filters may return more). */
  #checkLength(got: number, where: string): void {
    const want = product(this.chunkShape) * elementSize(this.#bytesDtype, this.path);
    if (got < want || (!this.#hdf5 && got !== want)) {
      const path = where.startsWith("/") ? where : this.path;
      throw new FormatError(`${this.path}: chunk ${where} decodes to ${got} bytes, expected ${want} (chunk shape [${this.chunkShape}])`, { path });
    }
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
