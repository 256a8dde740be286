/** The tour's steps; each prints what it did. */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { promisify } from "node:util";
import { deflate, inflate } from "node:zlib";
import { InvalidInputError } from "../../errors.js";
import { dtypes, type Dtype } from "../../data/dtype.js";
import { GenericDataChunkIterator } from "../../data/iterators.js";
import { NdArray } from "../../data/ndarray.js";
import { product, type SliceSpec } from "../../data/selection.js";
import { planChunks } from "../../backends/chunk-plan.js";

const deflateAsync = promisify(deflate);
const inflateAsync = promisify(inflate);

export interface TourOptions {
  out?: string;
  mb?: number;
}

/** A synthetic recording: channels of a slow random walk, generated per block on demand. */
class SyntheticRecording extends GenericDataChunkIterator {
  constructor(readonly rows: number, readonly channels: number) {
    super({ chunkShape: [Math.min(16384, rows), channels], bufferGb: 0.04 });
  }
  protected getDtype(): Dtype { return dtypes.float64; }
  protected getMaxshape(): number[] { return [this.rows, this.channels]; }
  protected getData(sel: readonly SliceSpec[]): NdArray {
    const [r0, r1] = [sel[0]![0]!, sel[0]![1]!];
    const out = new Float64Array((r1 - r0) * this.channels);
    for (let r = r0; r < r1; r++) for (let c = 0; c < this.channels; c++) out[(r - r0) * this.channels + c] = valueAt(r, c);
    return new NdArray(out, [r1 - r0, this.channels], dtypes.float64);
  }
}

function valueAt(r: number, c: number): number {
  return Math.round(1000 * Math.sin(r / 500 + c) + (r % 7)) / 8;
}

export async function runTour(options: TourOptions): Promise<void> {
  const mb = options.mb ?? 64;
  if (!Number.isFinite(mb) || mb <= 0) throw new InvalidInputError(`--mb must be a positive number, got ${options.mb}`, { option: "mb" });
  const out = options.out ?? (await mkdtemp(join(tmpdir(), "hdmf-ts-tour-")));
  const channels = 32;
  const rows = Math.ceil((mb * 1e6) / (8 * channels));
  const source = new SyntheticRecording(rows, channels);
  const stored = new Map<string, Uint8Array>();
  let raw = 0;
  const t0 = performance.now();
  await planChunks(source, { shape: [rows, channels], maxshape: [rows, channels], chunks: source.chunkShape, dtype: dtypes.float64 }, {
    async resize() {},
    async writeChunk(chunk) {
      const bytes = new Uint8Array((chunk.data.data as Float64Array).buffer);
      raw += bytes.byteLength;
      stored.set(chunk.coords.join("."), new Uint8Array(await deflateAsync(bytes, { level: 4 })));
    },
  });
  const t1 = performance.now();
  let checked = 0;
  for (const [key, bytes] of stored) {
    const values = new Float64Array(new Uint8Array(await inflateAsync(bytes)).buffer);
    const r0 = Number(key.split(".")[0]) * source.chunkShape[0]!;
    for (let i = 0; i < values.length; i++) {
      const r = r0 + Math.floor(i / channels);
      if (r >= rows) break;
      if (values[i] !== valueAt(r, i % channels)) throw new Error(`value mismatch in chunk ${key} at ${i}`);
      checked++;
    }
  }
  const t2 = performance.now();
  const compressed = [...stored.values()].reduce((n, b) => n + b.byteLength, 0);
  const rowsOut = [
    ["dataset", "shape", "chunks", "stored chunks", "MB raw", "ratio", "write MB/s", "read MB/s"],
    ["recording", `${rows}x${channels}`, source.chunkShape.join("x"), String(stored.size), (raw / 1e6).toFixed(1),
      (raw / compressed).toFixed(2), (raw / 1e6 / ((t1 - t0) / 1000)).toFixed(0), (raw / 1e6 / ((t2 - t1) / 1000)).toFixed(0)],
  ];
  printTable(rowsOut);
  if (checked !== product([rows, channels])) throw new Error(`checked ${checked} values, expected ${rows * channels}`);
  process.stdout.write(`all ${checked} values read back equal; output folder: ${out}\n`);
}

export function printTable(rows: string[][]): void {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  for (const r of rows) process.stdout.write(`${r.map((c, i) => c.padEnd(widths[i]!)).join("  ")}\n`);
}
