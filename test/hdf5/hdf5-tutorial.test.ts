/**
 * The seed tutorial's HDF5 examples (../shared/seed/pynwb-advanced-data-io.txt) at builder level:
 * chunking, compression, plugin filters, DataChunkIterator, sparse writes, the user-defined
 * write (allocate, keep the IO open, resize, slice-assign, close). h5py checks every file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHdf5 } from "../../src/backends/hdf5/index.js";
import { DataIO, H5DataIO } from "../../src/data/data-io.js";
import { dtypes } from "../../src/data/dtype.js";
import { DataChunkIterator } from "../../src/data/iterators.js";
import { array, NdArray } from "../../src/data/ndarray.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import { describeDatasets, readValues } from "../helpers/hdf5-py.js";

let dir: string;
beforeAll(() => { dir = mkdtempSync(join(tmpdir(), "hdf5io-tutorial-")); });
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

function timeSeries(name: string, data: DatasetBuilder["data"]): GroupBuilder {
  const g = new GroupBuilder(name);
  g.setAttribute("neurodata_type", "TimeSeries").setAttribute("namespace", "core");
  const d = g.add(new DatasetBuilder("data", data));
  d.setAttribute("unit", "SIunit");
  return g;
}

function arange(n: number, shape: number[]): NdArray {
  return array(BigInt64Array.from({ length: n }, (_, i) => BigInt(i)), { shape });
}

async function writeTree(file: string, ...groups: GroupBuilder[]): Promise<void> {
  const root = new GroupBuilder("root");
  const acq = root.add(new GroupBuilder("acquisition"));
  for (const g of groups) acq.add(g);
  const io = await openHdf5(file, "w");
  await io.write(root);
  await io.close();
}

describe("seed tutorial on HDF5", () => {
  it("chunking: chunks=True + maxshape (None, 10) guesses h5py's chunks", async () => {
    const f = join(dir, "chunked.nwb");
    await writeTree(f, timeSeries("test_chunked_timeseries", new H5DataIO({ data: arange(10000, [1000, 10]), chunks: true, maxshape: [null, 10] })));
    const d = describeDatasets(f, ["/acquisition/test_chunked_timeseries/data"])["/acquisition/test_chunked_timeseries/data"]!;
    expect(d.chunks).toEqual([250, 5]); // as the fixture a_h5dataio.nwb (h5py guess_chunk)
    expect(d.maxshape).toEqual([null, 10]);
    expect(readValues(f, "/acquisition/test_chunked_timeseries/data")).toEqual(Array.from({ length: 10000 }, (_, i) => i));
  });

  it("compression: gzip level 4, and a plugin filter (Zstd via hdf5plugin ids) with allowPlugins", async () => {
    const f = join(dir, "compressed.nwb");
    const data = arange(10000, [1000, 10]);
    await writeTree(f,
      timeSeries("test_gzipped_timeseries", new H5DataIO({ data, compression: "gzip", compressionOpts: 4 })),
      timeSeries("test_lz4_timeseries", new H5DataIO({ data, compression: 32004, compressionOpts: [0], allowPlugins: true })));
    const d = describeDatasets(f, ["/acquisition/test_gzipped_timeseries/data", "/acquisition/test_lz4_timeseries/data"]);
    expect(d["/acquisition/test_gzipped_timeseries/data"]!.filters).toEqual([{ id: 1, flags: 1, cd_values: [4] }]);
    expect(d["/acquisition/test_lz4_timeseries/data"]!.filters).toEqual([{ id: 32004, flags: 1, cd_values: [0] }]);
    expect(readValues(f, "/acquisition/test_lz4_timeseries/data")).toEqual(Array.from({ length: 10000 }, (_, i) => i));
    // a plugin filter without allowPlugins is refused up front, as hdmf does
    expect(() => new H5DataIO({ data, compression: 32015, compressionOpts: [3] })).toThrow(/allowPlugins/);
  });

  it("iterative write: DataChunkIterator over a generator, buffer 10 -> chunks (10, 10), gzip", async () => {
    const f = join(dir, "iter.nwb");
    function* rows(): Generator<Float64Array> {
      for (let i = 0; i < 100; i++) yield Float64Array.from({ length: 10 }, (_, j) => i * 10 + j);
    }
    const it = new DataChunkIterator(rows(), { maxshape: [100, 10], bufferSize: 10, dtype: "float64" });
    await writeTree(f, timeSeries("dci", new DataIO({ data: it, compression: "gzip", chunks: [10, 10] })));
    const d = describeDatasets(f, ["/acquisition/dci/data"])["/acquisition/dci/data"]!;
    expect(d.shape).toEqual([100, 10]);
    expect(d.chunks).toEqual([10, 10]);
    expect(d.stored_chunks).toBe(10);
    expect(readValues(f, "/acquisition/dci/data")).toEqual(Array.from({ length: 1000 }, (_, i) => i));
  });

  it("sparse write: None rows are never written; their chunks stay unallocated and read as the NaN fill", async () => {
    const f = join(dir, "sparse.nwb");
    function* rows(): Generator<Float64Array | null> {
      for (let i = 0; i < 30; i++) yield i % 3 === 0 ? null : Float64Array.from({ length: 10 }, () => i);
    }
    const it = new DataChunkIterator(rows(), { maxshape: [null, 10], dtype: "float64" });
    await writeTree(f, timeSeries("sparse", new DataIO({ data: it, fillvalue: Number.NaN, chunks: [1, 10], maxshape: [null, 10] })));
    const d = describeDatasets(f, ["/acquisition/sparse/data"])["/acquisition/sparse/data"]!;
    expect(d.stored_chunks).toBe(20);
    const v = readValues(f, "/acquisition/sparse/data") as Array<number | string>;
    expect(v.slice(0, 10)).toEqual(new Array(10).fill("NaN"));
    expect(v.slice(10, 20)).toEqual(new Array(10).fill(1));
  });

  it("user-defined write: allocate (0, 10), keep the IO open, resize to (8, 10), assign rows, close", async () => {
    const f = join(dir, "custom.nwb");
    const dataio = new H5DataIO({
      shape: [0, 10], dtype: "float64", maxshape: [null, 10], chunks: [4, 2],
      compression: "gzip", compressionOpts: 4, shuffle: true, fillvalue: Number.NaN,
    });
    const root = new GroupBuilder("root");
    root.add(new GroupBuilder("acquisition")).add(timeSeries("synthetic_timeseries", dataio));
    const io = await openHdf5(f, "w");
    await io.write(root);
    const ds = await io.dataset("/acquisition/synthetic_timeseries/data");
    await ds.resize([8, 10]);
    await ds.write([[0, 3]], 1);
    await ds.write([[3, 6]], 2);
    await io.close();
    const d = describeDatasets(f, ["/acquisition/synthetic_timeseries/data"])["/acquisition/synthetic_timeseries/data"]!;
    expect(d.shape).toEqual([8, 10]);
    expect(d.filters.map((x) => x.id)).toEqual([2, 1]);
    expect(d.fillvalue).toBe("NaN");
    const v = readValues(f, "/acquisition/synthetic_timeseries/data") as Array<number | string>;
    expect(v).toEqual([...new Array(30).fill(1), ...new Array(30).fill(2), ...new Array(20).fill("NaN")]);
    // and back through HDF5IO
    const r = await openHdf5(f, "r");
    const back = await (await r.dataset("/acquisition/synthetic_timeseries/data")).read([[2, 4], [0, 10, 3]]);
    expect(back.shape).toEqual([2, 4]);
    expect(Array.from(back.data as Float64Array)).toEqual([1, 1, 1, 1, 2, 2, 2, 2]);
    await r.close();
  });

  it("parallel pattern (sequential ranks in append mode): rank-owned elements, the rest fill", async () => {
    const f = join(dir, "parallel.nwb");
    await writeTree(f, timeSeries("ts_name", new H5DataIO({ shape: [4], maxshape: [4], dtype: dtypes.int64 })));
    for (const rank of [0, 1, 3]) {
      const io = await openHdf5(f, "a");
      await (await io.dataset("/acquisition/ts_name/data")).write([rank], BigInt(rank * 10 + 1));
      await io.close();
    }
    expect(readValues(f, "/acquisition/ts_name/data")).toEqual([1, 11, 0, 31]);
  });

  it("append mode: a tree read from the file is written back with a new dataset; nothing is rewritten", async () => {
    const f = join(dir, "append.nwb");
    await writeTree(f, timeSeries("first", new H5DataIO({ data: arange(100, [10, 10]), compression: "gzip" })));
    const io = await openHdf5(f, "a");
    const root = await io.readBuilder();
    (root.find("acquisition") as GroupBuilder).add(timeSeries("second", array(Float64Array.from([1, 2, 3]))));
    await io.write(root);
    await io.close();
    expect(readValues(f, "/acquisition/first/data")).toEqual(Array.from({ length: 100 }, (_, i) => i));
    expect(readValues(f, "/acquisition/second/data")).toEqual([1, 2, 3]);
  });
});
