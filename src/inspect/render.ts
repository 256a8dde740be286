/** JSON rendering shared by the manifest writers: dtypes as the oracle spells them, attribute values. */
import type { Dtype } from "../data/dtype.js";
import { toNumpyTypestr } from "../data/dtype.js";
import { NdArray } from "../data/ndarray.js";
import { ObjectReference, RegionReference, isReference } from "../data/reference.js";
import type { AttributeValue } from "../schema/builders.js";

/** JSON values; integers beyond 2^53 stay exact as bigint (write them with `stringifyJson`). */
export type Json = null | boolean | number | bigint | string | Json[] | { [key: string]: Json };

/** JSON.stringify that writes bigints as their digits (as Python's json writes big ints). */
export function stringifyJson(value: unknown, indent?: number): string {
  const text = JSON.stringify(value, (_k, x: unknown) => (typeof x === "bigint" ? `\u0000${x}\u0000` : x), indent) ?? "null";
  return text.replace(/"\\u0000(-?\d+)\\u0000"/g, "$1");
}

/** h5py-style dtype descriptor: numpy str, `string:utf-8:vlen`, `ref:object`, compound list. */
export function dtypeString(d: Dtype): Json {
  switch (d.kind) {
    case "compound": return d.fields.map((f) => [f.name, dtypeString(f.dtype)]);
    case "string": return `string:${d.encoding}:${d.length === null ? "vlen" : `fixed${d.length}`}`;
    case "reference": return d.refType === "object" ? "ref:object" : "ref:region";
    case "object": return "|O";
    default: return toNumpyTypestr(d);
  }
}

/** A number as the oracle writes it (NaN / infinities as strings). */
export function jnum(v: number | bigint | boolean): Json {
  if (typeof v === "boolean") return v;
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (Number.isNaN(v)) return "NaN";
  if (v === Infinity) return "Infinity";
  if (v === -Infinity) return "-Infinity";
  return v;
}

function refJson(v: ObjectReference | RegionReference): Json {
  if (v instanceof RegionReference) return { $ref: `${v.path}#region` };
  return { $ref: v.isNull ? "" : v.resolvedPath };
}

/** An element or value as JSON (references -> {"$ref": path}, bytes -> text). */
export function valueJson(v: unknown): Json {
  if (v === null || v === undefined) return null;
  if (typeof v === "number" || typeof v === "bigint" || typeof v === "boolean") return jnum(v);
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (isReference(v)) return refJson(v as ObjectReference | RegionReference);
  if (v instanceof NdArray) return nested(v);
  if (Array.isArray(v)) return v.map(valueJson);
  if (typeof v === "object") return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, valueJson(x)]));
  return String(v);
}

function nested(a: NdArray): Json {
  const flat = a.toArray().map(valueJson);
  if (a.ndim === 0) return flat[0] ?? null;
  const build = (axis: number, offset: number): Json[] => {
    const n = a.shape[axis]!;
    const stride = a.shape.slice(axis + 1).reduce((x, y) => x * y, 1);
    const out: Json[] = [];
    for (let i = 0; i < n; i++) out.push(axis === a.ndim - 1 ? flat[offset + i]! : build(axis + 1, offset + i * stride));
    return out;
  };
  return build(0, 0);
}

export function attributeJson(v: AttributeValue): Json {
  return valueJson(v);
}
