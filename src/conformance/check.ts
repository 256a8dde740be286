/**
 * Runner-independent checks for the cases. A failed check throws node's AssertionError with
 * a message that names the path and says what was expected, so the same message reaches a
 * vitest report and the CLI table.
 */
import { AssertionError } from "node:assert";
import { isHdmfError, type HdmfError, type HdmfErrorKind } from "../errors.js";
import { NdArray } from "../data/ndarray.js";
import type { RawDataset, RawGroup, RawLink, RawNode } from "./types.js";

/** Thrown by a case that finds at run time that the fixture cannot do what it checks (reported as unsupported). */
export class CaseUnsupported extends Error {
  override readonly name = "CaseUnsupported";
}

/** Fail the case with an AssertionError carrying `message`. */
export function fail(message: string): never {
  throw new AssertionError({ message });
}

export function ok(condition: unknown, message: string): asserts condition {
  if (!condition) fail(message);
}

/** A short, bigint-safe rendering for messages. */
export function show(value: unknown, max = 120): string {
  const proto = value !== null && typeof value === "object" ? Object.getPrototypeOf(value) : null;
  if (proto && proto !== Object.prototype && proto !== Array.prototype && !ArrayBuffer.isView(value)) {
    const p = (value as { path?: unknown }).path;
    return `<${(value as object).constructor?.name ?? "object"}${typeof p === "string" ? ` ${p}` : ""}>`;
  }
  const s = JSON.stringify(value, (_k, v: unknown) => (typeof v === "bigint" ? `${v}n` : typeof v === "number" && !Number.isFinite(v) ? String(v) : v));
  const text = s === undefined ? String(value) : s;
  return text.length > max ? `${text.slice(0, max)}…` : text;
}

function same(a: unknown, b: unknown): boolean {
  if (typeof a === "number" && typeof b === "number") return Object.is(a, b) || a === b;
  return a === b;
}

export function equal(actual: unknown, expected: unknown, what: string): void {
  if (!same(actual, expected)) fail(`${what}: expected ${show(expected)}, got ${show(actual)}`);
}

/** Element-wise equality of two flat lists (NaN equals NaN, -0 equals 0, bigint strict). */
export function listEqual(actual: ArrayLike<unknown>, expected: ArrayLike<unknown>, what: string): void {
  if (actual.length !== expected.length) fail(`${what}: expected ${expected.length} values, got ${actual.length} (${show(Array.from(actual))})`);
  for (let i = 0; i < expected.length; i++) {
    const a = actual[i];
    const e = expected[i];
    const eq = typeof a === "number" && typeof e === "number" ? (Number.isNaN(a) && Number.isNaN(e)) || a === e : deepEqual(a, e);
    if (!eq) fail(`${what}: value [${i}] expected ${show(e)}, got ${show(a)}`);
  }
}

export function deepEqual(a: unknown, b: unknown): boolean {
  if (same(a, b)) return true;
  if (typeof a === "number" && typeof b === "number") return Number.isNaN(a) && Number.isNaN(b);
  if (typeof a !== "object" || typeof b !== "object" || a === null || b === null) return false;
  if (Array.isArray(a) !== Array.isArray(b)) return false;
  const ka = Object.keys(a);
  const kb = Object.keys(b);
  if (ka.length !== kb.length) return false;
  return ka.every((k) => deepEqual((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k]));
}

/** Shape and values of an NdArray read back against what was written. */
export function arrayEqual(actual: NdArray, expected: NdArray, what: string): void {
  ok(actual instanceof NdArray, `${what}: expected an NdArray, got ${show(actual)}`);
  equal(actual.shape.join(","), expected.shape.join(","), `${what}: shape`);
  if (expected.dtype.kind === "numeric" && actual.dtype.kind === "numeric") {
    equal(actual.dtype.name, expected.dtype.name, `${what}: dtype`);
    listEqual(actual.data as ArrayLike<unknown>, expected.data as ArrayLike<unknown>, what);
    return;
  }
  equal(actual.dtype.kind, expected.dtype.kind, `${what}: dtype kind`);
  listEqual(actual.toArray().map(plain), expected.toArray().map(plain), what);
}

/** Compare typed-array storage bit for bit (NaN payloads, float16 bits). */
export function bitsEqual(actual: NdArray, expected: NdArray, what: string): void {
  const a = actual.data as ArrayBufferView;
  const e = expected.data as ArrayBufferView;
  ok(ArrayBuffer.isView(a), `${what}: expected typed-array data, got ${show(actual.data)}`);
  const ab = new Uint8Array(a.buffer, a.byteOffset, a.byteLength);
  const eb = new Uint8Array(e.buffer, e.byteOffset, e.byteLength);
  if (ab.length !== eb.length) fail(`${what}: expected ${eb.length} bytes, got ${ab.length}`);
  for (let i = 0; i < eb.length; i++) {
    if (ab[i] !== eb[i]) fail(`${what}: bit pattern differs at byte ${i} (element ${Math.floor(i / (eb.length / Math.max(expected.size, 1)))}): expected 0x${eb[i]!.toString(16)}, got 0x${ab[i]!.toString(16)}`);
  }
}

/** References and records compare by their plain fields. */
export function plain(v: unknown): unknown {
  if (v && typeof v === "object" && "kind" in v && "path" in v) {
    const r = v as { kind: string; path: string; resolvedPath?: string; source?: string };
    return { ref: r.kind, path: r.resolvedPath ?? r.path, source: r.source ?? null };
  }
  if (v && typeof v === "object" && !Array.isArray(v)) {
    return Object.fromEntries(Object.entries(v as Record<string, unknown>).map(([k, x]) => [k, plain(x)]));
  }
  return v;
}

/**
 * Await `action` and require a typed HdmfError of one of `kinds`; returns it. A plain Error,
 * a string, or success fails the case with what happened instead.
 */
export async function rejects(action: () => Promise<unknown>, kinds: readonly HdmfErrorKind[], what: string): Promise<HdmfError> {
  let outcome: unknown;
  try {
    await action();
    return fail(`${what}: expected ${kinds.join(" or ")} error, but it succeeded`);
  } catch (e) {
    if (e instanceof AssertionError) throw e;
    outcome = e;
  }
  if (!isHdmfError(outcome)) {
    const desc = outcome instanceof Error ? `${outcome.name}: ${outcome.message}` : show(outcome);
    fail(`${what}: expected a typed HdmfError (${kinds.join(" or ")}), got an untyped ${desc}`);
  }
  if (!kinds.includes(outcome.kind)) fail(`${what}: expected ${kinds.join(" or ")} error, got ${outcome.name} (${outcome.kind}): ${outcome.message}`);
  return outcome;
}

/** The error names `path` in a field or in its message. */
export function namesPath(err: HdmfError, path: string, what: string): void {
  const fields = err as unknown as { path?: string; key?: string; target?: string };
  const hit = [fields.path, fields.key, fields.target].some((f) => typeof f === "string" && f.includes(path)) || err.message.includes(path);
  ok(hit, `${what}: the ${err.name} does not name ${path}: ${err.message}`);
}

export function asGroup(node: RawNode | undefined, path: string): RawGroup {
  ok(node !== undefined, `backdoor: nothing is stored at ${path}`);
  ok(node.kind === "group", `backdoor: ${path} is a ${node.kind}, expected a group`);
  return node;
}

export function asDataset(node: RawNode | undefined, path: string): RawDataset {
  ok(node !== undefined, `backdoor: nothing is stored at ${path}`);
  ok(node.kind === "dataset", `backdoor: ${path} is a ${node.kind}, expected a dataset`);
  return node;
}

export function asLink(node: RawNode | undefined, path: string): RawLink {
  ok(node !== undefined, `backdoor: nothing is stored at ${path}`);
  ok(node.kind === "link", `backdoor: ${path} is a ${node.kind}, expected a link`);
  return node;
}

/** The backdoor holds attribute `name` with a value loosely equal to `expected` (numbers by value). */
export function rawAttrEqual(attrs: Readonly<Record<string, unknown>>, name: string, expected: unknown, where: string): void {
  ok(name in attrs, `backdoor: attribute "${name}" is missing on ${where} (stored: ${Object.keys(attrs).join(", ") || "none"})`);
  const loose = (v: unknown): unknown => {
    if (typeof v === "bigint") return Number(v);
    if (Array.isArray(v)) return v.length === 1 && !Array.isArray(expected) ? loose(v[0]) : v.map(loose);
    if (typeof v === "boolean") return v ? 1 : 0;
    return v;
  };
  const a = loose(attrs[name]);
  const e = loose(expected);
  if (!deepEqual(a, e)) fail(`backdoor: attribute "${name}" on ${where}: expected ${show(e)}, got ${show(a)}`);
}

/** The backdoor's dtype tag for a data-layer dtype ("i8", "f2", "b1", "str", "ref", "compound", "object"). */
export function dtypeTag(dtype: import("../data/dtype.js").Dtype): string {
  switch (dtype.kind) {
    case "numeric": {
      const sizes: Record<string, string> = {
        bool: "b1", int8: "i1", int16: "i2", int32: "i4", int64: "i8", uint8: "u1", uint16: "u2", uint32: "u4", uint64: "u8",
        float16: "f2", float32: "f4", float64: "f8", complex64: "c8", complex128: "c16",
      };
      return sizes[dtype.name]!;
    }
    case "string": return "str";
    case "reference": return "ref";
    default: return dtype.kind;
  }
}
