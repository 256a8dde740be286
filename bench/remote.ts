/**
 * bench/remote: a ~512 MB NWB HDF5 file (bench/remote_make.py, made once into .cache/bench-remote)
 * served by the test range server with 20 ms injected latency per request. Requests and bytes
 * are counted at the server, seconds here, for: open + ls; one chunk (with and without opening
 * the dataset); one whole dataset (against a plain parallel fetch of the same number of bytes);
 * export to Zarr on S3 (moto). Side by side: h5py over fsspec's HTTP filesystem (Debian
 * python3-fsspec + python3-aiohttp) when importable, h5py on the local file always.
 *   npx tsx bench/remote.ts [--mb 512] [--latency 20] [--no-export] [--dir .cache/bench-remote]
 * Goals (issue 17): open + ls <= 2 MB and <= 40 requests; dataset read <= 1.5x the parallel fetch.
 */
import { spawnSync } from "node:child_process";
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
const MB = Number(arg("--mb", "512"));
const LATENCY = Number(arg("--latency", "20"));
const DIR = resolve(ROOT, arg("--dir", ".cache/bench-remote"));
const FILE = join(DIR, `large-${MB}.nwb`);
const DATA = "/acquisition/raw/data";

interface Row { step: string; tool: string; requests: number | null; mb: number | null; seconds: number }
const rows: Row[] = [];

if (!existsSync(FILE)) {
  mkdirSync(DIR, { recursive: true });
  const py = join(ROOT, ".cache/oracle/bin/python");
  const r = spawnSync(py, [join(ROOT, "bench/remote_make.py"), FILE, String(MB)], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("making the bench file failed");
}
copyFileSync(join(ROOT, "../shared/fixtures/c_link_source.nwb"), join(DIR, "warm.nwb"));
const srv = await startRangeServer(DIR, { latencyMs: LATENCY });
const url = srv.url("ok", `large-${MB}.nwb`);

async function measure<T>(step: string, tool: string, fn: () => Promise<T>): Promise<T> {
  await srv.reset();
  const t0 = performance.now();
  const v = await fn();
  const seconds = (performance.now() - t0) / 1000;
  const s = await srv.stats();
  rows.push({ step, tool, requests: s.requests, mb: s.bytes / 1e6, seconds });
  return v;
}

try {
  // the wasm core and the device's worker start once per process: keep a small remote file open
  const warm = await openIO(srv.url("ok", "warm.nwb"), "r");
  await measure("open + ls", "hdmf-ts", () => ls(url));
  const io = await openIO(url, "r");
  const ds = await measure("open dataset + read chunk 0", "hdmf-ts", async () => {
    const d = await io.dataset(DATA);
    await d.read([[0, 32768, 1], [0, 32, 1]]);
    return d;
  });
  await measure("read one chunk (dataset open)", "hdmf-ts", () => ds.read([[32768 * 5, 32768 * 6, 1], [0, 32, 1]]));
  const total = ds.shape[0]! * ds.shape[1]! * 2;
  await measure("read whole dataset", "hdmf-ts", () => ds.read());
  await measure("parallel fetch, same bytes (8 MiB x 16)", "fetch", async () => {
    const parts = Array.from({ length: Math.ceil(total / (8 << 20)) }, (_, i) => [i * (8 << 20), Math.min(total, (i + 1) * (8 << 20))] as const);
    await mapLimit(parts, 16, async ([a, b]) => { await (await fetch(url, { headers: { range: `bytes=${a}-${b - 1}` } })).arrayBuffer(); });
  });
  await io.close();
  if (!process.argv.includes("--no-export")) {
    const moto = await startMotoServer({ bucket: "bench" });
    process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
    process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
    try {
      await measure("export to s3:// Zarr (moto)", "hdmf-ts", () => exportTo(url, "s3://bench/large.nwb.zarr", { openOptions: { s3: { endpoint: moto.endpoint, region: "us-east-1", forcePathStyle: true } } }));
    } finally {
      await moto.stop();
    }
  }
  await warm.close();

  const fsspec = spawnSync("/usr/bin/python3", ["-c", "import fsspec, aiohttp"]).status === 0;
  for (const [step, label] of [["open_ls", "open + ls"], ["chunk", "open + read chunk 0"], ["dataset", "open + read whole dataset"]] as const) {
    for (const src of [...(fsspec ? [url] : []), FILE]) {
      await srv.reset();
      const r = spawnSync("/usr/bin/python3", [join(ROOT, "bench/remote_h5py.py"), src, step], { encoding: "utf8", timeout: 600_000 });
      if (r.status !== 0) { process.stderr.write(r.stderr); continue; }
      const out = JSON.parse(r.stdout.trim().split("\n").pop()!) as Record<string, number | string>;
      const s = src === url ? await srv.stats() : undefined;
      const seconds = Number(out.open_ls_s) + Number(out.chunk_s ?? 0) + Number(out.dataset_s ?? 0);
      rows.push({ step: label, tool: String(out.tool), requests: s ? s.requests : null, mb: s ? s.bytes / 1e6 : null, seconds });
    }
  }
} finally {
  await srv.stop();
}

const size = statSync(FILE).size / 1e6;
process.stdout.write(`remote bench: ${size.toFixed(0)} MB NWB HDF5 file, ${LATENCY} ms latency per request\n`);
process.stdout.write("| step | tool | requests | MB read | seconds |\n|---|---|---:|---:|---:|\n");
for (const r of rows) process.stdout.write(`| ${r.step} | ${r.tool} | ${r.requests ?? "-"} | ${r.mb === null ? "-" : r.mb.toFixed(2)} | ${r.seconds.toFixed(2)} |\n`);
process.stdout.write(`${JSON.stringify({ bench: "remote", mb: size, latencyMs: LATENCY, rows })}\n`);
