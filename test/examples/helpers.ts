/**
 * Runs the tutorial examples and the tour as child processes (at most two at a time: CI has two
 * cores), and the Python readers over their output. Every child is awaited; a hung child is
 * killed by pid when its timeout passes.
 */
import { spawn } from "node:child_process";
import { existsSync, readdirSync } from "node:fs";
import { join, resolve } from "node:path";

export const ROOT = resolve(import.meta.dirname, "../..");
export const ORACLE_VENV = resolve(ROOT, process.env.ORACLE_VENV ?? ".cache/oracle");
export const ORACLE_PYTHON = join(ORACLE_VENV, "bin/python");
export const CHECK_NWB_DIR = "/work/shared/oracle";
export const PLAIN_PYTHON = "/usr/bin/python3";

export interface RunResult {
  readonly code: number | null;
  readonly stdout: string;
  readonly stderr: string;
  readonly seconds: number;
}

export function runProcess(cmd: string, args: readonly string[], options: { cwd?: string; timeoutMs?: number } = {}): Promise<RunResult> {
  const t0 = performance.now();
  return new Promise((resolvePromise, reject) => {
    const child = spawn(cmd, args, { cwd: options.cwd ?? ROOT, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, NODE_OPTIONS: "" } });
    let stdout = "";
    let stderr = "";
    child.stdout.on("data", (b: Buffer) => { stdout += b.toString(); });
    child.stderr.on("data", (b: Buffer) => { stderr += b.toString(); });
    const timer = setTimeout(() => { if (child.pid) process.kill(child.pid, "SIGKILL"); }, options.timeoutMs ?? 150_000);
    child.on("error", (e) => { clearTimeout(timer); reject(e); });
    child.on("close", (code) => {
      clearTimeout(timer);
      resolvePromise({ code, stdout, stderr, seconds: (performance.now() - t0) / 1000 });
    });
  });
}

/** Run jobs with at most `width` in flight; results in job order. */
export async function pool<T>(jobs: ReadonlyArray<() => Promise<T>>, width = 2): Promise<T[]> {
  const results = new Array<T>(jobs.length);
  let next = 0;
  await Promise.all(Array.from({ length: Math.min(width, jobs.length) }, async () => {
    while (next < jobs.length) {
      const i = next++;
      results[i] = await jobs[i]!();
    }
  }));
  return results;
}

/** NWB outputs of an example: *.nwb files and *.nwb.zarr stores in its folder. */
export function nwbOutputs(dir: string): string[] {
  return readdirSync(dir).filter((n) => n.endsWith(".nwb") || n.endsWith(".nwb.zarr")).sort().map((n) => join(dir, n));
}

export function oracleAvailable(): boolean {
  return existsSync(ORACLE_PYTHON);
}

export interface PlainRead {
  path: string;
  datasets: number;
  values: number;
  undecodable: Array<[string, number[]]>;
  external_links: string[];
}

export function parsePlain(stdout: string): PlainRead[] {
  return stdout.split("\n").filter((l) => l.startsWith("{")).map((l) => JSON.parse(l) as PlainRead);
}
