/** Runs the reference helper (Debian python3 + numcodecs 0.11 + h5py) and waits for it to exit. */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { fileURLToPath } from "node:url";
import { seededRandom } from "../helpers/random.js";

export const PYTHON = "/usr/bin/python3";
const HELPER = fileURLToPath(new URL("./py/numcodecs_helper.py", import.meta.url));

export function pythonAvailable(): boolean {
  if (!existsSync(PYTHON)) return false;
  const r = spawnSync(PYTHON, ["-c", "import numcodecs, h5py, hdf5plugin"], { encoding: "utf8", cwd: "/tmp" });
  return r.status === 0;
}

export function py<T>(command: string, request: unknown): T {
  const r = spawnSync(PYTHON, [HELPER, command], {
    input: JSON.stringify(request), encoding: "utf8", cwd: "/tmp", maxBuffer: 512 * 1024 * 1024, timeout: 120_000,
  });
  if (r.status !== 0) throw new Error(`python helper ${command} failed (${r.status}): ${r.stderr}`);
  return JSON.parse(r.stdout) as T;
}

export const b64 = (b: Uint8Array): string => Buffer.from(b.buffer, b.byteOffset, b.byteLength).toString("base64");
export const unb64 = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "base64"));

/** Deterministic pseudo-random generator (mulberry32). */
export const rng = seededRandom;

/** A float64 random walk as bytes. */
export function randomWalk(n: number, seed = 1): Uint8Array {
  const r = rng(seed);
  const a = new Float64Array(n);
  let x = 0;
  for (let i = 0; i < n; i++) { x += r() - 0.5; a[i] = x; }
  return new Uint8Array(a.buffer);
}
