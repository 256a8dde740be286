/**
 * Builder tree -> Zarr hierarchy, in hdmf-zarr's order (backend.py write_group: subgroups,
 * datasets, links, then attributes), in the convention of the store's format (convention.ts).
 * Values stream through the shared ChunkPlanner into a bounded, parallel encode queue;
 * iterator gaps leave chunks absent.
 */
import path from "node:path";
import { isUrl } from "../../location.js";
import { InvalidInputError } from "../../errors.js";
import { convertData, NdArray, type Scalar } from "../../data/ndarray.js";
import { DataIO, ZarrDataIO } from "../../data/data-io.js";
import { AbstractDataChunkIterator, DataChunkIterator, type DataChunk } from "../../data/iterators.js";
import { isStoredDataset, type StoredDataset } from "../../data/data-source.js";
import { toNumpyTypestr, dtypeEquals } from "../../data/dtype.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder } from "../../schema/builders.js";
import { planChunks, ChunkPlanner } from "../chunk-plan.js";
import type { ArrayContext } from "./array.js";
import { ZarrArray } from "./array.js";
import { storageUnit, type JsonDoc } from "./array-meta.js";
import { planArray, type ShardOptions } from "./create-array.js";
import type { CodecConfig } from "../../data/codec-config.js";
import type { Hierarchy } from "./hierarchy.js";
import { childPath, type ZarrFormat } from "./keys.js";
import { zarrDtypeName } from "./metadata-v2.js";
import { encodeAttribute, referenceMapper, RESERVED_ATTRS, type RefContext, type UnifiedLinkJson, type ZarrLinkJson } from "./references.js";
import { datasetMarker, linksAttr, scalarShape, writeConvention, type Convention } from "./convention.js";
import { fieldWidths, needsStructLayout, storedCompound } from "./compound-v3.js";
import type { PyJsonValue } from "../../data/py-json.js";
import { zarrCodecConfigs } from "./codec-bridge.js";

export interface TreeWriterSettings {
  readonly format: ZarrFormat;
  readonly defaultCompressor: CodecConfig | null;
  readonly shards?: ShardOptions;
  /** Bytes the planner may hold in open chunk buffers per dataset. */
  readonly bufferBytes?: number;
  /** The store's own location (for relative link sources). */
  readonly selfSource: string;
  readonly linkData: boolean;
  readonly exhaustDci: boolean;
  readonly signal?: AbortSignal;
}

export class TreeWriter {
  readonly #deferred: Array<() => Promise<void>> = [];
  readonly #refs: RefContext;

  constructor(
    readonly hierarchy: Hierarchy,
    readonly ctx: ArrayContext,
    readonly settings: TreeWriterSettings,
    root: GroupBuilder,
  ) {
    const id = root.getAttribute("object_id");
    this.#refs = { root, rootObjectId: typeof id === "string" ? id : null, convention: writeConvention(settings.format) };
  }

  get convention(): Convention {
    return this.#refs.convention;
  }

  get refContext(): RefContext {
    return this.#refs;
  }

  async writeRoot(root: GroupBuilder): Promise<void> {
    await this.#writeGroup("/", root);
    for (const run of this.#deferred.splice(0)) await run();
  }

  async #writeGroup(p: string, b: GroupBuilder): Promise<void> {
    this.settings.signal?.throwIfAborted();
    const existing = await this.hierarchy.node(p);
    if (existing?.kind === "array") throw new InvalidInputError(`${p} exists as an array; cannot write a group there`, { path: p });
    if (!existing) this.hierarchy.setGroup(p);
    for (const g of b.groups.values()) await this.#writeGroup(childPath(p, g.name), g);
    for (const d of b.datasets.values()) await this.#writeDataset(p, d);
    const links = [...b.links.values()].map((l) => this.#linkEntry(l.name, l.targetPath, l.targetSource, l.target instanceof Builder ? l.target : undefined, true));
    const attrs = this.#attrs(b);
    if (links.length) {
      const key = linksAttr(this.convention);
      const rec = await this.hierarchy.requireNode(p);
      const old = Array.isArray(rec.attrs[key]) ? (rec.attrs[key] as PyJsonValue[]) : [];
      const names = new Set(links.map((l) => l.name));
      attrs[key] = [...old.filter((e) => !(typeof e === "object" && e !== null && names.has((e as { name?: string }).name ?? ""))), ...links];
    }
    await this.hierarchy.updateAttrs(p, attrs);
  }

  /** Append one link entry to a group's links attribute (a dataset kept as a link to its source). */
  async #addLink(parent: string, entry: ZarrLinkJson | UnifiedLinkJson): Promise<void> {
    const key = linksAttr(this.convention);
    const rec = await this.hierarchy.requireNode(parent);
    const old = Array.isArray(rec.attrs[key]) ? (rec.attrs[key] as PyJsonValue[]) : [];
    await this.hierarchy.updateAttrs(parent, { [key]: [...old, entry] });
  }

  #attrs(b: Builder): JsonDoc {
    const out: JsonDoc = {};
    for (const [name, a] of b.attributes) {
      if (RESERVED_ATTRS.has(name)) throw new InvalidInputError(`attribute name "${name}" is reserved by the Zarr layout`, { path: `${b.path}@${name}` });
      out[name] = encodeAttribute(a.value, a.dtype, this.#refs, `${b.path}@${name}`);
    }
    return out;
  }

  /** A link entry: unified `{source, path, name}` (backend.py __add_link__), legacy with the object ids. */
  #linkEntry(name: string, target: string, targetSource: string | undefined, targetBuilder: Builder | undefined, withRootId: boolean): ZarrLinkJson | UnifiedLinkJson {
    const source = this.#relativeSource(targetSource);
    if (this.convention === "nwb-zarr-v3") return { source, path: target, name };
    const id = targetBuilder?.getAttribute("object_id");
    return {
      name,
      object_id: typeof id === "string" ? id : null,
      path: target,
      source,
      source_object_id: source === "." && withRootId ? this.#refs.rootObjectId : null,
    };
  }

  /** "." for this store, else the other store's location relative to this one (hdmf-zarr relpath). */
  #relativeSource(other: string | undefined): string {
    const self = this.settings.selfSource;
    if (other === undefined || other === "" || other === "." || other === self) return ".";
    if (isUrl(other) || isUrl(self)) return other;
    const rel = path.relative(path.resolve(self), path.resolve(other));
    return rel === "" ? "." : rel.split(path.sep).join("/");
  }

  async #writeDataset(parent: string, b: DatasetBuilder): Promise<void> {
    const p = childPath(parent, b.name);
    const io = b.data instanceof DataIO ? b.data : undefined;
    let data = io ? io.data : b.data;
    if (data instanceof NdArray && !dtypeEquals(data.dtype, b.dtype) && data.dtype.kind === "numeric" && b.dtype.kind === "numeric") {
      data = new NdArray(convertData(data, b.dtype), data.shape, b.dtype);
    }
    if (isStoredDataset(data) && (io?.linkData ?? this.settings.linkData) && data.source !== this.settings.selfSource) {
      await this.#addLink(parent, this.#linkEntry(b.name, data.path, data.source, undefined, false));
      return;
    }
    // hdmf's get_written: a builder read from this very store, at this path, is already there.
    if ((b.source === this.settings.selfSource && b.locationPath === p) || (isStoredDataset(data) && data.source === this.settings.selfSource && data.path === p)) {
      if (await this.hierarchy.node(p)) return;
    }
    const storage = io?.storage();
    const iter = data instanceof AbstractDataChunkIterator ? data : undefined;
    const isIter = iter !== undefined;
    if (data instanceof DataChunkIterator) await data.prime();
    const scalar = (data instanceof NdArray && data.ndim === 0) || (isStoredDataset(data) && data.shape.length === 0);
    const conv = this.convention;
    let shape: readonly number[];
    if (data instanceof NdArray) shape = scalar ? scalarShape(conv) : data.shape;
    else if (iter) shape = iter.recommendedDataShape();
    else if (isStoredDataset(data)) shape = scalar ? scalarShape(conv) : data.shape;
    else if (io?.shape) shape = io.shape;
    else throw new InvalidInputError(`dataset ${p} has no data and no shape`, { path: p });
    const dtype = b.dtype;
    let chunks = storage?.chunks;
    if ((chunks === undefined || chunks === "auto" || chunks === null) && iter) chunks = iter.recommendedChunkShape() ?? "auto";
    // unified compounds: text/reference fields as fixed UTF-32 strings as wide as the data needs
    const structLayout = conv === "nwb-zarr-v3" && needsStructLayout(dtype);
    let storedDtype: ReturnType<typeof storedCompound> | undefined;
    if (structLayout) {
      if (isStoredDataset(data)) data = await data.read();
      storedDtype = storedCompound(dtype, fieldWidths(data instanceof NdArray ? data : undefined, dtype));
    }
    const marker = datasetMarker(conv, {
      typeName: zarrDtypeName(dtype),
      scalar,
      reference: dtype.kind === "reference",
      compound: dtype.kind === "compound",
      iteratorTypestr: isIter ? toNumpyTypestr(dtype) : undefined,
      referenceFields: dtype.kind === "compound" ? dtype.fields.filter((f) => f.dtype.kind === "reference").map((f) => f.name) : undefined,
    });
    const { meta, doc, attrs } = planArray({
      path: p,
      format: this.settings.format,
      shape,
      dtype,
      chunks,
      codecs: await zarrCodecConfigs(storage?.codecs, this.ctx.resolver),
      compressorNull: io instanceof ZarrDataIO && io.compressor === null,
      fill: (storage?.fillvalue ?? undefined) as Scalar | undefined,
      marker,
      storedDtype,
      attrs: this.#attrs(b),
      defaultCompressor: this.settings.defaultCompressor,
      iterator: isIter,
      shards: this.settings.shards,
      shardRequest: io instanceof ZarrDataIO ? io.shards : undefined,
    });
    const existing = await this.hierarchy.node(p);
    if (existing) throw new InvalidInputError(`${p} already exists`, { path: p });
    this.hierarchy.setArray(p, doc, attrs);
    const ctx: ArrayContext = { ...this.ctx, mapper: referenceMapper(this.#refs, p, meta.convention) };
    const array = await ZarrArray.open(ctx, meta, { onMetaChange: (m) => this.hierarchy.updateArray(p, m.doc) });
    const unit = storageUnit(meta);
    const planner = { shape, chunks: unit, dtype, fillvalue: meta.fill, bufferBytes: this.settings.bufferBytes, path: p };
    const run = async (): Promise<void> => {
      if (shape.length === 0) {
        // a 0-d array (unified scalars): its one element is the one chunk
        const value = data instanceof NdArray ? data : isStoredDataset(data) ? await data.read() : undefined;
        if (value) await array.writeSelection([], value.reshape([]));
      } else if (data instanceof NdArray) {
        const cp = new ChunkPlanner({ ...planner, maxshape: shape }, array.sink());
        await cp.writeArray(scalar ? data.reshape([1]) : data);
        await cp.finish();
      } else if (iter) {
        const maxshape = iter.maxshape.length === shape.length ? iter.maxshape : shape.map(() => null);
        await planChunks(iter, { ...planner, maxshape }, array.sink(), this.settings.signal);
      } else if (isStoredDataset(data)) {
        await planChunks(copyBlocks(data, meta.chunks), { ...planner, maxshape: shape }, array.sink(), this.settings.signal);
      }
      await array.drain();
    };
    if (isIter && !this.settings.exhaustDci) this.#deferred.push(run);
    else await run();
  }
}

/** Read a stored dataset in slabs along axis 0 (one chunk row at a time) for copying. */
async function* copyBlocks(src: StoredDataset, chunks: readonly number[]): AsyncIterable<DataChunk> {
  if (src.shape.length === 0) {
    const v = await src.read();
    yield { data: v.reshape([1]), selection: [[0, 1, 1]] };
    return;
  }
  const rows = chunks[0] ?? 1;
  for (let r = 0; r < src.shape[0]!; r += rows) {
    const stop = Math.min(r + rows, src.shape[0]!);
    const sel = src.shape.map((d, i) => (i === 0 ? ([r, stop, 1] as const) : ([0, d, 1] as const)));
    yield { data: await src.read(sel), selection: sel };
  }
}
