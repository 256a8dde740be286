/**
 * A checker for the unified NWB-Zarr v3 convention, written from hdmf-zarr's
 * `docs/source/storage.rst` (hdmf-zarr >= 0.14, shared with LINDI and Zindi). It reads every
 * `zarr.json` of a store as stored (Python's JSON: bare NaN / Infinity tokens are accepted, as
 * the doc says they are written) and reports each deviation with the node's path:
 *
 * - legacy attributes: no `zarr_link` / `zarr_dtype` key anywhere (also inside attribute values);
 * - links: `_LINKS` only on groups, a list of `{name, source, path}` strings, `path` absolute,
 *   `source` "." or a relative store path; a "." target must exist;
 * - attribute references: `{"_REFERENCE": {"source", "path"}}` exactly, path absolute; no bare
 *   `{source, path, object_id, ...}` dicts (the legacy value form);
 * - reference datasets: `_DTYPE: "object_reference"` on a `string` array whose elements are
 *   target paths that exist (read through the IO);
 * - compounds: `_REFERENCE_FIELDS` only on `struct` arrays, naming `fixed_length_utf32` fields;
 *   every text field of a struct is `fixed_length_utf32`;
 * - scalars: the paths given in `scalars` are 0-d arrays; no array outside the cached specs
 *   carries hdmf-zarr's `_SCALAR`;
 * - `.specloc` on the root only, a string (or `_REFERENCE`) naming a group.
 */
import { openIO } from "../backends/factory.js";
import { ObjectReference } from "../data/reference.js";
import { isJsonObject, pyParse, type PyJsonValue } from "../data/py-json.js";
import type { Store, StoreKey } from "../stores/store.js";

export interface ConventionProblem {
  readonly path: string;
  readonly rule: string;
  readonly message: string;
}

export interface ConventionReport {
  readonly problems: ConventionProblem[];
  /** What was checked (so a caller can tell an empty pass from a real one). */
  readonly counts: { groups: number; arrays: number; links: number; referenceAttrs: number; referenceArrays: number; references: number; compoundReferenceFields: number; scalars: number };
}

export interface ConventionCheckOptions {
  /** Paths of datasets that are scalars in the source: each must be a 0-d array. */
  readonly scalars?: readonly string[];
  /** Read reference datasets and check every element names an existing object (default true). */
  readonly readReferences?: boolean;
}

type Doc = { [k: string]: PyJsonValue };
interface Node { path: string; doc: Doc; attrs: Doc }

const LEGACY = new Set(["zarr_link", "zarr_dtype"]);

/** Check a Zarr v3 store (a location the factory opens) against the unified convention. */
export async function checkZarrV3Convention(location: string, options: ConventionCheckOptions = {}): Promise<ConventionReport> {
  const io = await openIO(location, "r");
  try {
    if (io.format !== "zarr3") {
      return { problems: [{ path: "/", rule: "format", message: `${location} is ${io.format}, not Zarr v3` }], counts: zeroCounts() };
    }
    const store = io.store;
    if (!store) return { problems: [{ path: "/", rule: "format", message: `${location} has no raw store` }], counts: zeroCounts() };
    return await checkStore(store, options, async (path) => {
      const d = await io.dataset(path);
      try { return (await d.read()).toArray(); } finally { d.close(); }
    });
  } finally {
    await io.close();
  }
}

function zeroCounts(): ConventionReport["counts"] {
  return { groups: 0, arrays: 0, links: 0, referenceAttrs: 0, referenceArrays: 0, references: 0, compoundReferenceFields: 0, scalars: 0 };
}

async function readNodes(store: Store): Promise<Map<string, Node>> {
  const nodes = new Map<string, Node>();
  for await (const key of store.list("/")) {
    if (!key.endsWith("/zarr.json")) continue;
    const path = key === "/zarr.json" ? "/" : key.slice(0, -"/zarr.json".length);
    const doc = pyParse((await store.get(key as StoreKey))!, key);
    if (!isJsonObject(doc)) continue;
    nodes.set(path, { path, doc, attrs: isJsonObject(doc.attributes) ? doc.attributes : {} });
  }
  return nodes;
}

async function checkStore(store: Store, options: ConventionCheckOptions, readValues: (path: string) => Promise<unknown[]>): Promise<ConventionReport> {
  const problems: ConventionProblem[] = [];
  const counts = zeroCounts();
  const bad = (path: string, rule: string, message: string): void => { problems.push({ path, rule, message }); };
  const nodes = await readNodes(store);
  const exists = (p: string): boolean => nodes.has(p === "" ? "/" : p) || isLinkName(nodes, p);
  const specRoot = specLocation(nodes.get("/")?.attrs[".specloc"]);
  for (const n of [...nodes.values()].sort((a, b) => (a.path < b.path ? -1 : 1))) {
    const { path, doc, attrs } = n;
    if (doc.zarr_format !== 3) bad(path, "format", `zarr_format is ${String(doc.zarr_format)}, not 3`);
    const isGroup = doc.node_type === "group";
    if (isGroup) counts.groups++; else counts.arrays++;
    scanLegacy(attrs, path, bad);
    for (const [k, v] of Object.entries(attrs)) checkAttrValue(v, `${path}@${k}`, k, exists, bad, counts);
    if (".specloc" in attrs && path !== "/") bad(path, "specloc", ".specloc is allowed on the root only");
    if ("_LINKS" in attrs) {
      if (!isGroup) bad(path, "links", "_LINKS on an array (links live on groups)");
      checkLinks(attrs._LINKS, path, exists, bad, counts);
    }
    if (isGroup) continue;
    const inSpecs = specRoot !== undefined && (path === specRoot || path.startsWith(`${specRoot}/`));
    if ("_SCALAR" in attrs && !inSpecs) bad(path, "scalar", "_SCALAR outside the cached specs: scalars are 0-d arrays");
    const shape = Array.isArray(doc.shape) ? doc.shape : [];
    if (shape.length === 0) counts.scalars++;
    const dt = doc.data_type;
    if ("_DTYPE" in attrs && typeof attrs._DTYPE !== "string") bad(path, "dtype", "_DTYPE must be a string");
    if (attrs._DTYPE === "object_reference") {
      counts.referenceArrays++;
      if (dt !== "string") bad(path, "reference-dataset", `a reference dataset must be a "string" array, got data_type ${JSON.stringify(dt)}`);
      else if (options.readReferences !== false) {
        for (const v of await readValues(path)) {
          counts.references++;
          checkRefValue(v, path, exists, bad);
        }
      }
    }
    const fields = structFields(dt);
    if ("_REFERENCE_FIELDS" in attrs) {
      const rf = attrs._REFERENCE_FIELDS;
      if (!fields) bad(path, "reference-fields", "_REFERENCE_FIELDS on an array that is not a struct");
      else if (!Array.isArray(rf) || rf.some((x) => typeof x !== "string")) bad(path, "reference-fields", "_REFERENCE_FIELDS must be a list of field names");
      else {
        for (const name of rf as string[]) {
          counts.compoundReferenceFields++;
          const f = fields.find((x) => x.name === name);
          if (!f) bad(path, "reference-fields", `_REFERENCE_FIELDS names "${name}", which is not a field`);
          else if (!isUtf32(f.type)) bad(path, "reference-fields", `reference field "${name}" must be fixed_length_utf32`);
        }
        if (options.readReferences !== false) {
          for (const row of await readValues(path)) {
            for (const name of rf as string[]) checkRefValue((row as Record<string, unknown> | null)?.[name], `${path} field ${name}`, exists, bad);
          }
        }
      }
    }
    for (const f of fields ?? []) {
      if (f.type === "string" || (isJsonObject(f.type) && /bytes/.test(String(f.type.name)))) bad(path, "compound-text", `struct field "${f.name}" must be fixed_length_utf32, got ${JSON.stringify(f.type)}`);
    }
  }
  for (const s of options.scalars ?? []) {
    const n = nodes.get(s);
    if (!n || n.doc.node_type !== "array") { if (!isLinkName(nodes, s)) bad(s, "scalar", "scalar dataset is missing"); continue; }
    if (!Array.isArray(n.doc.shape) || n.doc.shape.length !== 0) bad(s, "scalar", `a scalar must be a 0-d array, got shape ${JSON.stringify(n.doc.shape)}`);
  }
  return { problems, counts };
}

function specLocation(v: PyJsonValue | undefined): string | undefined {
  const inner = isJsonObject(v) && isJsonObject(v._REFERENCE) ? v._REFERENCE.path : v;
  if (typeof inner !== "string") return undefined;
  return `/${inner.replace(/^\/+|\/+$/g, "")}`;
}

/** A path that names a link entry of its parent group (a dataset or group kept as a link). */
function isLinkName(nodes: Map<string, Node>, p: string): boolean {
  const parent = p.slice(0, p.lastIndexOf("/")) || "/";
  const name = p.slice(p.lastIndexOf("/") + 1);
  const links = nodes.get(parent)?.attrs._LINKS;
  return Array.isArray(links) && links.some((l) => isJsonObject(l) && l.name === name);
}

function scanLegacy(v: PyJsonValue, where: string, bad: (p: string, r: string, m: string) => void): void {
  if (Array.isArray(v)) { v.forEach((x) => scanLegacy(x, where, bad)); return; }
  if (!isJsonObject(v)) return;
  for (const [k, x] of Object.entries(v)) {
    if (LEGACY.has(k)) bad(where, "legacy", `legacy attribute "${k}" (hdmf-zarr < 0.14) in v3 metadata`);
    scanLegacy(x, where, bad);
  }
}

function checkAttrValue(v: PyJsonValue, where: string, key: string, exists: (p: string) => boolean, bad: (p: string, r: string, m: string) => void, counts: ConventionReport["counts"]): void {
  if (key === "_LINKS" || key === "_REFERENCE_FIELDS") return;
  if (Array.isArray(v)) { v.forEach((x) => checkAttrValue(x, where, "", exists, bad, counts)); return; }
  if (!isJsonObject(v)) return;
  if ("_REFERENCE" in v) {
    counts.referenceAttrs++;
    const r = v._REFERENCE;
    const keys = Object.keys(v);
    if (keys.length !== 1) bad(where, "reference-attribute", `a reference attribute holds only "_REFERENCE", got keys ${JSON.stringify(keys)}`);
    if (!isJsonObject(r) || typeof r.source !== "string" || typeof r.path !== "string" || Object.keys(r).some((k) => k !== "source" && k !== "path")) {
      bad(where, "reference-attribute", `_REFERENCE must be {source, path} strings, got ${JSON.stringify(r)}`);
      return;
    }
    if (!r.path.startsWith("/")) bad(where, "reference-attribute", `reference path ${JSON.stringify(r.path)} is not absolute`);
    else if (r.source === "." && !exists(r.path)) bad(where, "dangling", `reference target ${r.path} does not exist`);
    return;
  }
  if ("path" in v && "source" in v) bad(where, "reference-attribute", "a reference dict without the _REFERENCE wrapper (legacy form)");
}

function checkLinks(raw: PyJsonValue | undefined, path: string, exists: (p: string) => boolean, bad: (p: string, r: string, m: string) => void, counts: ConventionReport["counts"]): void {
  if (!Array.isArray(raw)) { bad(path, "links", "_LINKS must be a list"); return; }
  raw.forEach((e, i) => {
    counts.links++;
    const where = `${path} _LINKS[${i}]`;
    if (!isJsonObject(e)) { bad(path, "links", `${where} is not an object`); return; }
    const keys = Object.keys(e).sort().join(",");
    if (keys !== "name,path,source") bad(path, "links", `${where} must have exactly name, source, path; has ${keys}`);
    if (typeof e.name !== "string" || e.name === "" || e.name.includes("/")) bad(path, "links", `${where}: bad name ${JSON.stringify(e.name)}`);
    if (typeof e.path !== "string" || !e.path.startsWith("/")) bad(path, "links", `${where}: path ${JSON.stringify(e.path)} is not absolute`);
    if (typeof e.source !== "string" || e.source === "" || e.source.startsWith("/")) bad(path, "links", `${where}: source ${JSON.stringify(e.source)} must be "." or a relative path`);
    else if (e.source === "." && typeof e.path === "string" && !exists(e.path)) bad(path, "dangling", `${where}: target ${e.path} does not exist`);
  });
}

/** A reference element as read through the IO: a reference to an existing object in this store. */
function checkRefValue(v: unknown, where: string, exists: (p: string) => boolean, bad: (p: string, r: string, m: string) => void): void {
  if (!(v instanceof ObjectReference)) { bad(where, "reference-dataset", `element is not a reference: ${String(v)}`); return; }
  if (v.isNull) return;
  if (v.source !== undefined) return; // a reference into another store: only the path form is checked
  if (!exists(v.resolvedPath)) bad(where, "dangling", `reference target ${v.resolvedPath} does not exist`);
}

interface StructField { name: string; type: PyJsonValue }

function structFields(dt: PyJsonValue | undefined): StructField[] | undefined {
  if (!isJsonObject(dt) || (dt.name !== "struct" && dt.name !== "structured") || !isJsonObject(dt.configuration)) return undefined;
  const fields = dt.configuration.fields;
  if (!Array.isArray(fields)) return undefined;
  return fields.map((f) => (Array.isArray(f) ? { name: String(f[0]), type: f[1] ?? null } : isJsonObject(f) ? { name: String(f.name), type: f.data_type ?? null } : { name: "", type: null }));
}

const isUtf32 = (t: PyJsonValue): boolean => isJsonObject(t) && t.name === "fixed_length_utf32";
