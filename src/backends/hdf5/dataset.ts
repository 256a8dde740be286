/**
 * A dataset in an open HDF5 file: lazy region reads (StoredDataset), region writes and resize
 * (DatasetHandle), raw chunk copies. Chunked datasets of fixed-size types whose filters the
 * codec registry knows run on the shared chunked-array engine over direct chunk I/O (codecs in
 * TypeScript, on the worker pool like Zarr's); contiguous / compact datasets, variable-length
 * strings and filters only HDF5 itself has move as hyperslabs through the core.
 */
import { InvalidInputError, ModeError, UnsupportedError } from "../../errors.js";
import type { Dtype } from "../../data/dtype.js";
import type { RawChunk, StorageInfo } from "../../data/data-source.js";
import type { CodecConfig, Hdf5Filter } from "../../data/codec-config.js";
import { full, NdArray, type JsonValue, type Scalar } from "../../data/ndarray.js";
import { product, resolveSelection, type Selection } from "../../data/selection.js";
import { decodeElements, elementSize, encodeElements, isFixedSize, type RefCodec } from "../../data/element-bytes.js";
import type { DataChunk } from "../../data/iterators.js";
import { defaultRegistry } from "../../codecs/default-registry.js";
import { hdf5FilterConfig } from "../../codecs/counterparts.js";
import { CodecPipeline } from "../../codecs/pipeline.js";
import type { DatasetHandle } from "../io.js";
import { ChunkPlanner } from "../chunk-plan.js";
import { ChunkedArray } from "../engine/chunked-array.js";
import { ChunkCodec } from "../engine/chunk-codec.js";
import type { ChunkStore, StoredChunk } from "../engine/chunk-store.js";
import type { DatasetInfo, H5File, H5Object, Hdf5Core } from "./core.js";
import type { RangeReader } from "./remote-access.js";
import { fetchSpans } from "./remote-chunks.js";

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
  /** A remote file: chunk bytes are fetched from here directly (remote-chunks.ts), not through the core. */
  readonly remote?: RangeReader;
}

/** Direct chunk I/O of one dataset: the engine's chunk store for HDF5. */
class Hdf5ChunkStore implements ChunkStore {
  readonly rawWrites = true;
  readonly getMany?: (coords: ReadonlyArray<readonly number[]>) => Promise<Array<StoredChunk | undefined>>;
  constructor(readonly core: Hdf5Core, readonly obj: H5Object, readonly chunks: readonly number[], readonly remote?: RangeReader) {
    if (remote) this.getMany = (coords) => this.#fetch(coords, remote);
  }

  #offset(coords: readonly number[]): number[] {
    return coords.map((c, i) => c * this.chunks[i]!);
  }

  async get(coords: readonly number[]): Promise<StoredChunk | undefined> {
    if (this.remote) return (await this.#fetch([coords], this.remote))[0];
    const c = this.core.readChunk(this.obj, this.#offset(coords));
    return c && { bytes: c.data, filterMask: c.filterMask, disposable: true }; // a fresh copy out of the core's heap
  }

  /** Remote: addresses from the chunk index (metadata, through the device), bytes by range GETs. */
  async #fetch(coords: ReadonlyArray<readonly number[]>, remote: RangeReader): Promise<Array<StoredChunk | undefined>> {
    const infos = coords.map((c) => this.core.chunkInfo(this.obj, this.#offset(c)));
    const bytes = await fetchSpans(remote, infos);
    return infos.map((info, i) => (info ? { bytes: bytes[i]!, filterMask: info.filterMask } : undefined));
  }

  async set(coords: readonly number[], chunk: StoredChunk): Promise<void> {
    this.core.writeChunk(this.obj, this.#offset(coords), chunk.bytes, chunk.filterMask);
  }

  async *list(): AsyncIterable<readonly number[]> {
    for (const c of this.core.listChunks(this.obj)) yield c.offset.map((o, i) => Math.floor(o / this.chunks[i]!));
  }

  async resize(shape: readonly number[]): Promise<void> {
    this.core.setExtent(this.obj, shape);
  }

  label(coords: readonly number[]): string {
    return `[${coords}]`;
  }
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
  readonly #engine: ChunkedArray | undefined;
  readonly #fill: Scalar | null;

  private constructor(ctx: FileContext, obj: H5Object, path: string, info: DatasetInfo, dtype: Dtype, codecs: CodecConfig[], pipeline: CodecPipeline | undefined) {
    this.#ctx = ctx;
    this.#obj = obj;
    this.path = path;
    this.source = ctx.source;
    this.#info = info;
    this.dtype = dtype;
    this.#shape = info.space === "null" ? [0] : [...info.shape];
    this.#fill = readFill(ctx, obj, dtype, path);
    const name = `${ctx.source}:${path}`;
    this.#engine = pipeline && info.chunks
      ? new ChunkedArray(new Hdf5ChunkStore(ctx.core, obj, info.chunks, ctx.remote), new ChunkCodec({ dtype, chunkShape: info.chunks, pipeline, refs: ctx.refs, hdf5: true, path: name }),
        { name, dtype, shape: this.#shape, chunks: info.chunks, fill: this.#fill, concurrency: ctx.concurrency })
      : undefined;
    this.storage = {
      layout: info.layout === "chunked" || info.layout === "compact" ? info.layout : "contiguous",
      chunks: info.chunks,
      maxshape: info.maxshape,
      codecs,
      fillvalue: fillJson(this.#fill),
      // what h5py says: the layout as stored (virtual included), and a null dataspace (h5py.Empty, shape reads [0])
      native: { layout: info.layout, space: info.space },
    };
  }

  /**
   * Open `obj` (a dataset) as a handle. Chunks move through the engine when the dataset is
   * chunked, of a fixed-size type (no vlen strings, no region references), and every filter has
   * a codec in the registry that can write it; otherwise through the core.
   */
  static async open(ctx: FileContext, obj: H5Object, path: string): Promise<Hdf5Dataset> {
    const info = ctx.core.datasetInfo(obj);
    if (!info.dtype) {
      throw new UnsupportedError(`${ctx.source}:${path}: HDF5 type ${info.hdf5Type.class} has no dtype here`, { feature: `hdf5 ${info.hdf5Type.class} type`, path });
    }
    const dtype = info.dtype;
    const registry = defaultRegistry();
    const codecs = await Promise.all(info.filters.map((f) => hdf5FilterConfig(f, registry)));
    const direct = info.layout === "chunked" && info.chunks !== null && isDirectDtype(dtype)
      && info.filters.every((f) => { const e = registry.entryForHdf5(f.id); return e?.loadHdf5 !== undefined && !e.decodeOnly; });
    let pipeline: CodecPipeline | undefined;
    if (direct) {
      const ctxChunk = { itemsize: elementSize(dtype), chunkShape: info.chunks! };
      pipeline = new CodecPipeline(await Promise.all(info.filters.map((f) => registry.resolveHdf5(f, ctxChunk))), ctxChunk);
    }
    return new Hdf5Dataset(ctx, obj, path, info, dtype, codecs, pipeline);
  }

  get shape(): readonly number[] {
    return this.#shape;
  }

  get maxshape(): readonly (number | null)[] {
    return this.#info.maxshape;
  }

  /** The stored HDF5 filter pipeline (ids, flags, cd_values), as h5py reports it. */
  get filters(): readonly Hdf5Filter[] {
    return this.#info.filters;
  }

  /** Chunks allocated in the file. */
  async storedChunkCount(): Promise<number> {
    return this.#info.layout === "chunked" ? this.#ctx.core.chunkCount(this.#obj) : 0;
  }

  /** True when chunks move through the shared engine (direct chunk I/O). */
  get directChunks(): boolean {
    return this.#engine !== undefined;
  }

  async read(selection: Selection = []): Promise<NdArray> {
    if (this.#engine) return this.#engine.read(selection);
    const slab = resolveSelection(this.#shape, selection);
    const boxCount = slab.count.map((c, i) => (c === 0 ? 0 : (c - 1) * slab.step[i]! + 1));
    const box = this.#readBox(slab.start, boxCount);
    const strided = slab.step.some((s) => s !== 1);
    const picked = strided ? box.get(slab.count.map((_c, i) => [0, boxCount[i]!, slab.step[i]!] as const)) : box;
    return picked.reshape(slab.outShape);
  }

  #readBox(start: readonly number[], count: readonly number[]): NdArray {
    if (this.#shape.length > 0 && product(count) === 0) return full(this.dtype, count, null);
    const { core } = this.#ctx;
    const region = this.#info.space === "scalar" ? undefined : { start, count };
    if (!isFixedSize(this.dtype)) return new NdArray(core.readStrings(this.#obj, region), count, this.dtype);
    return decodeElements(core.readRaw(this.#obj, region), this.dtype, count, this.#ctx.refs, this.path);
  }

  async write(selection: Selection, data: NdArray | number | bigint | boolean | string): Promise<void> {
    this.#assertWritable("write");
    if (this.#engine) {
      await this.#engine.write(selection, data);
      return;
    }
    const slab = resolveSelection(this.#shape, selection);
    if (slab.step.some((s) => s !== 1)) throw new UnsupportedError(`${this.path}: strided writes into a ${this.#info.layout} dataset are not supported`, { feature: "strided write", path: this.path });
    const value = full(this.dtype, slab.count, null);
    value.set([], data instanceof NdArray ? data.reshape(slab.count.length === data.ndim ? data.shape : reshapeTo(data, slab.count, this.path)) : data);
    await this.writeBox(slab.start, value);
  }

  /** Write `value` (shape = the box) at `start`. */
  async writeBox(start: readonly number[], value: NdArray): Promise<void> {
    this.#assertWritable("write");
    if (value.size === 0) return;
    if (this.#engine) {
      await this.#engine.write(start.map((s, i) => [s, s + value.shape[i]!, 1] as const), value);
      return;
    }
    const { core } = this.#ctx;
    const region = this.#info.space === "scalar" ? undefined : { start, count: value.shape };
    if (!isFixedSize(this.dtype)) core.writeStrings(this.#obj, region, (value.data as unknown[]).map((v) => String(v ?? "")));
    else core.writeRaw(this.#obj, region, encodeElements(value, this.dtype, this.#ctx.refs, this.path));
  }

  /** Stream DataChunks into a chunked dataset (growing it along unlimited axes). */
  async writeChunks(source: AsyncIterable<DataChunk> | Iterable<DataChunk>, signal?: AbortSignal): Promise<number> {
    this.#assertWritable("write");
    const engine = this.#engine;
    if (!engine) {
      let n = 0;
      for await (const c of source) {
        signal?.throwIfAborted();
        await this.#growFor(c.selection.map((s) => s[1] ?? 0));
        await this.writeBox(c.selection.map((s) => s[0] ?? 0), c.data.reshape(c.selection.map((s) => (s[1] ?? 0) - (s[0] ?? 0))));
        n++;
      }
      return n;
    }
    const sink = engine.sink();
    const planner = new ChunkPlanner({
      shape: this.#shape, maxshape: this.#info.maxshape, chunks: this.#info.chunks!, dtype: this.dtype,
      fillvalue: this.#fill, bufferBytes: this.#ctx.bufferBytes, path: this.path,
    }, { writeChunk: sink.writeChunk, resize: async (shape) => { await engine.settleBeforeResize(shape); await this.resize(shape); } });
    try {
      for await (const c of source) {
        signal?.throwIfAborted();
        await planner.write(c);
      }
      await planner.finish();
      await engine.drain();
    } catch (e) {
      await engine.abandon();
      throw e;
    }
    return planner.chunksEmitted;
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
    if (this.#engine) await this.#engine.resize(shape);
    else this.#ctx.core.setExtent(this.#obj, shape);
    this.#shape = [...shape];
  }

  async *rawChunks(): AsyncIterable<RawChunk> {
    if (this.#info.layout !== "chunked" || !this.#info.chunks) return;
    const engine = this.#engine ?? new ChunkedArray(new Hdf5ChunkStore(this.#ctx.core, this.#obj, this.#info.chunks, this.#ctx.remote),
      new ChunkCodec({ dtype: this.dtype, chunkShape: this.#info.chunks, pipeline: new CodecPipeline([]), hdf5: true }),
      { name: this.path, dtype: this.dtype, shape: this.#shape, chunks: this.#info.chunks, fill: null, concurrency: 1 });
    yield* engine.rawChunks();
  }

  /**
   * Store one chunk that is already encoded with this dataset's pipeline (export's raw copy:
   * HDF5 shuffle+deflate chunk bytes are the same as Zarr [shuffle]+zlib). `coords` are grid
   * coordinates; `filterMask` as HDF5 records it (0 = every filter ran).
   */
  async writeRawChunk(coords: readonly number[], bytes: Uint8Array, filterMask = 0): Promise<void> {
    this.#assertWritable("write");
    if (this.#info.layout !== "chunked" || !this.#info.chunks) {
      throw new UnsupportedError(`${this.path}: raw chunks need a chunked dataset`, { feature: "raw chunk write of a non-chunked dataset", path: this.path });
    }
    const cs = this.#info.chunks;
    this.#ctx.core.writeChunk(this.#obj, coords.map((c, i) => c * cs[i]!), bytes, filterMask);
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

/** Types whose chunks move as plain bytes: fixed size, and no region references (global heap). */
function isDirectDtype(dtype: Dtype): boolean {
  if (dtype.kind === "reference") return dtype.refType === "object";
  if (dtype.kind === "compound") return dtype.fields.every((f) => isDirectDtype(f.dtype));
  return isFixedSize(dtype);
}

function reshapeTo(data: NdArray, count: readonly number[], path: string): readonly number[] {
  const a = count.filter((d) => d !== 1).join(",");
  const b = data.shape.filter((d) => d !== 1).join(",");
  if (a !== b) throw new InvalidInputError(`${path}: cannot write data of shape [${data.shape}] into a selection of shape [${count}]`, { option: "data", path });
  return count;
}

function readFill(ctx: FileContext, obj: H5Object, dtype: Dtype, path: string): Scalar | null {
  if (!isFixedSize(dtype) || dtype.kind === "reference" || dtype.kind === "compound") return null;
  const bytes = ctx.core.fillValue(obj);
  if (!bytes) return null;
  const v = decodeElements(bytes, dtype, [], ctx.refs, path).toArray()[0];
  return (v ?? null) as Scalar | null;
}

function fillJson(v: Scalar | null): JsonValue | bigint {
  if (v === null || typeof v === "object") return null;
  return v;
}
