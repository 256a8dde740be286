/**
 * examples/parallel-write.ts under real launchers: mpirun (Open MPI) on a directory store and
 * on moto (S3), and 4 plain processes with Slurm-style and Kubernetes-style environments.
 * Each result must equal the serial write (zarr-python compares them) and hold ts_name = [0..3].
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { S3Store } from "../../src/stores/s3-store.js";
import { validateFile } from "../../src/nwb-io.js";
import { MOTO_CREDENTIALS, startMoto, type Moto } from "../helpers/moto.js";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EXAMPLE = path.join(ROOT, "examples/parallel-write.ts");
const COMPARE = fileURLToPath(new URL("./helpers/compare_zarr.py", import.meta.url));
const MB = "0.125"; // per rank: 16 384 float64 in chunks of 16 384
const NP = 4;
const hasMpirun = spawnSync("mpirun", ["--version"]).status === 0;

interface Exit { code: number | null; signal: NodeJS.Signals | null; out: string; err: string }
const children = new Set<ChildProcess>();

function run(cmd: string, args: string[], env: NodeJS.ProcessEnv = {}): Promise<Exit> {
  const child = spawn(cmd, args, {
    cwd: ROOT, env: { ...cleanEnv(), ...env }, stdio: ["ignore", "pipe", "pipe"], detached: true,
  });
  children.add(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve) => child.once("close", (code, signal) => { children.delete(child); resolve({ code, signal, out, err }); }));
}

/** The test's environment without launcher variables it may itself run under. */
function cleanEnv(): NodeJS.ProcessEnv {
  const env = { ...process.env };
  for (const k of Object.keys(env)) {
    if (/^(OMPI_|PMIX_|PMI_|SLURM_|JOB_COMPLETION_INDEX|HDMF_TS_)/.test(k)) delete env[k];
  }
  return { ...env, AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: "us-east-1" };
}

/**
 * Each mpirun gets its own TMPDIR: Open MPI makes its session directory there, and two mpiruns
 * starting side by side race to create the shared default (/tmp/ompi.<host>.<uid>: "File exists").
 */
async function mpiTmp(name: string): Promise<NodeJS.ProcessEnv> {
  const tmp = path.join(dir, name);
  await mkdir(tmp, { recursive: true });
  return { TMPDIR: tmp };
}

const example = (dest: string, ...extra: string[]) => ["--import", "tsx", EXAMPLE, dest, "--mb", MB, "--timeout", "120", ...extra];

function expectOk(r: Exit, what: string): void {
  expect(r.code, `${what} failed:\n${r.err}\n${r.out}`).toBe(0);
}

/** Run 4 ranks as plain processes with launcher-style variables per rank. */
async function runRanks(dest: string, envFor: (rank: number) => NodeJS.ProcessEnv): Promise<Exit[]> {
  const results = await Promise.all(Array.from({ length: NP }, (_, r) => run(process.execPath, example(dest), envFor(r))));
  results.forEach((r, i) => expectOk(r, `rank ${i}`));
  return results;
}

function compare(ref: string, other: string): { problems: string[]; ts_name: number[]; arrays: number; big: { shape: number[]; chunks: number[]; compressor: unknown; nchunks_initialized: number } } {
  const p = spawnSync("/usr/bin/python3", [COMPARE, ref, other], { encoding: "utf8" });
  expect(p.status, p.stderr).toBe(0);
  return JSON.parse(p.stdout);
}

function expectSameAsSerial(ref: string, dest: string): void {
  const c = compare(ref, dest);
  expect(c.problems).toEqual([]);
  expect(c.ts_name).toEqual([0, 1, 2, 3]);
  expect(c.arrays).toBeGreaterThanOrEqual(4);
  expect(c.big).toEqual({ shape: [NP * 16384], chunks: [16384], compressor: { id: "gzip", level: 4 }, nchunks_initialized: NP });
}

function ranksSaid(results: Exit[]): string[] {
  return results.flatMap((r) => r.out.split("\n").filter((l) => l.startsWith("rank "))).sort();
}

let dir = "";
let ref = "";
let moto: Moto | undefined;

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "hdmf-parallel-"));
  ref = path.join(dir, "serial.nwb.zarr");
  const [serial, m] = await Promise.all([run(process.execPath, example(ref, "--serial", String(NP))), startMoto({ bucket: "parallel" })]);
  moto = m;
  expectOk(serial, "serial write");
});

afterAll(async () => {
  for (const c of children) { try { process.kill(-c.pid!, "SIGKILL"); } catch { /* gone */ } }
  await moto?.stop();
  if (dir) await rm(dir, { recursive: true, force: true });
});

// Each case spawns 4 processes; the cases of a group run side by side (they mostly wait on
// barriers and on moto), and get a generous cap: process start-up is slow on a busy machine.
describe.skipIf(!hasMpirun).concurrent("mpirun -np 4 examples/parallel-write.ts", { timeout: 180_000 }, () => {
  it("on a directory store equals the serial write", async () => {
    const dest = path.join(dir, "mpi.nwb.zarr");
    const r = await run("mpirun", ["-np", String(NP), "--oversubscribe", "--allow-run-as-root", "npx", "tsx", ...example(dest).slice(2)], await mpiTmp("ompi-dir"));
    expectOk(r, "mpirun");
    expect(ranksSaid([r])).toEqual([0, 1, 2, 3].map((i) => `rank ${i}: ts_name[${i}] = ${i}`));
    expect(r.out).toContain('"launcher":"openmpi"');
    expectSameAsSerial(ref, dest);
    expect(await validateFile(dest)).toEqual([]); // a valid NWB file against its cached spec
  });

  it("on S3 (moto) equals the serial write", async () => {
    const url = `s3://${moto!.bucket}/runs/mpi.nwb.zarr`;
    const r = await run("mpirun", ["-np", String(NP), "--oversubscribe", "--allow-run-as-root", "npx", "tsx", ...example(url, "--endpoint", moto!.endpoint).slice(2)], await mpiTmp("ompi-s3"));
    expectOk(r, "mpirun on moto");
    expect(ranksSaid([r])).toHaveLength(NP);
    // zarr-python here has no S3 filesystem: copy the objects out byte for byte, then compare.
    const local = path.join(dir, "from-s3.nwb.zarr");
    const s3 = new S3Store({ bucket: moto!.bucket, prefix: "runs/mpi.nwb.zarr", endpoint: moto!.endpoint, forcePathStyle: true, region: "us-east-1", credentials: MOTO_CREDENTIALS });
    let objects = 0;
    for await (const key of s3.list("/")) {
      const bytes = (await s3.get(key))!;
      await mkdir(path.dirname(path.join(local, key)), { recursive: true });
      await writeFile(path.join(local, key), bytes);
      objects++;
    }
    await s3.close();
    expect(objects).toBeGreaterThan(NP);
    expectSameAsSerial(ref, local);
  });
});

describe.concurrent("the same example without mpirun", { timeout: 180_000 }, () => {
  it("with Slurm (srun) variables", async () => {
    const dest = path.join(dir, "slurm.nwb.zarr");
    const results = await runRanks(dest, (r) => ({ SLURM_PROCID: String(r), SLURM_NTASKS: String(NP), SLURM_JOB_ID: "4242", SLURM_STEP_ID: "0" }));
    expect(results.every((x) => x.out.includes('"launcher":"slurm"') && x.out.includes('"runId":"slurm-4242.0"'))).toBe(true);
    expect(ranksSaid(results)).toEqual([0, 1, 2, 3].map((i) => `rank ${i}: ts_name[${i}] = ${i}`));
    expectSameAsSerial(ref, dest);
  });

  it("with Kubernetes indexed-Job variables", async () => {
    const dest = path.join(dir, "k8s.nwb.zarr");
    const results = await runRanks(dest, (r) => ({ JOB_COMPLETION_INDEX: String(r), HDMF_TS_WORLD_SIZE: String(NP), HDMF_TS_RUN_ID: "controller-uid-1234" }));
    expect(results.every((x) => x.out.includes('"launcher":"kubernetes"'))).toBe(true);
    expectSameAsSerial(ref, dest);
  });

  it("refuses one HDF5 file for several ranks with the route in the message", async () => {
    const r = await run(process.execPath, example(path.join(dir, "one.nwb")), { HDMF_TS_RANK: "1", HDMF_TS_WORLD_SIZE: "2", HDMF_TS_RUN_ID: "x" });
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/^UnsupportedError: rank 1 of 2 cannot open the HDF5 file .*parallel-hdf5-route/m);
  });
});
