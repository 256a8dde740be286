import { spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { copyFileSync, readFileSync, truncateSync, statSync } from "node:fs";
import { deflateSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { initHdf5, type Hdf5Core, type Libver } from "../../src/backends/hdf5/core.js";
import { compound, dtypes } from "../../src/data/dtype.js";
import { FormatError, InvalidInputError, ModeError, NotFoundError } from "../../src/errors.js";
import { py, tempDir } from "./core-h5py.js";
import { py as hdf5Py } from "../helpers/hdf5-py.js";
import { fletcher32 } from "../../src/codecs/fletcher32.js";
// h5py reading the file back is the independent check of these bytes

const WASM_DIR = new URL("../../src/backends/hdf5/wasm/", import.meta.url);
const FIXTURE = "/work/shared/fixtures/a_h5dataio.nwb";

function shuffle(bytes: Uint8Array, elem: number): Uint8Array {
  const n = bytes.length / elem, out = new Uint8Array(bytes.length);
  for (let i = 0; i < n; i++) for (let j = 0; j < elem; j++) out[j * n + i] = bytes[i * elem + j]!;
  return out;
}

/** shuffle(8) -> zlib level 4 -> fletcher32 appended little-endian: h5py's [2, 1, 3] pipeline. */
function encodeChunk(values: Float64Array): Uint8Array {
  const z = deflateSync(shuffle(new Uint8Array(values.buffer, values.byteOffset, values.byteLength), 8), { level: 4 });
  const out = new Uint8Array(z.length + 4);
  out.set(z);
  new DataView(out.buffer).setUint32(z.length, fletcher32(z), true);
  return out;
}

const NAN_F8 = new Uint8Array(new Float64Array([NaN]).buffer);
const PIPELINE = [{ id: 2, flags: 1, cdValues: [] }, { id: 1, flags: 1, cdValues: [4] }, { id: 3, flags: 0, cdValues: [] }];

let core: Hdf5Core;
const tmp = tempDir("core");
beforeAll(async () => { core = await initHdf5(); });
afterAll(() => tmp.dispose());

describe("HDF5 core", () => {
  it("committed wasm matches build-info.json", () => {
    const info = JSON.parse(readFileSync(new URL("build-info.json", WASM_DIR), "utf8")) as { sha256: Record<string, string>; hdf5: string };
    expect(Object.keys(info.sha256)).toEqual(expect.arrayContaining(["hdf5core.wasm", "hdf5core.cjs", "LICENSE-HDF5.txt", "LICENSE-zlib.txt"]));
    for (const [name, sum] of Object.entries(info.sha256)) {
      expect(createHash("sha256").update(readFileSync(new URL(name, WASM_DIR))).digest("hex"), name).toBe(sum);
    }
    expect(info.hdf5).toBe("1.14.6+repack-2");
  });

  it("initHdf5 is idempotent and reports HDF5 1.14.6", async () => {
    expect(await initHdf5()).toBe(core);
    expect(core.hdf5Version).toBe("1.14.6");
  });

  it("creates h5py's gzip+shuffle+fletcher32 pipeline exactly as h5py does", () => {
    const path = tmp.path("pipeline.h5");
    const f = core.openFile(path, "w");
    const ds = core.createDataset(f, "data", {
      dtype: dtypes.float64, shape: [100, 10], maxshape: [null, 10], chunks: [100, 10],
      filters: PIPELINE, fillvalue: NAN_F8, fillTime: "alloc",
    });
    const info = core.datasetInfo(ds);
    expect(info.filters.map((x) => [x.id, x.flags, x.cdValues])).toEqual([[2, 1, [8]], [1, 1, [4]], [3, 0, []]]);
    expect(info.maxshape).toEqual([null, 10]);
    expect(core.fillValue(ds)).toEqual(NAN_F8);
    core.closeFile(f);
    const out = py<{ ours: unknown; theirs: unknown }>(`
F = h5py.File(sys.argv[1], "r")
G = h5py.File(sys.argv[2], "w")
ref = G.create_dataset("data", shape=(100, 10), maxshape=(None, 10), chunks=(100, 10), dtype="f8",
                       compression="gzip", compression_opts=4, shuffle=True, fletcher32=True, fillvalue=np.nan)
print(json.dumps({"ours": describe(F["data"]), "theirs": describe(ref)}))
`, path, tmp.path("pipeline-h5py.h5"));
    expect(out.ours).toEqual(out.theirs);
    expect(out.ours).toMatchObject({ filters: [[2, 1, [8]], [1, 1, [4]], [3, 0, []]], chunks: [100, 10], maxshape: [null, 10], fillvalue: "nan" });
  });

  it("writes pre-encoded chunks directly; h5py decodes them, unwritten chunks read as fill", () => {
    const path = tmp.path("direct.h5");
    const f = core.openFile(path, "w");
    const ds = core.createDataset(f, "data", {
      dtype: dtypes.float64, shape: [400, 10], maxshape: [null, 10], chunks: [100, 10],
      filters: PIPELINE, fillvalue: NAN_F8, fillTime: "alloc",
    });
    const block = (k: number) => Float64Array.from({ length: 1000 }, (_, i) => k * 10000 + i);
    core.writeChunk(ds, [0, 0], encodeChunk(block(1)));
    core.writeChunk(ds, [200, 0], encodeChunk(block(3)));
    const raw = block(4);
    core.writeChunk(ds, [300, 0], new Uint8Array(raw.buffer), 0b111); // every filter skipped
    expect(core.chunkInfo(ds, [100, 0])).toBeUndefined();
    expect(core.chunkInfo(ds, [300, 0])).toMatchObject({ filterMask: 7, size: 8000 });
    expect(core.chunkCount(ds)).toBe(3);
    const back = core.readChunk(ds, [200, 0]);
    expect(back?.data).toEqual(encodeChunk(block(3)));
    // HDF5's own decode path (deflate + fletcher32 verify inside wasm) agrees too
    expect(new Float64Array(core.readRaw(ds, { start: [200, 0], count: [100, 10] }).buffer)).toEqual(block(3));
    core.closeFile(f);
    const out = py<{ rows: Array<Array<number | string>>; chunks: unknown[] }>(`
F = h5py.File(sys.argv[1], "r"); d = F["data"][...]
print(json.dumps({"rows": [enc(d[i]) for i in (0, 99, 100, 199, 200, 299, 300, 399)],
  "chunks": [[list(c.chunk_offset), c.filter_mask, c.size] for c in (F["data"].id.get_chunk_info(i) for i in range(F["data"].id.get_num_chunks()))]}))
`, path);
    const row = (k: number, r: number) => Array.from(block(k).subarray(r * 10, r * 10 + 10));
    expect(out.rows).toEqual([row(1, 0), row(1, 99), Array(10).fill("nan"), Array(10).fill("nan"), row(3, 0), row(3, 99), row(4, 0), row(4, 99)]);
    expect(out.chunks).toEqual([[[0, 0], 0, encodeChunk(block(1)).length], [[200, 0], 0, encodeChunk(block(3)).length], [[300, 0], 7, 8000]]);
  });

  it("turns failures into typed errors and stays usable", () => {
    // truncated files: FormatError, not an abort
    for (const keep of [1000, Math.floor(statSync(FIXTURE).size / 2)]) {
      const p = tmp.path(`trunc-${keep}.nwb`);
      copyFileSync(FIXTURE, p);
      truncateSync(p, keep);
      expect(() => core.openFile(p, "r")).toThrow(FormatError);
      // one line naming the file and the reason; HDF5's own error stack stays on the error object
      const e = (() => { try { core.openFile(p, "r"); } catch (x) { return x as FormatError; } })()!;
      expect(e.message).toMatch(new RegExp(`^${p}: not a readable HDF5 file: (truncated \\(eof ${keep}, expected ${statSync(FIXTURE).size}\\)|no HDF5 signature)$`));
      expect(e.detail).toMatch(/HDF5 error stack:\n[^]*H5Fopen\(\)/);
    }
    expect(() => core.openFile(tmp.path("missing.h5"), "r")).toThrow(NotFoundError);
    const path = tmp.path("errors.h5");
    const f = core.openFile(path, "w");
    core.createGroup(f, "a/b");
    const e1 = (() => { try { core.createGroup(f, "a/b"); } catch (e) { return e; } })();
    expect(e1).toBeInstanceOf(InvalidInputError);
    expect(String((e1 as Error).message)).toContain("/a/b");
    core.createDataset(f, "x", { dtype: dtypes.int32, shape: [4] });
    expect(() => core.createDataset(f, "x", { dtype: dtypes.int32, shape: [4] })).toThrow(InvalidInputError);
    expect(() => core.createDataset(f, "y", { dtype: dtypes.int32, shape: [4], chunks: [2], filters: [{ id: 40000, flags: 1, cdValues: [] }] })).toThrow(/filter id 40000/);
    expect(() => core.createDataset(f, "y", { dtype: dtypes.int32, shape: [4], maxshape: [2] })).toThrow(InvalidInputError);
    expect(() => core.open(f, "nope/deeper")).toThrow(NotFoundError);
    expect(() => core.writeRaw(core.open(f, "x"), { start: [2], count: [4] }, new Uint8Array(16))).toThrow(/outside the shape/);
    // a vlen string inside a compound holds heap pointers: refused, never returned as bytes
    const cv = core.createDataset(f, "cv", { dtype: compound([{ name: "s", dtype: dtypes.utf8 }, { name: "i", dtype: dtypes.int32 }]), shape: [2] });
    expect(() => core.readRaw(cv)).toThrow(/variable-length parts/);
    expect(() => core.writeRaw(cv, undefined, new Uint8Array(2 * core.datasetInfo(cv).itemsize))).toThrow(/variable-length parts/);
    expect(core.exists(f, "a/b")).toBe(true);
    expect(core.openObjectCount(f)).toBeGreaterThanOrEqual(1);
    core.closeFile(f);
    core.closeFile(f); // idempotent
    expect(() => core.openFile(path, "w-")).toThrow(ModeError);
    const r = core.openFile(path, "r");
    expect(() => core.createGroup(r, "c")).toThrow(ModeError);
    expect(() => core.writeAttribute(r, "a", dtypes.int32, [], new Uint8Array(4))).toThrow(ModeError);
    expect(core.list(r).map((l) => l.name)).toEqual(["a", "cv", "x"]);
    expect(core.openObjectCount(r)).toBe(1);
    core.closeFile(r);
    // and the file is still fine for h5py
    expect(py<string[]>(`F = h5py.File(sys.argv[1], "r"); print(json.dumps(sorted(F.keys())))`, path)).toEqual(["a", "cv", "x"]);
  });

  it("creates, lists and deletes soft, hard and external links; one object under two paths has one address", () => {
    const path = tmp.path("links.h5");
    const f = core.openFile(path, "w");
    const ds = core.createDataset(f, "acq/ts/data", { dtype: dtypes.int16, shape: [3] });
    core.writeRaw(ds, undefined, new Uint8Array(new Int16Array([1, 2, 3]).buffer));
    core.createSoftLink(f, "soft", "/acq/ts");
    core.createSoftLink(f, "dangling", "/nowhere");
    core.createHardLink(f, "hard", f, "/acq/ts/data");
    core.createExternalLink(f, "ext", "other.h5", "/x");
    core.createGroup(f, "gone");
    core.deleteLink(f, "gone");
    expect(() => core.deleteLink(f, "gone")).toThrow(NotFoundError);
    expect(core.list(f)).toEqual([
      { name: "acq", link: "hard", kind: "group", addr: expect.any(Number), rc: 1 },
      { name: "dangling", link: "soft", target: "/nowhere" },
      { name: "ext", link: "external", file: "other.h5", target: "/x" },
      { name: "hard", link: "hard", kind: "dataset", addr: core.objectInfo(f, "acq/ts/data").addr, rc: 2 },
      { name: "soft", link: "soft", target: "/acq/ts" },
    ]);
    expect(core.linkInfo(f, "dangling")).toEqual({ name: "dangling", link: "soft", target: "/nowhere" });
    expect(core.exists(f, "dangling/x")).toBe(false);
    expect(core.objectInfo(f, "soft/data")).toEqual(core.objectInfo(f, "hard"));
    core.closeFile(f);
    const out = py<Record<string, string>>(`
F = h5py.File(sys.argv[1], "r")
print(json.dumps({k: type(F.get(k, getlink=True)).__name__ for k in F}))
`, path);
    expect(out).toEqual({ acq: "HardLink", dangling: "SoftLink", ext: "ExternalLink", hard: "HardLink", soft: "SoftLink" });
  });

  it("libver bounds: created files default to HDF5 1.10 formats; newer bounds on request; both h5py read them", () => {
    const write = (name: string, libver?: readonly [Libver, Libver]) => {
      const p = tmp.path(name);
      const f = core.openFile(p, "w", libver ? { libver, trackOrder: true } : { trackOrder: true });
      const ds = core.createDataset(f, "x", { dtype: dtypes.int32, shape: [4], maxshape: [null], chunks: [2] });
      core.writeRaw(ds, undefined, new Uint8Array(new Int32Array([1, 2, 3, 4]).buffer));
      core.closeFile(f);
      return p;
    };
    const superblock = (p: string) => readFileSync(p)[8];
    const byDefault = write("default.h5");
    expect(superblock(byDefault)).toBe(0); // the earliest format that holds it, as h5py's libver="earliest"
    const v110 = write("v110.h5", ["v110", "latest"]);
    expect(superblock(v110)).toBe(3);
    const read = `
with h5py.File(ARGS, "r") as F:
    print(json.dumps(F["x"][()].tolist()))
`;
    for (const p of [byDefault, v110]) {
      expect(hdf5Py(read, p)).toEqual([1, 2, 3, 4]); // bookworm h5py 3.7, HDF5 1.10
      expect(hdf5Py(read, p, { witness: "sid" })).toEqual([1, 2, 3, 4]); // sid h5py 3.16, HDF5 2.x
    }
    expect(() => core.openFile(tmp.path("bad.h5"), "w", { libver: ["earliest", "v999" as Libver] })).toThrow(/libver earliest\.\.v999: bounds are earliest, v108/);
  });

  it("closing a file really closes it, even with objects left open", () => {
    const path = tmp.path("strong.h5");
    const f = core.openFile(path, "w");
    core.createDataset(f, "leaked", { dtype: dtypes.int8, shape: [1] }); // never closed
    core.createGroup(f, "g/h");
    expect(core.openObjectCount(f)).toBe(3);
    core.closeFile(f);
    // with a weak close the file would stay open and this "r" open would share the old RDWR handle
    const r = core.openFile(path, "r");
    expect(core.openObjectCount(r)).toBe(1);
    expect(py<boolean>(`F = h5py.File(sys.argv[1], "r+"); print(json.dumps("leaked" in F))`, path)).toBe(true);
    core.closeFile(r);
  });

  it("refuses H5Dwrite through a stub plugin filter (bytes must come as chunks)", () => {
    const f = core.openFile(tmp.path("stub.h5"), "w");
    const ds = core.createDataset(f, "b", { dtype: dtypes.float32, shape: [100], chunks: [100], filters: [{ id: 32001, flags: 1, cdValues: [2, 2, 4, 400, 5, 1, 1] }] });
    expect(() => core.writeRaw(ds, undefined, new Uint8Array(400))).toThrow(/plugin filter 32001/);
    expect(core.datasetInfo(ds).filters).toEqual([{ id: 32001, name: "blosc", flags: 1, cdValues: [2, 2, 4, 400, 5, 1, 1] }]);
    core.closeFile(f);
  });

  it("a writer killed with SIGKILL after flush leaves the flushed dataset readable", async () => {
    const path = tmp.path("killed.h5");
    const child = spawn(process.execPath, ["--import", "tsx", new URL("core-kill-child.ts", import.meta.url).pathname, path], { stdio: ["ignore", "pipe", "pipe"] });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => { stderr += d.toString(); });
    const exited = new Promise<NodeJS.Signals | null>((resolve) => child.on("exit", (_code, sig) => resolve(sig)));
    try {
      await new Promise<void>((resolve, reject) => {
        let out = "";
        child.stdout.on("data", (d: Buffer) => { out += d.toString(); if (out.includes("flushed")) resolve(); });
        child.on("exit", () => reject(new Error(`child exited early: ${stderr}`)));
      });
      await new Promise((r) => setTimeout(r, 200)); // let it write unflushed data after the checkpoint
    } finally {
      child.kill("SIGKILL");
    }
    expect(await exited).toBe("SIGKILL");
    const out = py<{ n: number; ok: boolean }>(`
F = h5py.File(sys.argv[1], "r"); d = F["acquisition/flushed"][...]
print(json.dumps({"n": int(d.shape[0]), "ok": bool((d == np.arange(1000) * 0.5).all())}))
`, path);
    expect(out).toEqual({ n: 1000, ok: true });
  });
});
