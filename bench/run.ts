/**
 * bench/run: every benchmark, side by side with the Python tools, in one run.
 *   npm run bench [-- --quick]      (quick: CI-sized, < 3 minutes on 2 cores when the machine is idle)
 * Runs each bench/<name>.ts that exists as a child process and keeps the JSON line it prints;
 * adds an NWB TimeSeries write (hdmf-ts vs pynwb on HDF5, vs hdmf-zarr on Zarr) and the peak RSS
 * of a 4 GB iterative write (quick: 256 MB, to fit the 3-minute budget). Writes bench/results/latest.json and latest.md.
 * The NWB writes and the export bench's children run on the built package (node on dist/, built
 * first when src/ is newer), as users run it; the other benches time work after their own warm-up.
 * bench/remote (HDF5 over HTTP with 20 ms latency, export to S3) reads 512 MB, in quick mode 64 MB.
 */
import { spawn, execFileSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { cpus, loadavg, release, tmpdir, totalmem, type } from "node:os";
import { join, resolve } from "node:path";
import { renderMarkdown, type BenchEntry, type BenchResults, type Machine, type NwbRun } from "./report.js";
import { nodeScript } from "./node-script.js";

const ROOT = resolve(import.meta.dirname, "..");
const quick = process.argv.includes("--quick");
/** `--out DIR`: where latest.json / latest.md go (default bench/results; CI writes to .cache). */
const outArg = process.argv.indexOf("--out");
const OUT_DIR = outArg >= 0 && process.argv[outArg + 1] ? process.argv[outArg + 1]! : "bench/results";
/** Quick mode must finish in 3 minutes on CI: benches share this budget; the NWB runs get the rest. */
const QUICK_BUDGET_S = 170;
const QUICK_NWB_RESERVE_S = 40; // five NWB processes; the last recorded quick run wrote 16-256 MB in 1-4 s each
// the NWB runs time the package as users run it: node on dist/ (bench/node-script.ts)
const NWB_JS = nodeScript("bench/nwb.ts");
const started = performance.now();
const remaining = (): number => QUICK_BUDGET_S - (performance.now() - started) / 1000;
const ORACLE = join(resolve(ROOT, process.env.ORACLE_VENV ?? ".cache/oracle"), "bin/python");
const BENCHES: ReadonlyArray<{ name: string; args: string[]; quickTimeout: number }> = [
  { name: "planner", args: ["--json"], quickTimeout: 30 },
  { name: "codecs", args: [], quickTimeout: 40 },
  { name: "hdf5", args: [], quickTimeout: 60 },
  { name: "zarr", args: [], quickTimeout: 60 },
  { name: "export", args: [], quickTimeout: 40 },
  { name: "parallel", args: ["--json"], quickTimeout: 60 },
  // quick: a 64 MB file (made once into .cache/bench-remote), full: 512 MB; 20 ms latency either way
  { name: "remote", args: [], quickTimeout: 45 },
];

function run(cmd: string, args: string[], timeoutS: number): Promise<{ code: number | null; stdout: string; stderr: string; seconds: number; timedOut: boolean }> {
  const t0 = performance.now();
  return new Promise((done) => {
    const child = spawn(cmd, args, { cwd: ROOT, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "", stderr = "", timedOut = false;
    child.stdout.on("data", (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on("data", (b: Buffer) => { stderr += b.toString(); });
    // SIGTERM first, so a bench that started servers (remote: the range server, moto) stops them; SIGKILL 5 s later
    let kill: NodeJS.Timeout | undefined;
    const timer = setTimeout(() => {
      timedOut = true;
      if (child.pid) process.kill(child.pid, "SIGTERM");
      kill = setTimeout(() => { if (child.pid && child.exitCode === null) process.kill(child.pid, "SIGKILL"); }, 5000);
    }, timeoutS * 1000);
    child.on("close", (code) => { clearTimeout(timer); clearTimeout(kill); done({ code, stdout, stderr, seconds: (performance.now() - t0) / 1000, timedOut }); });
  });
}

/** The last line of stdout that parses as JSON. */
function lastJson(stdout: string): unknown {
  for (const line of stdout.trim().split("\n").reverse()) {
    const t = line.trim();
    if (!t.startsWith("{") && !t.startsWith("[")) continue;
    try { return JSON.parse(t); } catch { /* not JSON: keep looking */ }
  }
  return null;
}

function version(cmd: string, args: string[]): string {
  try { return execFileSync(cmd, args, { encoding: "utf8" }).trim(); } catch { return "unavailable"; }
}

function machine(): Machine {
  return {
    cpu: cpus()[0]?.model.trim() ?? "unknown", cores: cpus().length, ramGb: totalmem() / 1e9, os: `${type()} ${release()}`,
    node: process.versions.node, python: version("/usr/bin/python3", ["--version"]),
    oraclePython: existsSync(ORACLE) ? version(ORACLE, ["--version"]) : "oracle missing", loadavg: loadavg(),
  };
}

async function nwbRun(impl: "ts" | "py", backend: "hdf5" | "zarr", mb: number, dir: string, timeoutS: number): Promise<NwbRun | null> {
  const out = join(dir, `${impl}-${backend}-${mb}.${backend === "hdf5" ? "nwb" : "nwb.zarr"}`);
  const r = impl === "ts"
    ? await run(process.execPath, [NWB_JS, "--backend", backend, "--mb", String(mb), "--out", out], timeoutS)
    : existsSync(ORACLE) ? await run(ORACLE, ["bench/nwb_py.py", backend, String(mb), out], timeoutS) : null;
  rmSync(out, { recursive: true, force: true });
  const j = r ? lastJson(r.stdout) as NwbRun | null : null;
  if (j && r) j.processSeconds = r.seconds; // start to exit, imports included (pynwb's import is ~1 s)
  if (!j) process.stderr.write(`bench nwb ${impl} ${backend}: no result (${r?.timedOut ? "timeout" : `exit ${r?.code}`}) ${r?.stderr.slice(-500) ?? "oracle missing"}\n`);
  return j;
}

async function main(): Promise<void> {
  const m = machine();
  const results: BenchResults = { date: new Date().toISOString(), quick, machine: m, benches: [], nwb: [], rss: null };
  process.stderr.write(`bench ${quick ? "--quick" : "(full)"} on ${m.cpu}, ${m.cores} cores, load ${m.loadavg[0]!.toFixed(1)}\n`);
  for (const b of BENCHES) {
    const file = join(ROOT, "bench", `${b.name}.ts`);
    if (!existsSync(file)) { results.benches.push({ name: b.name, status: "missing", seconds: 0, json: null }); continue; }
    const budget = quick ? Math.min(b.quickTimeout, remaining() - QUICK_NWB_RESERVE_S) : 3600;
    if (budget < 5) { results.benches.push({ name: b.name, status: "skipped (time budget)", seconds: 0, json: null }); continue; }
    process.stderr.write(`bench ${b.name} ...\n`);
    const r = await run(process.execPath, ["--import", "tsx", file, ...(quick ? ["--quick"] : []), ...b.args], budget);
    const json = lastJson(r.stdout);
    const entry: BenchEntry = { name: b.name, status: r.timedOut ? "timeout" : r.code === 0 && json !== null ? "ok" : "failed", seconds: r.seconds, json };
    if (entry.status !== "ok") entry.note = (r.stderr || r.stdout).slice(-400);
    results.benches.push(entry);
    process.stderr.write(`bench ${b.name}: ${entry.status} in ${r.seconds.toFixed(0)} s\n`);
  }
  const dir = mkdtempSync(join(tmpdir(), "hdmf-ts-bench-"));
  try {
    const mb = quick ? 16 : 256;
    const left = (want: number): number => (quick ? Math.max(10, Math.min(want, remaining())) : want * 30);
    for (const backend of ["hdf5", "zarr"] as const) {
      process.stderr.write(`bench nwb ${backend} (${mb} MB) ...\n`);
      const ours = await nwbRun("ts", backend, mb, dir, left(60));
      const theirs = await nwbRun("py", backend, mb, dir, left(60));
      if (ours) results.nwb.push({ backend, ours, theirs });
    }
    const rssMb = quick ? 256 : 4096;
    process.stderr.write(`bench iterative write RSS (${rssMb} MB) ...\n`);
    results.rss = await nwbRun("ts", "hdf5", rssMb, dir, left(120));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  const out = resolve(ROOT, OUT_DIR);
  mkdirSync(out, { recursive: true });
  writeFileSync(join(out, "latest.json"), `${JSON.stringify(results, null, 2)}\n`);
  const md = renderMarkdown(results);
  writeFileSync(join(out, "latest.md"), md);
  process.stdout.write(md);
}

await main();
