/**
 * Values -> stored values with the dtype the spec asks for, following hdmf's
 * ObjectMapper.convert_dtype (hdmf/build/objectmapper.py): text is utf-8, isodatetime is
 * ascii, and a number keeps the larger of its own precision and the spec's (a JS number is
 * a Python float or int: `rate` (float32 in the spec) is written as float64, `interval`
 * (int32) as int64, exactly as pynwb writes them).
 */
import { InvalidInputError } from "../../errors.js";
import {
  compound, dtypes, NUMERIC_TABLE, numeric, type Dtype, type NumericName,
} from "../../data/dtype.js";
import { array, convertData, NdArray } from "../../data/ndarray.js";
import { isRefSpec, type SpecDtype } from "../spec/spec.js";
import type { FieldScalar } from "../containers/container.js";

const UTF8_NAMES = new Set(["text", "utf", "utf8", "utf-8"]);
const ASCII_NAMES = new Set(["ascii", "bytes", "isodatetime", "datetime", "date"]);

/** The storage dtype for a spec dtype; undefined for "numeric"/absent (inferred from the value). */
export function specDtypeToDtype(d: SpecDtype | undefined): Dtype | undefined {
  if (d === undefined || d === "numeric") return undefined;
  if (typeof d === "string") {
    if (UTF8_NAMES.has(d)) return dtypes.utf8;
    if (ASCII_NAMES.has(d)) return dtypes.ascii;
    if (d === "object") return dtypes.objectRef;
    if (d === "region") return dtypes.regionRef;
    const hit = Object.values(NUMERIC_TABLE).find((i) => i.specNames.includes(d) || i.name === d);
    if (!hit) throw new InvalidInputError(`unknown spec dtype "${d}"`, { option: "dtype" });
    return numeric(hit.name);
  }
  if (isRefSpec(d)) return d.reftype === "region" ? dtypes.regionRef : dtypes.objectRef;
  return compound((d as ReadonlyArray<{ name: string; dtype: SpecDtype }>).map((f) => ({ name: f.name, dtype: specDtypeToDtype(f.dtype) ?? dtypes.float64 })));
}

/** hdmf ObjectMapper.__resolve_numeric_dtype. */
export function resolveNumeric(given: NumericName, spec: NumericName): NumericName {
  if (given === spec) return spec;
  const g = NUMERIC_TABLE[given];
  const s = NUMERIC_TABLE[spec];
  if (g.itemsize <= s.itemsize) return spec;
  if (given.slice(0, 3) === spec.slice(0, 3)) return given;
  const bits = g.itemsize * 8;
  if (s.char === "u") return `uint${bits}` as NumericName;
  if (s.char === "f") return `float${Math.max(bits, 32)}` as NumericName;
  if (s.char === "i") return `int${bits}` as NumericName;
  throw new InvalidInputError(`expected ${spec}, got ${given}`, { option: "dtype" });
}

/** The dtype Python would give a plain value before conversion. */
function givenNumeric(v: number | bigint | boolean, spec: Dtype | undefined): NumericName {
  if (typeof v === "boolean") return "bool";
  if (typeof v === "bigint") return "int64";
  if (spec?.kind === "numeric") return NUMERIC_TABLE[spec.name].char === "f" ? "float64" : "int64";
  return Number.isInteger(v) ? "int64" : "float64";
}

/** Python's datetime.isoformat() of a UTC time. */
export function isoformat(d: Date): string {
  const pad = (n: number, w = 2): string => String(n).padStart(w, "0");
  const base = `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}`;
  const ms = d.getUTCMilliseconds();
  return `${base}${ms ? `.${pad(ms * 1000, 6)}` : ""}+00:00`;
}

/** A value convertValue accepts: a scalar, a Date, an array of them (or of scalar rows), or an NdArray. */
export type PlainValue = FieldScalar | Date | ReadonlyArray<FieldScalar | Date> | ReadonlyArray<ReadonlyArray<FieldScalar>> | NdArray;

/**
 * A value converted for storage: scalars stay scalars (for attributes) unless `asArray`;
 * arrays become NdArrays. `stored` (the dtype a read value had) wins over the spec rule.
 */
export function convertValue(value: PlainValue, specDtype: SpecDtype | undefined, stored?: Dtype): { value: FieldScalar | NdArray; dtype: Dtype } {
  const spec = stored ?? specDtypeToDtype(specDtype);
  if (value instanceof NdArray) return convertArray(value, spec);
  if (value instanceof Date) return { value: isoformat(value), dtype: spec?.kind === "string" ? spec : dtypes.ascii };
  if (Array.isArray(value)) {
    const flat = value.map((v) => (v instanceof Date ? isoformat(v) : v)) as unknown[];
    const first = firstLeaf(flat);
    if (first === undefined && spec !== undefined && spec.kind !== "compound") return { value: array([], { dtype: spec }), dtype: spec };
    if (typeof first === "string") return convertArray(array(flat, { dtype: spec?.kind === "string" ? spec : dtypes.utf8 }), spec);
    const leaves = (flat as unknown[]).flat(Infinity as 1) as unknown[];
    const name = first === undefined ? "float64"
      : spec === undefined && typeof first === "number" && leaves.some((x) => typeof x === "number" && !Number.isInteger(x)) ? "float64"
      : givenNumeric(first as number, spec);
    const target = spec?.kind === "numeric" ? resolveNumeric(name, spec.name) : name;
    return { value: array(flat, { dtype: numeric(target) }), dtype: numeric(target) };
  }
  if (typeof value === "string") return { value, dtype: spec?.kind === "string" ? spec : dtypes.utf8 };
  const sv = value as number | bigint | boolean;
  const given = givenNumeric(sv, spec);
  if (stored?.kind === "numeric") return { value: sv, dtype: stored };
  if (spec?.kind === "string") throw new InvalidInputError(`expected text, got ${String(sv)}`, { option: "dtype" });
  const target = spec?.kind === "numeric" ? resolveNumeric(given, spec.name) : given;
  return { value: sv, dtype: numeric(target) };
}

function firstLeaf(v: unknown): unknown {
  let x = v;
  while (Array.isArray(x)) x = x[0];
  return x;
}

function convertArray(a: NdArray, spec: Dtype | undefined): { value: NdArray; dtype: Dtype } {
  if (spec === undefined) return { value: a, dtype: a.dtype };
  if (a.dtype.kind === "string" && spec.kind === "string") {
    return { value: a.dtype.encoding === spec.encoding ? a : new NdArray(a.data, a.shape, spec), dtype: spec };
  }
  if (a.dtype.kind === "numeric" && spec.kind === "numeric") {
    const target = numeric(resolveNumeric(a.dtype.name, spec.name));
    if (target.name === a.dtype.name) return { value: a, dtype: a.dtype };
    return { value: new NdArray(convertData(a, target), a.shape, target), dtype: target };
  }
  return { value: a, dtype: a.dtype };
}

/** A stored scalar/0-d array as a plain JS value; other arrays unchanged. */
export function unwrapScalar(v: unknown): unknown {
  if (v instanceof NdArray && v.shape.length === 0) return v.toArray()[0];
  return v;
}
