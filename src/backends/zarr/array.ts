/**
 * A stored Zarr array (v2 or v3, sharded or not) on the shared chunked-array engine: one store
 * key per chunk, or a sharded chunk store (sharding.ts). Region reads and writes, the planner
 * sink, raw chunks for export and resize all come from the engine; this file maps keys,
 * metadata and resize onto the store.
 */
import { CodecError, FormatError, InvalidInputError, isHdmfError, UnsupportedError, type HdmfError } from "../../errors.js";
import { full, NdArray, type FillValue, type JsonValue, type Scalar } from "../../data/ndarray.js";
import { ObjectReference } from "../../data/reference.js";
import { gridCells, product, resolveSelection, type Selection } from "../../data/selection.js";
import type { RawChunk, StorageInfo, StoredDataset } from "../../data/data-source.js";
import type { CodecConfig } from "../../data/codec-config.js";
import { itemsize, type Dtype } from "../../data/dtype.js";
import type { Store } from "../../stores/store.js";
import { CodecPipeline } from "../../codecs/pipeline.js";
import type { ChunkSink } from "../chunk-plan.js";
import { ChunkedArray, gridOf } from "../engine/chunked-array.js";
import { ChunkCodec, isObjectStored, type ElementMapper } from "../engine/chunk-codec.js";
import type { ChunkStore, StoredChunk } from "../engine/chunk-store.js";
import { MAX_CHUNK_BYTES, storageUnit, storedKey, type ArrayMeta } from "./array-meta.js";
import type { CodecResolver } from "./codec-bridge.js";
import { ShardedChunkStore } from "./sharding.js";
import { compoundTransform } from "./compound-v3.js";

export interface ArrayContext {
  readonly store: Store;
  readonly resolver: CodecResolver;
  readonly mapper: ElementMapper;
  /** Requests (and encodes) in flight per array operation. */
  readonly concurrency: number;
  /** The store's name for StoredDataset.source. */
  readonly source: string;
}

export interface OpenArrayOptions {
  /** Called when the metadata changes (resize), so the hierarchy can store it. */
  readonly onMetaChange?: (meta: ArrayMeta) => void;
  /** Storage units encoded and stored at once by a write (default: the context's concurrency). */
  readonly writeConcurrency?: number;
}

/** One store key per chunk. */
class KeyChunkStore implements ChunkStore {
  readonly rawWrites = true;
  constructor(readonly store: Store, readonly meta: ArrayMeta, readonly resize: (shape: readonly number[], old: readonly number[]) => Promise<void>) {}

  async get(coords: readonly number[]): Promise<StoredChunk | undefined> {
    const bytes = await this.store.get(storedKey(this.meta, coords));
    return bytes && { bytes, filterMask: 0, disposable: this.store.capabilities.freshGets === true };
  }

  async set(coords: readonly number[], chunk: StoredChunk): Promise<void> {
    await this.store.set(storedKey(this.meta, coords), chunk.bytes);
  }

  label(coords: readonly number[]): string {
    return storedKey(this.meta, coords);
  }
}

export class ZarrArray implements StoredDataset {
  readonly kind = "stored" as const;

  protected constructor(
    readonly ctx: ArrayContext,
    readonly meta: ArrayMeta,
    readonly engine: ChunkedArray,
  ) {}

  static async open(ctx: ArrayContext, meta: ArrayMeta, options: OpenArrayOptions = {}): Promise<ZarrArray> {
    const codec = await makeChunkCodec(ctx, meta);
    const resize = async (shape: readonly number[], old: readonly number[]): Promise<void> => {
      meta.shape = [...shape];
      meta.doc = { ...meta.doc, shape: [...shape] };
      options.onMetaChange?.(meta);
      const unit = storageUnit(meta);
      const oldGrid = gridOf(old, unit), newGrid = gridOf(shape, unit);
      // units wholly outside the new shape are deleted, as zarr-python does
      if (newGrid.some((g, i) => g < oldGrid[i]!) && ctx.store.capabilities.deletes) {
        for (const coords of gridCells(oldGrid.map(() => 0), oldGrid.map((g) => g - 1))) {
          if (coords.some((c, i) => c >= newGrid[i]!)) await ctx.store.delete(storedKey(meta, coords));
        }
      }
    };
    const outer = meta.shardCodecs ? await resolvePipeline(ctx, meta, meta.shardCodecs) : undefined;
    const store: ChunkStore = meta.shards ? new ShardedChunkStore(ctx.store, meta, resize, outer) : new KeyChunkStore(ctx.store, meta, resize);
    const engine = new ChunkedArray(store, codec, {
      name: meta.path, dtype: meta.dtype, shape: meta.shape, chunks: meta.chunks, fill: meta.fill,
      concurrency: ctx.concurrency, writeConcurrency: options.writeConcurrency,
    });
    return new ZarrArray(ctx, meta, engine);
  }

  get path(): string { return this.meta.path; }
  get source(): string { return this.ctx.source; }
  get shape(): readonly number[] { return this.meta.shape; }
  get dtype(): Dtype { return this.meta.dtype; }

  get storage(): StorageInfo {
    return {
      layout: "chunked",
      chunks: [...this.meta.chunks],
      maxshape: this.meta.shape.map(() => null),
      codecs: [...this.meta.codecs] as CodecConfig[],
      fillvalue: fillJson(this.meta.fill),
    };
  }

  /** Read a region (h5py selection semantics); only the chunks it touches are fetched. */
  async read(selection: Selection = []): Promise<NdArray> {
    const slab = resolveSelection(this.meta.shape, selection);
    const layout = this.meta.storedDtype ?? this.meta.dtype;
    const need = product(slab.count) * (isObjectStored(layout) ? 1 : itemsize(layout));
    if (need > MAX_CHUNK_BYTES) {
      throw new InvalidInputError(`${this.meta.path}: a selection of [${slab.count}] needs ${need} bytes, more than one buffer holds (${MAX_CHUNK_BYTES}); read it in parts`, { path: this.meta.path, option: "selection" });
    }
    return this.engine.read(selection);
  }

  /** Every stored chunk, still encoded, in grid order (inner chunks of shards when sharded). */
  rawChunks(): AsyncIterable<RawChunk> {
    return this.engine.rawChunks();
  }

  /** A ChunkSink for the planner: units are chunks, or whole shards when sharded. */
  sink(): ChunkSink {
    return this.engine.sink();
  }

  /** Wait for every queued encode/store; rethrows the first failure. */
  drain(): Promise<void> {
    return this.engine.drain();
  }

  /** Store one already-encoded chunk as is (export's raw copy). Sharded arrays re-encode instead. */
  async writeRawChunk(coords: readonly number[], bytes: Uint8Array): Promise<void> {
    if (this.meta.shards) throw new UnsupportedError(`${this.meta.path}: raw chunk writes into a sharded array`, { feature: "raw chunk write into a shard", path: this.meta.path });
    await this.engine.writeRawChunk(coords, bytes, 0);
  }

  /** h5py `dset[sel] = value`: read-modify-write of every chunk the selection touches. */
  writeSelection(selection: Selection, value: NdArray | Scalar): Promise<void> {
    return this.engine.write(selection, value);
  }

  /** Change the extent; chunks wholly outside the new shape are deleted (as zarr-python does). */
  resize(shape: readonly number[]): Promise<void> {
    return this.engine.resize(shape);
  }

  fillChunk(shape: readonly number[] = this.meta.chunks): NdArray {
    return full(this.meta.dtype, shape, this.meta.fill);
  }
}

/** A fill value as StorageInfo reports it: complex as [re, im], records as objects. */
function fillJson(fill: FillValue): JsonValue | bigint {
  if (fill === null) return null;
  if (Array.isArray(fill)) return [...fill] as number[];
  if (typeof fill === "object" && !(fill instanceof ObjectReference) && !("kind" in fill && typeof fill.kind === "string" && fill.kind === "region")) {
    return JSON.parse(JSON.stringify(fill, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v))) as JsonValue;
  }
  return fill as number | bigint | boolean | string;
}

/** Resolve an array's codec configs into a ChunkCodec for its (inner) chunk shape. */
export async function makeChunkCodec(ctx: ArrayContext, meta: ArrayMeta): Promise<ChunkCodec> {
  const objects = meta.format === 2 ? meta.codecs : [...(meta.objectCodec ? [meta.objectCodec] : []), ...meta.codecs];
  // v2 order "F": the chunk's bytes are the Fortran-order layout, a transpose of all axes; object
  // items are moved between Fortran and C order by the object codec (ChunkContext.order)
  const fortran = meta.order === "F" && meta.chunks.length > 1;
  const objectStored = isObjectStored(meta.dtype);
  const all = fortran && !objectStored ? [{ id: "transpose", order: meta.chunks.map((_, i) => meta.chunks.length - 1 - i) }, ...objects] : objects;
  const pipeline = await resolvePipeline(ctx, meta, all);
  const layout = meta.storedDtype && meta.dtype.kind === "compound" ? compoundTransform(meta.dtype, meta.storedDtype, meta.path) : undefined;
  // JSON text elements are hdmf-ts's v3 layout before the unified convention (read only)
  const jsonText = meta.format === 3 && meta.convention === "hdmf-zarr-v2";
  return new ChunkCodec({ dtype: meta.dtype, chunkShape: meta.chunks, pipeline, mapper: ctx.mapper, path: meta.path, jsonText, layout, order: fortran && objectStored ? "F" : undefined });
}

/** Resolve codec configs into a CodecPipeline; failures name the array and the codec. */
async function resolvePipeline(ctx: ArrayContext, meta: ArrayMeta, configs: readonly CodecConfig[]): Promise<CodecPipeline> {
  const resolved = await Promise.all(configs.map(async (c) => {
    try {
      return await ctx.resolver(c);
    } catch (e) {
      throw codecErrorAt(e, meta, `codec ${JSON.stringify(c.id)}`);
    }
  }));
  try {
    return new CodecPipeline(resolved);
  } catch (e) {
    throw new FormatError(`${meta.path}: bad codec pipeline: ${(e as Error).message}`, { path: meta.path, cause: e });
  }
}

/**
 * A codec failure (unknown id, a refused pickle) re-thrown as a CodecError carrying the dataset
 * path, with `where` (the codec) in the message; the original error is the cause.
 */
export function codecErrorAt(e: unknown, meta: ArrayMeta, where: string): HdmfError {
  if (e instanceof CodecError) {
    return new CodecError(`${meta.path}: ${where}: ${e.message}`, { codecId: e.codecId, direction: e.direction, path: meta.path, cause: e });
  }
  if (isHdmfError(e)) return e;
  const ids = [meta.objectCodec?.id, ...meta.codecs.map((c) => c.id)].filter((id): id is string => id !== undefined);
  const why = e instanceof Error ? e.message : String(e);
  return new CodecError(`${meta.path}: ${where}: codec failed: ${why}`, { codecId: [...new Set(ids)].join(",") || "none", path: meta.path, cause: e });
}
