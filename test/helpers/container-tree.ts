/**
 * A container tree as plain data, so two reads of the same NWB file from different backends can be
 * compared with one `toEqual`: every container (type, class, name, object id, every field, its data
 * read in full), keyed by file and location. A container held by another container that is not its
 * parent (a link, a reference, a table's target) is written `{ref: "file:/path"}`, and the ref is
 * kept so a test can check it resolves to the very container at that place in the tree (two
 * different objects read at one place are an error). Files are
 * named by their stem (`c_link_source` for c_link_source.nwb and c_link_source.nwb.zarr), so an
 * HDF5 file and its Zarr twin give the same keys.
 */
import { basename } from "node:path";
import { describeDtype, type Dtype } from "../../src/data/dtype.js";
import { isStoredDataset } from "../../src/data/data-source.js";
import { NdArray } from "../../src/data/ndarray.js";
import { ObjectReference } from "../../src/data/reference.js";
import { Builder } from "../../src/schema/builders.js";
import { AbstractContainer, Data, DatasetLink, ExternalLink } from "../../src/schema/containers/container.js";

export interface ContainerNode {
  type: string;
  cls: string;
  name: string;
  objectId: string;
  fields: Record<string, unknown>;
  data?: unknown;
}

export interface ContainerRef {
  /** Where the ref is held: `file:/path` of the holder and its field key. */
  from: string;
  key: string;
  /** `file:/path` it is rendered as. */
  at: string;
  target: AbstractContainer;
}

export interface ContainerTree {
  /** `file:/path` -> the container as plain data; containers reached through refs included. */
  nodes: Map<string, ContainerNode>;
  /** `file:/path` -> the container object found there. */
  objects: Map<string, AbstractContainer>;
  /** The root and every container reached as a child (not only through a ref). */
  owned: Set<AbstractContainer>;
  refs: ContainerRef[];
}

/** A file's name without folder and suffixes (.nwb, .zarr, .h5), so twins across formats agree. */
export function fileStem(source: string | undefined): string {
  return basename((source ?? "").replace(/\/+$/, "")).replace(/(\.nwb)?(\.zarr|\.h5)?$/, "");
}

export function whereIs(c: AbstractContainer): string {
  return `${fileStem(c.source)}:${c.locationPath ?? `?${c.name}`}`;
}

/** Text of every kind is "text": Zarr v3 stores ascii and bytes as UTF-8 (storage.rst dtype table). */
function dtypeName(d: Dtype): string {
  if (d.kind === "string") return "text";
  if (d.kind === "compound") return `compound{${d.fields.map((f) => `${f.name}:${dtypeName(f.dtype)}`).join(",")}}`;
  return describeDtype(d);
}

export async function containerTree(root: AbstractContainer): Promise<ContainerTree> {
  const tree: ContainerTree = { nodes: new Map(), objects: new Map(), owned: new Set([root]), refs: [] };
  const pending: AbstractContainer[] = [root];
  const seen = new Set<AbstractContainer>();

  async function value(v: unknown, holder: AbstractContainer, key: string): Promise<unknown> {
    if (v instanceof AbstractContainer) {
      if (v.parent === holder) {
        tree.owned.add(v);
        pending.push(v);
        return { child: whereIs(v) };
      }
      tree.refs.push({ from: whereIs(holder), key, at: whereIs(v), target: v });
      pending.push(v);
      return { ref: whereIs(v) };
    }
    if (isStoredDataset(v)) return value(await v.read(), holder, key);
    if (v instanceof NdArray) {
      const values: unknown[] = [];
      for (const x of v.toArray()) values.push(await value(x, holder, key));
      return { dtype: dtypeName(v.dtype), shape: [...v.shape], values };
    }
    if (v instanceof ObjectReference) return { objectReference: v.isNull ? null : v.resolvedPath };
    if (v instanceof DatasetLink) return { datasetLink: await value(v.container, holder, key), key: v.key };
    if (v instanceof ExternalLink) return { externalLink: { name: v.name, path: v.path, file: fileStem(v.source) } };
    if (v instanceof Builder) return { builder: v.path };
    if (v instanceof Date) return { date: v.toISOString() };
    if (typeof v === "bigint") return { int64: v.toString() };
    if (Array.isArray(v)) {
      const out: unknown[] = [];
      for (const x of v) out.push(await value(x, holder, key));
      return out;
    }
    if (v !== null && typeof v === "object") {
      const out: Record<string, unknown> = {};
      for (const [k, x] of Object.entries(v)) out[k] = await value(x, holder, key);
      return out;
    }
    return v;
  }

  while (pending.length > 0) {
    const c = pending.shift()!;
    if (seen.has(c)) continue;
    seen.add(c);
    const at = whereIs(c);
    if (tree.objects.has(at)) throw new Error(`two containers read at ${at}`);
    tree.objects.set(at, c);
    const fields: Record<string, unknown> = {};
    for (const [k, v] of [...c.fields].sort(([a], [b]) => (a < b ? -1 : 1))) fields[k] = await value(v, c, k);
    const node: ContainerNode = { type: c.dataType, cls: c.constructor.name, name: c.name, objectId: c.objectId, fields };
    if (c instanceof Data) node.data = await value(c.data, c, "data");
    tree.nodes.set(at, node);
  }
  return tree;
}

/** Where two trees differ, one line per container or field (`file:/path field: a != b`); [] when equal. */
export function treeDifferences(a: ContainerTree, b: ContainerTree): string[] {
  const out: string[] = [];
  const show = (v: unknown): string => JSON.stringify(v)?.slice(0, 200) ?? "undefined";
  for (const at of new Set([...a.nodes.keys(), ...b.nodes.keys()])) {
    const x = a.nodes.get(at);
    const y = b.nodes.get(at);
    if (!x || !y) {
      out.push(`${at}: ${x ? "only in the first" : "only in the second"}`);
      continue;
    }
    for (const k of ["type", "cls", "name", "objectId", "data"] as const) {
      if (JSON.stringify(x[k]) !== JSON.stringify(y[k])) out.push(`${at} ${k}: ${show(x[k])} != ${show(y[k])}`);
    }
    for (const k of new Set([...Object.keys(x.fields), ...Object.keys(y.fields)])) {
      if (JSON.stringify(x.fields[k]) !== JSON.stringify(y.fields[k])) out.push(`${at} ${k}: ${show(x.fields[k])} != ${show(y.fields[k])}`);
    }
  }
  return out;
}
