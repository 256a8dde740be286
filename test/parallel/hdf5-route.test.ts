/**
 * examples/parallel-hdf5-route.ts with two ranks, both routes, checked with h5py:
 * --via parts (a part file per rank, one file of external links, a resolved copy) and
 * --via zarr (a collective Zarr write exported into one HDF5 file).
 */
import { spawn, spawnSync, type ChildProcess } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const EXAMPLE = path.join(ROOT, "examples/parallel-hdf5-route.ts");
const children = new Set<ChildProcess>();
let dir = "";

function rank(r: number, size: number, args: string[]): Promise<{ code: number | null; out: string; err: string }> {
  const env: NodeJS.ProcessEnv = { ...process.env, HDMF_TS_RANK: String(r), HDMF_TS_WORLD_SIZE: String(size), HDMF_TS_RUN_ID: `route-${process.pid}` };
  for (const k of Object.keys(env)) if (/^(OMPI_|PMIX_|PMI_|SLURM_|JOB_COMPLETION_INDEX)/.test(k)) delete env[k];
  const child = spawn(process.execPath, ["--import", "tsx", EXAMPLE, ...args], { cwd: ROOT, env, stdio: ["ignore", "pipe", "pipe"] });
  children.add(child);
  let out = "";
  let err = "";
  child.stdout!.on("data", (d: Buffer) => { out += d.toString(); });
  child.stderr!.on("data", (d: Buffer) => { err += d.toString(); });
  return new Promise((resolve) => child.once("close", (code) => { children.delete(child); resolve({ code, out, err }); }));
}

beforeAll(async () => {
  dir = await mkdtemp(path.join(tmpdir(), "hdmf-route-"));
});

afterAll(async () => {
  for (const c of children) c.kill("SIGKILL");
  if (dir) await rm(dir, { recursive: true, force: true });
});

describe.concurrent("the HDF5 routes", () => {
  it("parts: one NWB file linking every rank's part, and a resolved copy", { timeout: 180_000 }, async () => {
    const dest = path.join(dir, "run.nwb");
    const resolved = path.join(dir, "resolved.nwb");
    const args = [dest, "--via", "parts", "--mb", "0.125", "--resolve", resolved, "--timeout", "120"];
    const results = await Promise.all([rank(0, 2, args), rank(1, 2, args)]);
    results.forEach((r, i) => expect(r.code, `rank ${i}: ${r.err}`).toBe(0));
    expect(results[1]!.out).toContain("rank 1: ts_name[1] = 1");
    const py = spawnSync("/usr/bin/python3", ["-c", `
import json, sys, h5py, numpy as np
main, res = h5py.File(sys.argv[1], "r"), h5py.File(sys.argv[2], "r")
links = {k: type(main["acquisition"].get(k, getlink=True)).__name__ for k in main["acquisition"]}
targets = {k: main["acquisition"].get(k, getlink=True).filename for k in main["acquisition"]}
big = np.concatenate([main["acquisition/big_0/data"][...], main["acquisition/big_1/data"][...]])
i = np.arange(big.size)
print(json.dumps({
  "links": links, "targets": targets,
  "ts": [int(main[f"acquisition/ts_name_{r}/data"][0]) for r in (0, 1)],
  "big_ok": bool(np.array_equal(big, np.round(2000 * np.sin(i * 0.001)) * 0.25)),
  "big_compression": main["acquisition/big_1/data"].compression,
  "resolved": {k: type(res["acquisition"].get(k, getlink=True)).__name__ for k in res["acquisition"]},
  "resolved_equal": bool(np.array_equal(res["acquisition/big_1/data"][...], main["acquisition/big_1/data"][...])),
}))
`, dest, resolved], { encoding: "utf8" });
    expect(py.status, py.stderr).toBe(0);
    const got = JSON.parse(py.stdout);
    expect(got.links).toEqual({ big_0: "ExternalLink", big_1: "ExternalLink", ts_name_0: "ExternalLink", ts_name_1: "ExternalLink" });
    expect(got.targets.ts_name_1).toBe("run.nwb.parts/rank-1.nwb"); // relative: the folder can move
    expect(got.ts).toEqual([0, 1]);
    expect(got.big_ok).toBe(true);
    expect(got.big_compression).toBe("gzip");
    expect(got.resolved).toEqual({ big_0: "HardLink", big_1: "HardLink", ts_name_0: "HardLink", ts_name_1: "HardLink" });
    expect(got.resolved_equal).toBe(true);
  });

  it("zarr: a collective Zarr write exported into one HDF5 file", { timeout: 180_000 }, async () => {
    const dest = path.join(dir, "via-zarr.nwb");
    const args = [dest, "--via", "zarr", "--mb", "0.125", "--timeout", "120"];
    const results = await Promise.all([rank(0, 2, args), rank(1, 2, args)]);
    results.forEach((r, i) => expect(r.code, `rank ${i}: ${r.err}`).toBe(0));
    expect(results[1]!.out).toContain("rank 1: ts_name[1] = 1");
    const py = spawnSync("/usr/bin/python3", ["-c", `
import json, sys, h5py, numpy as np
f = h5py.File(sys.argv[1], "r")
d = f["acquisition/big/data"]
i = np.arange(d.shape[0])
print(json.dumps({"ts": f["acquisition/ts_name/data"][...].tolist(), "shape": list(d.shape), "chunks": list(d.chunks),
  "gzip": [d.compression, d.compression_opts], "big_ok": bool(np.array_equal(d[...], np.round(2000 * np.sin(i * 0.001)) * 0.25))}))
`, dest], { encoding: "utf8" });
    expect(py.status, py.stderr).toBe(0);
    expect(JSON.parse(py.stdout)).toEqual({ ts: [0, 1], shape: [32768], chunks: [16384], gzip: ["gzip", 4], big_ok: true });
  });
});
