/**
 * Zarr hierarchy -> builder tree, lazily: datasets become StoredDataset handles (a ZarrArray)
 * that fetch chunks only when read, so opening a large store costs its metadata and nothing
 * more. Both NWB-Zarr conventions are undone here (convention.ts decides per node): legacy
 * `zarr_dtype` picks strings vs references and "scalar" datasets (stored with shape [1]) read
 * back as 0-d; unified `_DTYPE` / `_REFERENCE_FIELDS` mark references and 0-d arrays are
 * scalars; `_LINKS` (else `zarr_link`) entries become LinkBuilders pointing at the builders
 * they name.
 */
import { resolveAgainst } from "../../location.js";
import { CodecError, FormatError } from "../../errors.js";
import type { NdArray } from "../../data/ndarray.js";
import type { Selection } from "../../data/selection.js";
import type { RawChunk, StorageInfo, StoredDataset } from "../../data/data-source.js";
import type { Dtype } from "../../data/dtype.js";
import type { OpenExternal } from "../io.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder } from "../../schema/builders.js";
import { ZarrArray, type ArrayContext } from "./array.js";
import type { ArrayMeta } from "./array-meta.js";
import type { Hierarchy, NodeRecord } from "./hierarchy.js";
import { childPath } from "./keys.js";
import { parseZarray } from "./metadata-v2.js";
import { parseZarrJsonArray } from "./metadata-v3.js";
import { decodeAttribute, parseLinks, plainRefContext, referenceMapper, RESERVED_ATTRS } from "./references.js";
import { mapLimit } from "../../data/queue.js";
import { SPEC_LOC_ATTR } from "../../schema/spec/cache.js";
import { specLocPath } from "./convention.js";
import type { PyJsonValue } from "../../data/py-json.js";

/** The group `.specloc` names, as an absolute path; undefined when absent, malformed or the root. */
function specGroupOf(v: PyJsonValue | undefined): string | undefined {
  const inner = specLocPath(v)?.replace(/^\/+|\/+$/g, "");
  return inner ? `/${inner}` : undefined;
}

/** ArrayMeta of a stored array node (format-specific parse, typed errors naming the path). */
export function arrayMetaOf(h: Hierarchy, path: string, rec: NodeRecord): ArrayMeta {
  if (rec.kind !== "array" || !rec.array) throw new FormatError(`${path} is not an array`, { path });
  // Without hdmf-zarr's zarr_dtype an array is read as zarr-python reads it (plain stores).
  if (h.format === 2) return parseZarray(rec.array, rec.attrs, path);
  return parseZarrJsonArray(rec.array, rec.attrs, path, { hdmf: h.holdsNwb || "neurodata_type" in rec.attrs });
}

/** hdmf-zarr stores scalars as 1-element arrays with zarr_dtype "scalar": present them as 0-d. */
export class ScalarView implements StoredDataset {
  readonly kind = "stored" as const;
  constructor(readonly array: ZarrArray) {}
  get path(): string { return this.array.path; }
  get source(): string { return this.array.source; }
  get shape(): readonly number[] { return []; }
  get dtype(): Dtype { return this.array.dtype; }
  get storage(): StorageInfo { return this.array.storage; }
  async read(selection: Selection = []): Promise<NdArray> {
    if (selection.length > 0) throw new FormatError(`${this.path} is a scalar: no selection allowed`, { path: this.path });
    const all = await this.array.read([[0, 1, 1]]);
    return all.reshape([]);
  }
  rawChunks(): AsyncIterable<RawChunk> {
    return this.array.rawChunks();
  }
}

/**
 * An array whose codecs cannot be built here (an unknown codec id, say): it lists with its
 * shape, dtype and storage, and reading it is the typed error that made it unreadable.
 */
export class UnreadableArray implements StoredDataset {
  readonly kind = "stored" as const;
  constructor(readonly meta: ArrayMeta, readonly source: string, readonly error: Error) {}
  get path(): string { return this.meta.path; }
  get shape(): readonly number[] { return this.meta.shape; }
  get dtype(): Dtype { return this.meta.dtype; }
  get storage(): StorageInfo {
    return { layout: "chunked", chunks: [...this.meta.chunks], maxshape: this.meta.shape.map(() => null), codecs: [...this.meta.codecs], fillvalue: null };
  }
  read(): Promise<NdArray> {
    return Promise.reject(this.error);
  }
}

interface PendingLink { group: GroupBuilder; name: string; path: string; source: string | undefined }

export class TreeReader {
  readonly #links: PendingLink[] = [];

  constructor(readonly hierarchy: Hierarchy, readonly ctx: ArrayContext, readonly eagerScalars = true, readonly openExternal?: OpenExternal) {}

  /** The cached-spec group (`.specloc`): kept out of the tree, as hdmf-zarr's read_builder does. */
  #specGroup: string | undefined;

  async readRoot(): Promise<GroupBuilder> {
    const rootRec = await this.hierarchy.requireNode("/");
    this.#specGroup = specGroupOf(rootRec.attrs[SPEC_LOC_ATTR]);
    const root = await this.#readGroup("/", "root", rootRec);
    for (const l of this.#links) {
      // builders carry absolute locations: hdmf-zarr resolves os.path.join(store_path, source)
      let target: GroupBuilder | DatasetBuilder | { path: string; source?: string } = { path: l.path, source: l.source === undefined ? undefined : resolveAgainst(this.ctx.source, l.source) };
      if (l.source === undefined) {
        const hit = l.path === "/" ? root : root.find(l.path);
        if (hit instanceof GroupBuilder || hit instanceof DatasetBuilder) target = hit;
      } else if (this.openExternal) {
        // hdmf-zarr follows a zarr_link into the other store; an unreadable target stays an
        // unresolved {path, source} (export then reports it as a broken link)
        const other = await this.openExternal(target.source!).catch(() => undefined);
        const hit = other ? (l.path === "/" ? other : other.find(l.path)) : undefined;
        if (hit instanceof GroupBuilder || hit instanceof DatasetBuilder) target = hit;
      }
      const link = new LinkBuilder(l.name, target, { source: this.ctx.source });
      link.locationPath = childPath(l.group.locationPath ?? "/", l.name);
      l.group.add(link);
    }
    return root;
  }

  #attributes(b: Builder, rec: NodeRecord, path: string): void {
    for (const [k, v] of Object.entries(rec.attrs).sort(([a], [c]) => (a < c ? -1 : 1))) {
      if (RESERVED_ATTRS.has(k) || (path === "/" && k === SPEC_LOC_ATTR)) continue;
      const { value, dtype } = decodeAttribute(v, `${path}@${k}`);
      b.setAttribute(k, value, dtype);
    }
  }

  async #readGroup(path: string, name: string, rec: NodeRecord): Promise<GroupBuilder> {
    const g = new GroupBuilder(name, { source: this.ctx.source });
    g.locationPath = path;
    this.#attributes(g, rec, path);
    const children = (await this.hierarchy.children(path)).filter((c) => childPath(path, c.name) !== this.#specGroup);
    const built = await mapLimit(children, 16, async (c) => {
      const p = childPath(path, c.name);
      const child = await this.hierarchy.requireNode(p);
      return child.kind === "group" ? this.#readGroup(p, c.name, child) : this.#readDataset(p, c.name, child);
    });
    for (const b of built) g.add(b);
    for (const l of parseLinks(rec.attrs, path)) this.#links.push({ group: g, ...l });
    return g;
  }

  async #readDataset(path: string, name: string, rec: NodeRecord): Promise<DatasetBuilder> {
    const meta = arrayMetaOf(this.hierarchy, path, rec);
    let array: ZarrArray;
    try {
      array = await ZarrArray.open({ ...this.ctx, mapper: referenceMapper(plainRefContext(meta.convention), path) }, meta);
    } catch (e) {
      if (!(e instanceof CodecError)) throw e;
      // the rest of the store stays readable; this dataset's read is the CodecError
      const d = new DatasetBuilder(name, new UnreadableArray(meta, this.ctx.source, e), { source: this.ctx.source, dtype: meta.dtype });
      d.locationPath = path;
      this.#attributes(d, rec, path);
      return d;
    }
    const scalar = rec.attrs.zarr_dtype === "scalar" && meta.shape.length === 1 && meta.shape[0] === 1;
    // hdmf-zarr reads scalars eagerly (backend.py __read_dataset: zarr_obj[0], or zarr_obj[()] for the
    // unified convention's 0-d arrays); so do we, in parallel.
    const data = scalar
      ? (this.eagerScalars ? await new ScalarView(array).read() : new ScalarView(array))
      : meta.shape.length === 0 && this.eagerScalars ? await array.read() : array;
    const d = new DatasetBuilder(name, data, { source: this.ctx.source, dtype: meta.dtype });
    d.locationPath = path;
    this.#attributes(d, rec, path);
    return d;
  }
}

