/**
 * The one place that decides which NWB-Zarr attribute convention a node is written and read in
 * (docs/notes/zarr-v3-convention.md):
 *
 * - "hdmf-zarr-v2" — hdmf-zarr <= 0.13 (storage.rst "Legacy Zarr v2 Convention"): `zarr_dtype`
 *   on every dataset ("scalar" = a 1-element array, "object" = references as
 *   `{object_id, path, source, source_object_id}` dicts, a field list for compounds), links in
 *   `zarr_link`, attribute references `{"zarr_dtype": "object", "value": {...}}`. Compounds with
 *   reference fields are our JSON-row object arrays (never pickle; README "Deviations").
 * - "nwb-zarr-v3" — the unified v3 convention of hdmf-zarr >= 0.14, LINDI and Zindi
 *   (storage.rst): `_LINKS: [{name, source, path}]`, `_DTYPE` ("object_reference" for reference
 *   datasets, whose elements are plain target path strings), `{"_REFERENCE": {source, path}}`
 *   attributes, compounds as the v3 `struct` data type with fixed-length UTF-32 string and
 *   reference fields listed in `_REFERENCE_FIELDS`, scalars as 0-d arrays.
 *
 * Writing: the convention is a property of the store's format (v2 -> legacy, v3 -> unified).
 * Reading: decided per node from its attributes (a node with `zarr_dtype` is legacy, whatever
 * the format: hdmf-ts before this convention wrote the legacy attributes into v3 metadata), so
 * both conventions, and plain zarr-python stores, read without being told.
 */
import type { JsonDoc } from "./array-meta.js";
import type { ZarrFormat } from "./keys.js";
import { isJsonObject, type PyJsonValue } from "../../data/py-json.js";

export type Convention = "hdmf-zarr-v2" | "nwb-zarr-v3";

export const LEGACY_DTYPE = "zarr_dtype";
export const LEGACY_LINKS = "zarr_link";
export const DTYPE_ATTR = "_DTYPE";
export const LINKS_ATTR = "_LINKS";
export const REFERENCE_FIELDS_ATTR = "_REFERENCE_FIELDS";
export const REFERENCE_KEY = "_REFERENCE";
/** hdmf-zarr's ZarrSpecWriter marks its [1]-shaped spec arrays with `_SCALAR: true` (utils.py). */
export const SPEC_SCALAR_ATTR = "_SCALAR";
/** `_DTYPE` of a reference dataset. */
export const OBJECT_REFERENCE = "object_reference";
/** backend.py COMPOUND_DTYPE_MIN_STRING_LENGTH: fixed string fields of compounds are at least this wide. */
export const COMPOUND_MIN_STRING_LENGTH = 512;

/** Attribute names that are layout, not HDMF attributes (backend.py __reserve_attribute, both conventions). */
export const RESERVED_ATTRS: ReadonlySet<string> = new Set([LEGACY_DTYPE, LEGACY_LINKS, DTYPE_ATTR, LINKS_ATTR, REFERENCE_FIELDS_ATTR]);

/** The convention a new node of a store of this format is written in. */
export function writeConvention(format: ZarrFormat): Convention {
  return format === 3 ? "nwb-zarr-v3" : "hdmf-zarr-v2";
}

/** The convention a stored node is read in: legacy when it carries `zarr_dtype` or is v2. */
export function nodeConvention(format: ZarrFormat, attrs: JsonDoc): Convention {
  if (format === 2 || LEGACY_DTYPE in attrs) return "hdmf-zarr-v2";
  return "nwb-zarr-v3";
}

/** The attribute holding a group's links in a convention. */
export function linksAttr(c: Convention): string {
  return c === "nwb-zarr-v3" ? LINKS_ATTR : LEGACY_LINKS;
}

/** How a dataset is stored, for its marker attributes. */
export interface DatasetKind {
  /** hdmf-zarr's type name (numpy/python names, "str", "bytes", "object", a field list). */
  readonly typeName: PyJsonValue;
  readonly scalar: boolean;
  readonly reference: boolean;
  readonly compound: boolean;
  /** Fed by a DataChunkIterator: hdmf-zarr records the numpy typestr ("<f8") instead. */
  readonly iteratorTypestr?: string;
  /** Compound fields holding references (unified convention). */
  readonly referenceFields?: readonly string[];
}

/**
 * The attributes a dataset carries to say what it holds: legacy `zarr_dtype` (backend.py v0.6
 * __serial_dtype__, "scalar", typestr for iterators); unified `_DTYPE` on every non-compound
 * dataset ("object_reference" for references; the type name as backend.py __serial_dtype__,
 * "str" for every text kind since v3 stores bytes as UTF-8 text) and `_REFERENCE_FIELDS` on a
 * compound with reference fields.
 */
export function datasetMarker(c: Convention, k: DatasetKind): JsonDoc {
  if (c === "hdmf-zarr-v2") return { [LEGACY_DTYPE]: k.scalar ? "scalar" : k.iteratorTypestr ?? k.typeName };
  if (k.compound) return k.referenceFields?.length ? { [REFERENCE_FIELDS_ATTR]: [...k.referenceFields] } : {};
  if (k.reference) return { [DTYPE_ATTR]: OBJECT_REFERENCE };
  if (k.iteratorTypestr && !k.scalar) return { [DTYPE_ATTR]: k.iteratorTypestr };
  return { [DTYPE_ATTR]: k.typeName === "bytes" ? "str" : k.typeName };
}

/** Scalars: a 1-element array in the legacy convention, a 0-d array in the unified one. */
export function scalarShape(c: Convention): number[] {
  return c === "nwb-zarr-v3" ? [] : [1];
}

/** Whether a stored node is marked as a unified-convention reference dataset. */
export function isUnifiedReferenceArray(attrs: JsonDoc): boolean {
  return attrs[DTYPE_ATTR] === OBJECT_REFERENCE;
}

/** The unified `_REFERENCE_FIELDS` list of a node (empty when absent or malformed). */
export function referenceFields(attrs: JsonDoc): string[] {
  const v = attrs[REFERENCE_FIELDS_ATTR];
  return Array.isArray(v) ? v.filter((x): x is string => typeof x === "string") : [];
}

/** `{"_REFERENCE": {source, path}}` -> its inner dict, else undefined. */
export function unwrapReference(v: PyJsonValue): JsonDoc | undefined {
  if (isJsonObject(v) && Object.keys(v).length === 1 && isJsonObject(v[REFERENCE_KEY])) return v[REFERENCE_KEY] as JsonDoc;
  return undefined;
}

/** The path `.specloc` holds: a path string, or backend.py's `{"_REFERENCE": {path}}`; else undefined. */
export function specLocPath(v: PyJsonValue | undefined): string | undefined {
  const inner = v !== undefined && v !== null ? (unwrapReference(v)?.path ?? v) : undefined;
  return typeof inner === "string" ? inner : undefined;
}
