/**
 * JSON as Python writes it, so a cached spec is byte-identical to what hdmf writes
 * (`json.dumps(spec, separators=(',', ':'))`, hdmf/backends/hdf5/h5_utils.py H5SpecWriter).
 *
 * Two things differ from JSON.stringify: Python escapes every non-ASCII character
 * (ensure_ascii), and a float keeps its float spelling ("-1.0", "1e-06"). Floats read from
 * YAML or JSON are kept as `PyFloat` so they survive a load -> cache -> load round trip.
 */
import { createRequire } from "node:module";
import type { Node } from "yaml";
import { InvalidInputError } from "../../errors.js";
import { PyFloat, pyDumps } from "../../data/py-json.js";

export { PyFloat };

/** A JSON value as read from a spec file or a cached spec, with floats kept as PyFloat. */
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

/** `json.dumps(value, separators=(',', ':'))`. Objects with toJSON() are serialised through it. */
export function pyJsonDumps(value: unknown): string {
  try {
    return pyDumps(value, { compact: true });
  } catch (e) {
    throw new InvalidInputError(`cannot serialise a spec value as JSON: ${e instanceof Error ? e.message : String(e)}`, { option: "spec", cause: e });
  }
}

const FLOAT_SOURCE = /[.eE]|inf|nan/i;

type YamlModule = typeof import("yaml");
let yamlModule: YamlModule | undefined;
/** The YAML library, loaded on first use (~50 ms): cached specs and the bundled table are JSON. */
function yaml(): YamlModule {
  return (yamlModule ??= createRequire(import.meta.url)("yaml") as YamlModule);
}

function nodeToJs(node: Node | null | undefined, where: string): PyJson {
  const { isMap, isScalar, isSeq } = yaml();
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

/** The wrapper key as parsed, and as written into the JSON text (escaped: JSON has no raw NUL). */
const FLOAT_KEY = "\u0000pyfloat";
const FLOAT_OPEN = '{"\\u0000pyfloat":';

/**
 * JSON text (what hdmf and hdmf-zarr cache: `json.dumps`) parsed with JSON.parse, each number
 * spelled as a float wrapped as PyFloat; undefined when the text is not strict JSON (NaN,
 * Infinity, YAML). A number token outside strings that has ".", "e" or "E" becomes
 * `{"\0pyfloat": n}` before JSON.parse, and the reviver turns it into a PyFloat.
 */
export function parseJsonKeepingFloats(text: string): PyJson | undefined {
  const parts: string[] = [];
  let last = 0;
  for (let i = 0; i < text.length;) {
    const c = text.charCodeAt(i);
    if (c === 0x22) { // a string: jump to its closing quote (one not escaped)
      let j = text.indexOf('"', i + 1);
      while (j > 0) {
        let bs = 0;
        while (text.charCodeAt(j - 1 - bs) === 0x5c) bs++;
        if (bs % 2 === 0) break;
        j = text.indexOf('"', j + 1);
      }
      if (j < 0) return undefined;
      i = j + 1;
    } else if (c === 0x2d || (c >= 0x30 && c <= 0x39)) {
      let j = i + 1, float = false;
      for (; j < text.length; j++) {
        const d = text.charCodeAt(j);
        if (d === 0x2e || d === 0x65 || d === 0x45) float = true;
        else if (!((d >= 0x30 && d <= 0x39) || d === 0x2b || d === 0x2d)) break;
      }
      if (float) { parts.push(text.slice(last, i), FLOAT_OPEN, text.slice(i, j), "}"); last = j; }
      i = j;
    } else i++;
  }
  parts.push(text.slice(last));
  try {
    return JSON.parse(parts.join(""), (_k, v: unknown) =>
      v !== null && typeof v === "object" && !Array.isArray(v) && FLOAT_KEY in v ? new PyFloat((v as Record<string, number>)[FLOAT_KEY]!) : v) as PyJson;
  } catch {
    return undefined;
  }
}

/** Parse YAML (or JSON, a subset: read by JSON.parse when it is strict JSON) keeping the float/int distinction. */
export function parseYamlKeepingFloats(text: string, where: string): PyJson {
  const first = text.trimStart()[0];
  if (first === "{" || first === "[") {
    const json = parseJsonKeepingFloats(text);
    if (json !== undefined) return json;
  }
  return parseYamlDocument(text, where);
}

/** The YAML parser's reading of `text` (any YAML), floats kept. @internal */
export function parseYamlDocument(text: string, where: string): PyJson {
  const doc = yaml().parseDocument(text, { uniqueKeys: true });
  if (doc.errors.length > 0) {
    throw new InvalidInputError(`${where}: ${doc.errors[0]!.message}`, { option: where, cause: doc.errors[0] });
  }
  return nodeToJs(doc.contents as Node | null, where);
}
