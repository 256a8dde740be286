/** Region I/O on an open dataset: slice-assign, resize and append (the tutorial's user-defined write). */
import { DataIO } from "../../data/data-io.js";
import { dtypes } from "../../data/dtype.js";
import { NdArray } from "../../data/ndarray.js";
import { DatasetBuilder } from "../../schema/builders.js";
import { arrayEqual, equal, listEqual, namesPath, rejects } from "../check.js";
import type { ConformanceCase } from "../types.js";
import { datasetAt, range, root, valuesOf, withRead, writeTree } from "./util.js";

const i32 = (values: number[], shape = [values.length]): NdArray => new NdArray(Int32Array.from(values), shape, dtypes.int32);

export const regionCases: ConformanceCase[] = [
  {
    id: "region.slice-assign",
    title: "slice-assign into chunked and contiguous datasets reopened in r+",
    async run({ fixture }) {
      const tree = root();
      tree.add(new DatasetBuilder("chunked", new DataIO({ data: i32(range(20, () => 0)), chunks: [5] })));
      tree.add(new DatasetBuilder("contig", i32(range(20, () => 0))));
      await writeTree(fixture, tree);
      const io = await fixture.open("r+");
      try {
        for (const p of ["/chunked", "/contig"]) {
          const h = await io.dataset(p);
          await h.write([[3, 12]], i32(range(9, (i) => i + 1)));
          await h.write([[15, 17]], 7);
        }
      } finally { await io.close(); }
      const expect = range(20, (i) => (i >= 3 && i < 12 ? i - 2 : i >= 15 && i < 17 ? 7 : 0));
      await withRead(fixture, async (r) => {
        for (const p of ["/chunked", "/contig"]) listEqual(Array.from((await valuesOf(datasetAt(r, p))).data as Int32Array), expect, `read back: ${p}`);
      });
    },
  },
  {
    id: "region.2d-assign",
    title: "a 2-d block written across chunk boundaries",
    async run({ fixture }) {
      const tree = root();
      tree.add(new DatasetBuilder("img", new DataIO({ shape: [10, 10], dtype: "int32", chunks: [4, 4], fillvalue: 0 })));
      const io = await fixture.create("w");
      const block = i32(range(5 * 6, (i) => i + 1), [5, 6]);
      try {
        await io.write(tree, { cacheSpec: false });
        await (await io.dataset("/img")).write([[3, 8], [2, 8]], block);
      } finally { await io.close(); }
      await withRead(fixture, async (_r, rio) => {
        const h = await rio.dataset("/img");
        arrayEqual(await h.read([[3, 8], [2, 8]]), block, "dataset(/img)[3:8, 2:8]");
        const all = await h.read();
        equal(all.at(0, 0), 0, "dataset(/img)[0, 0] (never written)");
        equal(all.at(9, 9), 0, "dataset(/img)[9, 9] (never written)");
      });
    },
  },
  {
    id: "region.resize-append",
    title: "allocate (0, 10), keep the IO open, resize and append twice, close, read",
    requires: ["resize"],
    async run({ fixture }) {
      const io = await fixture.create("w");
      try {
        const tree = root();
        tree.add(new DatasetBuilder("grow", new DataIO({ data: new NdArray(new Float64Array(0), [0, 10], dtypes.float64), maxshape: [null, 10], chunks: [4, 10] })));
        await io.write(tree, { cacheSpec: false });
        const h = await io.dataset("/grow");
        equal(h.shape.join(","), "0,10", "dataset(/grow).shape after allocation");
        await h.resize([5, 10]);
        await h.write([[0, 5]], new NdArray(Float64Array.from(range(50)), [5, 10], dtypes.float64));
        await h.resize([12, 10]);
        equal(h.shape.join(","), "12,10", "dataset(/grow).shape after resize");
        await h.write([[5, 12]], new NdArray(Float64Array.from(range(70, (i) => 50 + i)), [7, 10], dtypes.float64));
        await io.flush();
      } finally { await io.close(); }
      await withRead(fixture, async (r, rio) => {
        const v = await valuesOf(datasetAt(r, "/grow"));
        equal(v.shape.join(","), "12,10", "read back: /grow shape");
        listEqual(Array.from(v.data as Float64Array), range(120), "read back: /grow");
        equal((await rio.dataset("/grow")).shape.join(","), "12,10", "dataset(/grow).shape after reopen");
      });
    },
  },
  {
    id: "region.resize-limits",
    title: "resize past maxshape or of a fixed dataset is a typed error and changes nothing",
    requires: ["maxshape"],
    async run({ fixture }) {
      const tree = root();
      tree.add(new DatasetBuilder("fixed", i32([1, 2, 3])));
      tree.add(new DatasetBuilder("bounded", new DataIO({ data: i32([1, 2]), maxshape: [4], chunks: [2] })));
      await writeTree(fixture, tree);
      const io = await fixture.open("r+");
      try {
        const fixed = await io.dataset("/fixed");
        const e1 = await rejects(() => fixed.resize([5]), ["unsupported", "invalid-input"], "resize of a dataset without maxshape");
        namesPath(e1, "/fixed", "resize of /fixed");
        const bounded = await io.dataset("/bounded");
        const e2 = await rejects(() => bounded.resize([5]), ["invalid-input", "unsupported"], "resize past maxshape [4]");
        namesPath(e2, "/bounded", "resize of /bounded");
      } finally { await io.close(); }
      await withRead(fixture, async (r) => {
        equal((await valuesOf(datasetAt(r, "/fixed"))).shape.join(","), "3", "read back: /fixed shape");
        equal((await valuesOf(datasetAt(r, "/bounded"))).shape.join(","), "2", "read back: /bounded shape");
      });
    },
  },
  {
    id: "region.bad-writes",
    title: "region writes with a wrong shape or out of bounds are typed errors",
    async run({ fixture }) {
      const tree = root();
      tree.add(new DatasetBuilder("d", i32(range(10))));
      await writeTree(fixture, tree);
      const io = await fixture.open("r+");
      try {
        const h = await io.dataset("/d");
        await rejects(() => h.write([[0, 3]], i32([1, 2, 3, 4, 5])), ["invalid-input"], "write of 5 values into 3 elements");
        await rejects(() => h.write([20], 1), ["invalid-input"], "write at index 20 of a 10-element dataset");
        await rejects(() => h.read([[0, 2], 1]), ["invalid-input"], "read with more axes than the dataset has");
      } finally { await io.close(); }
      await withRead(fixture, async (r) => listEqual(Array.from((await valuesOf(datasetAt(r, "/d"))).data as Int32Array), range(10), "read back: /d unchanged"));
    },
  },
  {
    id: "region.missing-dataset",
    title: "dataset() of a missing path is a NotFoundError naming the path",
    async run({ fixture }) {
      const tree = root();
      tree.group("g");
      await writeTree(fixture, tree);
      await withRead(fixture, async (_r, io) => {
        const e = await rejects(() => io.dataset("/g/nope"), ["not-found"], "dataset(/g/nope)");
        namesPath(e, "/g/nope", "dataset(/g/nope)");
        await rejects(() => io.dataset("/g"), ["not-found", "invalid-input"], "dataset(/g) where /g is a group");
      });
    },
  },
];
