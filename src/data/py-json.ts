/**
 * JSON as Python writes it (zarr-python and hdmf-zarr metadata, hdmf's cached specs), and a
 * parser that keeps what JSON.parse loses. One module for every layer, so a PyFloat read by the
 * schema layer is the same class the Zarr backend writes.
 *
 * zarr-python 2 writes metadata with `json.dumps(o, indent=4, sort_keys=True, ensure_ascii=True,
 * separators=(',', ': '))` (zarr/util.py json_dumps). Two things differ from JSON.stringify:
 * non-ASCII is escaped, and a Python float keeps its float spelling ("0.0", "1e-06"). Attribute
 * values that are floats are wrapped in `PyFloat` on write; the parser returns `PyFloat` for every
 * number spelled as a float (and for NaN / Infinity, which Python's json accepts), so an
 * attribute `"offset": 0.0` reads back as a float, not an integer.
 */
import { FormatError } from "../errors.js";

/** A number that is a float in Python (written "1.0", not "1"). */
export class PyFloat {
  constructor(readonly value: number) {}
  /** The number, so arithmetic and comparisons treat a PyFloat as one. */
  valueOf(): number {
    return this.value;
  }
  /** The plain number, for JSON.stringify (pyDumps keeps the float spelling instead). */
  toJSON(): number {
    return this.value;
  }
}

export type PyJsonValue = null | boolean | number | bigint | string | PyFloat | PyJsonValue[] | { [key: string]: PyJsonValue };

/** Python's repr() of a float; NaN and infinities as Python's json writes them. */
export function pyFloatRepr(v: number): string {
  if (Number.isNaN(v)) return "NaN";
  if (!Number.isFinite(v)) return v > 0 ? "Infinity" : "-Infinity";
  if (v === 0) return Object.is(v, -0) ? "-0.0" : "0.0";
  const [mant, expStr] = v.toExponential().split("e") as [string, string];
  const exp = Number(expStr);
  const sign = mant.startsWith("-") ? "-" : "";
  const digits = mant.replace("-", "").replace(".", "");
  if (exp >= -4 && exp < 16) {
    if (exp >= 0) {
      const intPart = digits.slice(0, exp + 1).padEnd(exp + 1, "0");
      const frac = digits.slice(exp + 1);
      return `${sign}${intPart}.${frac === "" ? "0" : frac}`;
    }
    return `${sign}0.${"0".repeat(-exp - 1)}${digits}`;
  }
  const m = digits.length > 1 ? `${digits[0]}.${digits.slice(1)}` : digits;
  return `${sign}${m}e${exp < 0 ? "-" : "+"}${String(Math.abs(exp)).padStart(2, "0")}`;
}

/** A string as Python's json writes it with ensure_ascii. */
export function pyString(s: string): string {
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

export interface DumpOptions {
  /** Indent width (zarr metadata: 4); undefined = compact with `separators`. */
  indent?: number;
  sortKeys?: boolean;
  /** Compact separators (item, key); zarr-python v3 and hdmf spec JSON use (",", ":"). */
  compact?: boolean;
}

/** `json.dumps` with Python's spelling. Plain numbers that are integers print as ints. */
export function pyDumps(value: unknown, options: DumpOptions = { indent: 4, sortKeys: true }): string {
  const { indent, sortKeys = false, compact = false } = options;
  const itemSep = indent !== undefined ? "," : compact ? "," : ", ";
  const keySep = compact && indent === undefined ? ":" : ": ";
  const walk = (v: unknown, depth: number): string => {
    if (v === null || v === undefined) return "null";
    if (v instanceof PyFloat) return pyFloatRepr(v.value);
    if (typeof v === "boolean") return v ? "true" : "false";
    if (typeof v === "number") return Number.isInteger(v) ? String(v) : pyFloatRepr(v);
    if (typeof v === "bigint") return v.toString();
    if (typeof v === "string") return pyString(v);
    const pad = indent !== undefined ? `\n${" ".repeat(indent * (depth + 1))}` : "";
    const end = indent !== undefined ? `\n${" ".repeat(indent * depth)}` : "";
    if (Array.isArray(v)) {
      if (v.length === 0) return "[]";
      return `[${v.map((x) => pad + walk(x, depth + 1)).join(itemSep)}${end}]`;
    }
    if (typeof v === "object") {
      const withJson = v as { toJSON?: () => unknown };
      if (typeof withJson.toJSON === "function") return walk(withJson.toJSON(), depth);
      let entries = Object.entries(v as Record<string, unknown>).filter(([, x]) => x !== undefined);
      if (entries.length === 0) return "{}";
      if (sortKeys) entries = entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return `{${entries.map(([k, x]) => `${pad}${pyString(k)}${keySep}${walk(x, depth + 1)}`).join(itemSep)}${end}}`;
    }
    throw new FormatError(`cannot write a ${typeof v} as JSON`);
  };
  return walk(value, 0);
}

const encoder = new TextEncoder();
const decoder = new TextDecoder("utf-8", { fatal: true });

export function pyDumpsBytes(value: unknown, options?: DumpOptions): Uint8Array {
  return encoder.encode(pyDumps(value, options));
}

/**
 * Parse JSON (plus Python's NaN / Infinity / -Infinity). Numbers spelled as floats become
 * PyFloat; integers beyond 2^53 become bigint. Bad input -> FormatError naming `path`.
 */
export function pyParse(input: string | Uint8Array, path: string): PyJsonValue {
  let text: string;
  try {
    text = typeof input === "string" ? input : decoder.decode(input);
  } catch (e) {
    throw new FormatError(`${path}: metadata is not valid UTF-8`, { path, cause: e });
  }
  let i = 0;
  const fail = (why: string): never => {
    throw new FormatError(`${path}: invalid JSON at offset ${i}: ${why}`, { path });
  };
  const ws = (): void => {
    while (i < text.length && " \t\n\r".includes(text[i]!)) i++;
  };
  const lit = (word: string, value: PyJsonValue): PyJsonValue => {
    if (text.startsWith(word, i)) {
      i += word.length;
      return value;
    }
    return fail(`unexpected ${JSON.stringify(text.slice(i, i + 10))}`);
  };
  const str = (): string => {
    const start = i;
    i++;
    while (i < text.length && text[i] !== '"') i += text[i] === "\\" ? 2 : 1;
    if (i >= text.length) fail("unterminated string");
    i++;
    try {
      return JSON.parse(text.slice(start, i)) as string;
    } catch {
      return fail("bad string escape");
    }
  };
  const num = (): PyJsonValue => {
    const m = /^-?(?:0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i, i + 400));
    if (!m) return fail("bad number");
    i += m[0].length;
    if (m[1] !== undefined || m[2] !== undefined) return new PyFloat(Number(m[0]));
    const n = Number(m[0]);
    return Number.isSafeInteger(n) ? n : BigInt(m[0]);
  };
  const value = (depth: number): PyJsonValue => {
    if (depth > 512) fail("nesting too deep");
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      const out: { [key: string]: PyJsonValue } = {};
      ws();
      if (text[i] === "}") { i++; return out; }
      for (;;) {
        ws();
        if (text[i] !== '"') fail("expected a key");
        const k = str();
        ws();
        if (text[i++] !== ":") fail("expected ':'");
        out[k] = value(depth + 1);
        ws();
        const d = text[i++];
        if (d === "}") return out;
        if (d !== ",") fail("expected ',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      const out: PyJsonValue[] = [];
      ws();
      if (text[i] === "]") { i++; return out; }
      for (;;) {
        out.push(value(depth + 1));
        ws();
        const d = text[i++];
        if (d === "]") return out;
        if (d !== ",") fail("expected ',' or ']'");
      }
    }
    if (c === '"') return str();
    if (c === "t") return lit("true", true);
    if (c === "f") return lit("false", false);
    if (c === "n") return lit("null", null);
    if (c === "N") return lit("NaN", new PyFloat(NaN));
    if (c === "I") return lit("Infinity", new PyFloat(Infinity));
    if (c === "-" && text.startsWith("-Infinity", i)) return lit("-Infinity", new PyFloat(-Infinity));
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return num();
    return fail(c === undefined ? "unexpected end" : `unexpected ${JSON.stringify(c)}`);
  };
  const out = value(0);
  ws();
  if (i !== text.length) fail("trailing characters");
  return out;
}

/** Drop PyFloat / bigint wrappers: plain JSON values. */
export function toPlainJson(v: PyJsonValue): unknown {
  if (v instanceof PyFloat) return v.value;
  if (Array.isArray(v)) return v.map(toPlainJson);
  if (v !== null && typeof v === "object" && typeof v !== "bigint") {
    const out: Record<string, unknown> = {};
    for (const [k, x] of Object.entries(v)) out[k] = toPlainJson(x);
    return out;
  }
  return v;
}

/**
 * A stored value for an error message: plain JSON with bigints as their digits (JSON.stringify
 * throws on them), cut to `max` characters.
 */
export function describeJson(v: PyJsonValue | undefined, max = 80): string {
  const text = JSON.stringify(toPlainJson(v ?? null), (_k, x: unknown) => (typeof x === "bigint" ? `\u0000${x}\u0000` : x)) ?? "null";
  const shown = text.replace(/"\\u0000(-?\d+)\\u0000"/g, "$1");
  return shown.length > max ? `${shown.slice(0, max)}...` : shown;
}

export function isJsonObject(v: PyJsonValue | undefined): v is { [key: string]: PyJsonValue } {
  return typeof v === "object" && v !== null && !Array.isArray(v) && !(v instanceof PyFloat) && typeof v !== "bigint";
}
