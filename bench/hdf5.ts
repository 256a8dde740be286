/**
 * bench/hdf5: gzip-4 + shuffle write and read of float64 data through HDF5IO, side by side with
 * h5py (/usr/bin/python3, Debian HDF5 1.10.8) on the same bytes in the same run, and the peak
 * RSS of a large iterative write in a child process.
 *   npx tsx bench/hdf5.ts [--quick]     (full: 1 GB write/read, 2 GB RSS run; quick: 64 MB / 256 MB)
 * Both writers read their input blocks from one raw file in the page cache, so data generation
 * is outside the timings. Goals: write >= 1.5x h5py, read >= 1.5x, RSS < 250 MB.
 * Both sides are timed after their one-time start-up (h5py: `import h5py`; ours: wasm and codec
 * workers, reported as startupMs).
 */
import { execFileSync, spawnSync } from "node:child_process";
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { openHdf5 } from "../src/backends/hdf5/index.js";
import { DataIO } from "../src/data/data-io.js";
import { dtypes } from "../src/data/dtype.js";
import { AbstractDataChunkIterator, type DataChunk } from "../src/data/iterators.js";
import { NdArray } from "../src/data/ndarray.js";
import { DatasetBuilder, GroupBuilder } from "../src/schema/builders.js";

const COLS = 64;
const CHUNK_ROWS = 10_000; // 5 MB chunks, as in research/h5wasm-probe.md
/** Rows per read call (both readers): 8 chunks, so chunk decoding can run in parallel. */
const READ_ROWS = 8 * CHUNK_ROWS;

/** Rows of a raw little-endian float64 file, block by block (or generated when no file). */
class RawRows extends AbstractDataChunkIterator {
  readonly dtype = dtypes.float64;
  readonly maxshape: readonly (number | null)[];
  constructor(readonly rows: number, readonly file: string | undefined, readonly block = CHUNK_ROWS) {
    super();
    this.maxshape = file ? [rows, COLS] : [null, COLS];
  }
  recommendedChunkShape(): readonly number[] { return [CHUNK_ROWS, COLS]; }
  recommendedDataShape(): readonly number[] { return this.file ? [this.rows, COLS] : [0, COLS]; }
  async *[Symbol.asyncIterator](): AsyncIterator<DataChunk> {
    const fd = this.file ? openSync(this.file, "r") : undefined;
    // One block buffer, refilled: h5py's side slices a memmap (no allocation), and a fresh array per
    // block would time page faults (V8's large arrays get no huge pages), not the writer, which
    // copies each block before asking for the next.
    const block = new Float64Array(this.block * COLS);
    try {
      for (let r = 0; r < this.rows; r += this.block) {
        const n = Math.min(this.block, this.rows - r);
        const buf = block.subarray(0, n * COLS);
        if (fd !== undefined) readSync(fd, new Uint8Array(buf.buffer), 0, buf.byteLength, r * COLS * 8);
        else fillWalk(buf, r);
        yield { data: new NdArray(buf, [n, COLS], dtypes.float64), selection: [[r, r + n, 1], [0, COLS, 1]] };
      }
    } finally {
      if (fd !== undefined) closeSync(fd);
    }
  }
}

/** A random walk per column: compressible like real signals, not trivially so. */
function fillWalk(buf: Float64Array, seed: number): void {
  let x = seed * 2654435761 % 4294967296;
  const acc = new Float64Array(COLS);
  for (let i = 0; i < buf.length; i++) {
    x = (x * 1664525 + 1013904223) % 4294967296;
    const c = i % COLS;
    acc[c]! += (x / 4294967296 - 0.5);
    buf[i] = Math.round(acc[c]! * 1000) / 1000;
  }
}

const H5PY = `
import sys, time, json, numpy as np, h5py
mode, raw, out, rows, cols, chunk = sys.argv[1], sys.argv[2], sys.argv[3], int(sys.argv[4]), int(sys.argv[5]), int(sys.argv[6])
mm = np.memmap(raw, dtype="<f8", mode="r", shape=(rows, cols))
t = time.perf_counter()
if mode == "write":
    with h5py.File(out, "w") as f:
        d = f.create_dataset("data", shape=(rows, cols), dtype="<f8", chunks=(chunk, cols), compression="gzip", compression_opts=4, shuffle=True)
        for r in range(0, rows, chunk):
            d[r:r+chunk] = mm[r:r+chunk]
else:
    s = 0.0
    with h5py.File(out, "r") as f:
        d = f["data"]
        for r in range(0, rows, 8 * chunk):
            s += float(d[r:r+8*chunk][0, 0])
print(json.dumps({"seconds": time.perf_counter() - t}))
`;

async function oursWrite(raw: string, out: string, rows: number): Promise<number> {
  const t = performance.now();
  const io = await openHdf5(out, "w");
  const root = new GroupBuilder("root");
  root.add(new DatasetBuilder("data", new DataIO({ data: new RawRows(rows, raw), chunks: [CHUNK_ROWS, COLS], compression: "gzip", compressionOpts: 4, shuffle: true })));
  await io.write(root);
  await io.close();
  return (performance.now() - t) / 1000;
}

async function oursRead(file: string, rows: number): Promise<number> {
  const t = performance.now();
  const io = await openHdf5(file, "r");
  const ds = await io.dataset("/data");
  let s = 0;
  for (let r = 0; r < rows; r += READ_ROWS) s += (await ds.read([[r, r + READ_ROWS]])).data[0] as number;
  await io.close();
  if (Number.isNaN(s)) throw new Error("unexpected");
  return (performance.now() - t) / 1000;
}

function h5py(mode: "write" | "read", raw: string, out: string, rows: number): number {
  const res = execFileSync("/usr/bin/python3", ["-c", H5PY, mode, raw, out, String(rows), String(COLS), String(CHUNK_ROWS)], { encoding: "utf8" });
  return (JSON.parse(res.trim()) as { seconds: number }).seconds;
}

/** Child mode: stream `rows` generated rows into a growing dataset; print peak RSS. */
async function rssChild(out: string, rows: number): Promise<void> {
  const io = await openHdf5(out, "w", { bufferBytes: 32 * 1024 * 1024 });
  const root = new GroupBuilder("root");
  root.add(new DatasetBuilder("data", new DataIO({ data: new RawRows(rows, undefined), chunks: [CHUNK_ROWS, COLS], maxshape: [null, COLS], compression: "gzip", compressionOpts: 4, shuffle: true })));
  await io.write(root);
  await io.close();
  process.stdout.write(JSON.stringify({ peakRssMb: process.resourceUsage().maxRSS / 1024 }) + "\n");
}

async function main(): Promise<void> {
  if (process.argv[2] === "--rss-child") return rssChild(process.argv[3]!, Number(process.argv[4]));
  const quick = process.argv.includes("--quick");
  const bytes = quick ? 64 * 2 ** 20 : 2 ** 30;
  const rssBytes = quick ? 256 * 2 ** 20 : 2 * 2 ** 30;
  const rows = Math.floor(bytes / 8 / COLS);
  const dir = mkdtempSync(join(tmpdir(), "bench-hdf5-"));
  try {
    const raw = join(dir, "raw.f8");
    const fd = openSync(raw, "w");
    for (let r = 0; r < rows; r += CHUNK_ROWS) {
      const n = Math.min(CHUNK_ROWS, rows - r);
      const buf = new Float64Array(n * COLS);
      fillWalk(buf, r);
      writeSync(fd, new Uint8Array(buf.buffer));
    }
    closeSync(fd);
    const mb = (rows * COLS * 8) / 2 ** 20;
    const ours = join(dir, "ours.h5");
    const theirs = join(dir, "h5py.h5");
    // h5py is timed after `import h5py` has loaded HDF5; ours after the same one-time start-up
    // (wasm instantiation, codec workers), which is measured and reported on its own.
    const t0 = performance.now();
    await oursWrite(raw, join(dir, "warm.h5"), CHUNK_ROWS);
    await oursRead(join(dir, "warm.h5"), CHUNK_ROWS);
    const startupMs = Math.round(performance.now() - t0);
    const wOurs = await oursWrite(raw, ours, rows);
    const wPy = h5py("write", raw, theirs, rows);
    const rOurs = await oursRead(ours, rows);
    const rPy = h5py("read", raw, theirs, rows);
    // the peak RSS of the package as users run it (node on dist/), not of tsx transpiling sources
    const { nodeScript } = await import("./node-script.js");
    const child = spawnSync(process.execPath, [nodeScript("bench/hdf5.ts"), "--rss-child", join(dir, "rss.h5"), String(Math.floor(rssBytes / 8 / COLS))], { encoding: "utf8" });
    if (child.status !== 0) throw new Error(`rss child failed: ${child.stderr}`);
    const { peakRssMb } = JSON.parse(child.stdout.trim().split("\n").pop()!) as { peakRssMb: number };
    const res = {
      name: "hdf5", mb: Math.round(mb), pipeline: "shuffle+gzip4", chunks: [CHUNK_ROWS, COLS],
      writeMbS: +(mb / wOurs).toFixed(1), h5pyWriteMbS: +(mb / wPy).toFixed(1), writeRatio: +(wPy / wOurs).toFixed(2),
      readMbS: +(mb / rOurs).toFixed(1), h5pyReadMbS: +(mb / rPy).toFixed(1), readRatio: +(rPy / rOurs).toFixed(2),
      rssWriteMb: Math.round(rssBytes / 2 ** 20), peakRssMb: Math.round(peakRssMb), startupMs,
    };
    console.log(`write  hdmf-ts ${res.writeMbS} MB/s   h5py ${res.h5pyWriteMbS} MB/s   ratio ${res.writeRatio} (goal >= 1.5)`);
    console.log(`read   hdmf-ts ${res.readMbS} MB/s   h5py ${res.h5pyReadMbS} MB/s   ratio ${res.readRatio} (goal >= 1.5)`);
    console.log(`start-up (wasm + codec workers, one chunk written and read): ${startupMs} ms, outside the timings`);
    console.log(`iterative write of ${res.rssWriteMb} MB: peak RSS ${res.peakRssMb} MB (goal < 250)`);
    console.log(JSON.stringify(res));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

await main();
