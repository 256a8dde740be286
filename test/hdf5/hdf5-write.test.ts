/**
 * Files written by HDF5IO against their h5py twins: the same DataIO options must give the same
 * filters (ids, flags, cd_values), chunks, maxshape, fill value and fill time as h5py's own
 * create_dataset, the values must read back in h5py (Debian bookworm's 3.7 on HDF5 1.10 and sid's
 * 3.16 on HDF5 2.x), and h5wasm must open the file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHdf5 } from "../../src/backends/hdf5/index.js";
import { DataIO, type DataIOOptions } from "../../src/data/data-io.js";
import { parseDtype } from "../../src/data/dtype.js";
import { array, NdArray } from "../../src/data/ndarray.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import { describeDatasets, py, readValues } from "../helpers/hdf5-py.js";

interface Case {
  name: string;
  dtype: string;
  shape: number[];
  io: Omit<DataIOOptions, "data" | "dtype">;
  /** h5py create_dataset keyword arguments (Python literal spelling via JSON). */
  h5py: Record<string, unknown>;
}

const CASES: Case[] = [
  { name: "chunks_true_unlimited", dtype: "<i8", shape: [1000, 10], io: { chunks: true, maxshape: [null, 10] }, h5py: { chunks: true, maxshape: [null, 10] } },
  {
    name: "gzip_shuffle_fletcher_fill", dtype: "<f8", shape: [1000, 10],
    io: { chunks: [100, 10], maxshape: [null, 10], compression: "gzip", compressionOpts: 4, shuffle: true, fletcher32: true, fillvalue: -1 },
    h5py: { chunks: [100, 10], maxshape: [null, 10], compression: "gzip", compression_opts: 4, shuffle: true, fletcher32: true, fillvalue: -1 },
  },
  { name: "gzip_default", dtype: "<f4", shape: [300, 7], io: { compression: "gzip" }, h5py: { compression: "gzip" } },
  { name: "lzf", dtype: "<i4", shape: [500, 4], io: { compression: "lzf", chunks: [50, 4] }, h5py: { compression: "lzf", chunks: [50, 4] } },
  {
    name: "blosc_lz4_shuffle", dtype: "<f4", shape: [400, 8],
    io: { compression: 32001, compressionOpts: [0, 0, 0, 0, 5, 1, 1], allowPlugins: true, chunks: [100, 8] },
    h5py: { compression: 32001, compression_opts: [0, 0, 0, 0, 5, 1, 1], chunks: [100, 8] },
  },
  { name: "lz4", dtype: "<i4", shape: [400, 8], io: { compression: 32004, compressionOpts: [0], allowPlugins: true, chunks: [100, 8] }, h5py: { compression: 32004, compression_opts: [0], chunks: [100, 8] } },
  { name: "bzip2", dtype: "<u2", shape: [400, 8], io: { compression: 307, compressionOpts: [9], allowPlugins: true, chunks: [100, 8] }, h5py: { compression: 307, compression_opts: [9], chunks: [100, 8] } },
  { name: "fixed_maxshape_guess", dtype: "<f8", shape: [200, 10], io: { maxshape: [2000, 10] }, h5py: { maxshape: [2000, 10] } },
  // h5py guesses (512, 2) from the empty first axis although that axis is fixed at 5
  { name: "guess_over_fixed_maxshape", dtype: "<f8", shape: [0, 2], io: { chunks: true, maxshape: [5, 2] }, h5py: { chunks: true, maxshape: [5, 2] } },
  { name: "contiguous", dtype: "<f4", shape: [50, 3], io: {}, h5py: {} },
  { name: "big_endian", dtype: ">f8", shape: [64], io: { chunks: [16], compression: "gzip" }, h5py: { chunks: [16], compression: "gzip" } },
  { name: "float16", dtype: "<f2", shape: [64], io: { chunks: [32], shuffle: true }, h5py: { chunks: [32], shuffle: true } },
  { name: "bool", dtype: "|b1", shape: [40], io: { chunks: [10], compression: "gzip" }, h5py: { chunks: [10], compression: "gzip" } },
  { name: "nan_fill", dtype: "<f8", shape: [10, 10], io: { chunks: [5, 5], maxshape: [null, 10], fillvalue: Number.NaN }, h5py: { chunks: [5, 5], maxshape: [null, 10], fillvalue: "nan" } },
];

function values(c: Case): NdArray {
  const n = c.shape.reduce((a, b) => a * b, 1);
  const dt = parseDtype(c.dtype);
  const vals = Array.from({ length: n }, (_, i) => (c.dtype === "|b1" ? i % 3 === 0 : (i % 251) * (c.dtype.includes("f") ? 0.5 : 1)));
  return array(vals, { dtype: dt, shape: c.shape });
}

let dir: string;
let ours: string;
let twin: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hdf5io-write-"));
  ours = join(dir, "ours.h5");
  twin = join(dir, "twin.h5");
  const root = new GroupBuilder("root");
  for (const c of CASES) root.add(new DatasetBuilder(c.name, new DataIO({ data: values(c), dtype: c.dtype, ...c.io })));
  const io = await openHdf5(ours, "w");
  await io.write(root);
  await io.close();
  py(`
try:
    import hdf5plugin
except ImportError:
    pass
with h5py.File(ARGS["file"], "w") as F:
    for c in ARGS["cases"]:
        n = int(np.prod(c["shape"]))
        if c["dtype"] == "|b1":
            data = (np.arange(n) % 3 == 0).reshape(c["shape"])
        else:
            data = ((np.arange(n) % 251) * (0.5 if "f" in c["dtype"] else 1)).astype(c["dtype"]).reshape(c["shape"])
        kw = dict(c["h5py"])
        for k in ("chunks", "maxshape"):
            if isinstance(kw.get(k), list): kw[k] = tuple(kw[k])
        if isinstance(kw.get("compression_opts"), list): kw["compression_opts"] = tuple(kw["compression_opts"])
        if kw.get("fillvalue") == "nan": kw["fillvalue"] = float("nan")
        F.create_dataset(c["name"], data=data, **kw)
print(json.dumps(True))
`, { file: twin, cases: CASES });
});

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("HDF5IO writes what h5py writes for the same options", () => {
  it.each(CASES.map((c) => [c.name, c] as const))("%s: filters, chunks, maxshape, fill value, fill time, layout", (name) => {
    const mine = describeDatasets(ours, [name])[name]!;
    const theirs = describeDatasets(twin, [name])[name]!;
    expect({ ...mine, stored_chunks: null }).toEqual({ ...theirs, stored_chunks: null });
  });

  it.each(CASES.map((c) => [c.name, c] as const))("%s: h5py reads the values", (name, c) => {
    expect(readValues(ours, name)).toEqual(readValues(twin, name));
    void c;
  });

  it("h5py 3.16 on HDF5 2.x (Debian sid) opens the file with the same filters, chunks and fill values, and reads the values", () => {
    const names = CASES.map((c) => c.name);
    expect(describeDatasets(ours, names, "sid")).toEqual(describeDatasets(ours, names));
    // sid's chroot has no filter plugins: values of the gzip/shuffle/fletcher32/unfiltered datasets
    const plain = CASES.filter((c) => typeof c.io.compression !== "number" && c.io.compression !== "lzf").map((c) => c.name);
    const sums = (witness: "bookworm" | "sid") => py<Record<string, string>>(`
import hashlib
with h5py.File(ARGS["file"], "r") as F:
    print(json.dumps({n: hashlib.sha256(np.ascontiguousarray(F[n][()]).tobytes()).hexdigest() for n in ARGS["names"]}))
`, { file: ours, names: plain }, { witness });
    expect(plain.length).toBeGreaterThanOrEqual(8);
    expect(sums("sid")).toEqual(sums("bookworm"));
  });

  it("h5wasm (with plugins) opens the file and reads the same values", async () => {
    const h5wasm = await import("h5wasm/node");
    await h5wasm.ready;
    const f = new h5wasm.File(ours, "r");
    try {
      for (const c of CASES.filter((x) => !["float16", "bool", "blosc_lz4_shuffle", "lz4", "bzip2"].includes(x.name))) {
        const d = f.get(c.name) as { value: ArrayLike<number | bigint>; shape: number[] };
        expect(d.shape, c.name).toEqual(c.shape);
        const want = values(c).toArray().map((v) => Number(v));
        expect(Array.from(d.value, (v) => Number(v)), c.name).toEqual(want);
      }
    } finally {
      f.close();
    }
  });
});
