/**
 * Zarr v2 array metadata (`.zarray`) as zarr-python 2 writes it for hdmf-zarr 0.6, and the
 * `zarr_dtype` attribute hdmf-zarr adds to every dataset (backend.py __serial_dtype__,
 * __scalar_fill__, __setup_chunked_dataset__).
 */
import { FormatError } from "../../errors.js";
import { compound, dtypes, itemsize, numeric, parseDtype, toZarrV2Dtype, NUMERIC_TABLE, type Dtype, type ZarrV2Dtype } from "../../data/dtype.js";
import type { CodecConfig } from "../../data/codec-config.js";
import type { CompoundRecord, FillValue, Scalar } from "../../data/ndarray.js";
import { decodeElements, elementSize } from "../../data/element-bytes.js";
import { isObjectCodecId } from "./codec-bridge.js";
import { isObjectStored } from "../engine/chunk-codec.js";
import { gridProblem, type ArrayMeta, type JsonDoc } from "./array-meta.js";
import { describeJson, isJsonObject, PyFloat, toPlainJson, type PyJsonValue } from "../../data/py-json.js";

export interface ZarrayInput {
  readonly path: string;
  readonly shape: readonly number[];
  readonly chunks: readonly number[];
  readonly dtype: Dtype;
  readonly fill: Scalar | null | undefined;
  readonly filters: readonly CodecConfig[] | null;
  readonly compressor: CodecConfig | null;
  /** hdmf-zarr's iterator datasets carry `dimension_separator: "."` (create_dataset); others omit it. */
  readonly dimensionSeparator?: "." | "/";
}

/** The stored numpy dtype: object-stored kinds are `|O`, compound with object fields too. */
export function storedV2Dtype(dtype: Dtype): ZarrV2Dtype {
  if (dtype.kind === "compound" && isObjectStored(dtype)) return "|O";
  return toZarrV2Dtype(dtype);
}

export function buildZarray(input: ZarrayInput): JsonDoc {
  const doc: JsonDoc = {
    chunks: [...input.chunks],
    compressor: input.compressor as PyJsonValue,
    dtype: storedV2Dtype(input.dtype) as PyJsonValue,
    fill_value: encodeFillV2(input.dtype, input.fill),
    filters: input.filters ? (input.filters as unknown as PyJsonValue[]) : null,
    order: "C",
    shape: [...input.shape],
    zarr_format: 2,
  };
  if (input.dimensionSeparator) doc.dimension_separator = input.dimensionSeparator;
  return doc;
}

/** zarr-python 2 meta.encode_fill_value: NaN/inf as strings, floats as floats, objects as 0. */
export function encodeFillV2(dtype: Dtype, fill: Scalar | null | undefined): PyJsonValue {
  if (isObjectStored(dtype)) return 0;
  if (dtype.kind === "numeric") {
    const info = NUMERIC_TABLE[dtype.name];
    if (dtype.name === "bool") return Boolean(fill ?? false);
    if (info.char === "f" || info.char === "c") {
      const v = fill === null || fill === undefined ? 0 : Number(fill);
      if (Number.isNaN(v)) return "NaN";
      if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
      return new PyFloat(v);
    }
    if (fill === null || fill === undefined) return 0;
    return typeof fill === "bigint" ? (Number.isSafeInteger(Number(fill)) ? Number(fill) : fill) : Number(fill);
  }
  if (dtype.kind === "string" || dtype.kind === "compound") {
    // Fixed strings / structured: base64 of the fill element's bytes (all zero by default).
    const size = dtype.kind === "compound" ? dtype.itemsize : dtype.unicodeFixed ? dtype.length! * 4 : dtype.length!;
    return Buffer.alloc(size).toString("base64");
  }
  return null;
}

/**
 * The fill value of a `.zarray` as zarr-python 2 spells it (meta.decode_fill_value): null, a
 * bool for bool, a number or "NaN"/"Infinity"/"-Infinity" for floats, [re, im] for complex,
 * an integer for ints, base64 text for fixed strings and structured dtypes. Object arrays
 * ignore it (zarr-python writes 0). Anything else is a FormatError naming the array.
 */
export function decodeFillV2(dtype: Dtype, raw: PyJsonValue | undefined, path: string): FillValue {
  if (raw === null || raw === undefined || isObjectStored(dtype)) return dtype.kind === "string" ? "" : null;
  const wrong = (): never => fail(path, `fill_value ${describeJson(raw)} does not fit dtype ${JSON.stringify(storedV2Dtype(dtype))}`);
  if (dtype.kind === "numeric") {
    const info = NUMERIC_TABLE[dtype.name];
    const v = raw instanceof PyFloat ? raw.value : raw;
    if (dtype.name === "bool") return typeof v === "boolean" || v === 0 || v === 1 ? Boolean(v) : wrong();
    if (info.char === "c" && Array.isArray(raw)) {
      if (raw.length !== 2) return wrong();
      const part = (x: PyJsonValue | undefined) => decodeFillV2({ ...dtype, name: "float64" }, x, path) as number;
      return [part(raw[0]), part(raw[1])];
    }
    if (info.char === "f" || info.char === "c") {
      if (v === "NaN") return NaN;
      if (v === "Infinity") return Infinity;
      if (v === "-Infinity") return -Infinity;
      if (typeof v === "bigint") return Number(v);
      return typeof v === "number" ? v : wrong();
    }
    if (typeof v !== "number" && typeof v !== "bigint") return wrong();
    if (dtype.name === "int64" || dtype.name === "uint64") return typeof v === "bigint" ? v : BigInt(Math.trunc(v));
    return typeof v === "bigint" ? Number(v) : Math.trunc(v);
  }
  if (typeof raw !== "string" && raw !== 0) return wrong();
  // fixed strings and structured dtypes: base64 of the fill element's bytes (0: zero bytes)
  if (typeof raw !== "string" || raw === "") return dtype.kind === "string" ? "" : null;
  if (dtype.kind === "string" && dtype.unicodeFixed) return raw; // zarr-python 2 keeps `U` fills as text
  const size = elementSize(dtype, path);
  const given = new Uint8Array(Buffer.from(raw, "base64"));
  if (given.byteLength > size || (dtype.kind !== "string" && given.byteLength !== size)) return wrong();
  const bytes = new Uint8Array(size);
  bytes.set(given); // numpy `S` fills are stored without their NUL padding
  if (bytes.every((b) => b === 0)) return dtype.kind === "string" ? "" : null;
  return decodeElements(bytes, dtype, [1], undefined, path).data[0] as Scalar | CompoundRecord;
}

/** hdmf-zarr's zarr_dtype for a dataset written from values (numpy/python type names). */
export function zarrDtypeName(dtype: Dtype, specName?: string): PyJsonValue {
  switch (dtype.kind) {
    case "numeric":
      if (specName === "float" || specName === "int") return specName; // python float/int, as hdmf-zarr writes them
      return dtype.name;
    case "string": return dtype.encoding === "ascii" ? "bytes" : "str";
    case "reference": return dtype.refType === "region" ? "region" : "object";
    case "object": return "object";
    case "compound":
      return dtype.fields.map((f) => ({ name: f.name, dtype: zarrDtypeName(f.dtype) }));
  }
}

function fail(path: string, why: string): never {
  throw new FormatError(`${path}/.zarray: ${why}`, { path });
}

function intList(doc: JsonDoc, key: string, path: string): number[] {
  const v = doc[key];
  if (Array.isArray(v) && v.some((x) => typeof x === "bigint" || (typeof x === "number" && Number.isInteger(x) && !Number.isSafeInteger(x)))) {
    return fail(path, `"${key}" ${describeJson(v)} has an extent beyond 2^53 - 1`);
  }
  if (!Array.isArray(v) || v.some((x) => typeof x !== "number" || !Number.isSafeInteger(x) || x < 0)) {
    return fail(path, `"${key}" must be a list of non-negative integers, got ${describeJson(v)}`);
  }
  return v as number[];
}

/**
 * Parse a `.zarray` document plus the node's attributes (for zarr_dtype) into ArrayMeta.
 * Missing or ill-typed required fields are FormatErrors naming the array.
 */
export function parseZarray(doc: PyJsonValue, attrs: JsonDoc, path: string): ArrayMeta {
  if (!isJsonObject(doc)) return fail(path, "not a JSON object");
  if (doc.zarr_format !== 2) fail(path, `zarr_format must be 2, got ${describeJson(doc.zarr_format)}`);
  for (const k of ["shape", "chunks", "dtype", "compressor", "fill_value", "order", "filters"]) {
    if (!(k in doc)) fail(path, `missing required field "${k}"`);
  }
  const shape = intList(doc, "shape", path);
  const chunks = intList(doc, "chunks", path);
  if (chunks.length !== shape.length) fail(path, `chunks [${chunks}] and shape [${shape}] differ in rank`);
  if (chunks.some((c) => c === 0)) fail(path, `chunk sizes must be positive, got [${chunks}]`);
  if (doc.order !== "C" && doc.order !== "F") fail(path, `order must be "C" or "F", got ${describeJson(doc.order)}`);
  const sep = doc.dimension_separator ?? ".";
  if (sep !== "." && sep !== "/") fail(path, `dimension_separator must be "." or "/", got ${describeJson(sep)}`);
  const filters = doc.filters === null ? [] : doc.filters;
  if (!Array.isArray(filters) || filters.some((f) => !isJsonObject(f) || typeof f.id !== "string")) fail(path, `"filters" must be null or a list of codec configs`);
  const compressor = doc.compressor;
  if (compressor !== null && (!isJsonObject(compressor) || typeof compressor.id !== "string")) fail(path, `"compressor" must be null or a codec config`);
  const codecs = [...(filters as CodecConfig[]), ...(compressor ? [compressor as CodecConfig] : [])].map((c) => toPlainJson(c) as CodecConfig);
  const dtype = resolveDtype(doc.dtype, attrs.zarr_dtype, codecs, path);
  const tooBig = gridProblem(shape, chunks, isObjectStored(dtype) ? 1 : itemsize(dtype));
  if (tooBig) fail(path, tooBig);
  const objectCodec = codecs[0] && isObjectCodecId(codecs[0].id) ? codecs[0] : undefined;
  if (isObjectStored(dtype) && !objectCodec) fail(path, `an object (|O) array needs an object codec as its first filter`);
  return {
    format: 2,
    convention: "hdmf-zarr-v2",
    path,
    shape: [...shape],
    chunks: [...chunks],
    dtype,
    fill: decodeFillV2(dtype, doc.fill_value, path),
    codecs,
    objectCodec,
    separator: sep,
    keyEncoding: "v2",
    order: doc.order,
    doc,
  };
}

/** The in-memory dtype from the stored numpy dtype and hdmf-zarr's zarr_dtype attribute. */
function resolveDtype(stored: PyJsonValue | undefined, zarrDtype: PyJsonValue | undefined, codecs: CodecConfig[], path: string): Dtype {
  let base: Dtype;
  try {
    base = parseDtype(toPlainJson(stored ?? null) as ZarrV2Dtype);
  } catch (e) {
    return fail(path, `unsupported dtype ${describeJson(stored)}: ${(e as Error).message}`);
  }
  const zd = toPlainJson(zarrDtype ?? null);
  if (Array.isArray(zd)) return compoundFromZarrDtype(zd, base, path);
  if (base.kind !== "object") return base;
  if (zd === "object") return dtypes.objectRef;
  if (zd === "region") return dtypes.regionRef;
  const first = codecs[0]?.id;
  if (zd === "bytes" || (first === "vlen-bytes" && zd !== "str")) return dtypes.ascii;
  // A plain (non-hdmf) object array: its object codec says what the elements are.
  if ((zd === null || zd === undefined) && first !== "vlen-utf8") return dtypes.object;
  return dtypes.utf8;
}

function compoundFromZarrDtype(zd: unknown[], base: Dtype, path: string): Dtype {
  const fields = zd.map((f, i) => {
    if (!isJsonObject(f as PyJsonValue) || typeof (f as { name?: unknown }).name !== "string") {
      return fail(path, `zarr_dtype entry ${i} must be {name, dtype}`);
    }
    const { name, dtype } = f as { name: string; dtype: unknown };
    const stored = base.kind === "compound" ? base.fields.find((x) => x.name === name)?.dtype : undefined;
    if (dtype === "object") return { name, dtype: dtypes.objectRef };
    if (dtype === "region") return { name, dtype: dtypes.regionRef };
    if (stored && stored.kind !== "object") return { name, dtype: stored };
    if (dtype === "str" || dtype === "utf" || dtype === "text") return { name, dtype: dtypes.utf8 };
    if (dtype === "bytes" || dtype === "ascii") return { name, dtype: dtypes.ascii };
    try {
      return { name, dtype: typeof dtype === "string" ? parseDtype(dtype) : numeric("float64") };
    } catch {
      return fail(path, `zarr_dtype field ${name} has unknown dtype ${JSON.stringify(dtype)}`);
    }
  });
  return compound(fields);
}
