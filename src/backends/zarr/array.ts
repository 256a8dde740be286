/**
 * A stored Zarr array (v2 or v3, sharded or not): region reads that fetch only the chunks a
 * selection touches (missing chunks read as the fill value), raw chunk access for export,
 * and the chunk-level primitives the writer uses (array-write.ts).
 */
import { CodecError, FormatError, InvalidInputError, isHdmfError, type CodecDirection, type HdmfError } from "../../errors.js";
import { full, NdArray } from "../../data/ndarray.js";
import { gridCells, product, resolveSelection, type Selection } from "../../data/selection.js";
import type { RawChunk, StorageInfo, StoredDataset } from "../../data/data-source.js";
import type { CodecConfig } from "../../data/codec-config.js";
import { itemsize, type Dtype } from "../../data/dtype.js";
import type { ByteRange, Store, StoreKey } from "../../stores/store.js";
import { gridShape, MAX_CHUNK_BYTES, storedKey, type ArrayMeta } from "./array-meta.js";
import { ChunkCodec, isObjectStored, type ElementMapper } from "./chunk-codec.js";
import { CodecPipeline } from "../../codecs/pipeline.js";
import type { CodecResolver } from "./codec-bridge.js";
import { mapLimit } from "./task-queue.js";
import { decodeShardIndex, indexSize, innerCount, innerGrid, type ShardIndex } from "./sharding.js";

export interface ArrayContext {
  readonly store: Store;
  readonly resolver: CodecResolver;
  readonly mapper: ElementMapper;
  /** Requests (and encodes) in flight per array operation. */
  readonly concurrency: number;
  /** The store's name for StoredDataset.source. */
  readonly source: string;
}

/** Per-axis pieces of a selection inside one grid cell. */
interface CellPart { unitSel: Array<[number, number, number]>; outSel: Array<[number, number, number]> }

export class ZarrArray implements StoredDataset {
  readonly kind = "stored" as const;
  readonly #shardIndexes = new Map<string, Promise<ShardIndex | undefined>>();

  protected constructor(
    readonly ctx: ArrayContext,
    readonly meta: ArrayMeta,
    readonly codec: ChunkCodec,
  ) {}

  static async open(ctx: ArrayContext, meta: ArrayMeta): Promise<ZarrArray> {
    return new ZarrArray(ctx, meta, await makeChunkCodec(ctx, meta));
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
      fillvalue: this.meta.fill === null ? null : (this.meta.fill as number | bigint | boolean | string),
    };
  }

  fillChunk(shape: readonly number[] = this.meta.chunks): NdArray {
    return full(this.meta.dtype, shape, this.meta.fill);
  }

  /** Read a region (h5py selection semantics); only the chunks it touches are fetched. */
  async read(selection: Selection = []): Promise<NdArray> {
    const slab = resolveSelection(this.meta.shape, selection);
    const need = product(slab.count) * (isObjectStored(this.meta.dtype) ? 1 : itemsize(this.meta.dtype));
    if (need > MAX_CHUNK_BYTES) {
      throw new InvalidInputError(`${this.meta.path}: a selection of [${slab.count}] needs ${need} bytes, more than one buffer holds (${MAX_CHUNK_BYTES}); read it in parts`, { path: this.meta.path, option: "selection" });
    }
    const out = full(this.meta.dtype, slab.count, this.meta.fill);
    if (product(slab.count) === 0) return out.reshape(slab.outShape);
    const cells = cellsOf(slab.start, slab.count, slab.step, this.meta.chunks);
    await mapLimit(cells, this.ctx.concurrency, async ({ coords, part }) => {
      const chunk = await this.readChunk(coords);
      if (chunk) out.set(part.outSel, chunk.get(part.unitSel));
    });
    return out.reshape(slab.outShape);
  }

  /** Decode one chunk (an inner chunk when sharded); undefined when it was never written. */
  async readChunk(coords: readonly number[]): Promise<NdArray | undefined> {
    const bytes = await this.readChunkBytes(coords);
    if (bytes === undefined) return undefined;
    const key = this.chunkKeyName(coords);
    try {
      return await this.codec.decode(bytes, key);
    } catch (e) {
      throw codecErrorAt(e, this.meta, `chunk ${key}`, "decode");
    }
  }

  /** The stored (encoded) bytes of one chunk. */
  async readChunkBytes(coords: readonly number[]): Promise<Uint8Array | undefined> {
    const { shards, chunks } = this.meta;
    if (!shards) return this.ctx.store.get(storedKey(this.meta, coords));
    const per = innerGrid(shards, chunks);
    const shardCoords = coords.map((c, i) => Math.floor(c / per[i]!));
    const key = storedKey(this.meta, shardCoords);
    const index = await this.shardIndex(key, per);
    if (!index) return undefined;
    const local = coords.map((c, i) => c % per[i]!);
    let flat = 0;
    for (let a = 0; a < local.length; a++) flat = flat * per[a]! + local[a]!;
    const entry = index.entries[flat];
    if (!entry) return undefined;
    const bytes = await this.ctx.store.get(key, { start: entry[0], end: entry[0] + entry[1] });
    if (!bytes || bytes.byteLength !== entry[1]) throw new FormatError(`shard ${key}: inner chunk ${flat} is truncated`, { path: key });
    return bytes;
  }

  /** The index of one shard (cached until that shard is rewritten). */
  shardIndex(key: StoreKey, per: readonly number[]): Promise<ShardIndex | undefined> {
    let p = this.#shardIndexes.get(key);
    if (!p) {
      const count = innerCount(per);
      const crc = this.meta.shardIndexCrc ?? true;
      const range: ByteRange = { suffix: indexSize(count, crc) };
      p = this.ctx.store.get(key, range).then((b) => (b === undefined ? undefined : decodeShardIndex(b, count, crc, undefined, key)));
      this.#shardIndexes.set(key, p);
      p.catch(() => this.#shardIndexes.delete(key));
    }
    return p;
  }

  forgetShard(key: string): void {
    this.#shardIndexes.delete(key);
  }

  chunkKeyName(coords: readonly number[]): string {
    if (!this.meta.shards) return storedKey(this.meta, coords);
    return `${this.meta.path}[chunk ${coords.join(",")}]`;
  }

  /** Every stored chunk, still encoded, in grid order (inner chunks of shards when sharded). */
  async *rawChunks(): AsyncIterable<RawChunk> {
    const grid = gridShape(this.meta.shape, this.meta.chunks);
    for (const coords of gridCells(grid.map(() => 0), grid.map((g) => g - 1))) {
      const bytes = await this.readChunkBytes(coords);
      if (bytes) yield { coords, bytes, filterMask: 0 };
    }
  }
}

/** Resolve an array's codec configs into a ChunkCodec for its (inner) chunk shape. */
export async function makeChunkCodec(ctx: ArrayContext, meta: ArrayMeta): Promise<ChunkCodec> {
  const all = meta.format === 2 ? meta.codecs : [...(meta.objectCodec ? [meta.objectCodec] : []), ...meta.codecs];
  const resolved = await Promise.all(all.map(async (c) => {
    try {
      return await ctx.resolver(c);
    } catch (e) {
      throw codecErrorAt(e, meta, `codec ${JSON.stringify(c.id)}`);
    }
  }));
  let pipeline: CodecPipeline;
  try {
    pipeline = new CodecPipeline(resolved);
  } catch (e) {
    throw new FormatError(`${meta.path}: bad codec pipeline: ${(e as Error).message}`, { path: meta.path, cause: e });
  }
  return new ChunkCodec(meta.dtype, meta.chunks, pipeline, ctx.mapper, meta.path, meta.format === 3);
}

/**
 * A codec failure (unknown id, corrupt or truncated chunk, a refused pickle) re-thrown as a
 * CodecError carrying the dataset path, with `where` (the chunk key or codec) in the message;
 * the original error is the cause. Other typed errors already name what they are about.
 */
export function codecErrorAt(e: unknown, meta: ArrayMeta, where: string, direction?: CodecDirection): HdmfError {
  if (e instanceof CodecError) {
    return new CodecError(`${meta.path}: ${where}: ${e.message}`, { codecId: e.codecId, direction: e.direction ?? direction, path: meta.path, cause: e });
  }
  if (isHdmfError(e)) return e;
  const ids = [meta.objectCodec?.id, ...meta.codecs.map((c) => c.id)].filter((id): id is string => id !== undefined);
  const why = e instanceof Error ? e.message : String(e);
  return new CodecError(`${meta.path}: ${where}: ${direction ?? "codec"} failed: ${why}`, { codecId: [...new Set(ids)].join(",") || "none", direction, path: meta.path, cause: e });
}

/** Grid cells a regular selection touches, with the selection inside each cell and in the output. */
export function cellsOf(
  start: readonly number[], count: readonly number[], step: readonly number[], unit: readonly number[],
): Array<{ coords: number[]; part: CellPart }> {
  const rank = start.length;
  const perAxis: Array<Array<{ c: number; unitSel: [number, number, number]; outSel: [number, number, number] }>> = [];
  for (let a = 0; a < rank; a++) {
    const s = start[a]!, n = count[a]!, st = step[a]!, u = unit[a]!;
    const last = s + (n - 1) * st;
    const list: (typeof perAxis)[number] = [];
    for (let c = Math.floor(s / u); c <= Math.floor(last / u); c++) {
      const u0 = c * u;
      const k0 = Math.max(0, Math.ceil((u0 - s) / st));
      const k1 = Math.min(n - 1, Math.floor((u0 + u - 1 - s) / st));
      if (k0 > k1) continue;
      list.push({ c, unitSel: [s + k0 * st - u0, s + k1 * st - u0 + 1, st], outSel: [k0, k1 + 1, 1] });
    }
    perAxis.push(list);
  }
  const out: Array<{ coords: number[]; part: CellPart }> = [];
  const idx = new Array<number>(rank).fill(0);
  if (perAxis.some((l) => l.length === 0)) return out;
  for (;;) {
    out.push({
      coords: idx.map((k, a) => perAxis[a]![k]!.c),
      part: { unitSel: idx.map((k, a) => perAxis[a]![k]!.unitSel), outSel: idx.map((k, a) => perAxis[a]![k]!.outSel) },
    });
    let a = rank - 1;
    while (a >= 0 && ++idx[a]! >= perAxis[a]!.length) { idx[a] = 0; a--; }
    if (a < 0) return out;
  }
}

export { gridCells };
