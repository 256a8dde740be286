/**
 * bench/parallel: 1, 2 and 4 processes writing one gzip-4 float64 dataset of 1 GB (--quick:
 * 128 MB) into one NWB file, through examples/parallel-write.ts, to a directory store and to
 * S3 (a local moto_server). Ranks are plain processes with HDMF_TS_RANK / HDMF_TS_WORLD_SIZE
 * (the launcher does not matter for the I/O). Reports, per run:
 *   wall      spawn to last exit (includes Node/tsx startup, about 1-3 s per process)
 *   write     the collective itself: slowest rank's time from after startup to consolidated
 *   MB/s      data MB / write;   scaling = write(1 process) / write(n processes)
 *   npx tsx bench/parallel.ts [--quick] [--targets dir,s3] [--json]
 */
import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { cpus, tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { parseArgs } from "node:util";
import { MOTO_CREDENTIALS, startMoto, type Moto } from "../test/helpers/moto.js";

const EXAMPLE = fileURLToPath(new URL("../examples/parallel-write.ts", import.meta.url));

/** What this process started, for the SIGTERM bench/run.ts sends when the time budget runs out. */
const ranksRunning = new Set<ChildProcess>();
let motoRunning: Moto | undefined;
process.once("SIGTERM", () => {
  for (const c of ranksRunning) c.kill("SIGKILL");
  void Promise.allSettled([motoRunning?.stop()]).then(() => process.exit(143));
});

interface RankResult { rank: number; seconds: number; timings: Record<string, number>; bytes: number }
export interface ParallelRow { target: string; processes: number; mb: number; wall: number; write: number; mbPerS: number; scaling: number }

function runRank(dest: string, rank: number, size: number, mbPerRank: number, runId: string, endpoint?: string): Promise<RankResult> {
  const args = ["--import", "tsx", EXAMPLE, dest, "--mb", String(mbPerRank), "--timeout", "1800", ...(endpoint ? ["--endpoint", endpoint] : [])];
  const child = spawn(process.execPath, args, {
    env: {
      ...process.env, HDMF_TS_RANK: String(rank), HDMF_TS_WORLD_SIZE: String(size), HDMF_TS_RUN_ID: runId,
      AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: "us-east-1",
    },
    stdio: ["ignore", "pipe", "pipe"],
  });
  ranksRunning.add(child);
  let out = "";
  let err = "";
  child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve, reject) => child.once("close", (code) => {
    ranksRunning.delete(child);
    const line = out.split("\n").find((l) => l.startsWith("RESULT "));
    if (code !== 0 || !line) reject(new Error(`rank ${rank}/${size} exited with ${code}: ${err}`));
    else resolve(JSON.parse(line.slice(7)) as RankResult);
  }));
}

async function runOnce(target: string, dest: string, size: number, totalMb: number, endpoint?: string): Promise<Omit<ParallelRow, "scaling">> {
  const runId = `bench-${process.pid}-${Date.now()}`;
  const t0 = performance.now();
  const ranks = await Promise.all(Array.from({ length: size }, (_, r) => runRank(dest, r, size, totalMb / size, runId, endpoint)));
  const wall = (performance.now() - t0) / 1000;
  // Each rank's `seconds` runs from after its startup to after consolidation and the read-back.
  const write = Math.max(...ranks.map((r) => r.seconds));
  return { target, processes: size, mb: totalMb, wall, write, mbPerS: totalMb / write };
}

export async function benchParallel(options: { quick?: boolean; targets?: readonly string[] } = {}): Promise<ParallelRow[]> {
  const totalMb = options.quick ? 128 : 1024;
  const targets = options.targets ?? ["dir", "s3"];
  const dir = await mkdtemp(path.join(tmpdir(), "hdmf-bench-parallel-"));
  let moto: Moto | undefined;
  const rows: ParallelRow[] = [];
  try {
    for (const target of targets) {
      if (target === "s3") motoRunning = moto = await startMoto({ bucket: "bench" });
      let base = 0;
      for (const size of [1, 2, 4]) {
        const dest = target === "s3" ? `s3://bench/p${size}.nwb.zarr` : path.join(dir, `p${size}.nwb.zarr`);
        const row = await runOnce(target, dest, size, totalMb, moto?.endpoint);
        if (size === 1) base = row.write;
        rows.push({ ...row, scaling: base / row.write });
        if (target === "dir") await rm(dest, { recursive: true, force: true });
      }
      await moto?.stop();
      moto = undefined;
    }
  } finally {
    await moto?.stop();
    await rm(dir, { recursive: true, force: true });
  }
  return rows;
}

async function main(): Promise<void> {
  const { values } = parseArgs({ options: { quick: { type: "boolean" }, json: { type: "boolean" }, targets: { type: "string" } } });
  const rows = await benchParallel({ quick: values.quick, targets: values.targets?.split(",") });
  if (values.json) {
    process.stdout.write(`${JSON.stringify(rows)}\n`);
    return;
  }
  process.stdout.write(`parallel write, gzip-4 float64, ${rows[0]?.mb ?? 0} MB total, ${cpus().length} cores\n`);
  process.stdout.write("target  procs   wall s  write s    MB/s  scaling\n");
  for (const r of rows) {
    process.stdout.write(`${r.target.padEnd(6)} ${String(r.processes).padStart(6)} ${r.wall.toFixed(1).padStart(8)} ${r.write.toFixed(1).padStart(8)} ${r.mbPerS.toFixed(1).padStart(7)} ${r.scaling.toFixed(2).padStart(8)}\n`);
  }
}

if (process.argv[1] && fileURLToPath(import.meta.url) === path.resolve(process.argv[1])) {
  main().catch((e: unknown) => {
    process.stderr.write(`${(e as Error).stack ?? String(e)}\n`);
    process.exit(1);
  });
}
