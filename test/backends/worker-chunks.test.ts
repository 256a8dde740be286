/**
 * The chunk engine's hand-offs to the codec worker pool. Reads a worker decodes straight into a
 * result over a SharedArrayBuffer (ChunkedArray.read with a worker-pool pipeline), checked
 * against the values h5py and zarr-python wrote: across chunk edges, partial edge chunks, dropped
 * axes, sparse chunks, an HDF5 filter mask, and the fallbacks (byte-swapped dtypes, strided
 * selections); a short chunk fails with the same error on both paths. Writes that hand the
 * engine's own buffers to workers (transferred, not copied) leave the caller's arrays intact.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it, vi } from "vitest";
import { FormatError } from "../../src/errors.js";
import { createDefaultRegistry, pipelineFromHdf5Filters, pipelineFromZarrV2 } from "../../src/codecs/index.js";
import { openHdf5 } from "../../src/backends/hdf5/index.js";
import { openZarr } from "../../src/backends/zarr/index.js";
import { DataIO } from "../../src/data/data-io.js";
import { AbstractDataChunkIterator, type DataChunk } from "../../src/data/iterators.js";
import { dtypes, type TypedArray } from "../../src/data/dtype.js";
import { NdArray } from "../../src/data/ndarray.js";
import type { Selection } from "../../src/data/selection.js";
import { FsStore } from "../../src/stores/fs-store.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import { seededRandom } from "../helpers/random.js";
import { startRangeServer, type RangeServer } from "../helpers/range-server.js";

const PYTHON = "/usr/bin/python3";
const SHAPE = [37, 23];
const CHUNKS = [8, 5];
/** What Python stores: element (i, j) = ((i * 23 + j) % 251) * 0.5 for floats, % 251 for ints. */
const value = (i: number, j: number, float: boolean) => ((i * SHAPE[1]! + j) % 251) * (float ? 0.5 : 1);

let dir: string;
let http: RangeServer | undefined;

beforeAll(async () => {
  // these chunks are small: send even them to the codec workers (the default codes them inline)
  vi.stubEnv("HDMF_TS_INLINE_BYTES", "0");
  dir = mkdtempSync(join(tmpdir(), "shared-read-"));
  execFileSync(PYTHON, ["-c", `
import sys, numpy as np, h5py, zarr, numcodecs
d = sys.argv[1]
shape, chunks = (37, 23), (8, 5)
base = (np.arange(37 * 23) % 251).reshape(shape)
with h5py.File(d + "/py.h5", "w") as f:
    f.create_dataset("f8", data=base * 0.5, chunks=chunks, shuffle=True, compression="gzip")
    f.create_dataset("i2be", data=base.astype(">i2"), chunks=chunks, shuffle=True, compression="gzip")
    f.create_dataset("sparse", shape=shape, dtype="<i4", chunks=chunks, shuffle=True, compression="gzip", fillvalue=7)[2:11, 3:9] = base[2:11, 3:9]
g = zarr.open_group(d + "/py.zarr", mode="w")
blosc = numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)
g.create_dataset("f8", data=base * 0.5, chunks=chunks, compressor=blosc)
g.create_dataset("i2be", data=base.astype(">i2"), chunks=chunks, compressor=blosc)
s = g.create_dataset("sparse", shape=shape, dtype="<i4", chunks=chunks, compressor=blosc, fill_value=7)
s[2:11, 3:9] = base[2:11, 3:9]
`, dir], { stdio: ["ignore", "pipe", "pipe"], timeout: 120_000 });
  http = await startRangeServer(dir);
});

afterAll(async () => {
  vi.unstubAllEnvs();
  await http?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

interface Readable { read(sel?: Selection): Promise<NdArray> }

/** The values Python stored in `name`, over `rows` x `cols` (integer rows drop the axis). */
function expected(name: string, rows: number[], cols: number[]): number[] {
  const out: number[] = [];
  for (const i of rows) {
    for (const j of cols) {
      const inside = i >= 2 && i < 11 && j >= 3 && j < 9;
      out.push(name === "sparse" && !inside ? 7 : value(i, j, name === "f8"));
    }
  }
  return out;
}

const range = (a: number, b: number, step = 1) => Array.from({ length: Math.ceil((b - a) / step) }, (_, k) => a + k * step);

/** Reads of `ds` named `name`: whole, across chunk edges, a dropped axis, a single partial edge chunk, strided. */
async function checkReads(name: string, ds: Readable, shared: boolean): Promise<void> {
  const cases: Array<[Selection, number[], number[], boolean]> = [
    [[], range(0, 37), range(0, 23), shared],
    [[[3, 30], [2, 21]], range(3, 30), range(2, 21), shared],
    [[5, [1, 22]], [5], range(1, 22), shared],
    [[[33, 37], [21, 23]], range(33, 37), range(21, 23), shared],
    [[[1, 37, 3], [0, 23, 2]], range(1, 37, 3), range(0, 23, 2), false],
  ];
  for (const [sel, rows, cols, viaWorkers] of cases) {
    const got = await ds.read(sel);
    const data = got.data as TypedArray;
    expect(Array.from(data, Number), `${name} ${JSON.stringify(sel)}`).toEqual(expected(name, rows, cols));
    expect(data.buffer instanceof SharedArrayBuffer, `${name} ${JSON.stringify(sel)} shared`).toBe(viaWorkers);
  }
}

describe("reads decoded by codec workers straight into a shared result", () => {
  const written = [
    ["HDF5 written by h5py (shuffle + gzip)", () => openHdf5(join(dir, "py.h5"), "r")],
    ["Zarr v2 written by zarr-python (Blosc lz4)", () => openZarr(new FsStore(join(dir, "py.zarr"), { readOnly: true }), "r")],
    // HTTP gets are new buffers (freshGets): they go to the workers transferred, not copied
    ["the same Zarr over HTTP (range server on 127.0.0.1)", () => openZarr(http!.url("ok", "py.zarr"), "r")],
  ] as const;
  it.each(written)("%s: equal values, shared buffer; big-endian and strided fall back", async (_what, open) => {
    const io = await open();
    try {
      for (const [name, shared] of [["f8", true], ["sparse", true], ["i2be", false]] as const) {
        await checkReads(name, await io.dataset(`/${name}`), shared);
      }
    } finally {
      await io.close();
    }
  });

  it("by default, chunks under 64 KiB are decoded on the calling thread into a plain result", async () => {
    vi.stubEnv("HDMF_TS_INLINE_BYTES", ""); // the default
    const io = await openZarr(new FsStore(join(dir, "py.zarr"), { readOnly: true }), "r");
    try {
      const got = await (await io.dataset("/f8")).read();
      expect((got.data as TypedArray).buffer instanceof SharedArrayBuffer).toBe(false);
      expect(Array.from(got.data as Float64Array)).toEqual(expected("f8", range(0, 37), range(0, 23)));
    } finally {
      await io.close();
      vi.stubEnv("HDMF_TS_INLINE_BYTES", "0");
    }
  });

  it("HDF5 chunks LZF declined (filter-mask bit set) decode into the shared result", async () => {
    const n = 4096;
    const rnd = seededRandom(7);
    const values = Uint32Array.from({ length: n }, () => Math.floor(rnd() * 2 ** 32)); // random bits: LZF cannot shrink them
    const path = join(dir, "lzf.h5");
    const w = await openHdf5(path, "w");
    const root = new GroupBuilder("root");
    root.add(new DatasetBuilder("x", new DataIO({ data: new NdArray(values.slice(), [n], dtypes.uint32), chunks: [1000], compression: "lzf" })));
    await w.write(root);
    await w.close();
    const r = await openHdf5(path, "r");
    try {
      const ds = await r.dataset("/x");
      const chunks = [];
      for await (const c of ds.rawChunks()) chunks.push(c);
      expect(chunks.some((c) => c.filterMask !== 0)).toBe(true);
      const got = await ds.read([[500, 3500]]);
      expect((got.data as Uint32Array).buffer instanceof SharedArrayBuffer).toBe(true);
      expect(Array.from(got.data as Uint32Array)).toEqual(Array.from(values.subarray(500, 3500)));
    } finally {
      await r.close();
    }
  });
});

/** The caller's [8, 10] blocks, yielded as they are (no copy); each is one whole chunk of the stream. */
class BlockIterator extends AbstractDataChunkIterator {
  readonly dtype = dtypes.float64;
  readonly maxshape: readonly (number | null)[] = [null, 10];
  constructor(readonly blocks: readonly NdArray[]) { super(); }
  recommendedChunkShape(): readonly number[] { return [8, 10]; }
  recommendedDataShape(): readonly number[] { return [0, 10]; }
  async *[Symbol.asyncIterator](): AsyncIterator<DataChunk> {
    for (const [k, b] of this.blocks.entries()) yield { data: b, selection: [[k * 8, k * 8 + 8, 1], [0, 10, 1]] };
  }
}

describe("writes through the codec worker pool leave the caller's arrays intact", () => {
  /** A user's float64 block: element k = k * 0.25 + seed. */
  const block = (shape: number[], seed: number) => new NdArray(Float64Array.from({ length: shape[0]! * shape[1]! }, (_, k) => k * 0.25 + seed), shape, dtypes.float64);

  it.each(["hdf5", "zarr"] as const)("%s: DataIO arrays, iterator blocks and region writes of whole chunks", async (format) => {
    const whole = block([16, 10], 1); // two by two chunks of [8, 5]
    const blocks = [block([8, 10], 2), block([8, 10], 3)];
    const region = block([8, 5], 4); // exactly one chunk
    const copies = [whole, ...blocks, region].map((a) => (a.data as Float64Array).slice());
    const compression = format === "hdf5" ? { compression: "gzip" as const, shuffle: true } : { compression: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1 } };
    const root = new GroupBuilder("root");
    root.add(new DatasetBuilder("whole", new DataIO({ data: whole, chunks: [8, 5], ...compression })));
    root.add(new DatasetBuilder("stream", new DataIO({ data: new BlockIterator(blocks), chunks: [8, 10], maxshape: [null, 10], ...compression })));
    const path = join(dir, `intact.${format}`);
    const w = format === "hdf5" ? await openHdf5(path, "w") : await openZarr(new FsStore(path), "w");
    await w.write(root);
    await w.close();
    const rw = format === "hdf5" ? await openHdf5(path, "r+") : await openZarr(new FsStore(path), "r+");
    try {
      const ds = await rw.dataset("/whole");
      await ds.write([[8, 16], [5, 10]], region);
      [whole, ...blocks, region].forEach((a, i) => expect(Array.from(a.data as Float64Array), `array ${i}`).toEqual(Array.from(copies[i]!)));
      const back = (await ds.read()).data as Float64Array;
      const want = copies[0]!.slice();
      for (let i = 0; i < 8; i++) want.set(copies[3]!.subarray(i * 5, i * 5 + 5), (8 + i) * 10 + 5);
      expect(Array.from(back)).toEqual(Array.from(want));
      expect(Array.from((await (await rw.dataset("/stream")).read()).data as Float64Array)).toEqual([...copies[1]!, ...copies[2]!]);
    } finally {
      await rw.close();
    }
  });
});

describe("a short chunk fails the same way whether a worker decodes it into the result or not", () => {
  it.each(["hdf5", "zarr"] as const)("%s: FormatError naming the dataset and the chunk", async (format) => {
    const reg = createDefaultRegistry();
    const blosc = { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1 };
    const compression = format === "hdf5" ? { compression: "gzip" as const, shuffle: true } : { compression: blosc };
    const root = new GroupBuilder("root");
    root.add(new DatasetBuilder("x", new DataIO({ data: new NdArray(new Float64Array(160).fill(1.5), [16, 10], dtypes.float64), chunks: [8, 5], ...compression })));
    const path = join(dir, `short.${format}`);
    const w = format === "hdf5" ? await openHdf5(path, "w") : await openZarr(new FsStore(path), "w");
    await w.write(root);
    await w.close();
    // two elements where a chunk holds forty, encoded with the dataset's own codecs
    const short = format === "hdf5"
      ? await (await pipelineFromHdf5Filters([{ id: 2, flags: 0, cdValues: [8] }, { id: 1, flags: 0, cdValues: [4] }], { itemsize: 8, chunkShape: [8, 5] }, reg)).encodeChunk(new Uint8Array(16))
      : await (await pipelineFromZarrV2(null, blosc, reg, { dtype: "<f8", itemsize: 8, chunkShape: [8, 5] })).encodeChunk(new Uint8Array(16));
    const rw = format === "hdf5" ? await openHdf5(path, "r+") : await openZarr(new FsStore(path), "r+");
    try {
      const ds = await rw.dataset("/x");
      await ds.writeRawChunk([0, 0], short);
      const direct = await ds.read().catch((e: unknown) => e);
      const copied = await ds.read([[0, 16, 2]]).catch((e: unknown) => e); // strided: decoded here, then copied
      expect(direct).toBeInstanceOf(FormatError);
      expect((direct as Error).message).toMatch(/\/x: chunk \S+ decodes to 16 bytes, expected 320 \(chunk shape \[8,5\]\)/);
      expect((direct as Error).message).toBe((copied as Error).message);
    } finally {
      await rw.close();
    }
  });
});
