/**
 * Per-dataset sharding, as hdmf-zarr's `ZarrDataIO(shards=...)`: a shard shape in elements (a
 * multiple of the inner chunks, checked when the ZarrDataIO is made), `"auto"` / `true` for
 * zarr-python's automatic shape, `false` to opt out of the IO's default; and the IO-level
 * default (`shards: {auto}`, `{chunksPerShard}`). The witness is zarr-python 3.4 (Debian sid):
 * for every automatic case it computes the chunks and shards its own `create_array(shards="auto")`
 * picks (with and without `array.target_shard_size_bytes`), and it reads every array we wrote
 * with the shard shape in its metadata and values equal to ours, after region writes and a resize.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { createHash } from "node:crypto";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sidPython } from "../helpers/sid.js";
import { openZarr, type ShardOptions } from "../../src/backends/zarr/index.js";
import { exportTo } from "../../src/backends/export-target.js";
import { array, NdArray } from "../../src/data/ndarray.js";
import { dtypes, type Dtype } from "../../src/data/dtype.js";
import { GenericDataChunkIterator } from "../../src/data/iterators.js";
import type { SliceSpec } from "../../src/data/selection.js";
import { DataIO, ZarrDataIO, type ZarrDataIOOptions } from "../../src/data/data-io.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import { InvalidInputError, UnsupportedError } from "../../src/errors.js";
import { FIXTURES } from "../export/helpers.js";
import { spawnSync } from "node:child_process";
import { readFileSync } from "node:fs";
import { resolve } from "node:path";

interface Case {
  name: string;
  shape: number[];
  dtype: "float64" | "float32" | "int16" | "uint8" | "string";
  chunks?: number[];
  /** What the dataset asks for; undefined = the IO default. */
  shards?: ZarrDataIOOptions["shards"];
}

/** Deterministic values for a case (strings: "s<i>"). */
function values(c: Case): NdArray {
  const n = c.shape.reduce((a, b) => a * b, 1);
  if (c.dtype === "string") return array(Array.from({ length: n }, (_, i) => `s${i}`), { shape: c.shape });
  const ctor = { float64: Float64Array, float32: Float32Array, int16: Int16Array, uint8: Uint8Array }[c.dtype];
  const data = new ctor(n);
  for (let i = 0; i < n; i++) data[i] = c.dtype === "uint8" ? i % 251 : c.dtype === "int16" ? (i % 30011) - 15000 : i * 0.5;
  return new NdArray(data, c.shape, dtypes[c.dtype]);
}

const sha = (a: NdArray): string => createHash("sha256").update(Buffer.from((a.data as Float64Array).buffer, (a.data as Float64Array).byteOffset, (a.data as Float64Array).byteLength)).digest("hex");

/** Per-dataset "auto": zarr-python's rule with no target size (x2 on axes with more than 8 chunks). */
const AUTO: Case[] = [
  { name: "f8_1e6", shape: [1_000_000], dtype: "float64", shards: "auto" },
  { name: "f8_1e5", shape: [100_000], dtype: "float64", shards: true },
  { name: "i2_5000x300", shape: [5000, 300], dtype: "int16", shards: "auto" },
  { name: "u1_3000x40x7", shape: [3000, 40, 7], dtype: "uint8", shards: "auto" },
  { name: "f4_given_chunks", shape: [200, 64], dtype: "float32", chunks: [10, 8], shards: "auto" },
  { name: "str_50", shape: [50], dtype: "string", shards: "auto" },
  { name: "empty", shape: [0], dtype: "float32", shards: "auto" },
];
/** Explicit shapes, an opt-out, and datasets left to the IO default. */
const EXPLICIT: Case[] = [
  { name: "explicit_2d", shape: [40, 12], dtype: "int16", chunks: [4, 3], shards: [8, 6] },
  { name: "explicit_no_chunks", shape: [100_000], dtype: "float64", shards: [30_000] },
  { name: "opt_out", shape: [100_000], dtype: "float64", chunks: [1000], shards: false },
];
/** The IO-level default `{auto: true, targetShardBytes}`: zarr-python with array.target_shard_size_bytes. */
const TARGET = 4 * 1024 * 1024;
const BY_DEFAULT: Case[] = [
  { name: "d_f8_1e6", shape: [1_000_000], dtype: "float64" },
  { name: "d_i2_2000x2000", shape: [2000, 2000], dtype: "int16" },
  { name: "d_small", shape: [10], dtype: "float64" },
  { name: "d_asked", shape: [100_000], dtype: "float64", chunks: [1000], shards: [5000] },
];

function tree(cases: readonly Case[]): GroupBuilder {
  const root = new GroupBuilder("root");
  for (const c of cases) {
    const opts: ZarrDataIOOptions = { data: values(c), ...(c.chunks ? { chunks: c.chunks } : {}), ...(c.shards !== undefined ? { shards: c.shards } : {}) };
    root.add(new DatasetBuilder(c.name, c.shards === undefined && !c.chunks ? values(c) : new ZarrDataIO(opts)));
  }
  return root;
}

async function writeStore(path: string, cases: readonly Case[], shards?: ShardOptions): Promise<void> {
  const io = await openZarr(path, "w", { zarrFormat: 3, ...(shards ? { shards } : {}) });
  try { await io.write(tree(cases)); } finally { await io.close(); }
}

/** zarr-python's own choice for each case, and what it reads from our store (layout + values). */
const WITNESS = `
import hashlib, json, sys, warnings
import numpy as np, zarr
warnings.simplefilter("ignore")
store, target, cases = sys.argv[1], sys.argv[2], json.loads(sys.argv[3])
root = zarr.open_group(store, mode="r")
out = {}
for c in cases:
    dt = str if c["dtype"] == "string" else c["dtype"]
    kw = dict(shape=tuple(c["shape"]), dtype=dt, shards=c.get("pyShards"))
    if c.get("chunks"): kw["chunks"] = tuple(c["chunks"])
    conf = {"array.target_shard_size_bytes": int(target)} if target != "none" else {}
    mine = None
    if c.get("pyShards") == "auto" or c.get("defaultAuto"):
        kw["shards"] = "auto"
        with zarr.config.set(conf):
            a = zarr.create_array(store={}, **kw)
        mine = {"chunks": list(a.chunks), "shards": list(a.shards) if a.shards else None}
    b = root[c["name"]]
    v = b[...]
    if c["dtype"] == "string":
        digest = json.dumps([str(x) for x in v.ravel().tolist()], separators=(",", ":"))
    else:
        digest = hashlib.sha256(np.ascontiguousarray(v).astype(v.dtype.newbyteorder("<")).tobytes()).hexdigest()
    out[c["name"]] = {"python": mine, "chunks": list(b.chunks), "shards": list(b.shards) if b.shards else None, "values": digest}
print(json.dumps(out))
`;

interface Seen { python: { chunks: number[]; shards: number[] | null } | null; chunks: number[]; shards: number[] | null; values: string }

function witness(store: string, cases: readonly Case[], target: number | "none", defaultAuto = false): Record<string, Seen> {
  const arg = cases.map((c) => ({
    name: c.name, shape: c.shape, dtype: c.dtype, chunks: c.chunks,
    pyShards: c.shards === true ? "auto" : c.shards === false ? null : c.shards, defaultAuto: defaultAuto && c.shards === undefined,
  }));
  return JSON.parse(sidPython(["-c", WITNESS, store, String(target), JSON.stringify(arg)], { binds: [dir], timeout: 300_000 })) as Record<string, Seen>;
}

function expectedDigest(c: Case): string {
  const v = values(c);
  return c.dtype === "string" ? JSON.stringify(v.toArray()) : sha(v);
}

let dir: string;
let auto: Record<string, Seen>;
let explicit: Record<string, Seen>;
let byDefault: Record<string, Seen>;
let edited: Record<string, Seen>;
let theirsEdited: { chunks: number[]; shards: number[]; values: number[] };
let exported: { objects: Array<{ path: string; kind: string; sha256?: string | null; field_sha256?: Record<string, string> | null; error?: string; codecs?: Array<{ name: string; configuration?: { chunk_shape?: number[] } }>; chunks?: number[] }> };

const CLI = resolve("src/cli/bin.ts");
const TSX = resolve("node_modules/.bin/tsx");
const ORACLE = resolve(FIXTURES, "../oracle");

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hdmf-shards-"));
  await writeStore(join(dir, "auto.zarr"), AUTO);
  await writeStore(join(dir, "explicit.zarr"), EXPLICIT, { chunksPerShard: 4 });
  await writeStore(join(dir, "default.zarr"), BY_DEFAULT, { auto: true, targetShardBytes: TARGET });
  // region writes across shard borders and a resize of a per-dataset sharded array
  const io = await openZarr(join(dir, "edit.zarr"), "w", { zarrFormat: 3 });
  const root = new GroupBuilder("root");
  root.add(new DatasetBuilder("grow", new ZarrDataIO({ data: array(new Int32Array(24).map((_, i) => i), { shape: [6, 4] }), chunks: [2, 2], shards: [4, 4] })));
  await io.write(root);
  const d = await io.dataset("/grow");
  await d.write([[3, 5, 1], [1, 3, 1]], array(new Int32Array([-1, -2, -3, -4]), { shape: [2, 2] }));
  await d.resize([11, 4]);
  await d.write([[6, 11, 1], [0, 4, 1]], array(new Int32Array(20).fill(7), { shape: [5, 4] }));
  await io.close();
  auto = witness(join(dir, "auto.zarr"), AUTO, "none");
  explicit = witness(join(dir, "explicit.zarr"), EXPLICIT, "none");
  byDefault = witness(join(dir, "default.zarr"), BY_DEFAULT, TARGET, true);
  // zarr-python's own shards="auto" on a small array (a shard of one chunk), edited here in r+
  sidPython(["-c", `
import sys, warnings, numpy as np, zarr
warnings.simplefilter("ignore")
zarr.create_array(sys.argv[1], shape=(30,), dtype="int32", shards="auto", fill_value=0)[...] = np.arange(30, dtype="int32")
`, join(dir, "theirs.zarr")], { binds: [dir] });
  const rw = await openZarr(join(dir, "theirs.zarr"), "r+");
  await (await rw.dataset("/")).write([[5, 8, 1]], array(new Int32Array([-5, -6, -7])));
  await rw.close();
  theirsEdited = JSON.parse(sidPython(["-c", `
import json, sys, zarr
a = zarr.open_array(sys.argv[1], mode="r")
print(json.dumps({"chunks": list(a.chunks), "shards": list(a.shards), "values": a[...].tolist()}))
`, join(dir, "theirs.zarr")], { binds: [dir] })) as typeof theirsEdited;
  // the CLI's --shard auto on the references-and-tables fixture
  const r = spawnSync(TSX, [CLI, "export", join(FIXTURES, "f_tables_refs.nwb"), join(dir, "f.zarr"), "--format", "zarr3", "--shard", "auto", "--quiet"], { encoding: "utf8", timeout: 180_000 });
  if (r.status !== 0) throw new Error(`export --shard auto failed: ${r.stderr}`);
  exported = JSON.parse(sidPython([join(ORACLE, "manifest_v3.py"), join(dir, "f.zarr"), "--strict", "--no-legacy"], { binds: [dir, ORACLE], timeout: 300_000 })) as typeof exported;
  edited = JSON.parse(sidPython(["-c", `
import json, sys, zarr
a = zarr.open_group(sys.argv[1], mode="r")["grow"]
print(json.dumps({"grow": {"python": None, "chunks": list(a.chunks), "shards": list(a.shards), "values": a[...].tolist()}}))
`, join(dir, "edit.zarr")], { binds: [dir] })) as Record<string, Seen>;
}, 600_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("ZarrDataIO({shards: 'auto' | true}) picks zarr-python 3.4's shard shape", () => {
  it.each(AUTO.map((c) => c.name))("%s: same chunks and shards as create_array(shards='auto'); zarr-python reads equal", (name) => {
    const c = AUTO.find((x) => x.name === name)!;
    const s = auto[name]!;
    expect(s.python).not.toBeNull();
    expect({ chunks: s.chunks, shards: s.shards }).toEqual(s.python);
    expect(s.shards, "a dataset that asked is sharded").not.toBeNull();
    expect(s.values).toBe(expectedDigest(c));
  });

  it("the cases exercise both branches of the rule (x2 on a long axis, x1 on a short one)", () => {
    expect(auto.f8_1e6!.shards).toEqual([125_000]);
    expect(auto.f8_1e6!.chunks).toEqual([62_500]);
    expect(auto.f4_given_chunks!.shards).toEqual([20, 8]);
  });
});

describe("explicit shard shapes, the opt-out and the IO default", () => {
  it("an explicit shape is written as given; without chunks the inner chunk divides it", () => {
    expect(explicit.explicit_2d).toMatchObject({ chunks: [4, 3], shards: [8, 6] });
    const s = explicit.explicit_no_chunks!;
    expect(s.shards).toEqual([30_000]);
    expect(30_000 % s.chunks[0]!).toBe(0);
    for (const c of EXPLICIT) expect(explicit[c.name]!.values, c.name).toBe(expectedDigest(c));
  });

  it("shards: false keeps a dataset unsharded under an IO that shards by default", () => {
    expect(explicit.opt_out).toMatchObject({ chunks: [1000], shards: null });
  });

  it("IO default {auto, targetShardBytes}: zarr-python's choice under array.target_shard_size_bytes; one-chunk shards left out", () => {
    for (const name of ["d_f8_1e6", "d_i2_2000x2000"]) {
      const s = byDefault[name]!;
      expect({ chunks: s.chunks, shards: s.shards }, name).toEqual(s.python);
      expect(s.shards!.some((x, i) => x > s.chunks[i]!), name).toBe(true);
    }
    // zarr-python writes a one-chunk shard here; the IO default stores the chunk unsharded
    expect(byDefault.d_small!.python!.shards).toEqual(byDefault.d_small!.python!.chunks);
    expect(byDefault.d_small!.shards).toBeNull();
    // a dataset's own shape wins over the IO default
    expect(byDefault.d_asked).toMatchObject({ chunks: [1000], shards: [5000] });
    for (const c of BY_DEFAULT) expect(byDefault[c.name]!.values, c.name).toBe(expectedDigest(c));
  });

  it("region writes across shards and a resize read back in zarr-python", () => {
    const g = edited.grow!;
    expect(g).toMatchObject({ chunks: [2, 2], shards: [4, 4] });
    const want = Array.from({ length: 11 }, (_, r) => Array.from({ length: 4 }, (_, k) => (r >= 6 ? 7 : r * 4 + k)));
    want[3]![1] = -1; want[3]![2] = -2; want[4]![1] = -3; want[4]![2] = -4;
    expect(g.values).toEqual(want);
  });
});

describe("stores written elsewhere, and the CLI", () => {
  it("a zarr-python array with shards=\"auto\" of one chunk takes a region write here and reads back there", () => {
    expect(theirsEdited.shards).toEqual(theirsEdited.chunks);
    expect(theirsEdited.values).toEqual(Array.from({ length: 30 }, (_, i) => (i >= 5 && i < 8 ? -i : i)));
  });

  it("export --format zarr3 --shard auto: zarr-python reads every dataset equal to the source; no shard holds a single chunk", () => {
    const source = (JSON.parse(readFileSync(join(FIXTURES, "manifest.json"), "utf8")) as { files: Record<string, typeof exported> }).files["f_tables_refs.nwb"]!;
    const mine = new Map(exported.objects.map((o) => [o.path, o]));
    expect(exported.objects.filter((o) => o.error).map((o) => `${o.path}: ${o.error}`)).toEqual([]);
    let compared = 0;
    for (const o of source.objects) {
      if (o.kind !== "dataset" || o.path.startsWith("/specifications")) continue;
      const t = mine.get(o.path);
      expect(t, o.path).toBeDefined();
      if (o.field_sha256) expect(t!.field_sha256, o.path).toEqual(o.field_sha256);
      else expect(t!.sha256, o.path).toBe(o.sha256);
      compared++;
    }
    expect(compared).toBeGreaterThan(20);
    // the fixture's arrays are small: the IO default writes them as plain chunks (no one-chunk shards)
    const sharded = exported.objects.filter((o) => o.codecs?.some((c) => c.name === "sharding_indexed"));
    for (const o of sharded) {
      const inner = o.codecs!.find((c) => c.name === "sharding_indexed")!.configuration!.chunk_shape!;
      expect(o.chunks!.some((s, i) => s > inner[i]!), o.path).toBe(true);
    }
  });
});

describe("bad shard requests are typed errors naming what is wrong", () => {
  const data = array(new Float64Array(100), { shape: [10, 10] });
  it.each([
    ["not a multiple of the chunks", { data, chunks: [4, 5], shards: [6, 10] }, /axis 0: 6 is not a multiple of 4/],
    ["rank differs from the data", { data, shards: [10] }, /has 1 axes, the data has 2/],
    ["rank differs from the chunks", { data: array(new Float64Array(10)), chunks: [5], shards: [10, 10] }, /has 2 axes, the data has 1/],
    ["zero", { data, chunks: [5, 5], shards: [0, 10] }, /positive integers/],
    ["not an integer", { data, chunks: [5, 5], shards: [5.5, 10] }, /positive integers/],
    ["contiguous", { data, chunks: false, shards: "auto" }, /chunked layout/],
    ["an unknown word", { data, shards: "always" as unknown as "auto" }, /shards must be a shape, "auto", true or false/],
  ] as const)("%s", (_what, options, message) => {
    const make = (): ZarrDataIO => new ZarrDataIO(options as ZarrDataIOOptions);
    expect(make).toThrow(InvalidInputError);
    expect(make).toThrow(message);
  });

  it("an iterator's recommended chunks are what the shard shape must be a multiple of", () => {
    class Ramp extends GenericDataChunkIterator {
      protected getData(sel: readonly SliceSpec[]): NdArray { const [a, b] = sel[0] as readonly [number, number]; return array(new Float64Array(b - a)); }
      protected getMaxshape(): readonly number[] { return [100]; }
      protected getDtype(): Dtype { return dtypes.float64; }
    }
    const it = new Ramp({ chunkShape: [10], bufferShape: [50] });
    expect(() => new ZarrDataIO({ data: it, shards: [25] })).toThrow(/axis 0: 25 is not a multiple of 10/);
    expect(new ZarrDataIO({ data: it, shards: [30] }).shards).toEqual([30]);
  });

  it("a Zarr v2 store refuses a dataset that asks for shards (UnsupportedError naming it), and HDF5-style DataIO has no shards", async () => {
    const io = await openZarr(join(dir, "v2.zarr"), "w", { zarrFormat: 2 });
    const root = new GroupBuilder("root");
    root.add(new DatasetBuilder("x", new ZarrDataIO({ data: array(new Float64Array(10)), chunks: [5], shards: [10] })));
    const err = await io.write(root).catch((e: unknown) => e);
    await io.close();
    expect(err).toBeInstanceOf(UnsupportedError);
    expect((err as Error).message).toMatch(/^\/x: ZarrDataIO shards need a Zarr v3 store/);
    expect("shards" in new DataIO({ data: array(new Float64Array(10)) })).toBe(false);
  });

  it("bad IO-level options fail when the IO is made; --shard needs a zarr3 destination", async () => {
    await expect(openZarr(join(dir, "bad.zarr"), "w", { zarrFormat: 3, shards: { targetShardBytes: -1 } })).rejects.toThrow(/targetShardBytes must be a positive integer/);
    await expect(openZarr(join(dir, "bad.zarr"), "w", { zarrFormat: 3, shards: { auto: true, chunksPerShard: 4 } })).rejects.toThrow(InvalidInputError);
    await expect(exportTo(join(FIXTURES, "a_h5dataio.nwb"), join(dir, "a.zarr"), { format: "zarr", shards: "auto" })).rejects.toThrow(/shards need a Zarr v3 destination/);
  });
});
