/**
 * bench/planner: a 1 GB virtual GenericDataChunkIterator pushed through the chunk planner into
 * a discarding sink. Reports throughput and the process's peak RSS (goal: < 150 MB).
 *   npx tsx bench/planner.ts [--quick] [--json]
 */
import { dtypes, type Dtype } from "../src/data/dtype.js";
import { GenericDataChunkIterator } from "../src/data/iterators.js";
import { NdArray } from "../src/data/ndarray.js";
import type { SliceSpec } from "../src/data/selection.js";
import { planChunks } from "../src/backends/chunk-plan.js";

class Virtual extends GenericDataChunkIterator {
  constructor(readonly rows: number, readonly cols: number) {
    super({ chunkShape: [Math.min(10_000, rows), cols], bufferGb: 0.02 });
  }
  protected getDtype(): Dtype { return dtypes.float64; }
  protected getMaxshape(): number[] { return [this.rows, this.cols]; }
  protected getData(sel: readonly SliceSpec[]): NdArray {
    const n = (sel[0]![1]! - sel[0]![0]!) * this.cols;
    const out = new Float64Array(n);
    for (let i = 0; i < n; i++) out[i] = i + sel[0]![0]!;
    return new NdArray(out, [n / this.cols, this.cols], dtypes.float64);
  }
}

export async function benchPlanner(bytes: number): Promise<{ name: string; mb: number; seconds: number; mbPerS: number; peakRssMb: number; chunks: number }> {
  const cols = 64;
  const rows = Math.floor(bytes / 8 / cols);
  const it = new Virtual(rows, cols);
  const t0 = performance.now();
  let chunks = 0;
  await planChunks(it, { shape: [rows, cols], maxshape: [rows, cols], chunks: it.chunkShape, dtype: dtypes.float64 }, {
    async resize() {},
    async writeChunk() { chunks++; },
  });
  const seconds = (performance.now() - t0) / 1000;
  const peakRssMb = process.resourceUsage().maxRSS / 1024;
  return { name: "planner", mb: bytes / 1e6, seconds, mbPerS: bytes / 1e6 / seconds, peakRssMb, chunks };
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const quick = process.argv.includes("--quick");
  const r = await benchPlanner(quick ? 256e6 : 1e9);
  console.log(`planner: ${r.mb.toFixed(0)} MB in ${r.seconds.toFixed(2)} s = ${r.mbPerS.toFixed(0)} MB/s, ${r.chunks} chunks, peak RSS ${r.peakRssMb.toFixed(0)} MB (goal < 150 MB)`);
  if (process.argv.includes("--json")) console.log(JSON.stringify(r));
}
