/**
 * The workloads bench/zarr.ts times: an iterator-fed float64 write (gzip-4, Blosc lz4 or zstd) through ZarrIO and a
 * block-wise read back, on any Store; also runnable as a child process for peak-RSS runs:
 *   npx tsx bench/zarr-work.ts rss <bytes> <dir>   -> prints {"maxRssMiB": ...}
 */
import { rm } from "node:fs/promises";
import { openZarr } from "../src/backends/zarr/index.js";
import { FsStore } from "../src/stores/fs-store.js";
import type { Store } from "../src/stores/store.js";
import type { CodecConfig } from "../src/codecs/codec.js";
import { AbstractDataChunkIterator, type DataChunk } from "../src/data/iterators.js";
import { dtypes } from "../src/data/dtype.js";
import { NdArray } from "../src/data/ndarray.js";
import { DataIO } from "../src/data/data-io.js";
import type { StoredDataset } from "../src/data/data-source.js";
import { DatasetBuilder, GroupBuilder } from "../src/schema/builders.js";

export const COLS = 128;
export const CHUNK_ROWS = 8192; // 8 MiB chunks

let base: Float64Array | undefined;

/** A random walk, one 8 MiB block generated once per process and shifted per block (RNG is not what we time). */
export function baseBlock(): Float64Array {
  return (base ??= walkBlock());
}

function walkBlock(): Float64Array {
  const b = new Float64Array(CHUNK_ROWS * COLS);
  let x = 0;
  let seed = 12345;
  for (let i = 0; i < b.length; i++) {
    seed = (Math.imul(seed, 1103515245) + 12345) >>> 0; // exact 32-bit LCG (a float product loses the low bits)
    x += (seed / 2 ** 32 - 0.5);
    b[i] = x;
  }
  return b;
}

/**
 * `out = base + k` (numpy's side: `np.add(base, k, out=buf)`); a plain function, so V8 optimises the loop.
 * Both sides refill one block buffer: a fresh 8 MiB array per block costs a page fault per 4 KiB on
 * first write here, while numpy's large arrays get transparent huge pages (it madvises them), so
 * allocating per block would time the allocators, not the writers. The writers copy each block
 * before asking for the next.
 */
function shiftInto(out: Float64Array, base: Float64Array, k: number): Float64Array {
  for (let i = 0; i < out.length; i++) out[i] = base[i]! + k;
  return out;
}

export class WalkBlocks extends AbstractDataChunkIterator {
  readonly dtype = dtypes.float64;
  readonly maxshape: readonly (number | null)[] = [null, COLS];
  readonly #rows: number;
  readonly #base = baseBlock();
  constructor(bytes: number) {
    super();
    this.#rows = Math.floor(bytes / 8 / COLS / CHUNK_ROWS) * CHUNK_ROWS;
  }
  get rows(): number { return this.#rows; }
  recommendedChunkShape(): readonly number[] { return [CHUNK_ROWS, COLS]; }
  recommendedDataShape(): readonly number[] { return [0, COLS]; }
  async *[Symbol.asyncIterator](): AsyncIterator<DataChunk> {
    const block = new Float64Array(this.#base.length);
    for (let r0 = 0, k = 0; r0 < this.#rows; r0 += CHUNK_ROWS, k++) {
      const buf = shiftInto(block, this.#base, k);
      yield { data: new NdArray(buf, [CHUNK_ROWS, COLS], dtypes.float64), selection: [[r0, r0 + CHUNK_ROWS, 1], [0, COLS, 1]] };
    }
  }
}

/** The compressors bench/zarr.ts times: gzip 4, hdmf-zarr's default Blosc (lz4, clevel 5, byte shuffle), zstd 3. */
export const ZARR_CODECS = {
  "gzip-4": { id: "gzip", level: 4 },
  "blosc-lz4": { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 },
  "zstd-3": { id: "zstd", level: 3 },
} as const satisfies Record<string, CodecConfig>;
export type ZarrCodecName = keyof typeof ZARR_CODECS;

export async function writeWalk(store: Store, bytes: number, codec: ZarrCodecName = "gzip-4"): Promise<number> {
  const it = new WalkBlocks(bytes);
  const io = await openZarr(store, "w", { bufferBytes: 32 * 1024 * 1024 });
  const root = new GroupBuilder("root");
  const dio = codec === "gzip-4" ? new DataIO({ data: it, compression: "gzip", compressionOpts: 4 }) : new DataIO({ data: it, compression: ZARR_CODECS[codec] });
  root.group("acquisition").group("ts").add(new DatasetBuilder("data", dio));
  await io.write(root);
  await io.close();
  return it.rows * COLS * 8;
}

export async function readWalk(store: Store): Promise<number> {
  const io = await openZarr(store, "r", { concurrency: 8 });
  const d = await io.dataset("/acquisition/ts/data") as StoredDataset;
  let sum = 0;
  const rows = d.shape[0]!;
  for (let r0 = 0; r0 < rows; r0 += CHUNK_ROWS * 8) {
    const part = (await d.read([[r0, Math.min(rows, r0 + CHUNK_ROWS * 8)]])).data as Float64Array;
    sum += part[0]! + part[part.length - 1]!;
  }
  await io.close();
  return sum;
}

if (process.argv[2] === "rss") {
  const bytes = Number(process.argv[3]);
  const dir = process.argv[4]!;
  await writeWalk(new FsStore(dir, { fsync: false }), bytes);
  await rm(dir, { recursive: true, force: true });
  console.log(JSON.stringify({ maxRssMiB: process.resourceUsage().maxRSS / 1024 }));
}
