/**
 * The tour's built-in example: a synthetic multichannel recording (int16, smooth waves plus a
 * little noise, so codecs see realistic redundancy), generated block by block on demand, and
 * the tutorial's small arrays. Nothing here touches storage except `writeRawFile`.
 */
import { open } from "node:fs/promises";
import { dtypes, type Dtype } from "../../data/dtype.js";
import { GenericDataChunkIterator } from "../../data/iterators.js";
import { NdArray, array } from "../../data/ndarray.js";
import type { SliceSpec } from "../../data/selection.js";

export const CHANNELS = 32;

/** Sample `r` of channel `c`: deterministic, so every read-back can be checked exactly. */
export function sampleAt(r: number, c: number): number {
  return Math.round(600 * Math.sin(r / (40 + c)) + 200 * Math.sin(r / 7 + c)) + ((r * 7 + c * 13) % 5);
}

export function recordingBlock(r0: number, r1: number, c0 = 0, c1 = CHANNELS): Int16Array {
  const out = new Int16Array((r1 - r0) * (c1 - c0));
  let k = 0;
  for (let r = r0; r < r1; r++) for (let c = c0; c < c1; c++) out[k++] = sampleAt(r, c);
  return out;
}

/** hdmf's GenericDataChunkIterator over the recording: only the asked-for buffer is made. */
export class RecordingIterator extends GenericDataChunkIterator {
  constructor(readonly rows: number, chunkRows: number) {
    super({ chunkShape: [Math.min(chunkRows, rows), CHANNELS], bufferShape: [Math.min(chunkRows * 8, rows), CHANNELS] });
  }
  protected getDtype(): Dtype { return dtypes.int16; }
  protected getMaxshape(): readonly number[] { return [this.rows, CHANNELS]; }
  protected getData(sel: readonly SliceSpec[]): NdArray {
    const [r0, r1] = [sel[0]![0]!, sel[0]![1]!];
    const [c0, c1] = [sel[1]![0]!, sel[1]![1]!];
    return new NdArray(recordingBlock(r0, r1, c0, c1), [r1 - r0, c1 - c0], dtypes.int16);
  }
}

/** The recording's first `rows` rows in memory. */
export function recordingArray(rows: number): NdArray {
  return array(recordingBlock(0, rows), { shape: [rows, CHANNELS] });
}

/** np.arange(10000).reshape((1000, 10)), int64 as numpy makes it. */
export function tutorialArange(): NdArray {
  return array(BigInt64Array.from({ length: 10000 }, (_, i) => BigInt(i)), { shape: [1000, 10] });
}

/** A raw int16 file (the tutorial's memmap source), written block by block. */
export async function writeRawFile(path: string, rows: number): Promise<number> {
  const fh = await open(path, "w");
  try {
    const block = 65536;
    for (let r = 0; r < rows; r += block) {
      const data = recordingBlock(r, Math.min(rows, r + block));
      await fh.write(new Uint8Array(data.buffer, data.byteOffset, data.byteLength));
    }
  } finally {
    await fh.close();
  }
  return rows * CHANNELS * 2;
}

/** The tutorial's iter_largearray: one row per step, read with a positioned read (memmap slice). */
export async function* iterRawRows(path: string, rows: number): AsyncGenerator<Int16Array> {
  const fh = await open(path, "r");
  try {
    const rowBytes = CHANNELS * 2;
    const batch = 4096; // read 4096 rows per call, hand them out one by one
    for (let r = 0; r < rows; r += batch) {
      const n = Math.min(batch, rows - r);
      const buf = new Int16Array(n * CHANNELS);
      await fh.read(new Uint8Array(buf.buffer), 0, n * rowBytes, r * rowBytes);
      for (let i = 0; i < n; i++) yield buf.subarray(i * CHANNELS, (i + 1) * CHANNELS);
    }
  } finally {
    await fh.close();
  }
}

/** A sparse signal: blocks of 100 rows, two in three are gaps (null = never written). */
export function* iterSparse(rows: number): Generator<Float64Array | null> {
  for (let i = 0; i < rows; i++) {
    yield Math.floor(i / 100) % 3 === 0 ? Float64Array.from({ length: 8 }, (_, j) => Math.sin(i / 10 + j)) : null;
  }
}
