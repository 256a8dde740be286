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
