/**
 * Builder tree -> HDF5 file, in hdmf's order: groups, attributes and plain datasets first; then
 * everything that points at other objects (reference datasets and attributes, links) once every
 * target exists. Data streams chunk by chunk (dataset.ts); nothing here holds a whole dataset
 * that the builder did not already hold in memory.
 */
import { dirname, relative, resolve } from "node:path";
import { InvalidInputError, UnsupportedError } from "../../errors.js";
import { DataIO } from "../../data/data-io.js";
import type { Dtype } from "../../data/dtype.js";
import { isStoredDataset, type StoredDataset } from "../../data/data-source.js";
import { AbstractDataChunkIterator, DataChunkIterator } from "../../data/iterators.js";
import { NdArray } from "../../data/ndarray.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder } from "../../schema/builders.js";
import { attributeHasRefs, writeAttribute } from "./attributes.js";
import { Hdf5Dataset, type FileContext } from "./dataset.js";
import { planCreate, requestFor } from "./dcpl.js";
import type { H5Location } from "./core.js";

export interface TreeWriteOptions {
  readonly linkData: boolean;
  readonly signal?: AbortSignal;
}

type Deferred = () => Promise<void> | void;

export class TreeWriter {
  readonly #ctx: FileContext;
  readonly #o: TreeWriteOptions;
  readonly #deferred: Deferred[] = [];

  constructor(ctx: FileContext, options: TreeWriteOptions) {
    this.#ctx = ctx;
    this.#o = options;
  }

  async write(root: GroupBuilder): Promise<void> {
    await this.#group(root, "/");
    for (const task of this.#deferred.splice(0)) {
      this.#o.signal?.throwIfAborted();
      await task();
    }
  }

  async #group(g: GroupBuilder, path: string): Promise<void> {
    const { core, file } = this.#ctx;
    let loc: H5Location = file;
    if (path !== "/") {
      if (core.exists(file, path)) {
        const info = core.linkInfo(file, path);
        if (info.link !== "hard" || info.kind !== "group") {
          throw new InvalidInputError(`${this.#ctx.source}:${path}: cannot create a group: the name is taken by a ${info.link === "hard" ? info.kind : `${info.link} link`}`, { path });
        }
        loc = core.open(file, path);
      } else {
        loc = core.createGroup(file, path);
      }
    }
    try {
      this.#attributes(g, loc, path);
    } finally {
      if (loc !== file) core.close(loc as Exclude<H5Location, typeof file>);
    }
    for (const child of g.children()) {
      this.#o.signal?.throwIfAborted();
      const p = path === "/" ? `/${child.name}` : `${path}/${child.name}`;
      if (child instanceof GroupBuilder) await this.#group(child, p);
      else if (child instanceof DatasetBuilder) await this.#dataset(child, p);
      else this.#deferred.push(() => this.#link(child, p));
    }
  }

  #attributes(b: Builder, loc: H5Location, path: string): void {
    const { core, file, refs } = this.#ctx;
    for (const [name, attr] of b.attributes) {
      if (attributeHasRefs(attr)) {
        // reopen later: the target may not exist yet, and `loc` is closed by then
        this.#deferred.push(() => {
          const l = path === "/" ? undefined : core.open(file, path);
          try { writeAttribute(core, l ?? file, name, attr, refs, path); } finally { if (l) core.close(l); }
        });
      } else {
        writeAttribute(core, loc, name, attr, refs, path);
      }
    }
  }

  async #dataset(b: DatasetBuilder, path: string): Promise<void> {
    const { core, file, source } = this.#ctx;
    const stored = storedOf(b.data);
    if (core.exists(file, path)) {
      // already here: a builder read from this very file (mode "a" / "r+" rewrite of a read tree)
      if (stored && sameFile(stored.source, source) && stored.path === path) return;
      if (readFromHere(b, source, path)) return;
      throw new InvalidInputError(`${source}:${path}: cannot create a dataset: the name already exists`, { path });
    }
    if (stored) {
      const link = b.data instanceof DataIO ? b.data.linkData && this.#o.linkData : this.#o.linkData;
      if (link) {
        // hdmf writes no attributes on a linked dataset: they live on the target.
        this.#deferred.push(() => this.#linkTo(path, stored.source, stored.path));
        return;
      }
      await this.#copy(b, path, stored);
      return;
    }
    if (hasRefs(b.dtype)) {
      this.#deferred.push(() => this.#create(b, path));
      return;
    }
    await this.#create(b, path);
  }

  async #create(b: DatasetBuilder, path: string): Promise<void> {
    const { core, file } = this.#ctx;
    const data = b.data;
    const inner = data instanceof DataIO ? data.data : data;
    if (inner instanceof DataChunkIterator) await inner.prime(); // dtype / maxshape of a generator
    const req = requestFor(data);
    const shape = initialShape(data, path);
    const plan = await planCreate(`${this.#ctx.source}:${path}`, b.dtype, shape, req);
    const obj = core.createDataset(file, path, plan.spec);
    const ds = await Hdf5Dataset.open(this.#ctx, obj, path);
    try {
      this.#attributes(b, obj, path);
      if (inner instanceof AbstractDataChunkIterator) await ds.writeChunks(inner, this.#o.signal);
      else if (inner instanceof NdArray) {
        if (inner.size > 0) await ds.writeBox(shape.map(() => 0), inner.reshape(shape));
      }
    } finally {
      ds.close();
    }
  }

  async #copy(b: DatasetBuilder, path: string, src: StoredDataset): Promise<void> {
    const { core, file } = this.#ctx;
    const s = src.storage;
    const req = {
      chunks: s.layout === "chunked" ? s.chunks : null,
      maxshape: s.layout === "chunked" ? s.maxshape : undefined,
      codecs: s.codecs,
      fillvalue: typeof s.fillvalue === "number" || typeof s.fillvalue === "bigint" || typeof s.fillvalue === "string" || typeof s.fillvalue === "boolean"
        ? s.fillvalue : undefined,
    };
    const plan = await planCreate(`${this.#ctx.source}:${path}`, src.dtype, src.shape, req);
    const obj = core.createDataset(file, path, plan.spec);
    const ds = await Hdf5Dataset.open(this.#ctx, obj, path);
    try {
      this.#attributes(b, obj, path);
      if (src instanceof Hdf5Dataset && src.directChunks && ds.directChunks && src.rawChunks) {
        // Same pipeline on both sides: copy the stored bytes, no decode / encode.
        for await (const c of src.rawChunks()) await ds.writeRawChunk(c.coords, c.bytes, c.filterMask);
      } else if (src.shape.every((d) => d > 0) || src.shape.length === 0) {
        await ds.writeBox(src.shape.map(() => 0), await src.read());
      }
    } finally {
      ds.close();
    }
  }

  #link(l: LinkBuilder, path: string): void {
    if (readFromHere(l, this.#ctx.source, path) && this.#ctx.core.exists(this.#ctx.file, path)) return;
    this.#linkTo(path, l.targetSource, l.targetPath);
  }

  /** hdmf: the same file -> soft link; another file -> external link with a relative name. */
  #linkTo(path: string, targetSource: string | undefined, targetPath: string): void {
    const { core, file, source } = this.#ctx;
    if (targetSource === undefined || sameFile(targetSource, source)) {
      core.createSoftLink(file, path, targetPath);
      return;
    }
    if (/^[a-z][a-z0-9+.-]*:\/\//i.test(targetSource)) {
      // HDF5 opens an external link's file name with its file driver: a URL would become a path that never resolves
      throw new UnsupportedError(`${source}:${path}: an HDF5 external link cannot point to a URL (${targetSource}::${targetPath}); copy the content in instead (export --links resolve)`, {
        feature: "HDF5 external link to a URL", path,
      });
    }
    const rel = relative(dirname(resolve(source)), resolve(targetSource)) || targetSource;
    core.createExternalLink(file, path, rel, targetPath);
  }
}

function storedOf(data: DatasetBuilder["data"]): StoredDataset | undefined {
  if (isStoredDataset(data)) return data;
  if (data instanceof DataIO && data.data !== undefined && isStoredDataset(data.data)) return data.data;
  return undefined;
}

function readFromHere(b: Builder, source: string, path: string): boolean {
  return b.source !== undefined && sameFile(b.source, source) && b.locationPath === path;
}

export function sameFile(a: string, b: string): boolean {
  return a === b || resolve(a) === resolve(b);
}

function hasRefs(dtype: Dtype): boolean {
  if (dtype.kind === "reference") return true;
  return dtype.kind === "compound" && dtype.fields.some((f) => hasRefs(f.dtype));
}

function initialShape(data: DatasetBuilder["data"], path: string): readonly number[] {
  if (data instanceof NdArray) return data.shape;
  if (data instanceof DataIO) {
    const s = data.shape;
    if (!s) throw new InvalidInputError(`${path}: cannot tell the shape of this DataIO's data`, { option: "shape", path });
    return s;
  }
  if (data instanceof AbstractDataChunkIterator) return data.recommendedDataShape();
  throw new UnsupportedError(`${path}: unsupported dataset data`, { feature: "dataset data", path });
}
