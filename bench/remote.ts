/**
 * bench/remote: a ~512 MB NWB HDF5 file (bench/remote_make.py, made once into .cache/bench-remote)
 * served by the test range server with 20 ms injected latency per request. Requests and bytes
 * are counted at the server, seconds here, for: open + ls; one chunk (with and without opening
 * the dataset); one whole dataset (against a plain parallel fetch of the same number of bytes);
 * export to Zarr on S3 (moto). Side by side: h5py over fsspec's HTTP filesystem (Debian
 * python3-fsspec + python3-aiohttp) when importable, h5py on the local file always.
 *   npx tsx bench/remote.ts [--quick] [--mb 512] [--latency 20] [--no-export] [--dir .cache/bench-remote]
 * `--quick` (bench/run.ts --quick) makes and reads a 64 MB file instead of 512 MB; the steps are
 * the same. The last stdout line is JSON: rows keyed by step (open_ls, chunk, chunk_open, dataset,
 * fetch, export) and tool (hdmf-ts, fetch, h5py+fsspec, h5py local), for bench/report.ts.
 * Goals (issue 17): open + ls <= 2 MB and <= 40 requests; dataset read <= 1.5x the parallel fetch.
 */
import { spawn, spawnSync } from "node:child_process";
import { createInterface } from "node:readline";
import { copyFileSync, existsSync, mkdirSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { openIO } from "../src/backends/factory.js";
import { exportTo } from "../src/backends/export-target.js";
import { ls } from "../src/inspect/ls.js";
import { mapLimit } from "../src/data/queue.js";
import { startMotoServer, MOTO_CREDENTIALS } from "../src/conformance/moto.js";
import { startRangeServer } from "../test/helpers/range-server.js";

const ROOT = resolve(import.meta.dirname, "..");
const arg = (name: string, dflt: string): string => { const i = process.argv.indexOf(name); return i > 0 ? process.argv[i + 1]! : dflt; };
const QUICK = process.argv.includes("--quick");
const MB = Number(arg("--mb", QUICK ? "64" : "512"));
const LATENCY = Number(arg("--latency", "20"));
const DIR = resolve(ROOT, arg("--dir", ".cache/bench-remote"));
const FILE = join(DIR, `large-${MB}.nwb`);
const DATA = "/acquisition/raw/data";

/** A measured step: `key` pairs the same step across tools (bench/report.ts's columns). */
export type StepKey = "open_ls" | "chunk_open" | "chunk" | "dataset" | "fetch" | "export";
interface Row { key: StepKey; step: string; tool: string; requests: number | null; mb: number | null; seconds: number }
const rows: Row[] = [];
let fsspecMissing = false;

if (!existsSync(FILE)) {
  mkdirSync(DIR, { recursive: true });
  const py = join(ROOT, ".cache/oracle/bin/python");
  const r = spawnSync(py, [join(ROOT, "bench/remote_make.py"), FILE, String(MB)], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("making the bench file failed");
}
copyFileSync(join(process.env.HDMF_TS_SHARED ?? join(ROOT, "../shared"), "fixtures/c_link_source.nwb"), join(DIR, "warm.nwb"));
const srv = await startRangeServer(DIR, { latencyMs: LATENCY });
let moto: Awaited<ReturnType<typeof startMotoServer>> | undefined;
// bench/run.ts sends SIGTERM when the time budget runs out: stop the servers this process started
process.once("SIGTERM", () => { void Promise.allSettled([srv.stop(), moto?.stop()]).then(() => process.exit(143)); });
const url = srv.url("ok", `large-${MB}.nwb`);

async function measure<T>(key: StepKey, step: string, tool: string, fn: () => Promise<T>): Promise<T> {
  await srv.reset();
  const t0 = performance.now();
  const v = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const s = await srv.stats();
  rows.push({ key, step, tool, requests: s.requests, mb: s.bytes / 1e6, seconds });
  return v;
}

/**
 * h5py on `src` for each step, in one Python process (each step opens the file afresh): the
 * server's counts are read after each step's line and reset before the next.
 */
async function h5pySteps(src: string, remote: boolean): Promise<void> {
  const steps = [["open_ls", "open + ls"], ["chunk_open", "open + read chunk 0"], ["dataset", "open + read whole dataset"]] as const;
  await srv.reset();
  const py = spawn("/usr/bin/python3", [join(ROOT, "bench/remote_h5py.py"), src, ...steps.map(([k]) => (k === "chunk_open" ? "chunk" : k))], { stdio: ["pipe", "pipe", "inherit"] });
  const lines = createInterface({ input: py.stdout! })[Symbol.asyncIterator]();
  try {
    for (const [key, label] of steps) {
      const next = await lines.next();
      if (next.done) throw new Error(`remote_h5py.py ${src}: no result for ${key}`);
      const out = JSON.parse(next.value) as Record<string, number | string>;
      const s = remote ? await srv.stats() : undefined;
      const seconds = Number(out.open_ls_s) + Number(out.chunk_s ?? 0) + Number(out.dataset_s ?? 0);
      rows.push({ key, step: label, tool: String(out.tool), requests: s ? s.requests : null, mb: s ? s.bytes / 1e6 : null, seconds });
      await srv.reset();
      py.stdin!.write("\n");
    }
  } finally {
    py.stdin!.end();
    if (py.exitCode === null) await new Promise((r) => py.once("exit", r));
  }
}

try {
  // the wasm core and the device's worker start once per process: keep a small remote file open
  const warm = await openIO(srv.url("ok", "warm.nwb"), "r");
  await measure("open_ls", "open + ls", "hdmf-ts", () => ls(url));
  const io = await openIO(url, "r");
  const ds = await measure("chunk_open", "open dataset + read chunk 0", "hdmf-ts", async () => {
    const d = await io.dataset(DATA);
    await d.read([[0, 32768, 1], [0, 32, 1]]);
    return d;
  });
  await measure("chunk", "read one chunk (dataset open)", "hdmf-ts", () => ds.read([[32768 * 5, 32768 * 6, 1], [0, 32, 1]]));
  const total = ds.shape[0]! * ds.shape[1]! * 2;
  await measure("dataset", "read whole dataset", "hdmf-ts", () => ds.read());
  await measure("fetch", "parallel fetch, same bytes (8 MiB x 16)", "fetch", async () => {
    const parts = Array.from({ length: Math.ceil(total / (8 << 20)) }, (_, i) => [i * (8 << 20), Math.min(total, (i + 1) * (8 << 20))] as const);
    await mapLimit(parts, 16, async ([a, b]) => { await (await fetch(url, { headers: { range: `bytes=${a}-${b - 1}` } })).arrayBuffer(); });
  });
  await io.close();
  if (!process.argv.includes("--no-export")) {
    const m = await startMotoServer({ bucket: "bench" });
    moto = m;
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
    try {
      await measure("export", "export to s3:// Zarr (moto)", "hdmf-ts", () => exportTo(url, "s3://bench/large.nwb.zarr", { openOptions: { s3: { endpoint: m.endpoint, region: "us-east-1", forcePathStyle: true } } }));
    } finally {
      await m.stop();
      moto = undefined;
    }
  }
  await warm.close();

  // h5py over fsspec's HTTP filesystem where Debian's python3-fsspec + python3-aiohttp are installed; h5py on the local file always
  const fsspec = spawnSync("/usr/bin/python3", ["-c", "import fsspec, aiohttp"]).status === 0;
  if (fsspec) await h5pySteps(url, true);
  await h5pySteps(FILE, false);
  fsspecMissing = !fsspec;
} finally {
  await srv.stop();
}

const size = statSync(FILE).size / 1e6;
process.stdout.write(`remote bench: ${size.toFixed(0)} MB NWB HDF5 file, ${LATENCY} ms latency per request\n`);
process.stdout.write("| step | tool | requests | MB read | seconds |\n|---|---|---:|---:|---:|\n");
for (const r of rows) process.stdout.write(`| ${r.step} | ${r.tool} | ${r.requests ?? "-"} | ${r.mb === null ? "-" : r.mb.toFixed(2)} | ${r.seconds.toFixed(2)} |\n`);
process.stdout.write(`${JSON.stringify({ bench: "remote", quick: QUICK, mb: size, latencyMs: LATENCY, fsspec: !fsspecMissing, rows })}\n`);
