/** Staging buffers: reused between chunk encodes, never while a store may still hold them. */
import { describe, expect, it } from "vitest";
import { releaseStaging, stagingArray } from "../../src/data/staging.js";
import { dtypes } from "../../src/data/dtype.js";
import { NdArray } from "../../src/data/ndarray.js";
import { MemoryStore } from "../../src/stores/memory-store.js";
import { openZarr } from "../../src/backends/zarr/index.js";
import { openHdf5 } from "../../src/backends/hdf5/index.js";
import { DataIO } from "../../src/data/data-io.js";
import { AbstractDataChunkIterator, type DataChunk } from "../../src/data/iterators.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import type { StoredDataset } from "../../src/data/data-source.js";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

const bufferOf = (a: NdArray) => (a.data as Float64Array).buffer;

describe("staging buffers", () => {
  it("a released buffer comes back for the next chunk of its size, filled again", () => {
    const a = stagingArray(dtypes.float64, [1000], 0);
    expect(bufferOf(a)).toBeInstanceOf(SharedArrayBuffer);
    (a.data as Float64Array).fill(7);
    releaseStaging(a);
    const b = stagingArray(dtypes.float64, [1000], -1);
    expect(bufferOf(b)).toBe(bufferOf(a));
    expect((b.data as Float64Array).every((v) => v === -1)).toBe(true);
    releaseStaging(b);
    const c = stagingArray(dtypes.float64, [1000], null);
    expect(bufferOf(c)).toBe(bufferOf(a));
    expect((c.data as Float64Array).every((v) => v === 0)).toBe(true);
  });

  it("is not reused while stored bytes view it, nor when it is not a staging buffer", () => {
    const a = stagingArray(dtypes.int32, [64], 0);
    releaseStaging(a, new Uint8Array(bufferOf(a), 0, 16));
    expect(bufferOf(stagingArray(dtypes.int32, [64], 0))).not.toBe(bufferOf(a));
    const plain = new NdArray(new Int32Array(64), [64], dtypes.int32);
    releaseStaging(plain);
    expect(bufferOf(stagingArray(dtypes.int32, [64], 0))).not.toBe(bufferOf(plain));
    expect(stagingArray(dtypes.utf8, [3], "x").data).toEqual(["x", "x", "x"]);
  });

  class Blocks extends AbstractDataChunkIterator {
    readonly dtype = dtypes.float64;
    readonly maxshape = [null];
    recommendedChunkShape() { return [1000]; }
    recommendedDataShape() { return [0]; }
    async *[Symbol.asyncIterator](): AsyncIterator<DataChunk> {
      const buf = new Float64Array(1000); // one buffer, refilled per block (the writer copies it)
      for (let k = 0; k < 6; k++) {
        buf.fill(k + 1);
        yield { data: new NdArray(buf, [1000], dtypes.float64), selection: [[k * 1000, (k + 1) * 1000, 1]] };
      }
    }
  }
  const expectBlocks = (got: Float64Array) => {
    for (let k = 0; k < 6; k++) expect(got.subarray(k * 1000, (k + 1) * 1000).every((v) => v === k + 1), `block ${k}`).toBe(true);
  };

  it("chunks stored without a codec keep their own bytes (Zarr memory store, HDF5 file)", async () => {
    const store = new MemoryStore();
    const z = await openZarr(store, "w", { defaultCompressor: null });
    const root = new GroupBuilder("root");
    root.add(new DatasetBuilder("x", new DataIO({ data: new Blocks(), chunks: [1000] })));
    await z.write(root, { cacheSpec: false });
    await z.close();
    const zr = await openZarr(store, "r");
    expectBlocks((await (await zr.dataset("/x") as StoredDataset).read()).data as Float64Array);
    await zr.close();

    const dir = mkdtempSync(join(tmpdir(), "hdmf-staging-"));
    try {
      const h = await openHdf5(join(dir, "x.h5"), "w");
      const r2 = new GroupBuilder("root");
      r2.add(new DatasetBuilder("x", new DataIO({ data: new Blocks(), chunks: [1000] })));
      await h.write(r2, { cacheSpec: false });
      await h.close();
      const hr = await openHdf5(join(dir, "x.h5"), "r");
      expectBlocks((await (await hr.dataset("/x") as StoredDataset).read()).data as Float64Array);
      await hr.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
