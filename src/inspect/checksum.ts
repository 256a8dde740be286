/**
 * The oracle manifest's checksum rule (../shared/oracle/README.md "Checksum rule"), for any
 * backend: hash an NdArray read from a dataset the way manifest.py hashes the Python value.
 *
 * 1. numeric / bool: each element little-endian in its own kind and width, bool as one byte.
 * 2. strings: elements joined with "\n", utf-8.
 * 3. references: rendered as text (path, `source::path` for other files, `path#region`), then 2.
 *    Other object values: Python `json.dumps(value, sort_keys=True)`, then 2.
 * 4. compound: each field as its own column by 1-3, then sha256 of "name=sha" lines.
 */
import { createHash } from "node:crypto";
import { NUMERIC_TABLE, type CompoundDtype, type Dtype, type TypedArray } from "../data/dtype.js";
import { pyFloatRepr } from "../data/py-json.js";
import { NdArray, type CompoundRecord } from "../data/ndarray.js";
import { ObjectReference, RegionReference } from "../data/reference.js";

/** The manifest's `value_kind`: which checksum rule hashed a dataset (numeric bytes, joined strings, rendered references). */
export type ValueKind = "numeric" | "string" | "ref";

const sha = (bytes: Uint8Array | string): string => createHash("sha256").update(bytes).digest("hex");

/** The manifest's `sha256` for a dataset value. */
export function manifestSha256(a: NdArray): string {
  if (a.dtype.kind === "compound") {
    const fields = fieldSha256(a);
    return sha(Object.entries(fields).map(([n, s]) => `${n}=${s}`).join("\n"));
  }
  return sha(canonicalBytes(a));
}

/** The manifest's `field_sha256` for a compound dataset (declared field order). */
export function fieldSha256(a: NdArray): Record<string, string> {
  if (a.dtype.kind !== "compound") throw new Error("fieldSha256 needs a compound array");
  const out: Record<string, string> = {};
  const rows = a.data as CompoundRecord[];
  for (const f of a.dtype.fields) {
    const col = rows.map((r) => r?.[f.name] ?? null);
    // a nested record is a Python tuple to the oracle: json.dumps of its values as a list
    out[f.name] = f.dtype.kind === "compound" ? sha(col.map((r) => recordText(r as CompoundRecord | null, f.dtype as CompoundDtype)).join("\n")) : sha(canonicalBytes(columnArray(col, f.dtype)));
  }
  return out;
}

function recordText(r: CompoundRecord | null, d: CompoundDtype): string {
  const parts = d.fields.map((f) => {
    const v = r?.[f.name] ?? null;
    if (f.dtype.kind === "compound") return recordText(v as CompoundRecord | null, f.dtype);
    if (f.dtype.kind === "numeric" && NUMERIC_TABLE[f.dtype.name].char === "f" && typeof v === "number") return Number.isFinite(v) ? pyFloatRepr(v) : pythonJsonDumps(v);
    return pythonJsonDumps(typeof v === "boolean" || typeof v === "bigint" || typeof v === "number" || typeof v === "string" || v === null ? v : renderRef(v));
  });
  return `[${parts.join(", ")}]`;
}

function columnArray(values: unknown[], dtype: Dtype): NdArray {
  if (dtype.kind === "numeric") {
    const info = NUMERIC_TABLE[dtype.name];
    const arr = new info.ctor(values.length * info.lanes);
    values.forEach((v, i) => {
      if (arr instanceof BigInt64Array || arr instanceof BigUint64Array) arr[i * info.lanes] = BigInt(v as number | bigint);
      else arr[i * info.lanes] = Number(v ?? 0);
    });
    return new NdArray(arr, [values.length], { ...dtype, endian: "<" });
  }
  return new NdArray(values as never[], [values.length], dtype);
}

/** Which rule applies (the manifest's `value_kind`). Zarr object arrays: decided by the first element. */
export function valueKind(a: NdArray): ValueKind {
  if (a.dtype.kind === "numeric") return "numeric";
  if (a.dtype.kind === "string") return "string";
  if (a.dtype.kind === "reference") return "ref";
  const first = (a.data as unknown[])[0];
  // manifest.py value_kind: isinstance(sample, (str, bytes))
  return typeof first === "string" || first instanceof Uint8Array ? "string" : "ref";
}

/** The byte string B of the rule (not for compound; see fieldSha256). */
export function canonicalBytes(a: NdArray): Uint8Array {
  const d = a.dtype;
  if (d.kind === "numeric") {
    const info = NUMERIC_TABLE[d.name];
    const t = a.data as TypedArray;
    // In memory values are host (little-endian) order already; byte order of storage is gone.
    const bytes = new Uint8Array(t.buffer, t.byteOffset, t.byteLength);
    if (d.name === "bool") return Uint8Array.from(bytes, (b) => (b ? 1 : 0));
    return bytes.subarray(0, a.size * info.itemsize);
  }
  const values = a.data as unknown[];
  if (a.size === 0) return new Uint8Array(0);
  const kind = valueKind(a);
  // the oracle's ref_text: references as paths, text as itself, other objects as JSON
  const text = values.map((v) => (kind === "string" || typeof v === "string" || v instanceof Uint8Array ? asText(v) : renderRef(v)));
  return new TextEncoder().encode(text.join("\n"));
}

function asText(v: unknown): string {
  if (typeof v === "string") return v;
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (v === null || v === undefined) return "";
  return renderRef(v);
}

/** Render a reference (or other object) as the manifest does. */
export function renderRef(v: unknown): string {
  if (v instanceof ObjectReference) {
    if (v.isNull) return "";
    const p = v.resolvedPath.startsWith("/") ? v.resolvedPath : `/${v.resolvedPath}`;
    return v.source && v.source !== "." ? `${v.source}::${v.resolvedPath}` : p;
  }
  if (v instanceof RegionReference) return `${v.path}#region`;
  if (v !== null && typeof v === "object" && !Array.isArray(v) && "path" in v && "source" in v) {
    const r = v as { path: string; source?: string | null };
    const src = r.source ?? "";
    if (src === "." || src === "") return r.path.startsWith("/") ? r.path : `/${r.path}`;
    return `${src}::${r.path}`;
  }
  return pythonJsonDumps(v);
}

/** Python `json.dumps(value, sort_keys=True)` (default separators ", " and ": ", ensure_ascii). */
export function pythonJsonDumps(v: unknown): string {
  if (v === null || v === undefined) return "null";
  if (typeof v === "boolean") return v ? "true" : "false";
  if (typeof v === "bigint") return v.toString();
  if (typeof v === "number") {
    if (Number.isNaN(v)) return "NaN";
    if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
    return String(v);
  }
  if (typeof v === "string") return JSON.stringify(v).replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
  if (Array.isArray(v)) return `[${v.map(pythonJsonDumps).join(", ")}]`;
  const entries = Object.entries(v as Record<string, unknown>).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
  return `{${entries.map(([k, x]) => `${pythonJsonDumps(k)}: ${pythonJsonDumps(x)}`).join(", ")}}`;
}

export const EMPTY_SHA256 = "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855";

/** A running SHA-256 over numeric blocks read in C order (bounded memory for big datasets). */
export class NumericHasher {
  readonly #h = createHash("sha256");
  update(block: NdArray): void {
    this.#h.update(canonicalBytes(block));
  }
  digest(): string {
    return this.#h.digest("hex");
  }
}
