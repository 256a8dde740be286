/**
 * The Zarr v3 `sharding_indexed` layout: inner chunks encoded one after the other, and an
 * index of (offset, nbytes) uint64 little-endian pairs per inner chunk in C order
 * ((2^64-1, 2^64-1) = absent), optionally followed by its crc32c, at the end of the shard
 * (default) or at its start (`index_location: "start"`; offsets count from the shard's first
 * byte either way). It is the storage layout of the v3 backend, built on the codec layer's
 * crc32c; reads fetch the index with a range and then only the byte span of the inner chunks
 * they need. Bytes->bytes codecs after `sharding_indexed` (zarr-python allows them) apply to
 * the whole shard: such shards are fetched and decoded whole.
 */
import { FormatError } from "../../errors.js";
import { crc32c } from "../../codecs/crc32c.js";
import { product } from "../../data/selection.js";
import type { Store, StoreKey } from "../../stores/store.js";
import type { ChunkStore, StoredChunk } from "../engine/chunk-store.js";
import type { CodecPipeline } from "../../codecs/pipeline.js";
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

/** Assemble a shard from encoded inner chunks (undefined = absent), the index at the end or the start. */
export function encodeShard(chunks: ReadonlyArray<Uint8Array | undefined>, crc: boolean, atStart = false): Uint8Array {
  const body = chunks.reduce((n, c) => n + (c ? c.byteLength : 0), 0);
  const isize = indexSize(chunks.length, crc);
  const out = new Uint8Array(body + isize);
  const view = new DataView(out.buffer);
  const idx = atStart ? 0 : body;
  let at = atStart ? isize : 0;
  chunks.forEach((c, i) => {
    if (c) {
      out.set(c, at);
      view.setBigUint64(idx + i * 16, BigInt(at), true);
      view.setBigUint64(idx + i * 16 + 8, BigInt(c.byteLength), true);
      at += c.byteLength;
    } else {
      view.setBigUint64(idx + i * 16, ABSENT, true);
      view.setBigUint64(idx + i * 16 + 8, ABSENT, true);
    }
  });
  if (crc) view.setUint32(idx + chunks.length * 16, crc32c(out.subarray(idx, idx + chunks.length * 16)), true);
  return out;
}

/** Parse the index bytes (`indexSize` bytes at the end or start of a shard of `shardBytes`, when known). */
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
    if (!Number.isSafeInteger(o) || !Number.isSafeInteger(n) || (shardBytes !== undefined && o + n > shardBytes)) {
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
  readonly #wholes = new Map<string, Promise<Uint8Array | undefined>>();

  constructor(
    readonly store: Store,
    readonly meta: ArrayMeta,
    readonly resizeUnits: (shape: readonly number[], old: readonly number[]) => Promise<void>,
    /** The codecs after `sharding_indexed` (meta.shardCodecs), resolved. */
    readonly outer?: CodecPipeline,
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

  /** A whole shard with the outer (after-sharding) codecs undone; a few are kept. */
  #whole(key: StoreKey): Promise<Uint8Array | undefined> {
    let p = this.#wholes.get(key);
    if (!p) {
      p = this.store.get(key).then((b) => (b === undefined ? undefined : this.outer!.decodeChunk(b, { itemsize: 1 })));
      this.#wholes.set(key, p);
      if (this.#wholes.size > 4) this.#wholes.delete(this.#wholes.keys().next().value!);
      p.catch(() => this.#wholes.delete(key));
    }
    return p;
  }

  /** The index of one shard (cached until that shard is rewritten). */
  #index(key: StoreKey): Promise<ShardIndex | undefined> {
    let p = this.#indexes.get(key);
    if (!p) {
      const count = innerCount(this.#per);
      const crc = this.meta.shardIndexCrc ?? true;
      const size = indexSize(count, crc);
      const start = this.meta.shardIndexAtStart === true;
      if (this.outer) {
        p = this.#whole(key).then((b) => {
          if (b === undefined) return undefined;
          if (b.byteLength < size) throw new FormatError(`shard ${key}: ${b.byteLength} bytes cannot hold its ${size}-byte index`, { path: key });
          return decodeShardIndex(start ? b.subarray(0, size) : b.subarray(b.byteLength - size), count, crc, b.byteLength, key);
        });
      } else {
        p = this.store.get(key, start ? { start: 0, end: size } : { suffix: size }).then((b) => (b === undefined ? undefined : decodeShardIndex(b, count, crc, undefined, key)));
      }
      this.#indexes.set(key, p);
      p.catch(() => this.#indexes.delete(key));
    }
    return p;
  }

  async #stored(key: StoreKey, flat: number): Promise<Uint8Array | undefined> {
    const entry = (await this.#index(key))?.entries[flat];
    if (!entry) return undefined;
    const bytes = this.outer ? (await this.#whole(key))?.subarray(entry[0], entry[0] + entry[1]) : await this.store.get(key, { start: entry[0], end: entry[0] + entry[1] });
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
    const shard = encodeShard(inner, this.meta.shardIndexCrc ?? true, this.meta.shardIndexAtStart === true);
    this.#wholes.delete(key);
    await this.store.set(key, this.outer ? await this.outer.encodeChunk(shard, { itemsize: 1 }) : shard);
    this.#pending.delete(key);
    this.#indexes.delete(key);
    this.#wholes.delete(key);
  }

  resize(shape: readonly number[], old: readonly number[]): Promise<void> {
    return this.resizeUnits(shape, old);
  }

  label(coords: readonly number[]): string {
    return `${this.meta.path}[chunk ${coords.join(",")}]`;
  }
}
