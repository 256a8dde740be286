/**
 * References, links and attributes in the two NWB-Zarr conventions (convention.ts decides which).
 *
 * Legacy (hdmf-zarr <= 0.13):
 * - A reference is `{"object_id", "path", "source", "source_object_id"}` (hdmf-zarr
 *   utils.ZarrReference; `source` "." = this store). In a dataset it is one element of an
 *   object array (json2 codec); in an attribute it is `{"zarr_dtype": "object", "value": {...}}`.
 * - Links are entries of the parent group's `zarr_link` attribute:
 *   `{"name", "object_id", "path", "source", "source_object_id"}` (hdmf-zarr 0.6 writes name,
 *   path, source; newer hdmf-zarr adds the two ids, which 0.6 ignores on read).
 * Unified (hdmf-zarr >= 0.14, LINDI, Zindi):
 * - a reference dataset element is the target's path string ("" = a null reference); a reference
 *   to another store is the JSON text of `{"source", "path"}` (the doc's "dicts instead of plain
 *   strings" extension, which backend.py's resolve_ref reads);
 * - an attribute reference is `{"_REFERENCE": {"source", "path"}}`;
 * - links are `_LINKS: [{"name", "source", "path"}]`.
 * Reading accepts both spellings everywhere.
 */
import { FormatError, InvalidInputError } from "../../errors.js";
import { NUMERIC_TABLE, dtypes, type Dtype } from "../../data/dtype.js";
import { NdArray } from "../../data/ndarray.js";
import { isReference, ObjectReference, RegionReference } from "../../data/reference.js";
import type { ObjectValue } from "../../codecs/codec.js";
import { Builder, type AttributeValue, type GroupBuilder } from "../../schema/builders.js";
import type { ElementMapper } from "../engine/chunk-codec.js";
import { nameProblem, normalizePath, pathProblem } from "./keys.js";
import { describeJson, pyDumps, isJsonObject, PyFloat, toPlainJson, type PyJsonValue } from "../../data/py-json.js";
import type { JsonDoc } from "./array-meta.js";
import { LEGACY_LINKS, LINKS_ATTR, REFERENCE_KEY, unwrapReference, type Convention } from "./convention.js";

export { RESERVED_ATTRS } from "./convention.js";

export interface ZarrRefJson {
  [key: string]: string | null;
  object_id: string | null;
  path: string;
  source: string;
  source_object_id: string | null;
}

/** What writing a reference needs to know about the tree being written. */
export interface RefContext {
  readonly root: GroupBuilder | undefined;
  /** object_id of the root being written (hdmf-zarr's source_object_id). */
  readonly rootObjectId: string | null;
  /** The convention references are written in (the store's format decides). */
  readonly convention: Convention;
}

/** A RefContext for reading or for writing outside a tree (region writes, specs). */
export function plainRefContext(convention: Convention): RefContext {
  return { root: undefined, rootObjectId: null, convention };
}

function objectIdAt(root: GroupBuilder | undefined, path: string): string | null {
  if (!root) return null;
  const node = path === "/" ? root : root.find(path);
  const id = node instanceof Builder ? node.getAttribute("object_id") : undefined;
  return typeof id === "string" ? id : null;
}

export function toZarrRef(ref: ObjectReference, ctx: RefContext): ZarrRefJson {
  const path = ref.isNull ? "" : normalizePath(ref.resolvedPath);
  const external = ref.source !== undefined && ref.source !== "." && ref.source !== "";
  return {
    object_id: ref.objectId ?? (external ? null : objectIdAt(ctx.root, path)),
    path,
    source: external ? ref.source! : ".",
    source_object_id: external ? null : ctx.rootObjectId,
  };
}

export function fromZarrRef(value: unknown, where: string): ObjectReference {
  if (value === null || value === undefined || value === 0) return new ObjectReference("");
  if (typeof value !== "object" || Array.isArray(value) || value instanceof Uint8Array) {
    throw new FormatError(`${where}: a reference must be a {source, path, ...} object, got ${describeJson(value as PyJsonValue)}`, { path: where });
  }
  const v = toPlainJson(value as PyJsonValue) as Record<string, unknown>;
  if (typeof v.path !== "string") throw new FormatError(`${where}: reference without a "path"`, { path: where });
  const bad = pathProblem(v.path);
  // InvalidInputError like every path that could address a key outside the store (keys.ts)
  if (bad) throw new InvalidInputError(`${where}: invalid reference path ${JSON.stringify(v.path)}: ${bad}`, { path: where });
  const source = typeof v.source === "string" && v.source !== "." && v.source !== "" ? v.source : undefined;
  const objectId = typeof v.object_id === "string" ? v.object_id : undefined;
  return new ObjectReference(v.path === "" ? "" : normalizePath(v.path), source, objectId);
}

/** The unified convention's stored form of a reference: the target path, or JSON {source, path} for another store. */
export function toPathRef(ref: ObjectReference): string {
  if (ref.isNull) return "";
  const path = normalizePath(ref.resolvedPath);
  const external = ref.source !== undefined && ref.source !== "." && ref.source !== "";
  return external ? JSON.stringify({ source: ref.source, path }) : path;
}

/** A unified-convention reference element: a path string (or JSON dict text; a legacy dict is read too). */
export function fromPathRef(value: unknown, where: string): ObjectReference {
  if (typeof value === "string") {
    if (value === "") return new ObjectReference("");
    if (value.startsWith("{")) {
      let parsed: unknown;
      try {
        parsed = JSON.parse(value);
      } catch (e) {
        throw new FormatError(`${where}: reference element is neither a path nor JSON: ${value.slice(0, 40)}`, { path: where, cause: e });
      }
      return fromZarrRef(parsed, where);
    }
    return fromZarrRef({ source: ".", path: value }, where);
  }
  return fromZarrRef(value, where);
}

/** Element mapper for reference datasets and compound fields holding references, in a convention. */
export function referenceMapper(ctx: RefContext, where: string, convention: Convention = ctx.convention): ElementMapper {
  const unified = convention === "nwb-zarr-v3";
  return {
    toStored(value: unknown): ObjectValue {
      if (value instanceof ObjectReference) return unified ? toPathRef(value) : toZarrRef(value, ctx);
      if (value instanceof RegionReference) throw new FormatError(`${where}: region references cannot be stored in Zarr (as in hdmf-zarr)`, { path: where });
      if (value === null || value === undefined) return unified ? "" : null;
      return value as ObjectValue;
    },
    fromStored(value: ObjectValue, dtype: Dtype): unknown {
      if (dtype.kind === "reference") return unified ? fromPathRef(value, where) : fromZarrRef(value, where);
      return value;
    },
  };
}

/** An attribute reference in the context's convention. */
function refAttribute(ref: ObjectReference, ctx: RefContext): PyJsonValue {
  if (ctx.convention === "nwb-zarr-v3") {
    const r = toZarrRef(ref, ctx);
    return { [REFERENCE_KEY]: { source: r.source, path: r.path } };
  }
  return { value: toZarrRef(ref, ctx), zarr_dtype: "object" };
}

/** One attribute as hdmf-zarr's write_attributes stores it. */
export function encodeAttribute(value: AttributeValue, dtype: Dtype, ctx: RefContext, where: string): PyJsonValue {
  if (value === null) return null;
  if (isReference(value)) {
    if (!(value instanceof ObjectReference)) throw new FormatError(`${where}: region references cannot be stored in Zarr`, { path: where });
    return refAttribute(value, ctx);
  }
  if (value instanceof NdArray) {
    // numpy tolist(): nested lists following the shape (a 0-d array is its element).
    const flat = value.toArray().map((v) => scalarToJson(v, value.dtype, ctx, where));
    const nest = (axis: number, offset: number, stride: number): PyJsonValue => {
      if (axis === value.shape.length) return flat[offset] ?? null;
      const n = value.shape[axis]!;
      const inner = stride / Math.max(n, 1);
      return Array.from({ length: n }, (_, i) => nest(axis + 1, offset + i * inner, inner));
    };
    return nest(0, 0, flat.length);
  }
  return scalarToJson(value, dtype, ctx, where);
}

function scalarToJson(v: unknown, dtype: Dtype, ctx: RefContext, where: string): PyJsonValue {
  if (v instanceof ObjectReference) return refAttribute(v, ctx);
  if (typeof v === "bigint") return Number.isSafeInteger(Number(v)) ? Number(v) : v;
  if (typeof v === "number") {
    const isFloat = dtype.kind === "numeric" && (NUMERIC_TABLE[dtype.name].char === "f" || NUMERIC_TABLE[dtype.name].char === "c");
    return isFloat || !Number.isInteger(v) ? new PyFloat(v) : v;
  }
  if (typeof v === "string" || typeof v === "boolean" || v === null) return v;
  return toPlainJson(v as PyJsonValue) as PyJsonValue;
}

/** Decode one stored attribute into a builder attribute value + dtype. */
export function decodeAttribute(raw: PyJsonValue, where: string): { value: AttributeValue; dtype: Dtype } {
  const unified = unwrapReference(raw);
  if (unified) return { value: fromZarrRef(unified, where), dtype: dtypes.objectRef };
  if (isJsonObject(raw) && "zarr_dtype" in raw) {
    if (raw.zarr_dtype === "object") return { value: fromZarrRef(raw.value, where), dtype: dtypes.objectRef };
    throw new FormatError(`${where}: unsupported attribute zarr_dtype ${describeJson(raw.zarr_dtype ?? null)}`, { path: where });
  }
  if (raw instanceof PyFloat) return { value: raw.value, dtype: dtypes.float64 };
  if (typeof raw === "number") return { value: raw, dtype: dtypes.int64 };
  if (typeof raw === "bigint") return { value: raw, dtype: raw > 0x7fffffffffffffffn ? dtypes.uint64 : dtypes.int64 };
  if (typeof raw === "string") return { value: raw, dtype: dtypes.utf8 };
  if (typeof raw === "boolean") return { value: raw, dtype: dtypes.bool };
  if (raw === null) return { value: null, dtype: dtypes.utf8 };
  if (Array.isArray(raw)) {
    const arr = listToArray(raw, where);
    return { value: arr, dtype: arr.dtype };
  }
  return { value: pyDumps(raw, { compact: true, sortKeys: true }), dtype: dtypes.utf8 };
}

function listToArray(list: PyJsonValue[], where: string): NdArray {
  const shape: number[] = [];
  const flat: PyJsonValue[] = [];
  const walk = (v: PyJsonValue, depth: number): void => {
    if (Array.isArray(v)) {
      if (shape.length === depth) shape.push(v.length);
      else if (shape[depth] !== v.length) throw new FormatError(`${where}: ragged list attribute`, { path: where });
      v.forEach((x) => walk(x, depth + 1));
    } else flat.push(v);
  };
  walk(list, 0);
  if (flat.every((v) => typeof v === "string")) return new NdArray(flat as string[], shape, dtypes.utf8);
  if (flat.length > 0 && flat.every((v) => typeof v === "boolean")) return new NdArray(Uint8Array.from(flat as boolean[], Number), shape, dtypes.bool);
  if (flat.every((v) => typeof v === "number" || v instanceof PyFloat || typeof v === "bigint")) {
    if (flat.some((v) => v instanceof PyFloat) || flat.length === 0) return new NdArray(Float64Array.from(flat, (v) => Number(v instanceof PyFloat ? v.value : v)), shape, dtypes.float64);
    const ints = flat.map((v) => BigInt(v as number | bigint));
    if (ints.some((v) => v > 0x7fffffffffffffffn)) return new NdArray(BigUint64Array.from(ints), shape, dtypes.uint64);
    return new NdArray(BigInt64Array.from(ints), shape, dtypes.int64);
  }
  if (flat.length > 0 && flat.every((v) => isJsonObject(v) && v.zarr_dtype === "object")) {
    return new NdArray(flat.map((v) => fromZarrRef((v as JsonDoc).value, where)), shape, dtypes.objectRef);
  }
  if (flat.length > 0 && flat.every((v) => unwrapReference(v) !== undefined)) {
    return new NdArray(flat.map((v) => fromZarrRef(unwrapReference(v), where)), shape, dtypes.objectRef);
  }
  return new NdArray(flat.map((v) => toPlainJson(v)) as never[], shape, dtypes.object);
}

export interface ZarrLinkJson {
  [key: string]: string | null;
  name: string;
  object_id: string | null;
  path: string;
  source: string;
  source_object_id: string | null;
}

/** A unified `_LINKS` entry (backend.py __add_link__ writes source, path, name). */
export interface UnifiedLinkJson {
  [key: string]: string;
  source: string;
  path: string;
  name: string;
}

/** A group's links: `_LINKS` (unified), else `zarr_link` (legacy), as backend.py __read_links. */
export function parseLinks(attrs: JsonDoc, groupPath: string): Array<{ name: string; path: string; source: string | undefined }> {
  return LINKS_ATTR in attrs ? parseZarrLinks(attrs[LINKS_ATTR], groupPath, LINKS_ATTR) : parseZarrLinks(attrs[LEGACY_LINKS], groupPath);
}

export function parseZarrLinks(raw: PyJsonValue | undefined, groupPath: string, attr: string = LEGACY_LINKS): Array<{ name: string; path: string; source: string | undefined }> {
  if (raw === undefined || raw === null) return [];
  const where = `${groupPath} ${attr}`;
  if (!Array.isArray(raw)) throw new FormatError(`${where}: must be a list`, { path: groupPath });
  return raw.map((e, i) => {
    if (!isJsonObject(e) || typeof e.name !== "string" || typeof e.path !== "string") {
      throw new FormatError(`${where}[${i}]: a link needs "name" and "path"`, { path: groupPath });
    }
    const badName = nameProblem(e.name);
    // InvalidInputError like every name or path that could address a key outside the store (keys.ts)
    if (badName) throw new InvalidInputError(`${where}[${i}]: invalid link name ${JSON.stringify(e.name)}: ${badName}`, { path: groupPath });
    const badPath = pathProblem(e.path);
    if (badPath) throw new InvalidInputError(`${where}[${i}]: invalid target path ${JSON.stringify(e.path)}: ${badPath}`, { path: groupPath });
    // An absolute source is kept (h5py and hdmf-zarr's os.path.join allow it); nothing is opened here.
    const source = typeof e.source === "string" && e.source !== "." && e.source !== "" ? e.source : undefined;
    return { name: e.name, path: normalizePath(e.path), source };
  });
}
