/**
 * Consolidated metadata: v2 `.zmetadata` exactly as zarr-python 2's `consolidate_metadata`
 * writes it (`{"metadata": {"<path>/.zarray": {...}, ...}, "zarr_consolidated_format": 1}`),
 * and v3 `consolidated_metadata` inside the root `zarr.json` as zarr-python 3 writes it
 * (`{"kind": "inline", "must_understand": false, "metadata": {"<path>": <zarr.json>}}`).
 */
import { FormatError } from "../../errors.js";
import { V2_ARRAY, V2_ATTRS, V2_GROUP } from "./keys.js";
import { isJsonObject, type PyJsonValue } from "../../data/py-json.js";
import type { JsonDoc } from "./array-meta.js";

export interface NodeRecord {
  kind: "group" | "array";
  attrs: JsonDoc;
  /** v2: the .zarray document; v3: zarr.json without attributes. */
  array?: JsonDoc;
}

/** A v3 node document (attributes included). */
export function nodeDocV3(rec: NodeRecord): JsonDoc {
  if (rec.kind === "group") return { zarr_format: 3, node_type: "group", attributes: rec.attrs };
  return { ...rec.array!, attributes: rec.attrs };
}

function rel(path: string, file: string): string {
  return path === "/" ? file : `${path.slice(1)}/${file}`;
}

export function consolidatedV2(nodes: ReadonlyMap<string, NodeRecord>): JsonDoc {
  const metadata: JsonDoc = {};
  for (const [path, rec] of nodes) {
    if (rec.kind === "group") metadata[rel(path, V2_GROUP)] = { zarr_format: 2 };
    else metadata[rel(path, V2_ARRAY)] = rec.array!;
    if (Object.keys(rec.attrs).length > 0 || rec.kind === "array") metadata[rel(path, V2_ATTRS)] = rec.attrs;
  }
  return { metadata, zarr_consolidated_format: 1 };
}

export function parseConsolidatedV2(doc: PyJsonValue): Map<string, NodeRecord> {
  const where = "/.zmetadata";
  if (!isJsonObject(doc) || !isJsonObject(doc.metadata)) throw new FormatError(`${where}: missing "metadata" object`, { path: where });
  if (doc.zarr_consolidated_format !== 1) throw new FormatError(`${where}: zarr_consolidated_format must be 1`, { path: where });
  const out = new Map<string, NodeRecord>();
  const get = (path: string): NodeRecord => {
    let rec = out.get(path);
    if (!rec) { rec = { kind: "group", attrs: {} }; out.set(path, rec); }
    return rec;
  };
  const seen = new Set<string>();
  for (const [key, value] of Object.entries(doc.metadata)) {
    const slash = key.lastIndexOf("/");
    const file = key.slice(slash + 1);
    const path = slash < 0 ? "/" : `/${key.slice(0, slash)}`;
    if (path.split("/").some((p) => p === ".." || p === ".")) throw new FormatError(`${where}: bad key ${JSON.stringify(key)}`, { path: where });
    if (!isJsonObject(value)) throw new FormatError(`${where}: entry ${key} is not a JSON object`, { path: `/${key}` });
    if (file === V2_ARRAY) { const r = get(path); r.kind = "array"; r.array = value; seen.add(path); }
    else if (file === V2_GROUP) { get(path); seen.add(path); }
    else if (file === V2_ATTRS) get(path).attrs = value;
  }
  for (const path of [...out.keys()]) if (!seen.has(path)) out.delete(path); // attrs without a node
  return out;
}

export function consolidatedV3(rootDoc: JsonDoc, nodes: ReadonlyMap<string, NodeRecord>): JsonDoc {
  const metadata: JsonDoc = {};
  for (const [path, rec] of [...nodes].sort(([a], [b]) => (a < b ? -1 : 1))) {
    if (path !== "/") metadata[path.slice(1)] = nodeDocV3(rec);
  }
  return { ...rootDoc, consolidated_metadata: { kind: "inline", must_understand: false, metadata } };
}

/** Parse a v3 zarr.json (a node, and for the root its consolidated tree). */
export function parseConsolidatedV3(doc: PyJsonValue, path: string): Map<string, NodeRecord> {
  const out = new Map<string, NodeRecord>();
  out.set(path, v3Record(doc, path));
  if (isJsonObject(doc) && isJsonObject(doc.consolidated_metadata)) {
    const cm = doc.consolidated_metadata;
    if (!isJsonObject(cm.metadata)) throw new FormatError(`${path}/zarr.json: consolidated_metadata needs "metadata"`, { path });
    for (const [key, value] of Object.entries(cm.metadata)) {
      const p = `/${key.replace(/^\/+/, "")}`;
      if (p.split("/").some((s) => s === ".." || s === ".")) throw new FormatError(`${path}/zarr.json: bad consolidated key ${JSON.stringify(key)}`, { path });
      out.set(p, v3Record(value, p));
    }
  }
  return out;
}

function v3Record(doc: PyJsonValue, path: string): NodeRecord {
  const where = `${path === "/" ? "" : path}/zarr.json`;
  if (!isJsonObject(doc)) throw new FormatError(`${where}: not a JSON object`, { path });
  if (doc.zarr_format !== 3) throw new FormatError(`${where}: zarr_format must be 3`, { path });
  const attrs = doc.attributes === undefined ? {} : doc.attributes;
  if (!isJsonObject(attrs)) throw new FormatError(`${where}: attributes must be an object`, { path });
  if (doc.node_type === "group") return { kind: "group", attrs };
  if (doc.node_type !== "array") throw new FormatError(`${where}: node_type must be "group" or "array"`, { path });
  const { attributes: _a, consolidated_metadata: _c, ...array } = doc;
  return { kind: "array", attrs, array };
}
