/** The tutorial's user-defined write and append-mode region writes, through ZarrIO.dataset(). */
import { describe, expect, it } from "vitest";
import { MemoryStore } from "../../src/stores/memory-store.js";
import { openZarr } from "../../src/backends/zarr/index.js";
import { array } from "../../src/data/ndarray.js";
import { DataIO } from "../../src/data/data-io.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import { pyRun } from "./py-read.js";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";

describe("DatasetHandle", () => {
  it("allocate (0, 10), keep the IO open, resize, slice-assign, close; zarr-python sees it", async () => {
    const dir = await mkdtemp(join(tmpdir(), "zarr-udw-"));
    try {
      const path = join(dir, "udw.zarr");
      const io = await openZarr(path, "w");
      const root = new GroupBuilder("root");
      root.group("acquisition").group("ts").add(new DatasetBuilder("data", new DataIO({
        shape: [0, 10], dtype: "float64", maxshape: [null, 10], chunks: [2, 10], fillvalue: NaN,
      })));
      await io.write(root);
      const d = await io.dataset("/acquisition/ts/data");
      expect(d.shape).toEqual([0, 10]);
      await d.resize([8, 10]);
      await d.write([[0, 3]], 1);
      await d.write([[3, 6]], array(new Float64Array(30).fill(2), { shape: [3, 10] }));
      await io.close();
      const r = await openZarr(path, "r");
      const back = await (await r.dataset("/acquisition/ts/data")).read();
      expect(back.shape).toEqual([8, 10]);
      const rows = Array.from({ length: 8 }, (_, i) => (back.data as Float64Array)[i * 10]);
      expect(rows).toEqual([1, 1, 1, 2, 2, 2, NaN, NaN]);
      await r.close();
      const out = await pyRun(`import zarr,sys,json; a=zarr.open(sys.argv[1]+'/acquisition/ts/data','r'); print(json.dumps([list(a.shape), a.nchunks_initialized, [repr(x) for x in a[:,0]]]))`, [path]);
      expect(JSON.parse(out)).toEqual([[8, 10], 3, ["1.0", "1.0", "1.0", "2.0", "2.0", "2.0", "nan", "nan"]]);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("append-mode writers each fill their region (the tutorial's parallel pattern)", async () => {
    const store = new MemoryStore();
    const io = await openZarr(store, "w");
    const root = new GroupBuilder("root");
    root.add(new DatasetBuilder("data", new DataIO({ shape: [4], dtype: "int64", chunks: [1] })));
    await io.write(root);
    await io.close();
    for (const rank of [0, 1, 3]) {
      const a = await openZarr(store, "a");
      await (await a.dataset("/data")).write([rank], BigInt(rank * 10 + 1));
      await a.close();
    }
    const r = await openZarr(store, "r");
    expect((await (await r.dataset("/data")).read()).toArray()).toEqual([1n, 11n, 0n, 31n]);
    await r.close();
    expect(await store.exists("/data/2")).toBe(false);
  });

  it("strided writes and reads touch only their elements", async () => {
    const store = new MemoryStore();
    const io = await openZarr(store, "w", { zarrFormat: 3, shards: { byPath: { "/x": [8, 4] } } });
    const root = new GroupBuilder("root");
    root.add(new DatasetBuilder("x", new DataIO({ data: array(new Int32Array(64), { shape: [16, 4] }), chunks: [4, 2] })));
    await io.write(root);
    const d = await io.dataset("/x");
    await d.write([[1, 16, 5], [1, 4, 2]], 9);
    const all = await d.read();
    const hits: number[] = [];
    (all.data as Int32Array).forEach((v, i) => { if (v === 9) hits.push(i); });
    expect(hits).toEqual([5, 7, 25, 27, 45, 47]);
    expect((await d.read([[11, 12], 3])).toArray()).toEqual([9]);
    await io.close();
  });
});

describe("rawChunks", () => {
  it("yields exactly the stored chunks, still encoded, in grid order (sharded: inner chunks)", async () => {
    for (const opts of [{}, { zarrFormat: 3 as const, shards: { chunksPerShard: 4 } }]) {
      const store = new MemoryStore();
      const io = await openZarr(store, "w", { ...opts, defaultCompressor: { id: "zlib", level: 1 } });
      const root = new GroupBuilder("root");
      root.add(new DatasetBuilder("x", new DataIO({ shape: [40], dtype: "int32", chunks: [5] })));
      await io.write(root);
      const d = await io.dataset("/x");
      await d.write([[0, 5]], 1);
      await d.write([[12, 14]], 2);
      await d.write([[35, 40]], 3);
      const raw: Array<{ coords: readonly number[]; bytes: Uint8Array }> = [];
      for await (const c of d.rawChunks!()) raw.push(c);
      expect(raw.map((c) => c.coords[0])).toEqual([0, 2, 7]);
      const { inflateSync } = await import("node:zlib");
      expect(Array.from(new Int32Array(new Uint8Array(inflateSync(raw[1]!.bytes)).buffer))).toEqual([0, 0, 2, 2, 0]);
      await io.close();
    }
  });
});
