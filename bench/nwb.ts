/**
 * bench/nwb: one NWB TimeSeries (float64, 64 channels, gzip 4, chunks 8192 x 64) written through
 * openNWB (containers -> BuildManager -> backend), fed by a GenericDataChunkIterator; the twin
 * of bench/nwb_py.py (pynwb NWBHDF5IO / hdmf-zarr NWBZarrIO). Prints one JSON line.
 *   npx tsx bench/nwb.ts --backend hdf5|zarr --mb N --out PATH
 * Also the iterative-write RSS probe: with --mb 4096 memory must stay flat (peakRssMb).
 */
import { parseArgs } from "node:util";
import { DataIO, GenericDataChunkIterator, NdArray, NWBFile, TimeSeries, dtypes, openNWB, type Dtype, type SliceSpec } from "../src/index.js";
import { loadBundledCatalog } from "../src/schema/spec/load.js";

/** Time from process start to here: node boot, the loader and every import of the library. */
const tImports = performance.now();
const COLS = 64;
const CHUNK = 8192;

/** Each buffer is a fixed random walk plus its block index; bench/nwb_py.py builds the same bytes. */
class Walk extends GenericDataChunkIterator {
  readonly #base: Float64Array;
  constructor(readonly rows: number) {
    super({ chunkShape: [CHUNK, COLS], bufferShape: [CHUNK * 4, COLS] });
    // murmur3's 32-bit finaliser of the index as the step: exact in both languages, so
    // bench/nwb_py.py builds the same bytes with numpy uint32 arithmetic
    let x = 0;
    this.#base = Float64Array.from({ length: CHUNK * 4 * COLS }, (_, i) => {
      let h = i >>> 0;
      h = Math.imul(h ^ (h >>> 16), 0x85ebca6b);
      h = Math.imul(h ^ (h >>> 13), 0xc2b2ae35);
      h = (h ^ (h >>> 16)) >>> 0;
      x += h / 4294967296 - 0.5;
      return x;
    });
  }
  protected getDtype(): Dtype { return dtypes.float64; }
  protected getMaxshape(): readonly number[] { return [this.rows, COLS]; }
  protected getData(sel: readonly SliceSpec[]): NdArray {
    const [r0, r1] = [sel[0]![0]!, sel[0]![1]!];
    const k = r0 / (CHUNK * 4);
    const out = this.#base.slice(0, (r1 - r0) * COLS);
    for (let i = 0; i < out.length; i++) out[i]! += k;
    return new NdArray(out, [r1 - r0, COLS], dtypes.float64);
  }
}

const { values } = parseArgs({ options: { backend: { type: "string", default: "hdf5" }, mb: { type: "string", default: "64" }, out: { type: "string" } } });
const rows = Math.max(CHUNK, Math.floor((Number(values.mb) * 1024 * 1024) / 8 / COLS / CHUNK) * CHUNK);
const out = values.out!;
const nwbfile = new NWBFile({ sessionDescription: "bench", identifier: "bench", sessionStartTime: "2024-01-02T03:04:05+00:00" });
nwbfile.addAcquisition(new TimeSeries({
  name: "walk", unit: "V", rate: 30000.0,
  data: new DataIO({ data: new Walk(rows), chunks: [CHUNK, COLS], compression: "gzip", compressionOpts: 4 }),
}));
// `import pynwb` loads NWB core's namespace before bench/nwb_py.py starts its timer; load ours
// (parsed once per process) before ours, and report it as its own phase.
const tSchema = performance.now();
await loadBundledCatalog();
const t0 = performance.now();
const io = await openNWB(out, "w", { format: values.backend === "zarr" ? "zarr" : "hdf5" });
const t1 = performance.now();
await io.write(nwbfile);
const t2 = performance.now();
await io.close();
const t3 = performance.now();
const seconds = (t3 - t0) / 1000;
// per phase, seconds: start (process start to imports done), schema (parsing the bundled NWB
// schema, outside `seconds` as in pynwb), open (backend + wasm instantiation), write (spec
// caching, builders, metadata, chunks), close (flush + durable sync)
const phases = { start: tImports / 1000, schema: (t0 - tSchema) / 1000, open: (t1 - t0) / 1000, write: (t2 - t1) / 1000, close: (t3 - t2) / 1000 };
process.stdout.write(`${JSON.stringify({ bench: "nwb", impl: "hdmf-ts", backend: values.backend, mb: (rows * COLS * 8) / 1e6, seconds, phases, peakRssMb: process.resourceUsage().maxRSS / 1024 })}\n`);
