/**
 * A dataset in an open HDF5 file: lazy region reads (StoredDataset), region writes and resize
 * (DatasetHandle), raw chunk copies. Chunked datasets of fixed-size types move as chunks through
 * the TypeScript codec pipeline; contiguous / compact datasets and variable-length strings move
 * as hyperslabs through the core.
 */
import { InvalidInputError, ModeError, UnsupportedError } from "../../errors.js";
import type { Dtype } from "../../data/dtype.js";
import type { RawChunk, StorageInfo } from "../../data/data-source.js";
import type { CodecConfig } from "../../data/codec-config.js";
import { full, NdArray, type JsonValue, type Scalar } from "../../data/ndarray.js";
import { product, resolveSelection, type Selection } from "../../data/selection.js";
import type { DataChunk } from "../../data/iterators.js";
import type { DatasetHandle } from "../io.js";
import { ChunkPlanner } from "../chunk-plan.js";
import type { DatasetInfo, H5File, H5Object, Hdf5Core } from "./core.js";
import { ChunkPipeline, knownFilterId } from "./chunk-pipeline.js";
import { readBox, type ChunkSource } from "./chunk-read.js";
import { ChunkWriter } from "./chunk-write.js";
import { decodeValues, encodeValues, type RefCodec } from "./value-bytes.js";
import { isChunkableDtype, isRawDtype, storedItemsize, type FilterEntry } from "./type-map.js";

/** What a dataset needs from the IO that opened it. */
export interface FileContext {
  readonly core: Hdf5Core;
  readonly file: H5File;
  /** The file name the IO was opened with (StoredDataset.source). */
  readonly source: string;
  readonly refs: RefCodec;
  /** Chunks encoded / decoded at once. */
  readonly concurrency: number;
  /** Most bytes the chunk planner buffers per dataset. */
  readonly bufferBytes: number;
}

export class Hdf5Dataset implements DatasetHandle {
  readonly kind = "stored" as const;
  readonly path: string;
  readonly source: string;
  readonly dtype: Dtype;
  readonly storage: StorageInfo;
  #shape: number[];
  readonly #ctx: FileContext;
  readonly #obj: H5Object;
  readonly #info: DatasetInfo;
  readonly #pipeline: ChunkPipeline | undefined;
  readonly #fill: Scalar | null;

  constructor(ctx: FileContext, obj: H5Object, path: string) {
    this.#ctx = ctx;
    this.#obj = obj;
    this.path = path;
    this.source = ctx.source;
    const info = ctx.core.datasetInfo(obj);
    this.#info = info;
    if (!info.dtype) {
      throw new UnsupportedError(`${ctx.source}:${path}: HDF5 type ${info.hdf5Type.class} has no dtype here`, { feature: `hdf5 ${info.hdf5Type.class} type`, path });
    }
    this.dtype = info.dtype;
    this.#shape = info.space === "null" ? [0] : [...info.shape];
    this.#fill = readFill(ctx, obj, this.dtype, path);
    const filters: FilterEntry[] = info.filters.map((f) => ({ id: f.id, flags: f.flags, cdValues: f.cdValues, name: f.name }));
    const chunkable = info.layout === "chunked" && info.chunks !== null && isChunkableDtype(this.dtype) && filters.every((f) => knownFilterId(f.id));
    this.#pipeline = chunkable ? new ChunkPipeline(filters, { itemsize: storedItemsize(this.dtype), chunkShape: info.chunks!, dtype: undefined }, `${ctx.source}:${path}`) : undefined;
    this.storage = {
      layout: info.layout === "chunked" || info.layout === "compact" ? info.layout : "contiguous",
      chunks: info.chunks,
      maxshape: info.maxshape,
      codecs: filters.map(codecConfigOf),
      fillvalue: fillJson(this.#fill),
    };
  }

  get shape(): readonly number[] {
    return this.#shape;
  }

  get maxshape(): readonly (number | null)[] {
    return this.#info.maxshape;
  }

  /** The stored HDF5 filter pipeline (ids, flags, cd_values), as h5py reports it. */
  get filters(): readonly FilterEntry[] {
    return this.#info.filters;
  }

  /** The HDF5 layout as stored; `storage.layout` reads a virtual dataset as "contiguous". */
  get hdf5Layout(): DatasetInfo["layout"] {
    return this.#info.layout;
  }

  /** A null dataspace (h5py.Empty): no shape and no elements; `shape` reads as [0]. */
  get nullSpace(): boolean {
    return this.#info.space === "null";
  }

  /** Chunks allocated in the file. */
  storedChunkCount(): number {
    return this.#info.layout === "chunked" ? this.#ctx.core.chunkCount(this.#obj) : 0;
  }

  /** True when chunks move through the TypeScript pipeline (direct chunk I/O). */
  get directChunks(): boolean {
    return this.#pipeline !== undefined;
  }

  async read(selection: Selection = []): Promise<NdArray> {
    const slab = resolveSelection(this.#shape, selection);
    const boxCount = slab.count.map((c, i) => (c === 0 ? 0 : (c - 1) * slab.step[i]! + 1));
    const box = await this.#readBox(slab.start, boxCount);
    const strided = slab.step.some((s) => s !== 1);
    const picked = strided ? box.get(slab.count.map((_c, i) => [0, boxCount[i]!, slab.step[i]!] as const)) : box;
    return picked.reshape(slab.outShape);
  }

  async #readBox(start: readonly number[], count: readonly number[]): Promise<NdArray> {
    if (this.#shape.length > 0 && product(count) === 0) return full(this.dtype, count, null);
    if (this.#pipeline) return readBox(this.#chunkSource(), start, count);
    const { core } = this.#ctx;
    const region = this.#info.space === "scalar" ? undefined : { start, count };
    if (!isRawDtype(this.dtype)) return new NdArray(core.readStrings(this.#obj, region), count, this.dtype);
    return decodeValues(core.readRaw(this.#obj, region), this.dtype, count, this.#ctx.refs, this.path);
  }

  async write(selection: Selection, data: NdArray | number | bigint | boolean | string): Promise<void> {
    this.#assertWritable("write");
    const slab = resolveSelection(this.#shape, selection);
    if (slab.step.some((s) => s !== 1)) throw new UnsupportedError(`${this.path}: strided writes are not supported`, { feature: "strided write", path: this.path });
    const value = full(this.dtype, slab.count, null);
    value.set([], data instanceof NdArray ? data.reshape(slab.count.length === data.ndim ? data.shape : reshapeTo(data, slab.count, this.path)) : data);
    await this.writeBox(slab.start, value);
  }

  /** Write `value` (shape = the box) at `start`. */
  async writeBox(start: readonly number[], value: NdArray): Promise<void> {
    this.#assertWritable("write");
    if (value.size === 0) return;
    if (this.#pipeline) {
      await this.writeChunks([{ data: value, selection: start.map((s, i) => [s, s + value.shape[i]!, 1] as const) }]);
      return;
    }
    const { core } = this.#ctx;
    const region = this.#info.space === "scalar" ? undefined : { start, count: value.shape };
    if (!isRawDtype(this.dtype)) core.writeStrings(this.#obj, region, (value.data as unknown[]).map((v) => String(v ?? "")));
    else core.writeRaw(this.#obj, region, encodeValues(value, this.dtype, this.#ctx.refs, this.path));
  }

  /** Stream DataChunks into a chunked dataset (growing it along unlimited axes). */
  async writeChunks(source: AsyncIterable<DataChunk> | Iterable<DataChunk>, signal?: AbortSignal): Promise<number> {
    this.#assertWritable("write");
    if (!this.#pipeline) {
      let n = 0;
      for await (const c of source) {
        signal?.throwIfAborted();
        await this.#growFor(c.selection.map((s) => s[1] ?? 0));
        await this.writeBox(c.selection.map((s) => s[0] ?? 0), c.data.reshape(c.selection.map((s) => (s[1] ?? 0) - (s[0] ?? 0))));
        n++;
      }
      return n;
    }
    const writer = new ChunkWriter({ ...this.#chunkSource(), writeChunk: (o, d, m) => this.#ctx.core.writeChunk(this.#obj, o, d, m), resize: (s) => this.resize(s) });
    const planner = new ChunkPlanner({
      shape: this.#shape, maxshape: this.#info.maxshape, chunks: this.#info.chunks!, dtype: this.dtype,
      fillvalue: this.#fill, bufferBytes: this.#ctx.bufferBytes, path: this.path,
    }, writer);
    try {
      for await (const c of source) {
        signal?.throwIfAborted();
        await planner.write(c);
      }
      await planner.finish();
      await writer.drain();
    } catch (e) {
      await writer.abandon();
      throw e;
    }
    return writer.chunksWritten;
  }

  async #growFor(stop: readonly number[]): Promise<void> {
    if (stop.every((s, i) => s <= this.#shape[i]!)) return;
    await this.resize(this.#shape.map((d, i) => Math.max(d, stop[i]!)));
  }

  async resize(shape: readonly number[]): Promise<void> {
    this.#assertWritable("resize");
    if (this.#info.layout !== "chunked") {
      throw new UnsupportedError(`${this.path}: only chunked datasets can be resized (this one is ${this.#info.layout})`, { feature: "resize of a non-chunked dataset", path: this.path });
    }
    if (shape.length !== this.#shape.length) throw new InvalidInputError(`${this.path}: new shape [${shape}] has rank ${shape.length}, dataset has ${this.#shape.length}`, { option: "shape", path: this.path });
    shape.forEach((d, i) => {
      const m = this.#info.maxshape[i];
      if (!Number.isInteger(d) || d < 0 || (m !== null && m !== undefined && d > m)) {
        throw new InvalidInputError(`${this.path}: new shape [${shape}] exceeds maxshape [${this.#info.maxshape.map((x) => x ?? "None")}]`, { option: "shape", path: this.path });
      }
    });
    this.#ctx.core.setExtent(this.#obj, shape);
    this.#shape = [...shape];
  }

  async *rawChunks(): AsyncIterable<RawChunk> {
    if (this.#info.layout !== "chunked" || !this.#info.chunks) return;
    const cs = this.#info.chunks;
    for (const c of this.#ctx.core.listChunks(this.#obj)) {
      const stored = this.#ctx.core.readChunk(this.#obj, c.offset);
      if (stored) yield { coords: c.offset.map((o, i) => Math.floor(o / cs[i]!)), bytes: stored.data, filterMask: stored.filterMask };
    }
  }

  /**
   * Store one chunk that is already encoded with this dataset's pipeline (export's raw copy:
   * HDF5 shuffle+deflate chunk bytes are the same as Zarr [shuffle]+zlib). `coords` are grid
   * coordinates; `filterMask` as HDF5 records it (0 = every filter ran).
   */
  writeRawChunk(coords: readonly number[], bytes: Uint8Array, filterMask = 0): void {
    this.#assertWritable("write");
    if (this.#info.layout !== "chunked" || !this.#info.chunks) {
      throw new UnsupportedError(`${this.path}: raw chunks need a chunked dataset`, { feature: "raw chunk write of a non-chunked dataset", path: this.path });
    }
    const cs = this.#info.chunks;
    this.#ctx.core.writeChunk(this.#obj, coords.map((c, i) => c * cs[i]!), bytes, filterMask);
  }

  #chunkSource(): ChunkSource {
    return {
      path: `${this.#ctx.source}:${this.path}`, dtype: this.dtype, chunks: this.#info.chunks!, pipeline: this.#pipeline!,
      fill: this.#fill, refs: this.#ctx.refs, concurrency: this.#ctx.concurrency,
      readChunk: (offset) => this.#ctx.core.readChunk(this.#obj, offset),
    };
  }

  #assertWritable(what: string): void {
    if (!this.#ctx.file.writable) {
      throw new ModeError(`cannot ${what} ${this.path}: ${this.#ctx.source} is open read-only`, { mode: this.#ctx.file.mode, path: this.path });
    }
  }

  close(): void {
    this.#ctx.core.close(this.#obj);
  }
}

function reshapeTo(data: NdArray, count: readonly number[], path: string): readonly number[] {
  const a = count.filter((d) => d !== 1).join(",");
  const b = data.shape.filter((d) => d !== 1).join(",");
  if (a !== b) throw new InvalidInputError(`${path}: cannot write data of shape [${data.shape}] into a selection of shape [${count}]`, { option: "data", path });
  return count;
}

function readFill(ctx: FileContext, obj: H5Object, dtype: Dtype, path: string): Scalar | null {
  if (!isRawDtype(dtype) || dtype.kind === "reference" || dtype.kind === "compound") return null;
  const bytes = ctx.core.fillValue(obj);
  if (!bytes) return null;
  const v = decodeValues(bytes, dtype, [], ctx.refs, path).toArray()[0];
  return (v ?? null) as Scalar | null;
}

function fillJson(v: Scalar | null): JsonValue | bigint {
  if (v === null || typeof v === "object") return null;
  return v;
}

/** A stored filter as a DataIO codec config (HDF5 order). */
export function codecConfigOf(f: FilterEntry): CodecConfig {
  switch (f.id) {
    case 1: return { id: "zlib", level: f.cdValues[0] ?? 6 };
    case 2: return { id: "shuffle", elementsize: f.cdValues[0] ?? 1 };
    case 3: return { id: "fletcher32" };
    case 32000: return { id: "lzf" };
    default: return { id: "hdf5-filter", filter_id: f.id, cd_values: [...f.cdValues] };
  }
}
