/**
 * The metadata of every node ZarrIO has seen, loaded from consolidated metadata when the store
 * has it (one request opens the whole tree: `.zmetadata` for v2, the root `zarr.json`'s
 * `consolidated_metadata` for v3) or node by node otherwise. Writes go to this cache and are
 * flushed as metadata documents plus fresh consolidated metadata (consolidated.ts).
 */
import { FormatError, NotFoundError } from "../../errors.js";
import { listDir, type Store, type StoreKey } from "../../stores/store.js";
import { baseName, nodeKey, parentOf, V2_ARRAY, V2_ATTRS, V2_CONSOLIDATED, V2_GROUP, V3_META, type ZarrFormat } from "./keys.js";
import { pyDumps, describeJson, isJsonObject, pyDumpsBytes, pyParse, toPlainJson, type PyJsonValue } from "../../data/py-json.js";
import type { JsonDoc } from "./array-meta.js";
import type { NodeRecord } from "./consolidated.js";
import { mapLimit } from "../../data/queue.js";
import { consolidatedV2, consolidatedV3, nodeDocV3, parseConsolidatedV2, parseConsolidatedV3 } from "./consolidated.js";

export type { NodeRecord };

export class Hierarchy {
  readonly #nodes = new Map<string, NodeRecord>();
  readonly #dirty = new Set<string>();
  #complete = false;
  #consolidated = false;
  #needsConsolidation = false;

  private constructor(readonly store: Store, readonly format: ZarrFormat) {}

  /** An empty hierarchy about to be written. */
  static create(store: Store, format: ZarrFormat): Hierarchy {
    const h = new Hierarchy(store, format);
    h.#complete = true;
    return h;
  }

  /**
   * Open an existing hierarchy: consolidated v2 metadata first (one GET), then v3's root
   * zarr.json, then a plain v2 root. Undefined when the store holds no Zarr root.
   */
  static async open(store: Store): Promise<Hierarchy | undefined> {
    const zmeta = await store.get(nodeKey("/", V2_CONSOLIDATED));
    if (zmeta) {
      const h = new Hierarchy(store, 2);
      for (const [path, rec] of parseConsolidatedV2(pyParse(zmeta, `/${V2_CONSOLIDATED}`))) h.#nodes.set(path, rec);
      if (!h.#nodes.has("/")) throw new FormatError(`/${V2_CONSOLIDATED}: no root group in consolidated metadata`, { path: "/" });
      h.#complete = true;
      h.#consolidated = true;
      // hdmf-zarr 0.6 consolidates *before* caching specs (backend.py write -> write_builder ->
      // consolidate_metadata, then __cache_spec), so its .zmetadata can be stale. The root
      // .zattrs tells: if it differs, trust the consolidated nodes only as a cache and list.
      const rootAttrs = await store.get(nodeKey("/", V2_ATTRS));
      if (rootAttrs) {
        const fresh = pyParse(rootAttrs, `/${V2_ATTRS}`);
        if (!isJsonObject(fresh)) throw new FormatError(`/${V2_ATTRS}: attributes must be a JSON object`, { path: "/" });
        const root = h.#nodes.get("/")!;
        if (pyDumps(fresh, { sortKeys: true }) !== pyDumps(root.attrs, { sortKeys: true })) {
          root.attrs = fresh;
          h.#complete = false;
          h.#consolidated = false;
        }
      }
      return h;
    }
    const root3 = await store.get(nodeKey("/", V3_META));
    if (root3) {
      const h = new Hierarchy(store, 3);
      const doc = pyParse(root3, `/${V3_META}`);
      const nodes = parseConsolidatedV3(doc, "/");
      for (const [path, rec] of nodes) h.#nodes.set(path, rec);
      h.#complete = nodes.size > 1 || (isJsonObject(doc) && isJsonObject(doc.consolidated_metadata));
      h.#consolidated = h.#complete;
      return h;
    }
    const h = new Hierarchy(store, 2);
    return (await h.node("/")) ? h : undefined;
  }

  get isConsolidated(): boolean {
    return this.#consolidated;
  }

  /** The root says this is an HDMF/NWB store (`.specloc`, hdmf-zarr's cached-spec pointer). */
  get holdsNwb(): boolean {
    return ".specloc" in (this.#nodes.get("/")?.attrs ?? {});
  }

  /** The node at `path`, from the cache or the store; undefined when absent. */
  async node(path: string): Promise<NodeRecord | undefined> {
    const hit = this.#nodes.get(path);
    if (hit || this.#complete) return hit;
    const rec = this.format === 2 ? await this.#loadV2(path) : await this.#loadV3(path);
    if (rec) this.#nodes.set(path, rec);
    return rec;
  }

  async requireNode(path: string): Promise<NodeRecord> {
    const rec = await this.node(path);
    if (!rec) throw new NotFoundError(`no Zarr group or array at ${path}`, { path });
    return rec;
  }

  async #loadV2(path: string): Promise<NodeRecord | undefined> {
    const [zarray, zgroup, zattrs] = await Promise.all([
      this.store.get(nodeKey(path, V2_ARRAY)),
      this.store.get(nodeKey(path, V2_GROUP)),
      this.store.get(nodeKey(path, V2_ATTRS)),
    ]);
    if (!zarray && !zgroup) return undefined;
    const attrs = zattrs ? pyParse(zattrs, `${path}/${V2_ATTRS}`) : {};
    if (!isJsonObject(attrs)) throw new FormatError(`${path}/${V2_ATTRS}: attributes must be a JSON object`, { path });
    if (zgroup && !zarray) {
      // zarr-python 2 writes {"zarr_format": 2}; anything else is not a v2 group
      const doc = pyParse(zgroup, `${path}/${V2_GROUP}`);
      if (!isJsonObject(doc)) throw new FormatError(`${path}/${V2_GROUP}: not a JSON object`, { path });
      if (doc.zarr_format !== 2) {
        throw new FormatError(`${path}/${V2_GROUP}: zarr_format must be 2, got ${describeJson(doc.zarr_format)}`, { path });
      }
    }
    if (zarray) {
      const doc = pyParse(zarray, `${path}/${V2_ARRAY}`);
      if (!isJsonObject(doc)) throw new FormatError(`${path}/${V2_ARRAY}: not a JSON object`, { path });
      return { kind: "array", attrs, array: doc };
    }
    return { kind: "group", attrs };
  }

  async #loadV3(path: string): Promise<NodeRecord | undefined> {
    const bytes = await this.store.get(nodeKey(path, V3_META));
    if (!bytes) return undefined;
    return parseConsolidatedV3(pyParse(bytes, `${path}/${V3_META}`), path).get(path);
  }

  /** Child names of a group with their kinds, sorted by name. */
  async children(path: string): Promise<Array<{ name: string; kind: "group" | "array" }>> {
    if (this.#complete) {
      const out: Array<{ name: string; kind: "group" | "array" }> = [];
      for (const [p, rec] of this.#nodes) if (p !== "/" && parentOf(p) === path) out.push({ name: baseName(p), kind: rec.kind });
      return out.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
    }
    const { prefixes } = await listDir(this.store, path === "/" ? "/" : (path as StoreKey));
    const found = await mapLimit(prefixes, 16, async (p) => ({ p, rec: await this.node(p) }));
    return found.filter((f) => f.rec).map((f) => ({ name: baseName(f.p), kind: f.rec!.kind }));
  }

  setGroup(path: string, attrs: JsonDoc = {}): void {
    this.#nodes.set(path, { kind: "group", attrs: { ...attrs } });
    this.#touch(path);
  }

  setArray(path: string, array: JsonDoc, attrs: JsonDoc = {}): void {
    this.#nodes.set(path, { kind: "array", attrs: { ...attrs }, array });
    this.#touch(path);
  }

  /** Replace a node's array document (resize). */
  updateArray(path: string, array: JsonDoc): void {
    const rec = this.#nodes.get(path);
    if (!rec) throw new NotFoundError(`no array at ${path}`, { path });
    rec.array = array;
    this.#touch(path);
  }

  /** Merge attributes into a node (hdmf's `obj.attrs[key] = value`). */
  async updateAttrs(path: string, attrs: JsonDoc): Promise<void> {
    const rec = await this.requireNode(path);
    Object.assign(rec.attrs, attrs);
    this.#touch(path);
  }

  #touch(path: string): void {
    this.#dirty.add(path);
    this.#needsConsolidation = true;
  }

  /** Write dirty metadata documents, then consolidated metadata; returns the number of PUTs. */
  async flush(options: { consolidate: boolean; concurrency: number }): Promise<void> {
    const dirty = [...this.#dirty];
    this.#dirty.clear();
    const writes: Array<[StoreKey, Uint8Array]> = [];
    for (const path of dirty) {
      const rec = this.#nodes.get(path)!;
      if (this.format === 3) {
        if (path === "/" && options.consolidate) continue; // written below, with the consolidated tree
        writes.push([nodeKey(path, V3_META), v3Bytes(nodeDocV3(rec))]);
        continue;
      }
      if (rec.kind === "group") writes.push([nodeKey(path, V2_GROUP), pyDumpsBytes({ zarr_format: 2 })]);
      else writes.push([nodeKey(path, V2_ARRAY), pyDumpsBytes(rec.array)]);
      if (Object.keys(rec.attrs).length > 0 || rec.kind === "array") writes.push([nodeKey(path, V2_ATTRS), pyDumpsBytes(rec.attrs)]);
    }
    await mapLimit(writes, options.concurrency, ([k, v]) => this.store.set(k, v));
    if (!options.consolidate || (!this.#needsConsolidation && this.#consolidated)) return;
    if (!this.#complete) await this.#loadAll();
    if (this.format === 2) {
      await this.store.set(nodeKey("/", V2_CONSOLIDATED), pyDumpsBytes(consolidatedV2(this.#nodes)));
    } else {
      const root = this.#nodes.get("/")!;
      await this.store.set(nodeKey("/", V3_META), v3Bytes(consolidatedV3(nodeDocV3(root), this.#nodes)));
    }
    this.#needsConsolidation = false;
    this.#consolidated = true;
  }

  /** Load every node's metadata by listing the store (before consolidating an unconsolidated store). */
  async #loadAll(): Promise<void> {
    const metaFile = this.format === 2 ? new Set([V2_ARRAY, V2_GROUP]) : new Set([V3_META]);
    const paths = new Set<string>();
    for await (const key of this.store.list("/")) {
      const name = baseName(key);
      if (metaFile.has(name)) paths.add(parentOf(key));
    }
    await mapLimit([...paths], 16, (p) => this.node(p));
    this.#complete = true;
  }
}

function v3Bytes(doc: PyJsonValue): Uint8Array {
  return pyDumpsBytes(doc, { indent: 2 });
}
