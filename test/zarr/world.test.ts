/**
 * "The Zarr the world writes": zarr-python 2.13 (Debian bookworm, /usr/bin/python3) and
 * zarr-python 3.4 (Debian sid chroot, test/helpers/sid.ts) write the dtype x order x codec x
 * fill x sharding matrix of test/zarr/py/world_gen.py into plain (non-NWB) stores; hdmf-ts reads
 * every array and its checksum (the oracle's manifest rule) equals the one zarr-python computed
 * (or, where zarr-python cannot read its own array back as written, that of the values written).
 * The reverse: what hdmf-ts writes (v2 and v3, delta filter, shards, strings, records) reads equal
 * in zarr-python 3.4. Plain stores list, manifest and export (to HDF5 too); zips packed from the
 * parent folder open.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { execFileSync, spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { sidPython } from "../helpers/sid.js";
import { readWorld, type WorldExpected, type WorldResult } from "./world-read.js";
import { openZarr } from "../../src/backends/zarr/index.js";
import { openIO } from "../../src/backends/factory.js";
import { manifest } from "../../src/inspect/manifest.js";
import { array, NdArray } from "../../src/data/ndarray.js";
import { compound, dtypes, fixedString } from "../../src/data/dtype.js";
import { ZarrDataIO } from "../../src/data/data-io.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import { CodecError } from "../../src/errors.js";
import { createDefaultRegistry } from "../../src/codecs/default-registry.js";
import type { CodecConfig } from "../../src/codecs/codec.js";
import { manifestSha256 } from "../helpers/manifest-sha.js";
import { pyParse, toPlainJson } from "../../src/data/py-json.js";

const ORACLE = resolve(import.meta.dirname, "../../../shared/oracle");
const GEN = resolve(import.meta.dirname, "py/world_gen.py");
const FIGURES = resolve(import.meta.dirname, "../../.cache/figures");

let dir: string;
let py2: WorldExpected;
let py3: WorldExpected;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hdmf-world-"));
  py2 = JSON.parse(execFileSync("/usr/bin/python3", [GEN, ORACLE, dir], { encoding: "utf8", maxBuffer: 64 << 20, stdio: ["ignore", "pipe", "ignore"] })) as WorldExpected;
  py3 = JSON.parse(sidPython([GEN, ORACLE, dir], { binds: [dir, ORACLE], timeout: 300_000 })) as WorldExpected;
}, 400_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

function check(results: WorldResult[], label: string): void {
  const misses = results.filter((r) => !r.ok);
  mkdirSync(FIGURES, { recursive: true });
  writeFileSync(join(FIGURES, `zarr-world-${label}.json`), JSON.stringify({ equal: results.length - misses.length, arrays: results.length, misses }, null, 1));
  expect(misses.map((m) => `${m.store}${m.path}: ${m.why}`)).toEqual([]);
}

/** The arrays of the last three classes are in the matrix and zarr-python (or numcodecs) wrote them. */
function expectCovered(entries: WorldExpected["stores"][string], names: readonly string[]): void {
  for (const n of names) expect(entries[`/${n}`]?.sha256, n).toMatch(/^[0-9a-f]{64}$/);
}
const LZMA_V2 = ["comp_lzma", "comp_lzma_alone", "comp_lzma_sha256", "comp_lzma_p9e", "comp_lzma_raw", "comp_lzma_raw_delta", "comp_lzma_raw_lzma1"];
const MSGPACK = ["obj_msgpack2", "obj_msgpack2_str", "obj_msgpack2_bytes", "obj_msgpack2_2d", "objF_msgpack2"];
const ORDER_F_OBJECTS = ["objF_vlen_utf8", "objF_vlen_bytes", "objF_json2", "objF_pickle", "objF_vlen_array", "objF3_vlen_utf8", "objF_categorize"];

describe("zarr-python writes, hdmf-ts reads equal", () => {
  it("zarr-python 2.13: every array of the v2 matrix (dtypes incl. >U, |S, M8/m8, structured, object codecs; order F; compressors; filters)", async () => {
    expect(Object.keys(py2.stores["py2-v2.zarr"]!).length).toBeGreaterThanOrEqual(125);
    expectCovered(py2.stores["py2-v2.zarr"]!, [...LZMA_V2, ...MSGPACK, ...ORDER_F_OBJECTS, "comp_base64", "filt_base64"]);
    check(await readWorld(dir, py2), "py2");
  }, 120_000);

  it("zarr-python 3.4: every array of the v2 and v3 matrices (struct, fixed_length_utf32, transpose, numcodecs.*, shards at start/end, fills)", async () => {
    expect(py3.zarr).toMatch(/^3\./);
    expect(Object.keys(py3.stores["py3-v3.zarr"]!).length).toBeGreaterThanOrEqual(89);
    expectCovered(py3.stores["py3-v2.zarr"]!, [...LZMA_V2, ...MSGPACK, ...ORDER_F_OBJECTS, "comp_base64", "filt_base64"]);
    expectCovered(py3.stores["py3-v3.zarr"]!, ["nc_lzma", "nc_lzma_alone", "nc_lzma_raw", "nc_lzma_raw_lzma1"]);
    // zarr-python 3 writes v2 order "F" for real (the chunk bytes are Fortran order)
    expect(JSON.parse(readFileSync(join(dir, "py3-v2.zarr", "objF_vlen_utf8", ".zarray"), "utf8"))).toMatchObject({ order: "F" });
    check(await readWorld(dir, py3), "py3");
  }, 120_000);

  it("hdmf-ts manifest of the zarr-python 3 v3 store equals the oracle's (manifest_v3.py): checksums, and attributes above 2^53 exact", async () => {
    const store = join(dir, "py3-v3.zarr");
    // pyParse, not JSON.parse: the oracle's 2^63 - 1 must stay exact
    const theirs = toPlainJson(pyParse(sidPython([join(ORACLE, "manifest_v3.py"), store], { binds: [dir, ORACLE], timeout: 300_000 }), "manifest_v3")) as { objects: Array<Record<string, unknown>> };
    const ours = await manifest(store);
    const byPath = new Map(ours.objects.map((o) => [o.path, o]));
    let compared = 0;
    for (const t of theirs.objects) {
      const o = byPath.get(t.path as string);
      expect(o, String(t.path)).toBeDefined();
      if (t.kind === "group") expect(o!.attrs).toEqual(t.attrs);
      if (t.kind !== "dataset") continue;
      // datetime64: the oracle hashes Python date objects as text; hdmf-ts reads int64 counts (unit kept), compared above
      if (String(t.path).startsWith("/time_")) continue;
      expect(o!.sha256 ?? o!.field_sha256, String(t.path)).toEqual(t.sha256 ?? t.field_sha256);
      expect(o!.shape).toEqual(t.shape);
      compared++;
    }
    expect(compared).toBeGreaterThanOrEqual(80);
    expect(byPath.get("/")!.attrs).toMatchObject({ big: 2n ** 63n - 1n, u64max: 2n ** 64n - 1n });
  }, 300_000);

  it("an unknown codec (numcodecs zfpy) is a CodecError naming the array, and the rest of the store still lists", async () => {
    const store = join(dir, "unknown.zarr");
    cpSync(join(dir, "py2-v2.zarr"), store, { recursive: true });
    const zarray = join(store, "comp_zlib1", ".zarray");
    writeFileSync(zarray, readFileSync(zarray, "utf8").replace(/"id": "zlib"/, '"id": "zfpy"'));
    const io = await openZarr(store, "r");
    const e = await io.dataset("/comp_zlib1").then(() => undefined, (x: unknown) => x);
    expect(e).toBeInstanceOf(CodecError);
    expect(String(e)).toMatch(/\/comp_zlib1.*zfpy/);
    const root = await io.readBuilder();
    expect(root.datasets.size).toBe(Object.keys(py2.stores["py2-v2.zarr"]!).length);
    await io.close();
  });

  it("a bad lzma or msgpack2 chunk is a CodecError naming the array and the codec", async () => {
    const store = join(dir, "bad.zarr");
    cpSync(join(dir, "py2-v2.zarr"), store, { recursive: true });
    writeFileSync(join(store, "comp_lzma", "0.0"), Buffer.from("\xfd7zXZ\0 but then nothing of an xz stream", "latin1"));
    writeFileSync(join(store, "comp_lzma_raw_lzma1", "1.0"), readFileSync(join(store, "comp_lzma_raw_lzma1", "1.0")).subarray(0, 20));
    // msgpack2 arrays keep zarr-python 2's default Blosc compressor: the bad payload goes in through it
    const registry = createDefaultRegistry();
    const blosc = async (name: string, payload: number[]): Promise<Uint8Array> =>
      (await registry.resolve((JSON.parse(readFileSync(join(store, name, ".zarray"), "utf8")) as { compressor: CodecConfig }).compressor)).encode(Uint8Array.from(payload), { itemsize: 1 });
    writeFileSync(join(store, "obj_msgpack2", "0"), await blosc("obj_msgpack2", [0x93, 0xa1, 0x61, 0xc1])); // 0xc1: never used in msgpack
    writeFileSync(join(store, "obj_msgpack2_2d", "0.0"), await blosc("obj_msgpack2_2d", [0x92, 0xa2, 0x7c, 0x4f, 0x91])); // ["|O", [ (truncated)
    const io = await openZarr(store, "r");
    for (const [path, codec] of [["/comp_lzma", "lzma"], ["/comp_lzma_raw_lzma1", "lzma"], ["/obj_msgpack2", "msgpack2"], ["/obj_msgpack2_2d", "msgpack2"]] as const) {
      const e = await (await io.dataset(path)).read().then(() => undefined, (x: unknown) => x);
      expect(e, path).toBeInstanceOf(CodecError);
      expect((e as CodecError).message, path).toContain(path);
      expect(e, path).toMatchObject({ codecId: codec });
    }
    await io.close();
  });
});

describe("plain (non-NWB) stores", () => {
  it("`hdmf-ts ls` of a plain zarr-python 3 store with a string array, and of a zip packed from the parent folder", () => {
    const cli = resolve(import.meta.dirname, "../../src/cli/bin.ts");
    const tsx = resolve(import.meta.dirname, "../../node_modules/.bin/tsx");
    const ls = spawnSync(tsx, [cli, "ls", join(dir, "py3-v3.zarr")], { encoding: "utf8" });
    expect(ls.stderr).toBe("");
    expect(ls.stdout).toMatch(/str_vlen\s+string:utf-8:vlen \[11\]/);
    const zip = join(dir, "parent.zip");
    expect(spawnSync("/usr/bin/python3", ["-m", "zipfile", "-c", zip, "py3-v2.zarr"], { cwd: dir }).status).toBe(0); // packed from the parent folder
    const zls = spawnSync(tsx, [cli, "ls", zip], { encoding: "utf8" });
    expect(zls.stderr).toBe("");
    expect(zls.stdout).toMatch(/num_<f8\s+float64/);
  }, 120_000);

  it("exports a plain zarr-python store to HDF5 and Zarr v3 with equal values", async () => {
    // a store of what plain users write: numbers, vlen strings, records, a fill-only array
    const src = join(dir, "plain.zarr");
    execFileSync("/usr/bin/python3", ["-c", `
import sys, numpy as np, zarr, numcodecs
g = zarr.open_group(sys.argv[1], mode="w")
g.attrs["title"] = "plain"
g.create_dataset("x", data=np.arange(60, dtype="<f4").reshape(6, 10), chunks=(4, 4))
g.create_dataset("s", data=np.array(["a", "bb", "ccc"], dtype=object), object_codec=numcodecs.VLenUTF8())
g.create_dataset("rec", data=np.array([(1, 2.5), (3, -1.0)], dtype=[("a", "<i4"), ("b", "<f8")]))
g.create_dataset("sub/y", data=np.arange(5, dtype=">i8"), filters=[numcodecs.Delta(dtype=">i8")])
g.create_dataset("empty", shape=(4,), dtype="<i2", fill_value=-3)
g.create_dataset("lz", data=np.arange(40, dtype="<u4").reshape(8, 5), chunks=(3, 5), compressor=numcodecs.LZMA())
u = g.create_dataset("u", shape=(5, 5), chunks=(3, 3), dtype="<U3", fill_value="xy")
u[0, 0] = "abc"
u[4, 4] = "\u00e9\u4e2d"
g.create_dataset("ub", data=np.array(["a", "bcd"], dtype=">U4"))
`, src]);
    const want = await readAll(src);
    for (const [dst, format] of [[join(dir, "plain.h5"), "hdf5"], [join(dir, "plain3.zarr"), "zarr3"]] as const) {
      const tsx = resolve(import.meta.dirname, "../../node_modules/.bin/tsx");
      const r = spawnSync(tsx, [resolve(import.meta.dirname, "../../src/cli/bin.ts"), "export", "--quiet", "--format", format, src, dst], { encoding: "utf8" });
      expect(r.stderr).not.toMatch(/hdmf-ts: /); // notes (a codec the destination lacks, transcoded) are fine
      expect(r.status).toBe(0);
      expect(await readAll(dst)).toEqual(want);
      if (format === "hdf5") {
        // numpy U strings have no HDF5 type: variable-length UTF-8 with the same text, said in a note
        expect(r.stderr).toMatch(/note: .* -> variable-length UTF-8 string .*: \/u\n/);
        const text = (script: string, path: string): unknown => JSON.parse(execFileSync("/usr/bin/python3", ["-c", script, path], { encoding: "utf8" }));
        const fromZarr = text(`import sys, json, zarr; g = zarr.open_group(sys.argv[1], mode="r"); print(json.dumps({k: g[k][...].tolist() for k in ("u", "ub")}))`, src);
        const fromH5 = text(`import sys, json, h5py; f = h5py.File(sys.argv[1], "r"); print(json.dumps({k: f[k].asstr()[()].tolist() for k in ("u", "ub")}))`, dst);
        expect(fromH5).toEqual(fromZarr);
      }
    }
  }, 120_000);
});

async function readAll(location: string): Promise<Record<string, string>> {
  const io = await openIO(location, "r");
  const out: Record<string, string> = {};
  for (const p of ["/x", "/s", "/rec", "/sub/y", "/empty", "/lz", "/u", "/ub"]) out[p] = manifestSha256(await (await io.dataset(p)).read());
  await io.close();
  return out;
}

describe("hdmf-ts writes, zarr-python 3.4 reads equal", () => {
  function tree(): GroupBuilder {
    const root = new GroupBuilder("root");
    root.setAttribute("big", 2n ** 63n - 1n);
    root.add(new DatasetBuilder("delta", new ZarrDataIO({
      data: array(Int32Array.from({ length: 120 }, (_, i) => i * i - 50), { shape: [40, 3] }),
      chunks: [16, 3], filters: [{ id: "delta", dtype: "<i4" }], compressor: { id: "zstd", level: 3 },
    })));
    root.add(new DatasetBuilder("f8", new ZarrDataIO({ data: array(Float64Array.from({ length: 50 }, (_, i) => Math.sin(i)), { shape: [10, 5] }), chunks: [4, 2] })));
    root.add(new DatasetBuilder("text", array(["a", "héllo", "", "日本"])));
    root.add(new DatasetBuilder("fixed", new NdArray(["ab", "c", ""], [3], fixedString(2))));
    root.add(new DatasetBuilder("rec", new NdArray([{ a: 1, b: 0.5 }, { a: -2, b: 1e300 }], [2], compound([{ name: "a", dtype: dtypes.int32 }, { name: "b", dtype: dtypes.float64 }]))));
    root.add(new DatasetBuilder("u8", array(BigUint64Array.from([2n ** 64n - 1n, 0n, 7n]))));
    root.add(new DatasetBuilder("lz", new ZarrDataIO({ data: array(Int16Array.from({ length: 90 }, (_, i) => (i * 37) % 101 - 50), { shape: [9, 10] }), chunks: [4, 5], compressor: { id: "lzma", preset: 2 } })));
    return root;
  }

  for (const format of [2, 3] as const) {
    it(`Zarr v${format}${format === 3 ? " (sharded)" : ""}: every dataset reads equal in zarr-python 3.4, codec order valid`, async () => {
      const store = join(dir, `ours-v${format}.zarr`);
      const io = await openZarr(store, "w", format === 3 ? { zarrFormat: 3, shards: { chunksPerShard: 2 } } : {});
      await io.write(tree());
      await io.close();
      const back = await openZarr(store, "r");
      const ours: Record<string, string> = {};
      for (const p of ["/delta", "/f8", "/text", "/fixed", "/rec", "/u8", "/lz"]) ours[p] = manifestSha256(await (await back.dataset(p)).read());
      await back.close();
      const theirs = JSON.parse(sidPython(["-c", `
import sys, json
sys.path.insert(0, sys.argv[2])
import numpy as np, zarr
from manifest import checksum, as_text
g = zarr.open_group(sys.argv[1], mode="r")
out = {"attrs": dict(g.attrs)}
for name, a in g.arrays():
    out["/" + name] = checksum(np.asarray(a[()]), as_text)[0]
print(json.dumps(out))
`, store, ORACLE], { binds: [dir, ORACLE] })) as Record<string, unknown>;
      for (const [p, sha] of Object.entries(ours)) expect(theirs[p], p).toBe(sha);
      if (format === 3) {
        const meta = JSON.parse(readFileSync(join(store, "delta", "zarr.json"), "utf8")) as { codecs: Array<{ configuration: { codecs: Array<{ name: string }> } }> };
        expect(meta.codecs[0]!.configuration.codecs.map((c) => c.name)).toEqual(["numcodecs.delta", "bytes", "zstd"]);
        const lz = JSON.parse(readFileSync(join(store, "lz", "zarr.json"), "utf8")) as typeof meta;
        expect(lz.codecs[0]!.configuration.codecs.map((c) => c.name)).toEqual(["bytes", "numcodecs.lzma"]);
      }
    }, 120_000);
  }
});
