/**
 * JSON as Python writes it, so a cached spec is byte-identical to what hdmf writes
 * (`json.dumps(spec, separators=(',', ':'))`, hdmf/backends/hdf5/h5_utils.py H5SpecWriter).
 *
 * Two things differ from JSON.stringify: Python escapes every non-ASCII character
 * (ensure_ascii), and a float keeps its float spelling ("-1.0", "1e-06"). Floats read from
 * YAML or JSON are kept as `PyFloat` so they survive a load -> cache -> load round trip.
 */
import { isMap, isScalar, isSeq, parseDocument, type Node } from "yaml";
import { InvalidInputError } from "../../errors.js";

/** A number that was written as a float ("1.0"); plain `number`s are ints. */
export class PyFloat {
  constructor(readonly value: number) {}
  valueOf(): number {
    return this.value;
  }
  toJSON(): number {
    return this.value;
  }
}

export type PyJson = null | boolean | number | string | PyFloat | PyJson[] | { [key: string]: PyJson };

/** The number behind a value that may be a PyFloat. */
export function unwrapNumber(v: unknown): unknown {
  return v instanceof PyFloat ? v.value : v;
}

/** Deep copy with every PyFloat replaced by its number. */
export function toPlain(v: unknown): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toPlain);
  if (v !== null && typeof v === "object") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPlain(x);
    return out;
  }
  return v;
}

/** Python's repr() of a float. */
export function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const [mant, expStr] = v.toExponential().split("e") as [string, string];
  const exp = Number(expStr);
  const neg = mant.startsWith("-");
  const digits = mant.replace("-", "").replace(".", "");
  const sign = neg ? "-" : "";
  if (exp >= -4 && exp < 16) {
    let s: string;
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
      const frac = digits.slice(exp + 1);
      s = `${intPart}.${frac === "" ? "0" : frac}`;
    } else {
      s = `0.${"0".repeat(-exp - 1)}${digits}`;
    }
    return sign + s;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  const e = Math.abs(exp).toString().padStart(2, "0");
  return `${sign}${m}e${exp < 0 ? "-" : "+"}${e}`;
}

function pyString(s: string): string {
  let out = '"';
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    const ch = s[i]!;
    if (ch === '"') out += '\\"';
    else if (ch === "\\") out += "\\\\";
    else if (ch === "\n") out += "\\n";
    else if (ch === "\r") out += "\\r";
    else if (ch === "\t") out += "\\t";
    else if (ch === "\b") out += "\\b";
    else if (ch === "\f") out += "\\f";
    else if (c < 0x20 || c > 0x7e) out += `\\u${c.toString(16).padStart(4, "0")}`;
    else out += ch;
  }
  return `${out}"`;
}

/** `json.dumps(value, separators=(',', ':'))`. Objects with toJSON() are serialised through it. */
export function pyJsonDumps(value: unknown): string {
  if (value === null || value === undefined) return "null";
  if (value instanceof PyFloat) return pyFloatRepr(value.value);
  if (typeof value === "boolean") return value ? "true" : "false";
  if (typeof value === "number") return Number.isInteger(value) ? String(value) : pyFloatRepr(value);
  if (typeof value === "bigint") return value.toString();
  if (typeof value === "string") return pyString(value);
  if (Array.isArray(value)) return `[${value.map(pyJsonDumps).join(",")}]`;
  if (typeof value === "object") {
    const withJson = value as { toJSON?: () => unknown };
    if (typeof withJson.toJSON === "function") return pyJsonDumps(withJson.toJSON());
    const parts = Object.entries(value as Record<string, unknown>)
      .filter(([, v]) => v !== undefined)
      .map(([k, v]) => `${pyString(k)}:${pyJsonDumps(v)}`);
    return `{${parts.join(",")}}`;
  }
  throw new InvalidInputError(`cannot serialise ${typeof value} as JSON`, { option: "spec" });
}

const FLOAT_SOURCE = /[.eE]|inf|nan/i;

function nodeToJs(node: Node | null | undefined, where: string): PyJson {
  if (node === null || node === undefined) return null;
  if (isMap(node)) {
    const out: Record<string, PyJson> = {};
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
      out[key] = nodeToJs(pair.value as Node | null, where);
    }
    return out;
  }
  if (isSeq(node)) return node.items.map((n) => nodeToJs(n as Node, where));
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === "number") {
      const src = (node as { source?: string }).source ?? String(v);
      return FLOAT_SOURCE.test(src) ? new PyFloat(v) : v;
    }
    if (v === null || typeof v === "boolean" || typeof v === "string") return v;
    if (typeof v === "bigint") return Number(v);
    if (v instanceof Date) return v.toISOString();
    return String(v);
  }
  throw new InvalidInputError(`${where}: unsupported YAML node`, { option: where });
}

/** Parse YAML (or JSON, a subset) keeping the float/int distinction. */
export function parseYamlKeepingFloats(text: string, where: string): PyJson {
  const doc = parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InvalidInputError(`${where}: ${doc.errors[0]!.message}`, { option: where, cause: doc.errors[0] });
  }
  return nodeToJs(doc.contents as Node | null, where);
}
