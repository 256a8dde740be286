/**
 * Crash safety: a child writing datasets (flush after each) is killed with SIGKILL while it
 * writes the next one. Every dataset flushed before the kill must read back intact here and
 * in h5py / zarr-python (Debian /usr/bin/python3).
 */
import { execFileSync, spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import type { HDMFIO } from "../../src/backends/io.js";
import { writeFigure } from "./figures.js";

const CHILD = fileURLToPath(new URL("./children/crash-writer.ts", import.meta.url));
const MB = 8;
const KILL_AFTER = 3; // flushed datasets before the kill
const figures: string[] = [];

/** Run the writer; SIGKILL it once KILL_AFTER datasets are flushed (it is then writing the next). */
function writeThenKill(kind: string, target: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, kind, target, String(MB)], { stdio: ["ignore", "pipe", "pipe"] });
    let flushed = -1;
    let err = "";
    child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    child.stdout.on("data", (d: Buffer) => {
      for (const m of d.toString().matchAll(/flushed (\d+)/g)) flushed = Math.max(flushed, Number(m[1]));
      if (flushed + 1 >= KILL_AFTER) child.kill("SIGKILL");
    });
    child.on("error", reject);
    child.on("exit", (_code, signal) => (signal === "SIGKILL" ? resolve(flushed) : reject(new Error(`writer exited without the kill: ${err.slice(-2000)}`))));
  });
}

const PY_CHECK = `
import sys, numpy as np
kind, target, count, n = sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4])
if kind == "hdf5":
    import h5py; f = h5py.File(target, "r"); get = lambda i: f[f"d{i}"][()]
else:
    import zarr; g = zarr.open_group(target, mode="r"); get = lambda i: g[f"d{i}"][:]
for i in range(count):
    a = get(i)
    assert a.shape == (n,), (i, a.shape)
    assert np.array_equal(a, i * 1e9 + np.arange(n, dtype="<f8")), f"d{i} differs"
print("ok", count)
`;

async function readBack(kind: string, target: string, count: number): Promise<void> {
  const n = (MB * 2 ** 20) / 8;
  const io: HDMFIO = kind === "hdf5"
    ? await (await import("../../src/backends/hdf5/index.js")).openHdf5(target, "r")
    : await (await import("../../src/backends/zarr/index.js")).openZarr(target, "r");
  try {
    for (let i = 0; i < count; i++) {
      const a = (await (await io.dataset(`/d${i}`)).read()).data as Float64Array;
      expect(a.length).toBe(n);
      let bad = -1;
      for (let j = 0; j < n && bad < 0; j++) if (a[j] !== i * 1e9 + j) bad = j;
      expect(bad, `/d${i} element ${bad}`).toBe(-1);
    }
  } finally {
    await io.close();
  }
  const out = execFileSync("/usr/bin/python3", ["-c", PY_CHECK, kind, target, String(count), String(n)], { encoding: "utf8" });
  expect(out.trim()).toBe(`ok ${count}`);
}

describe("SIGKILL mid-write", () => {
  afterAll(() => writeFigure("reliability-crash", [`reliability: SIGKILL mid-write: ${figures.join("; ")}`]));
  for (const [kind, file] of [["hdf5", "crash.h5"], ["zarr", "crash.zarr"]] as const) {
    it(`${kind}: every dataset flushed before the kill reads back intact (hdmf-ts and ${kind === "hdf5" ? "h5py" : "zarr-python"})`, async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "hdmf-crash-"));
      try {
        const target = path.join(dir, file);
        const flushed = await writeThenKill(kind, target);
        expect(flushed + 1).toBeGreaterThanOrEqual(KILL_AFTER);
        // Zarr: consolidated metadata may predate the kill; zarr-python reads the per-array files.
        await readBack(kind, target, flushed + 1);
        figures.push(`${kind}: ${flushed + 1} flushed datasets of ${MB} MB intact after the kill, 0 lost`);
      } finally {
        await rm(dir, { recursive: true, force: true });
      }
    }, 120_000);
  }
});
