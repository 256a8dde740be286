/**
 * A small in-memory HDMFIO used to test the suite itself (it must pass a correct backend and
 * fail broken ones) independently of the real backends. Files live in a Map keyed by source.
 */
import type { CachedSpecEntry } from "../../src/schema/spec/cache.js";
import { HDMFIO, type DatasetHandle, type OpenMode, type StorageFormat, type WriteOptions } from "../../src/backends/io.js";
import { ChunkPlanner } from "../../src/backends/chunk-plan.js";
import { DataIO } from "../../src/data/data-io.js";
import { isStoredDataset, type StorageInfo, type StoredDataset } from "../../src/data/data-source.js";
import { AbstractDataChunkIterator } from "../../src/data/iterators.js";
import { full, NdArray, type Scalar } from "../../src/data/ndarray.js";
import { ObjectReference } from "../../src/data/reference.js";
import { product, resolveSelection, type Selection } from "../../src/data/selection.js";
import { InvalidInputError, ModeError, NotFoundError, UnsupportedError } from "../../src/errors.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder, type Attribute, type AttributeValue } from "../../src/schema/builders.js";
import type { CodecConfig } from "../../src/data/codec-config.js";

export interface MemDataset {
  kind: "dataset"; attrs: Map<string, Attribute>; data: NdArray; maxshape: (number | null)[];
  chunks: number[] | null; codecs: CodecConfig[]; fillvalue: Scalar | null; stored: Set<string>;
}
export interface MemGroup { kind: "group"; attrs: Map<string, Attribute>; children: Map<string, MemNode> }
export interface MemLink { kind: "link"; target: string; file?: string }
export type MemNode = MemGroup | MemDataset | MemLink;

export const DISK = new Map<string, MemGroup>();

const newGroup = (): MemGroup => ({ kind: "group", attrs: new Map(), children: new Map() });

export function lookup(rootNode: MemGroup, path: string): MemNode | undefined {
  let n: MemNode = rootNode;
  for (const part of path.split("/").filter(Boolean)) {
    if (n.kind !== "group") return undefined;
    const next = n.children.get(part);
    if (!next) return undefined;
    n = next;
  }
  return n;
}

function resolveRef(v: unknown): unknown {
  if (v instanceof ObjectReference) return new ObjectReference(v.resolvedPath, v.source);
  if (v && typeof v === "object" && !Array.isArray(v) && !(v instanceof NdArray) && !ArrayBuffer.isView(v)) {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, resolveRef(x)]));
  }
  return v;
}

function copyArray(a: NdArray): NdArray {
  const data = ArrayBuffer.isView(a.data) ? (a.data as Uint8Array).slice() : (a.data as unknown[]).map(resolveRef);
  return new NdArray(data as NdArray["data"], a.shape, a.dtype);
}

function copyAttr(a: Attribute): Attribute {
  const value = a.value instanceof NdArray ? copyArray(a.value) : (resolveRef(a.value) as AttributeValue);
  return { value, dtype: a.dtype };
}

const chunkKey = (c: readonly number[]): string => c.join(".");

export class ReferenceIO extends HDMFIO {
  #root: MemGroup | undefined;

  #specs: CachedSpecEntry[] = [];

  constructor(source: string, mode: OpenMode) { super(source, mode); }

  /** Its codec configs are numcodecs-style, like hdmf-zarr's. */
  get format(): StorageFormat { return "zarr"; }
  async readCachedSpecs(): Promise<CachedSpecEntry[]> { this.assertOpen(); return [...this.#specs]; }
  async writeCachedSpecs(entries: readonly CachedSpecEntry[]): Promise<void> { this.assertWritable("cache specs"); this.#specs = [...entries]; }

  async open(): Promise<void> {
    const exists = DISK.has(this.source);
    if ((this.mode === "r" || this.mode === "r+") && !exists) throw new NotFoundError(`${this.source} does not exist`, { path: this.source });
    if (this.mode === "w-" && exists) throw new ModeError(`${this.source} exists (mode "w-")`, { mode: this.mode, path: this.source });
    if (this.mode === "w" || !exists) DISK.set(this.source, newGroup());
    this.#root = DISK.get(this.source);
  }

  protected async closeImpl(): Promise<void> { this.#root = undefined; }
  async flush(): Promise<void> { this.assertOpen(); }

  protected async writeBuilder(root: GroupBuilder, _o: WriteOptions): Promise<void> {
    await this.#writeGroup(root, this.#root!);
  }

  async #writeGroup(b: GroupBuilder, node: MemGroup): Promise<void> {
    for (const [k, a] of b.attributes) node.attrs.set(k, copyAttr(a));
    for (const g of b.groups.values()) {
      const existing = node.children.get(g.name);
      const child = existing?.kind === "group" ? existing : newGroup();
      node.children.set(g.name, child);
      await this.#writeGroup(g, child);
    }
    for (const d of b.datasets.values()) {
      const existing = node.children.get(d.name);
      if (existing?.kind === "dataset" && isStoredDataset(d.data) && d.data.source === this.source) { existing.attrs = new Map([...d.attributes].map(([k, a]) => [k, copyAttr(a)])); continue; }
      node.children.set(d.name, await this.#makeDataset(d));
    }
    for (const l of b.links.values()) node.children.set(l.name, { kind: "link", target: l.targetPath, file: l.targetSource === this.source ? undefined : l.targetSource });
  }

  async #makeDataset(b: DatasetBuilder): Promise<MemDataset> {
    const attrs = new Map([...b.attributes].map(([k, a]) => [k, copyAttr(a)]));
    const io = b.data instanceof DataIO ? b.data : undefined;
    const req = io?.storage();
    const src = io ? io.data : b.data;
    const fillvalue = (req?.fillvalue ?? null) as Scalar | null;
    if (src instanceof NdArray || isStoredDataset(src)) {
      const data = src instanceof NdArray ? copyArray(src) : await src.read();
      const chunks = req?.chunks === "auto" ? data.shape.map((d) => Math.max(1, d)) : req?.chunks ? [...req.chunks] : null;
      const ds: MemDataset = { kind: "dataset", attrs, data, maxshape: req?.maxshape ? [...req.maxshape] : [...data.shape], chunks, codecs: [...(req?.codecs ?? [])], fillvalue, stored: new Set() };
      return ds;
    }
    const shape = io?.shape ?? (src instanceof AbstractDataChunkIterator ? src.recommendedDataShape() : []);
    const dtype = io ? io.dtype : (src as AbstractDataChunkIterator).dtype;
    const maxshape = req?.maxshape ? [...req.maxshape] : src instanceof AbstractDataChunkIterator ? [...src.maxshape] : [...shape];
    const chunks = req?.chunks === "auto" || !req?.chunks ? maxshape.map((m, i) => Math.max(1, m ?? shape[i] ?? 1)) : [...req.chunks];
    const ds: MemDataset = { kind: "dataset", attrs, data: full(dtype, shape, fillvalue), maxshape, chunks, codecs: [...(req?.codecs ?? [])], fillvalue, stored: new Set() };
    if (src instanceof AbstractDataChunkIterator) {
      const planner = new ChunkPlanner({ shape, maxshape, chunks, dtype, fillvalue }, {
        resize: async (s) => { ds.data = grow(ds.data, s, fillvalue); },
        writeChunk: async (c) => {
          const boxes = c.written;
          for (const box of boxes) {
            const sel = box.start.map((s, i) => [c.coords[i]! * chunks[i]! + s, c.coords[i]! * chunks[i]! + s + box.count[i]!] as const);
            const local = box.start.map((s, i) => [s, s + box.count[i]!] as const);
            ds.data.set(sel, c.data.get(local));
          }
          ds.stored.add(chunkKey(c.coords));
        },
      });
      for await (const chunk of src) await planner.write(chunk);
      await planner.finish();
    }
    return ds;
  }

  async readBuilder(): Promise<GroupBuilder> {
    this.assertOpen();
    return this.#readGroup("root", this.#root!, "");
  }

  #readGroup(name: string, node: MemGroup, path: string): GroupBuilder {
    const g = new GroupBuilder(name, { source: this.source });
    for (const [k, a] of node.attrs) g.attributes.set(k, copyAttr(a));
    for (const [childName, c] of node.children) {
      const p = `${path}/${childName}`;
      if (c.kind === "group") g.add(this.#readGroup(childName, c, p));
      else if (c.kind === "link") g.add(new LinkBuilder(childName, { path: c.target, source: c.file }));
      else {
        // Like hdmf: scalars and reference datasets are read eagerly, the rest stays lazy.
        const eager = c.data.shape.length === 0 || c.data.dtype.kind === "reference" || c.data.dtype.kind === "compound";
        const d = g.add(new DatasetBuilder(childName, eager ? copyArray(c.data) : this.#stored(p, c), { source: this.source }));
        for (const [k, a] of c.attrs) d.attributes.set(k, copyAttr(a));
      }
    }
    return g;
  }

  #stored(path: string, ds: MemDataset): DatasetHandle {
    const self = this;
    const storage = (): StorageInfo => ({ layout: ds.chunks ? "chunked" : "contiguous", chunks: ds.chunks, maxshape: ds.maxshape, codecs: ds.codecs, fillvalue: (ds.fillvalue ?? 0) as StorageInfo["fillvalue"] });
    return {
      kind: "stored", path, source: this.source, get shape() { return ds.data.shape; }, dtype: ds.data.dtype, get storage() { return storage(); },
      async read(sel?: Selection) { self.assertOpen(); return ds.data.get(sel ?? []); },
      get maxshape() { return ds.maxshape; },
      filters: [],
      async storedChunkCount() { return ds.chunks ? (ds.stored.size || product(ds.data.shape.map((d, i) => Math.ceil(d / ds.chunks![i]!)))) : 0; },
      async writeRawChunk() { throw new UnsupportedError(`${path}: this backend keeps values, not encoded chunks`, { feature: "raw chunk write", path }); },
      close() {},
      async write(sel: Selection, value: NdArray | number | bigint | boolean | string) {
        self.assertWritable("write", path);
        ds.data.set(sel, value as NdArray);
        if (ds.stored.size && ds.chunks) {
          const slab = resolveSelection(ds.data.shape, sel);
          const lo = slab.start.map((s, i) => Math.floor(s / ds.chunks![i]!));
          const hi = slab.start.map((s, i) => Math.floor((s + Math.max(slab.count[i]! - 1, 0) * slab.step[i]!) / ds.chunks![i]!));
          const walk = (i: number, acc: number[]): void => { if (i === lo.length) { ds.stored.add(chunkKey(acc)); return; } for (let k = lo[i]!; k <= hi[i]!; k++) walk(i + 1, [...acc, k]); };
          walk(0, []);
        }
      },
      async resize(shape: readonly number[]) {
        self.assertWritable("resize", path);
        if (!ds.chunks) throw new UnsupportedError(`resize of the contiguous dataset ${path}`, { feature: "resize of a contiguous dataset", path });
        if (shape.length !== ds.maxshape.length || shape.some((d, i) => ds.maxshape[i] !== null && d > ds.maxshape[i]!)) {
          throw new InvalidInputError(`shape [${shape}] exceeds maxshape [${ds.maxshape}] of ${path}`, { option: "shape", path });
        }
        ds.data = grow(ds.data, shape, ds.fillvalue);
      },
    } satisfies StoredDataset & DatasetHandle;
  }

  async dataset(path: string): Promise<DatasetHandle> {
    this.assertOpen();
    const n = lookup(this.#root!, path);
    if (!n || n.kind !== "dataset") throw new NotFoundError(`no dataset at ${path} in ${this.source}`, { path });
    return this.#stored(path, n);
  }
}

function grow(a: NdArray, shape: readonly number[], fill: Scalar | null): NdArray {
  const out = full(a.dtype, shape, fill);
  const common = shape.map((d, i) => [0, Math.min(d, a.shape[i] ?? 0)] as const);
  if (product(common.map(([x, y]) => y - x)) > 0) out.set(common, a.get(common));
  return out;
}

export async function openReference(source: string, mode: OpenMode): Promise<ReferenceIO> {
  const io = new ReferenceIO(source, mode);
  await io.open();
  return io;
}
