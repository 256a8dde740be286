/**
 * Nothing in the CLI runs unbounded on metadata alone: a never-written dataset of shape 1e15
 * (all fill value; 8e15 bytes of values, nothing stored) in HDF5 (written by h5py), Zarr v2
 * (zarr-python 2) and Zarr v3 (zarr-python 3, sid). `manifest` refuses it with a LimitError
 * naming the dataset and --max-bytes, `validate` refuses to scan a VectorIndex of that shape
 * the same way, and `ls` lists it. Each library call has a 5 s vitest timeout, so a hang fails
 * the test instead of stalling the run; the CLI runs as a child killed after 60 s.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifest } from "../../src/inspect/manifest.js";
import { ls } from "../../src/inspect/ls.js";
import { validateFile } from "../../src/nwb-io.js";
import { DEFAULT_MAX_BYTES, parseByteSize } from "../../src/inspect/size-limit.js";
import { LimitError } from "../../src/errors.js";
import { PYTHON } from "../helpers/hdf5-py.js";
import { sidPython } from "../helpers/sid.js";
import { FIXTURES } from "../export/helpers.js";

const N = 10 ** 15;
const BOUND_MS = 5000;
let dir: string;
const files: Record<"hdf5" | "zarr2" | "zarr3", string> = { hdf5: "", zarr2: "", zarr3: "" };

function run(python: string, code: string): void {
  const r = spawnSync(python, ["-c", code], { encoding: "utf8", timeout: 120_000 });
  if (r.status !== 0) throw new Error(`${python} failed: ${r.stderr}`);
}

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hdmf-bounded-"));
  files.hdf5 = join(dir, "big.h5");
  files.zarr2 = join(dir, "big.zarr");
  files.zarr3 = join(dir, "big3.zarr");
  run(PYTHON, `
import h5py, numpy as np
with h5py.File(${JSON.stringify(files.hdf5)}, "w") as f:
    f.create_dataset("data", data=np.arange(10))
    f.create_dataset("big", shape=(${N},), dtype="f8", chunks=(1 << 16,))
    ix = f.create_dataset("big_index", shape=(${N},), dtype="u8", chunks=(1 << 16,))
    ix.attrs["neurodata_type"] = "VectorIndex"
    ix.attrs["namespace"] = "hdmf-common"
    ix.attrs["target"] = f["data"].ref
`);
  run(PYTHON, `
import zarr, numpy as np
g = zarr.open_group(${JSON.stringify(files.zarr2)}, mode="w")
g.create_dataset("data", data=np.arange(10))
g.create_dataset("big", shape=(${N},), dtype="f8", chunks=(1 << 16,))
ix = g.create_dataset("big_index", shape=(${N},), dtype="u8", chunks=(1 << 16,))
ix.attrs.update({"neurodata_type": "VectorIndex", "namespace": "hdmf-common",
                 "target": {"zarr_dtype": "object", "value": {"source": ".", "path": "/data"}}})
`);
  sidPython(["-c", `
import zarr, numpy as np
g = zarr.open_group(${JSON.stringify(files.zarr3)}, mode="w", zarr_format=3)
g.create_array("data", data=np.arange(10))
g.create_array("big", shape=(${N},), dtype="f8", chunks=(1 << 16,))
ix = g.create_array("big_index", shape=(${N},), dtype="u8", chunks=(1 << 16,))
ix.attrs.update({"neurodata_type": "VectorIndex", "namespace": "hdmf-common",
                 "target": {"_REFERENCE": {"source": ".", "path": "/data"}}})
`], { binds: [dir] });
}, 240_000);
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe.each(["hdf5", "zarr2", "zarr3"] as const)("%s: a never-written dataset of shape 1e15", (format) => {
  it("manifest refuses it with a LimitError naming it and --max-bytes", async () => {
    const t0 = performance.now();
    const err = await manifest(files[format]).then(() => undefined, (e: unknown) => e);
    expect(err).toBeInstanceOf(LimitError);
    expect(err).toMatchObject({ kind: "limit", path: "/big", bytes: 8 * N, limit: DEFAULT_MAX_BYTES, option: "--max-bytes" });
    expect((err as Error).message).toMatch(/^\/big: .*7\.1 PiB.*--max-bytes 8000000000000000 /);
    expect((err as Error).message).not.toContain("\n");
    console.log(`${format}: manifest of shape 1e15 refused in ${(performance.now() - t0).toFixed(0)} ms`);
  }, BOUND_MS);

  it("ls lists it", async () => {
    expect(await ls(files[format])).toMatch(/big {2}float64 \[1000000000000000\] {2}chunks \[65536\]/);
  }, BOUND_MS);

  it("validate refuses to scan a VectorIndex of that shape, naming it and --max-bytes", async () => {
    await expect(validateFile(files[format])).rejects.toMatchObject({ kind: "limit", path: "/big_index", option: "--max-bytes", message: expect.stringMatching(/^\/big_index: validating its values reads 7\.1 PiB/) });
  }, BOUND_MS);
});

describe("--max-bytes", () => {
  it("parses sizes and none; bad text is a one-line InvalidInputError", () => {
    expect(parseByteSize("4GiB")).toBe(4 * 1024 ** 3);
    expect(parseByteSize("500MB")).toBe(500e6);
    expect(parseByteSize("1e12")).toBe(1e12);
    expect(parseByteSize("16g")).toBe(16 * 1024 ** 3);
    expect(parseByteSize("none")).toBe(Infinity);
    expect(() => parseByteSize("lots")).toThrow(/--max-bytes must be a byte count/);
  });

  it("lowering it refuses an ordinary fixture's datasets; the default manifests it", async () => {
    const f = join(FIXTURES, "a_h5dataio.nwb");
    await expect(manifest(f, { maxBytes: 64 })).rejects.toMatchObject({ kind: "limit", limit: 64 });
    expect((await manifest(f)).objects.length).toBeGreaterThan(10);
  }, 60_000);

  const CLI = resolve("src/cli/bin.ts");
  const TSX = resolve("node_modules/.bin/tsx");
  it("the CLI: one line on stderr, exit 1; --max-bytes is in --help", () => {
    const m = spawnSync(TSX, [CLI, "manifest", files.zarr2], { encoding: "utf8", timeout: 60_000 });
    expect(m.status).toBe(1);
    expect(m.stdout).toBe("");
    expect(m.stderr).toMatch(/^hdmf-ts: LimitError: \/big: its checksum reads 7\.1 PiB of values \(shape \[1000000000000000\]\), over the limit of 4 GiB per dataset; pass --max-bytes 8000000000000000 \(or --max-bytes none\) to lift it\n$/);
    const v = spawnSync(TSX, [CLI, "validate", files.hdf5], { encoding: "utf8", timeout: 60_000 });
    expect(v.status).toBe(1);
    expect(v.stderr).toMatch(/^hdmf-ts: LimitError: \/big_index: .*--max-bytes/);
    const bad = spawnSync(TSX, [CLI, "manifest", files.zarr2, "--max-bytes", "lots"], { encoding: "utf8", timeout: 60_000 });
    expect(bad.status).toBe(2);
    const help = spawnSync(TSX, [CLI, "manifest", "--help"], { encoding: "utf8", timeout: 60_000 });
    expect(help.stdout).toMatch(/--max-bytes <size>.*default 4 GiB/s);
  }, 120_000);
});
