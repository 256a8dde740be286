/**
 * bench/report: bench/results/latest.json -> the Markdown table the README shows. Every figure
 * comes from the run's JSON; nothing is typed in by hand.
 *   npx tsx bench/report.ts [results.json]      (prints the Markdown)
 */
import { readFileSync } from "node:fs";

export interface Machine {
  cpu: string; cores: number; ramGb: number; os: string; node: string; python: string; oraclePython: string; loadavg: number[];
}
export interface BenchEntry {
  name: string; status: "ok" | "failed" | "missing" | "timeout" | "skipped (time budget)"; seconds: number; json: unknown; note?: string;
}
export interface NwbPair { backend: string; ours: NwbRun; theirs: NwbRun | null }
export interface NwbRun { impl: string; mb: number; seconds: number; peakRssMb: number; processSeconds?: number }
export interface BenchResults {
  date: string; quick: boolean; machine: Machine; benches: BenchEntry[]; nwb: NwbPair[]; rss: NwbRun | null;
}

const f = (x: unknown, d = 1): string => (typeof x === "number" && Number.isFinite(x) ? x.toFixed(d) : "-");
type Obj = Record<string, unknown>;
const obj = (x: unknown): Obj => (x && typeof x === "object" && !Array.isArray(x) ? (x as Obj) : {});

/** One table row per comparable figure: [what, hdmf-ts, reference, ratio, peak RSS]. */
function rows(r: BenchResults): string[][] {
  const out: string[][] = [];
  for (const p of r.nwb) {
    const ours = p.ours.mb / p.ours.seconds;
    const theirs = p.theirs ? p.theirs.mb / p.theirs.seconds : NaN;
    out.push([`NWB TimeSeries write, ${p.backend} (${f(p.ours.mb, 0)} MB, gzip 4)`, `${f(ours)} MB/s`, p.theirs ? `${f(theirs)} MB/s (${p.theirs.impl})` : "-",
      p.theirs ? f(ours / theirs, 2) : "-", `${f(p.ours.peakRssMb, 0)} / ${p.theirs ? f(p.theirs.peakRssMb, 0) : "-"} MB`]);
    if (p.ours.processSeconds !== undefined && p.theirs?.processSeconds !== undefined) {
      out.push([`NWB TimeSeries write, ${p.backend}, whole process (start, imports, write, exit)`, `${f(p.ours.processSeconds, 2)} s`, `${f(p.theirs.processSeconds, 2)} s`,
        f(p.theirs.processSeconds / p.ours.processSeconds, 2), "-"]);
    }
  }
  const h = obj(r.benches.find((b) => b.name === "hdf5")?.json);
  if (h.writeMbS !== undefined) {
    out.push(["HDF5 gzip-4 write (HDF5IO vs h5py)", `${f(h.writeMbS)} MB/s`, `${f(h.h5pyWriteMbS)} MB/s`, f(h.writeRatio, 2), "-"]);
    out.push(["HDF5 gzip-4 read (HDF5IO vs h5py)", `${f(h.readMbS)} MB/s`, `${f(h.h5pyReadMbS)} MB/s`, f(h.readRatio, 2), "-"]);
  }
  if (typeof h.peakRssMb === "number") out.push([`HDF5IO iterative write of ${f(h.rssWriteMb, 0)} MB`, "-", "-", "-", `${f(h.peakRssMb, 0)} MB`]);
  const c = obj(r.benches.find((b) => b.name === "codecs")?.json);
  for (const [name, v] of Object.entries(c)) {
    const e = obj(v), ours = obj(e.ours), par = obj(e.parallel), theirs = obj(e.numcodecs), threads = obj(e.numcodecs_threads);
    if (typeof e.encode_ratio !== "number") continue;
    const mbps = (x: Obj, k: string): number => (typeof x.bytes_in === "number" && typeof x[k] === "number" ? x.bytes_in / 1e6 / (x[k] as number) : NaN);
    const impl = typeof e.impl === "string" ? `, ${e.impl}` : "";
    out.push([`codec ${name} encode / decode, one core (vs numcodecs on 1 thread${impl})`, `${f(mbps(ours, "encode_s"), 0)} / ${f(mbps(ours, "decode_s"), 0)} MB/s`,
      `${f(mbps(theirs, "encode_s"), 0)} / ${f(mbps(theirs, "decode_s"), 0)} MB/s`, `${f(e.encode_ratio, 2)} / ${f(e.decode_ratio, 2)}`, "-"]);
    if (typeof e.parallel_encode_ratio === "number") {
      out.push([`codec ${name} encode / decode, parallel pipeline (vs numcodecs on 1 thread)`, `${f(mbps(par, "encode_s"), 0)} / ${f(mbps(par, "decode_s"), 0)} MB/s`,
        `${f(mbps(theirs, "encode_s"), 0)} / ${f(mbps(theirs, "decode_s"), 0)} MB/s`, `${f(e.parallel_encode_ratio, 2)} / ${f(e.parallel_decode_ratio, 2)}`, "-"]);
    }
    if (name.startsWith("blosc") && typeof e.parallel_encode_ratio_threads === "number") {
      out.push([`codec ${name} encode / decode, parallel pipeline (vs numcodecs' Blosc on its default threads)`, `${f(mbps(par, "encode_s"), 0)} / ${f(mbps(par, "decode_s"), 0)} MB/s`,
        `${f(mbps(threads, "encode_s"), 0)} / ${f(mbps(threads, "decode_s"), 0)} MB/s`, `${f(e.parallel_encode_ratio_threads, 2)} / ${f(e.parallel_decode_ratio_threads, 2)}`, "-"]);
    }
  }
  const z = obj(r.benches.find((b) => b.name === "zarr")?.json);
  const zs = obj(z.seconds);
  const zmb = typeof z.bytes === "number" ? z.bytes / 1e6 : NaN;
  for (const [k, label] of [["dir", "dir"], ["s3", "S3 (moto)"]] as const) {
    for (const op of ["Write", "Read"] as const) {
      const ts = zs[`${k}${op}Ts`], py = zs[`${k}${op}Py`];
      if (typeof ts === "number" && typeof py === "number") {
        out.push([`Zarr gzip-4 ${op.toLowerCase()}, ${label}, ${f(zmb, 0)} MB (vs zarr-python)`, `${f(zmb / ts)} MB/s`, `${f(zmb / py)} MB/s`, f(py / ts, 2), "-"]);
      }
    }
  }
  for (const [k, label] of [["bloscLz4", "Blosc lz4 clevel 5 shuffle"], ["zstd3", "zstd 3"]] as const) {
    for (const op of ["Write", "Read"] as const) {
      const ts = zs[`${k}${op}Ts`], py = zs[`${k}${op}Py`];
      if (typeof ts === "number" && typeof py === "number") {
        out.push([`Zarr ${label} ${op.toLowerCase()}, dir, ${f(zmb, 0)} MB (vs zarr-python)`, `${f(zmb / ts)} MB/s`, `${f(zmb / py)} MB/s`, f(py / ts, 2), "-"]);
      }
    }
  }
  if (typeof z.rssMiB === "number") out.push([`ZarrIO iterative write of ${f((z.rssBytes as number) / 1e6, 0)} MB`, "-", "-", "-", `${f(z.rssMiB, 0)} MiB`]);
  // bench/export.ts: {mb, hdmfTs: [toZarr, toHdf5], hdmfZarr: [toZarr, toHdf5]} with seconds + peakRssMB
  const e = obj(r.benches.find((b) => b.name === "export")?.json);
  const ets = Array.isArray(e.hdmfTs) ? (e.hdmfTs as Obj[]) : [];
  const epy = Array.isArray(e.hdmfZarr) ? (e.hdmfZarr as Obj[]) : [];
  ["HDF5 -> Zarr", "Zarr -> HDF5"].forEach((label, i) => {
    const ours = obj(ets[i]), theirs = obj(epy[i]);
    if (typeof e.mb !== "number" || typeof ours.seconds !== "number" || typeof theirs.seconds !== "number") return;
    out.push([`NWB export ${label}, ${f(e.mb, 0)} MB (vs hdmf-zarr)`, `${f(e.mb / ours.seconds)} MB/s`, `${f(e.mb / theirs.seconds)} MB/s`,
      f(theirs.seconds / ours.seconds, 2), `${f(ours.peakRssMB, 0)} / ${f(theirs.peakRssMB, 0)} MB`]);
  });
  // bench/parallel.ts: [{target, processes, mb, mbPerS, scaling}]
  const par = r.benches.find((b) => b.name === "parallel")?.json;
  for (const row of Array.isArray(par) ? (par as Obj[]) : []) {
    if (typeof row.mbPerS !== "number") continue;
    out.push([`parallel gzip-4 write, ${row.processes} process(es), ${row.target === "s3" ? "S3 (moto)" : "dir"}, ${f(row.mb, 0)} MB`,
      `${f(row.mbPerS)} MB/s`, "-", `scaling ${f(row.scaling, 2)}`, "-"]);
  }
  const pl = obj(r.benches.find((b) => b.name === "planner")?.json);
  if (typeof pl.mbPerS === "number") out.push([`chunk planner, ${f(pl.mb, 0)} MB virtual iterator`, `${f(pl.mbPerS, 0)} MB/s`, "-", "-", `${f(pl.peakRssMb, 0)} MB`]);
  if (r.rss) out.push([`iterative NWB write of ${f(r.rss.mb / 1000, 1)} GB (HDF5, gzip 4)`, `${f(r.rss.mb / r.rss.seconds)} MB/s`, "-", "-", `${f(r.rss.peakRssMb, 0)} MB`]);
  return out;
}

/** bench/remote.ts's rows, as the README's remote table: one line per step, tools side by side. */
function remoteTable(r: BenchResults): string[] {
  const j = obj(r.benches.find((b) => b.name === "remote")?.json);
  const rows = Array.isArray(j.rows) ? (j.rows as Obj[]) : [];
  if (!rows.length) return [];
  const cell = (key: string, tool: (t: string) => boolean, withCounts: boolean): string => {
    const row = rows.find((x) => x.key === key && typeof x.tool === "string" && tool(x.tool));
    if (!row) return "";
    return withCounts ? `${row.requests ?? "-"} / ${f(row.mb, 2)} / ${f(row.seconds, 2)}` : `${f(row.seconds, 2)} s`;
  };
  const ours = (t: string): boolean => t === "hdmf-ts" || t === "fetch";
  const fsspec = (t: string): boolean => t.includes("fsspec");
  const local = (t: string): boolean => t.includes("local");
  const theirs = j.fsspec === false ? "h5py + fsspec HTTP (not installed: python3-fsspec, python3-aiohttp)" : "h5py + fsspec HTTP requests / MB / s";
  const steps: Array<[string, string, boolean]> = [
    ["open_ls", "open + `ls`", true], ["chunk_open", "open the dataset + read chunk 0", true], ["chunk", "read one chunk, dataset open", false],
    ["dataset", `read the whole ${f(rows.find((x) => x.key === "fetch")?.mb, 0)} MB dataset`, true],
    ["fetch", "plain parallel fetch of the same bytes (8 MiB × 16)", false], ["export", "export to `s3://` Zarr (moto)", false],
  ];
  return [
    "", `Remote reads (bench/remote.ts${j.quick ? " --quick" : ""}): a ${f(j.mb, 0)} MB NWB HDF5 file served on 127.0.0.1 with ${f(j.latencyMs, 0)} ms latency per request; requests and MB counted at the server.`,
    "", `| step | hdmf-ts requests / MB / s | ${theirs} | h5py, local file |`, "|---|---|---|---|",
    ...steps.map(([key, label, py]) => `| ${label} | ${cell(key, ours, true) || "-"} | ${py ? cell(key, fsspec, true) || "-" : ""} | ${py ? cell(key, local, false) || "-" : ""} |`),
  ];
}

export function renderMarkdown(r: BenchResults): string {
  const m = r.machine;
  const lines = [
    `Benchmarks (${r.quick ? "quick" : "full"} run, ${r.date}). Machine: ${m.cpu}, ${m.cores} cores, ${f(m.ramGb, 0)} GB RAM, ${m.os}; Node ${m.node}; ${m.python} (h5py/zarr-python/numcodecs from Debian), oracle ${m.oraclePython} (pynwb 2.8.2, hdmf-zarr 0.6.0); load average at start ${m.loadavg.map((x) => x.toFixed(1)).join(" ")}.`,
    "",
    "| figure | hdmf-ts | Python reference | ratio (ours / theirs) | peak RSS (ours / theirs) |",
    "|---|---|---|---|---|",
    ...rows(r).map((c) => `| ${c.join(" | ")} |`),
    ...remoteTable(r),
    "",
    `Ratios above 1 mean hdmf-ts is faster. Benches run: ${r.benches.map((b) => `${b.name} ${b.status}${b.status === "ok" ? ` (${f(b.seconds, 0)} s)` : ""}`).join(", ")}.`,
  ];
  if (m.loadavg[0]! > m.cores) lines.push("", `Note: the machine was busier than its core count (load ${m.loadavg[0]!.toFixed(1)} on ${m.cores} cores); absolute MB/s are low and ratios noisy.`);
  return `${lines.join("\n")}\n`;
}

if (process.argv[1]?.endsWith("report.ts")) {
  const path = process.argv[2] ?? "bench/results/latest.json";
  process.stdout.write(renderMarkdown(JSON.parse(readFileSync(path, "utf8")) as BenchResults));
}
