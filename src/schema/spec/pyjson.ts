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
