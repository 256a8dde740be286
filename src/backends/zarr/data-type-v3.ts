/**
 * Zarr v3 `data_type` and `fill_value` -> Dtype and fill, for what the core spec and
 * zarr-python 3 write:
 *
 * - core names ("int16", "float64", "complex128", "bool", ...) and `r<bits>` raw bits;
 * - `string` (vlen-utf8) and `variable_length_bytes` / `bytes` (vlen-bytes);
 * - data types given as objects `{name, configuration}`: `null_terminated_bytes` (numpy `S`),
 *   `fixed_length_utf32` (numpy `U`), `struct` / `structured` (numpy structured, nested too;
 *   fields as `{name, data_type}` or `[name, data_type]`), `numpy.datetime64` and
 *   `numpy.timedelta64` (int64 counts of the unit, which the Dtype keeps);
 * - hdmf-ts's own layout: `string` with `zarr_dtype` "object" (references) or a field list
 *   (compound rows as JSON), `r<bits>` with a field list (packed compound records).
 *
 * Fill values: numbers, "NaN"/"Infinity"/"-Infinity", "0x..." bit patterns, [re, im] for complex
 * (each part spelled the same way), text for strings, base64 for fixed bytes, an object of
 * per-field fills (or base64 of the record) for structs, an array of byte values for raw bits.
 * Anything else is a FormatError naming the array.
 */
import { FormatError, UnsupportedError } from "../../errors.js";
import { compound, datetime64, describeDtype, dtypes, fixedString, fromZarrV3DataType, NUMERIC_TABLE, parseDtype, type Dtype, type Endian } from "../../data/dtype.js";
import type { CompoundRecord, FillValue, Scalar } from "../../data/ndarray.js";
import { decodeElements, elementSize } from "../../data/element-bytes.js";
import { isObjectStored } from "../engine/chunk-codec.js";
import { describeJson, isJsonObject, PyFloat, toPlainJson, type PyJsonValue } from "../../data/py-json.js";

function fail(path: string, why: string): never {
  throw new FormatError(`${path}/zarr.json: ${why}`, { path });
}

/** The object codec a v3 data type travels through, if any. */
export function v3ObjectCodecId(dataType: PyJsonValue | undefined): "vlen-utf8" | "vlen-bytes" | undefined {
  if (dataType === "string") return "vlen-utf8";
  if (dataType === "variable_length_bytes" || dataType === "bytes") return "vlen-bytes";
  return undefined;
}

export function dtypeFromV3(dataType: PyJsonValue | undefined, zarrDtype: PyJsonValue | undefined, endian: Endian, path: string): Dtype {
  const zd = toPlainJson(zarrDtype ?? null);
  if (dataType === "string") {
    if (zd === "object") return dtypes.objectRef;
    if (Array.isArray(zd)) return compoundFrom(zd, path);
    return zd === "bytes" ? dtypes.ascii : dtypes.utf8;
  }
  if (v3ObjectCodecId(dataType) === "vlen-bytes") return dtypes.ascii;
  if (typeof dataType === "string" && /^r\d+$/.test(dataType)) {
    if (Array.isArray(zd)) return compoundFrom(zd, path);
    return fail(path, `raw data_type ${dataType} needs a zarr_dtype field list`);
  }
  return plainDtype(dataType, endian, path);
}

/** A data type without hdmf conventions (also the fields of a struct). */
function plainDtype(dataType: PyJsonValue | undefined, endian: Endian, path: string): Dtype {
  if (typeof dataType === "string") {
    if (dataType === "string") return dtypes.utf8;
    try {
      const d = fromZarrV3DataType(dataType);
      return d.kind === "numeric" ? { ...d, endian: NUMERIC_TABLE[d.name].itemsize === 1 ? "<" : endian } : d;
    } catch (e) {
      throw new UnsupportedError(`${path}: Zarr v3 data_type "${dataType}" is not supported`, { feature: `zarr v3 data type ${dataType}`, path, cause: e });
    }
  }
  if (!isJsonObject(dataType) || typeof dataType.name !== "string") return fail(path, `"data_type" must be a name or {name, configuration}, got ${describeJson(dataType)}`);
  const name = dataType.name;
  const conf = isJsonObject(dataType.configuration) ? dataType.configuration : {};
  const count = (key: string): number => {
    const v = conf[key];
    if (typeof v !== "number" || !Number.isSafeInteger(v) || v < 0) return fail(path, `data_type ${name}: "${key}" must be a non-negative integer, got ${describeJson(v)}`);
    return v;
  };
  switch (name) {
    case "null_terminated_bytes":
    case "fixed_length_bytes":
      return fixedString(count("length_bytes"), "ascii");
    case "fixed_length_utf32": {
      const n = count("length_bytes");
      if (n % 4 !== 0) fail(path, `data_type fixed_length_utf32: length_bytes ${n} is not a multiple of 4`);
      return { kind: "string", encoding: "utf-8", length: n / 4, unicodeFixed: true, ...(endian === ">" ? { endian } : {}) };
    }
    case "numpy.datetime64":
    case "numpy.timedelta64": {
      const unit = conf.unit;
      const scale = conf.scale_factor ?? 1;
      if (typeof unit !== "string" || !/^[a-zA-Z]+$/.test(unit) || typeof scale !== "number" || !Number.isSafeInteger(scale) || scale < 1) {
        return fail(path, `data_type ${name} needs a unit and a positive integer scale_factor, got ${describeJson(conf)}`);
      }
      return datetime64(name === "numpy.datetime64" ? "M" : "m", scale === 1 ? unit : `${scale}${unit}`, endian);
    }
    case "struct":
    case "structured": {
      const fields = conf.fields;
      if (!Array.isArray(fields) || fields.length === 0) return fail(path, `data_type ${name} needs a list of fields`);
      return compound(fields.map((f, i) => {
        const [fname, fdt] = Array.isArray(f) ? [f[0], f[1]] : isJsonObject(f) ? [f.name, f.data_type] : [undefined, undefined];
        if (typeof fname !== "string") return fail(path, `data_type ${name}: field ${i} needs a name and a data_type`);
        return { name: fname, dtype: plainDtype(fdt, endian, path) };
      }));
    }
    default:
      throw new UnsupportedError(`${path}: Zarr v3 data_type ${describeJson(dataType)} is not supported`, { feature: `zarr v3 data type ${name}`, path });
  }
}

function compoundFrom(zd: unknown[], path: string): Dtype {
  return compound(zd.map((f, i) => {
    const e = f as { name?: unknown; dtype?: unknown };
    if (typeof e?.name !== "string") return fail(path, `zarr_dtype entry ${i} must be {name, dtype}`);
    if (e.dtype === "object") return { name: e.name, dtype: dtypes.objectRef };
    if (e.dtype === "str") return { name: e.name, dtype: dtypes.utf8 };
    if (e.dtype === "bytes") return { name: e.name, dtype: dtypes.ascii };
    return { name: e.name, dtype: parseDtype(String(e.dtype)) };
  }));
}

/** One float fill: a number, "NaN"/"Infinity"/"-Infinity" or "0x..." bits of the float's width. */
function floatFill(raw: PyJsonValue | undefined, bits: 32 | 64, wrong: () => never): number {
  const v = raw instanceof PyFloat ? raw.value : raw;
  if (v === "NaN") return NaN;
  if (v === "Infinity") return Infinity;
  if (v === "-Infinity") return -Infinity;
  if (typeof v === "string" && /^0x[0-9a-f]+$/i.test(v)) {
    const view = new DataView(new ArrayBuffer(8));
    const b = BigInt(v);
    if (bits === 64) { view.setBigUint64(0, b); return view.getFloat64(0); }
    view.setUint32(0, Number(b));
    return view.getFloat32(0);
  }
  if (typeof v === "bigint") return Number(v);
  return typeof v === "number" ? v : wrong();
}

export function decodeFillV3(dtype: Dtype, raw: PyJsonValue | undefined, path: string): FillValue {
  const wrong = (): never => fail(path, `fill_value ${describeJson(raw)} does not fit data_type ${dtype.kind === "numeric" ? NUMERIC_TABLE[dtype.name].zarrV3 : describeDtype(dtype)}`);
  if (isObjectStored(dtype)) {
    if (dtype.kind !== "string") return null;
    return typeof raw === "string" ? raw : "";
  }
  if (raw === null || raw === undefined) return dtype.kind === "numeric" ? (dtype.name === "bool" ? false : dtype.name === "int64" || dtype.name === "uint64" ? 0n : 0) : null;
  if (dtype.kind === "string") {
    if (dtype.unicodeFixed) return typeof raw === "string" ? raw : wrong();
    if (typeof raw !== "string") return Array.isArray(raw) ? fromByteValues(raw, dtype, path, wrong) : wrong();
    return fromBytes(new Uint8Array(Buffer.from(raw, "base64")), dtype, path, wrong, true) as string;
  }
  if (dtype.kind === "compound") {
    if (typeof raw === "string") return fromBytes(new Uint8Array(Buffer.from(raw, "base64")), dtype, path, wrong, false) as CompoundRecord;
    if (Array.isArray(raw)) return fromByteValues(raw, dtype, path, wrong) as CompoundRecord | null;
    if (!isJsonObject(raw)) return wrong();
    const rec: Record<string, Scalar | null> = {};
    for (const f of dtype.fields) rec[f.name] = decodeFillV3(f.dtype, raw[f.name], path) as Scalar | null;
    return rec;
  }
  if (dtype.kind !== "numeric") return null;
  const info = NUMERIC_TABLE[dtype.name];
  if (info.char === "c") {
    if (!Array.isArray(raw) || raw.length !== 2) return wrong();
    const bits = info.itemsize === 8 ? 32 : 64;
    return [floatFill(raw[0], bits, wrong), floatFill(raw[1], bits, wrong)];
  }
  const v = raw instanceof PyFloat ? raw.value : raw;
  if (dtype.name === "bool") return typeof v === "boolean" || v === 0 || v === 1 ? Boolean(v) : wrong();
  if (info.char === "f") {
    if (dtype.name === "float16" && typeof v === "string" && /^0x[0-9a-f]+$/i.test(v)) {
      const view = new DataView(new ArrayBuffer(2));
      view.setUint16(0, Number(BigInt(v)));
      return decodeElements(new Uint8Array(view.buffer), { ...dtype, endian: ">" }, [1]).data[0] as number;
    }
    return floatFill(raw, info.itemsize === 4 ? 32 : 64, wrong);
  }
  if (typeof v !== "number" && typeof v !== "bigint") return wrong();
  if (dtype.name === "int64" || dtype.name === "uint64") return typeof v === "bigint" ? v : BigInt(Math.trunc(v));
  return typeof v === "bigint" ? Number(v) : v;
}

function fromByteValues(raw: PyJsonValue[], dtype: Dtype, path: string, wrong: () => never): FillValue {
  if (raw.some((b) => typeof b !== "number" || !Number.isInteger(b) || b < 0 || b > 255)) return wrong();
  return fromBytes(Uint8Array.from(raw as number[]), dtype, path, wrong, false);
}

function fromBytes(given: Uint8Array, dtype: Dtype, path: string, wrong: () => never, shortOk: boolean): FillValue {
  const size = elementSize(dtype, path);
  if (given.byteLength > size || (!shortOk && given.byteLength !== size)) return wrong();
  if (given.every((b) => b === 0)) return dtype.kind === "string" ? "" : null;
  const bytes = new Uint8Array(size);
  bytes.set(given);
  return decodeElements(bytes, dtype, [1], undefined, path).data[0] as Scalar | CompoundRecord;
}
