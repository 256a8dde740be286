/**
 * The Zarr v3 `sharding_indexed` layout (index at the end): inner chunks encoded one after
 * the other, then an index of (offset, nbytes) uint64 little-endian pairs per inner chunk in
 * C order ((2^64-1, 2^64-1) = absent), then the index's crc32c. It is the storage layout of
 * the v3 backend, built on the codec layer's crc32c; reads fetch the index with a suffix range
 * and then only the byte span of the inner chunks they need.
 */
import { FormatError } from "../../errors.js";
import { crc32c } from "../../codecs/crc32c.js";
import { product } from "../../data/selection.js";
import type { Store, StoreKey } from "../../stores/store.js";
import type { ChunkStore, StoredChunk } from "../engine/chunk-store.js";
import { storedKey, type ArrayMeta } from "./array-meta.js";

const ABSENT = 0xffffffffffffffffn;

export interface ShardIndex {
  /** Per inner chunk in C order: [offset, nbytes], or undefined when absent. */
  readonly entries: ReadonlyArray<readonly [number, number] | undefined>;
}

export function innerGrid(shard: readonly number[], chunks: readonly number[]): number[] {
  return shard.map((s, i) => s / chunks[i]!);
}

export function indexSize(count: number, crc: boolean): number {
  return count * 16 + (crc ? 4 : 0);
}

/** Assemble a shard from encoded inner chunks (undefined = absent). */
export function encodeShard(chunks: ReadonlyArray<Uint8Array | undefined>, crc: boolean): Uint8Array {
  const body = chunks.reduce((n, c) => n + (c ? c.byteLength : 0), 0);
  const out = new Uint8Array(body + indexSize(chunks.length, crc));
  const view = new DataView(out.buffer);
  let at = 0;
  chunks.forEach((c, i) => {
    if (c) {
      out.set(c, at);
      view.setBigUint64(body + i * 16, BigInt(at), true);
      view.setBigUint64(body + i * 16 + 8, BigInt(c.byteLength), true);
      at += c.byteLength;
    } else {
      view.setBigUint64(body + i * 16, ABSENT, true);
      view.setBigUint64(body + i * 16 + 8, ABSENT, true);
    }
  });
  if (crc) view.setUint32(body + chunks.length * 16, crc32c(out.subarray(body, body + chunks.length * 16)), true);
  return out;
}

/** Parse the index bytes (the last `indexSize` bytes of a shard). */
export function decodeShardIndex(bytes: Uint8Array, count: number, crc: boolean, shardBytes: number | undefined, key: string): ShardIndex {
  const want = indexSize(count, crc);
  if (bytes.byteLength !== want) throw new FormatError(`shard ${key}: index is ${bytes.byteLength} bytes, expected ${want}`, { path: key });
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (crc) {
    const stored = view.getUint32(count * 16, true);
    const actual = crc32c(bytes.subarray(0, count * 16));
    if (stored !== actual) throw new FormatError(`shard ${key}: index checksum mismatch`, { path: key });
  }
  const entries: Array<readonly [number, number] | undefined> = [];
  for (let i = 0; i < count; i++) {
    const off = view.getBigUint64(i * 16, true);
    const len = view.getBigUint64(i * 16 + 8, true);
    if (off === ABSENT && len === ABSENT) {
      entries.push(undefined);
      continue;
    }
    const o = Number(off);
    const n = Number(len);
    if (shardBytes !== undefined && o + n > shardBytes - want) {
      throw new FormatError(`shard ${key}: inner chunk ${i} [${o}, ${o + n}) lies outside the shard body`, { path: key });
    }
    entries.push([o, n]);
  }
  return { entries };
}

/** Grid coordinates of inner chunk `i` (C order) inside a shard. */
export function innerCoords(i: number, grid: readonly number[]): number[] {
  const out = new Array<number>(grid.length);
  for (let a = grid.length - 1; a >= 0; a--) {
    out[a] = i % grid[a]!;
    i = Math.floor(i / grid[a]!);
  }
  return out;
}

export function innerCount(grid: readonly number[]): number {
  return product(grid);
}

/**
 * Sharding as a wrapper around the store: the engine reads and writes inner chunks; reads
 * fetch the shard's index once (a suffix range, cached) and then only an inner chunk's byte
 * span; writes collect a shard's inner chunks and `commit` writes the shard in one object,
 * keeping the inner chunks this write did not touch.
 */
export class ShardedChunkStore implements ChunkStore {
  readonly rawWrites = false;
  readonly unit: readonly number[];
  readonly #per: number[];
  readonly #indexes = new Map<string, Promise<ShardIndex | undefined>>();
  readonly #pending = new Map<string, Map<number, Uint8Array>>();

  constructor(
    readonly store: Store,
    readonly meta: ArrayMeta,
    readonly resizeUnits: (shape: readonly number[], old: readonly number[]) => Promise<void>,
  ) {
    this.unit = meta.shards!;
    this.#per = innerGrid(meta.shards!, meta.chunks);
  }

  #locate(coords: readonly number[]): { key: StoreKey; shard: number[]; flat: number } {
    const shard = coords.map((c, i) => Math.floor(c / this.#per[i]!));
    let flat = 0;
    coords.forEach((c, a) => { flat = flat * this.#per[a]! + (c % this.#per[a]!); });
    return { key: storedKey(this.meta, shard), shard, flat };
  }

  /** The index of one shard (cached until that shard is rewritten). */
  #index(key: StoreKey): Promise<ShardIndex | undefined> {
    let p = this.#indexes.get(key);
    if (!p) {
      const count = innerCount(this.#per);
      const crc = this.meta.shardIndexCrc ?? true;
      p = this.store.get(key, { suffix: indexSize(count, crc) }).then((b) => (b === undefined ? undefined : decodeShardIndex(b, count, crc, undefined, key)));
      this.#indexes.set(key, p);
      p.catch(() => this.#indexes.delete(key));
    }
    return p;
  }

  async #stored(key: StoreKey, flat: number): Promise<Uint8Array | undefined> {
    const entry = (await this.#index(key))?.entries[flat];
    if (!entry) return undefined;
    const bytes = await this.store.get(key, { start: entry[0], end: entry[0] + entry[1] });
    if (!bytes || bytes.byteLength !== entry[1]) throw new FormatError(`shard ${key}: inner chunk ${flat} is truncated`, { path: key });
    return bytes;
  }

  async get(coords: readonly number[]): Promise<StoredChunk | undefined> {
    const { key, flat } = this.#locate(coords);
    const bytes = this.#pending.get(key)?.get(flat) ?? (await this.#stored(key, flat));
    return bytes && { bytes, filterMask: 0 };
  }

  async set(coords: readonly number[], chunk: StoredChunk): Promise<void> {
    const { key, flat } = this.#locate(coords);
    let m = this.#pending.get(key);
    if (!m) this.#pending.set(key, (m = new Map()));
    m.set(flat, chunk.bytes);
  }

  async commit(unitCoords: readonly number[]): Promise<void> {
    const key = storedKey(this.meta, unitCoords);
    const pending = this.#pending.get(key);
    if (!pending) return;
    const n = innerCount(this.#per);
    const inner: Array<Uint8Array | undefined> = new Array(n);
    for (let i = 0; i < n; i++) inner[i] = pending.get(i) ?? (await this.#stored(key, i));
    this.#indexes.delete(key);
    await this.store.set(key, encodeShard(inner, this.meta.shardIndexCrc ?? true));
    this.#pending.delete(key);
    this.#indexes.delete(key);
  }

  resize(shape: readonly number[], old: readonly number[]): Promise<void> {
    return this.resizeUnits(shape, old);
  }

  label(coords: readonly number[]): string {
    return `${this.meta.path}[chunk ${coords.join(",")}]`;
  }
}
