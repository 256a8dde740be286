/** DataIO options (chunks, filters, fill value, maxshape), chunk iterators with gaps, sharding. */
import { DataIO } from "../../data/data-io.js";
import { isStoredDataset, type StorageInfo } from "../../data/data-source.js";
import type { HDMFIO } from "../../backends/io.js";
import { dtypes, type Dtype } from "../../data/dtype.js";
import { DataChunkIterator, GenericDataChunkIterator } from "../../data/iterators.js";
import { NdArray } from "../../data/ndarray.js";
import type { SliceSpec } from "../../data/selection.js";
import { DatasetBuilder } from "../../schema/builders.js";
import { arrayEqual, asDataset, equal, fail, listEqual, ok, show } from "../check.js";
import type { ConformanceCase } from "../types.js";
import { datasetAt, range, root, roundTrip, valuesOf } from "./util.js";

const f64 = (values: number[], shape = [values.length]): NdArray => new NdArray(Float64Array.from(values), shape, dtypes.float64);

/** Storage info of a dataset as read: from the builder when it is lazy, else from io.dataset(). */
async function storageOf(io: HDMFIO, b: DatasetBuilder): Promise<StorageInfo> {
  if (isStoredDataset(b.data)) return b.data.storage;
  const h = await io.dataset(b.path);
  if (!h.storage) fail(`dataset(${b.path}) has no storage info`);
  return h.storage;
}

const hasCodec = (ids: readonly string[], ...names: string[]): boolean => ids.some((id) => names.includes(id.replace(/^numcodecs\./, "")));

class Ramp extends GenericDataChunkIterator {
  constructor() { super({ chunkShape: [10, 4], bufferShape: [20, 4] }); }
  protected getData(sel: readonly SliceSpec[]): NdArray {
    const [r0, r1] = [sel[0]![0]!, sel[0]![1]!];
    return f64(range((r1 - r0) * 4, (i) => (r0 + Math.floor(i / 4)) * 10 + (i % 4)), [r1 - r0, 4]);
  }
  protected getMaxshape(): readonly number[] { return [30, 4]; }
  protected getDtype(): Dtype { return dtypes.float64; }
}

export const storageCases: ConformanceCase[] = [
  {
    id: "dataio.chunks",
    title: "DataIO chunks are stored as asked",
    async run({ fixture }) {
      const data = f64(range(100, (i) => i * 0.5));
      const tree = root();
      tree.add(new DatasetBuilder("c", new DataIO({ data, chunks: [10] })));
      await roundTrip(fixture, tree, async (r, io) => {
        const b = datasetAt(r, "/c");
        arrayEqual(await valuesOf(b), data, "read back: /c");
        equal((await storageOf(io, b)).chunks?.join(","), "10", "read back: /c storage.chunks");
        equal((await storageOf(io, b)).layout, "chunked", "read back: /c storage.layout");
      });
      const raw = asDataset(await fixture.peek("/c"), "/c");
      equal(raw.chunks?.join(","), "10", "backdoor: /c chunks");
      if (raw.values) listEqual(raw.values.map(Number), Array.from(data.data as Float64Array), "backdoor: /c values");
    },
  },
  {
    id: "dataio.gzip-shuffle",
    title: "gzip (level 4) + shuffle round-trip and are recorded in the pipeline",
    async run({ fixture }) {
      const data = new NdArray(Int32Array.from(range(1000, (i) => (i * 7919) % 1000)), [1000], dtypes.int32);
      const tree = root();
      tree.add(new DatasetBuilder("z", new DataIO({ data, chunks: [250], compression: "gzip", compressionOpts: 4, shuffle: true })));
      await roundTrip(fixture, tree, async (r, io) => {
        const b = datasetAt(r, "/z");
        arrayEqual(await valuesOf(b), data, "read back: /z");
        const ids = (await storageOf(io, b)).codecs.map((c) => c.id);
        ok(hasCodec(ids, "zlib", "gzip"), `read back: /z pipeline ${show(ids)} has no gzip/zlib`);
        ok(hasCodec(ids, "shuffle"), `read back: /z pipeline ${show(ids)} has no shuffle`);
      });
      const raw = asDataset(await fixture.peek("/z"), "/z");
      ok(hasCodec(raw.codecs, "zlib", "gzip") && hasCodec(raw.codecs, "shuffle"), `backdoor: /z codecs are ${show(raw.codecs)}, expected gzip/zlib and shuffle`);
      if (raw.values) listEqual(raw.values.map(Number), Array.from(data.data as Int32Array), "backdoor: /z values");
    },
  },
  {
    id: "dataio.fletcher32",
    title: "gzip + shuffle + fletcher32 (h5py's full pipeline) round-trip",
    requires: ["fletcher32"],
    async run({ fixture }) {
      const data = f64(range(600, (i) => Math.sin(i / 10)), [200, 3]);
      const tree = root();
      tree.add(new DatasetBuilder("f", new DataIO({ data, chunks: [50, 3], compression: "gzip", shuffle: true, fletcher32: true })));
      await roundTrip(fixture, tree, async (r, io) => {
        const b = datasetAt(r, "/f");
        arrayEqual(await valuesOf(b), data, "read back: /f");
        ok(hasCodec((await storageOf(io, b)).codecs.map((c) => c.id), "fletcher32"), `read back: /f pipeline has no fletcher32: ${show((await storageOf(io, b)).codecs)}`);
      });
      ok(hasCodec(asDataset(await fixture.peek("/f"), "/f").codecs, "fletcher32"), "backdoor: /f has no fletcher32 filter");
    },
  },
  {
    id: "dataio.fillvalue",
    title: "allocate with a fill value, write a region, the rest reads as the fill value",
    async run({ fixture }) {
      const io = await fixture.create("w");
      try {
        const tree = root();
        tree.add(new DatasetBuilder("alloc", new DataIO({ shape: [50], dtype: "float64", chunks: [10], fillvalue: -1 })));
        await io.write(tree, { cacheSpec: false });
        const h = await io.dataset("/alloc");
        await h.write([[12, 18]], f64([1, 2, 3, 4, 5, 6]));
      } finally { await io.close(); }
      const expect = range(50, (i) => (i >= 12 && i < 18 ? i - 11 : -1));
      const rio = await fixture.open("r");
      try {
        const b = datasetAt(await rio.readBuilder(), "/alloc");
        const io = rio;
        listEqual(Array.from((await valuesOf(b)).data as Float64Array), expect, "read back: /alloc");
        equal(Number((await storageOf(io, b)).fillvalue), -1, "read back: /alloc storage.fillvalue");
      } finally { await rio.close(); }
      const raw = asDataset(await fixture.peek("/alloc"), "/alloc");
      if (raw.fillvalue !== undefined) equal(Number(raw.fillvalue), -1, "backdoor: /alloc fill value");
      if (raw.values) listEqual(raw.values.map(Number), expect, "backdoor: /alloc values");
    },
  },
  {
    id: "dataio.maxshape",
    title: "maxshape with an unlimited axis is kept",
    async run({ fixture }) {
      const data = f64(range(12), [4, 3]);
      const tree = root();
      tree.add(new DatasetBuilder("m", new DataIO({ data, maxshape: [null, 3], chunks: [2, 3] })));
      await roundTrip(fixture, tree, async (r, io) => {
        const b = datasetAt(r, "/m");
        arrayEqual(await valuesOf(b), data, "read back: /m");
        const ms = (await storageOf(io, b)).maxshape;
        equal(ms[0], null, "read back: /m storage.maxshape[0] (unlimited)");
        // Without stored maxshape (Zarr) every axis is unbounded; with it, the fixed axis stays 3.
        equal(ms[1], fixture.capabilities.maxshape ? 3 : null, "read back: /m storage.maxshape[1]");
      });
    },
  },
  {
    id: "iterators.buffered",
    title: "a DataChunkIterator over a generator of rows (bufferSize 2) writes every row",
    async run({ fixture }) {
      function* rows(): Generator<number[]> { for (let i = 0; i < 7; i++) yield [i, i * 10, i * 100]; }
      const tree = root();
      tree.add(new DatasetBuilder("rows", new DataIO({ data: new DataChunkIterator(rows(), { bufferSize: 2, dtype: "float32", maxshape: [null, 3] }), chunks: [2, 3] })));
      await roundTrip(fixture, tree, async (r) => {
        const v = await valuesOf(datasetAt(r, "/rows"));
        equal(v.shape.join(","), "7,3", "read back: /rows shape");
        listEqual(Array.from(v.data as Float32Array), range(21, (i) => Math.floor(i / 3) * [1, 10, 100][i % 3]!), "read back: /rows");
      });
    },
  },
  {
    id: "iterators.gaps",
    title: "an iterator with gaps: missing elements read as the fill value, untouched chunks stay unallocated",
    async run({ fixture }) {
      function* sparse(): Generator<number | null> { for (let i = 0; i < 10; i++) yield i >= 4 && i < 8 ? null : i; }
      const tree = root();
      tree.add(new DatasetBuilder("s", new DataIO({ data: new DataChunkIterator(sparse(), { dtype: "float64", maxshape: [null] }), chunks: [2], fillvalue: -1, maxshape: [null] })));
      const expect = [0, 1, 2, 3, -1, -1, -1, -1, 8, 9];
      await roundTrip(fixture, tree, async (r) => {
        const b = datasetAt(r, "/s");
        listEqual(Array.from((await valuesOf(b)).data as Float64Array), expect, "read back: /s");
      });
      const raw = asDataset(await fixture.peek("/s"), "/s");
      if (raw.values) listEqual(raw.values.map(Number), expect, "backdoor: /s values");
      if (raw.storedChunks !== undefined && !fixture.capabilities.sharding) equal(raw.storedChunks, 3, "backdoor: /s stored chunk objects");
    },
  },
  {
    id: "iterators.generic",
    title: "a GenericDataChunkIterator (chunk 10x4, buffer 20x4) writes whole buffers",
    async run({ fixture }) {
      const tree = root();
      tree.add(new DatasetBuilder("g", new DataIO({ data: new Ramp(), chunks: [10, 4] })));
      await roundTrip(fixture, tree, async (r) => {
        const v = await valuesOf(datasetAt(r, "/g"));
        equal(v.shape.join(","), "30,4", "read back: /g shape");
        listEqual(Array.from(v.data as Float64Array), range(120, (i) => Math.floor(i / 4) * 10 + (i % 4)), "read back: /g");
      });
    },
  },
  {
    id: "dataio.sharding",
    title: "sharded storage: many chunks, few objects, same values",
    requires: ["sharding"],
    async run({ fixture }) {
      const data = f64(range(1000, (i) => i));
      const tree = root();
      tree.add(new DatasetBuilder("sh", new DataIO({ data, chunks: [10] })));
      await roundTrip(fixture, tree, async (r) => arrayEqual(await valuesOf(datasetAt(r, "/sh")), data, "read back: /sh"));
      const raw = asDataset(await fixture.peek("/sh"), "/sh");
      ok(hasCodec(raw.codecs, "sharding_indexed"), `backdoor: /sh codecs ${show(raw.codecs)} have no sharding_indexed`);
      if (raw.storedChunks !== undefined) ok(raw.storedChunks < 100, `backdoor: /sh has ${raw.storedChunks} objects for 100 chunks: not sharded`);
      if (raw.values) listEqual(raw.values.map(Number), Array.from(data.data as Float64Array), "backdoor: /sh values");
    },
  },
];
