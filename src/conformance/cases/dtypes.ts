/** Datasets of every dtype: extremes, float16 and NaN bit patterns, strings, 0-d, empty. */
import { compound, dtypes, numeric, type NumericName } from "../../data/dtype.js";
import { array, NdArray } from "../../data/ndarray.js";
import { DatasetBuilder } from "../../schema/builders.js";
import { arrayEqual, asDataset, bitsEqual, equal, listEqual, ok, plain } from "../check.js";
import type { ConformanceCase } from "../types.js";
import { datasetAt, root, roundTrip, valuesOf } from "./util.js";

const EXTREMES: Record<Exclude<NumericName, "float16" | "complex64" | "complex128">, () => NdArray> = {
  bool: () => new NdArray(Uint8Array.of(1, 0, 1, 1), [4], dtypes.bool),
  int8: () => new NdArray(Int8Array.of(-128, -1, 0, 127), [4], dtypes.int8),
  int16: () => new NdArray(Int16Array.of(-32768, -1, 0, 32767), [4], dtypes.int16),
  int32: () => new NdArray(Int32Array.of(-2147483648, -1, 0, 2147483647), [4], dtypes.int32),
  int64: () => new NdArray(BigInt64Array.of(-(2n ** 63n), -1n, 0n, 2n ** 63n - 1n, 2n ** 53n + 1n), [5], dtypes.int64),
  uint8: () => new NdArray(Uint8Array.of(0, 1, 254, 255), [4], dtypes.uint8),
  uint16: () => new NdArray(Uint16Array.of(0, 1, 65534, 65535), [4], dtypes.uint16),
  uint32: () => new NdArray(Uint32Array.of(0, 1, 4294967294, 4294967295), [4], dtypes.uint32),
  uint64: () => new NdArray(BigUint64Array.of(0n, 1n, 2n ** 64n - 2n, 2n ** 64n - 1n, 2n ** 53n + 1n), [5], dtypes.uint64),
  float32: () => new NdArray(Float32Array.of(-3.4028234663852886e38, -0, 1.401298464324817e-45, 3.4028234663852886e38, Infinity, -Infinity), [6], dtypes.float32),
  float64: () => new NdArray(Float64Array.of(-Number.MAX_VALUE, -0, Number.MIN_VALUE, Number.MAX_VALUE, Infinity, -Infinity, Math.PI), [7], dtypes.float64),
};

function numericCase(name: keyof typeof EXTREMES): ConformanceCase {
  return {
    id: `dtype.${name}`,
    title: `${name} dataset keeps its extremes`,
    async run({ fixture }) {
      const data = EXTREMES[name]();
      const tree = root();
      tree.add(new DatasetBuilder("x", data));
      await roundTrip(fixture, tree, async (r, io) => {
        const b = datasetAt(r, "/x");
        arrayEqual(await valuesOf(b), data, `read back: /x (${name})`);
        const handle = await io.dataset("/x");
        equal(handle.shape.join(","), data.shape.join(","), "dataset(/x).shape");
        arrayEqual(await handle.read([[1, 3]]), data.get([[1, 3]]), "dataset(/x).read([1:3])");
      });
      const raw = asDataset(await fixture.peek("/x"), "/x");
      equal(raw.shape.join(","), data.shape.join(","), "backdoor: /x shape");
      const info = { bool: "b1", int8: "i1", int16: "i2", int32: "i4", int64: "i8", uint8: "u1", uint16: "u2", uint32: "u4", uint64: "u8", float32: "f4", float64: "f8" }[name];
      equal(raw.dtype, info, "backdoor: /x dtype");
      if (raw.values) {
        const wide = name === "int64" || name === "uint64";
        const norm = (v: unknown): unknown => (name === "bool" ? Boolean(v) : wide ? BigInt(v as bigint) : Number(v));
        listEqual(raw.values.map(norm), data.toArray().map(norm), "backdoor: /x values");
      }
    },
  };
}

const F16_BITS = Uint16Array.of(0x0000, 0x8000, 0x3c00, 0x7bff, 0x0001, 0xfbff, 0x7c00, 0xfc00, 0x7e00, 0x7d01, 0xfe2a);

export const dtypeCases: ConformanceCase[] = [
  ...(Object.keys(EXTREMES) as Array<keyof typeof EXTREMES>).map(numericCase),
  {
    id: "dtype.float16",
    title: "float16 dataset keeps every bit (subnormals, infinities, NaN payloads)",
    requires: ["float16"],
    async run({ fixture }) {
      const data = new NdArray(F16_BITS.slice(), [F16_BITS.length], dtypes.float16);
      const tree = root();
      tree.add(new DatasetBuilder("h", data));
      await roundTrip(fixture, tree, async (r) => {
        const v = await valuesOf(datasetAt(r, "/h"));
        ok(v.dtype.kind === "numeric" && v.dtype.name === "float16", `read back: /h dtype is ${v.dtype.kind === "numeric" ? v.dtype.name : v.dtype.kind}, expected float16`);
        bitsEqual(v, data, "read back: /h float16 bits");
      });
      equal(asDataset(await fixture.peek("/h"), "/h").dtype, "f2", "backdoor: /h dtype");
    },
  },
  {
    id: "dtype.nan-payloads",
    title: "float32/float64 NaN payloads and signed zeros keep their bit patterns",
    async run({ fixture }) {
      const f32 = new Uint32Array([0x7fc00000, 0x7fc00001, 0xffc12345, 0x7f800001, 0x80000000]);
      const f64 = new BigUint64Array([0x7ff8000000000000n, 0x7ff8000000000abcn, 0xfff0000000000001n, 0x8000000000000000n]);
      const a32 = new NdArray(new Float32Array(f32.buffer), [f32.length], dtypes.float32);
      const a64 = new NdArray(new Float64Array(f64.buffer), [f64.length], dtypes.float64);
      const tree = root();
      tree.add(new DatasetBuilder("n32", a32));
      tree.add(new DatasetBuilder("n64", a64));
      await roundTrip(fixture, tree, async (r) => {
        bitsEqual(await valuesOf(datasetAt(r, "/n32")), a32, "read back: /n32");
        bitsEqual(await valuesOf(datasetAt(r, "/n64")), a64, "read back: /n64");
      });
    },
  },
  {
    id: "dtype.strings",
    title: "variable-length UTF-8 and ASCII string datasets",
    async run({ fixture }) {
      const utf = new NdArray(["", "a", "µV", "日本語", "emoji 🧠", "x".repeat(1000)], [6], dtypes.utf8);
      const asc = new NdArray(["alpha", "", "gamma"], [3], dtypes.ascii);
      const tree = root();
      tree.add(new DatasetBuilder("utf", utf));
      tree.add(new DatasetBuilder("asc", asc));
      await roundTrip(fixture, tree, async (r) => {
        arrayEqual(await valuesOf(datasetAt(r, "/utf")), utf, "read back: /utf");
        arrayEqual(await valuesOf(datasetAt(r, "/asc")), asc, "read back: /asc");
      });
      equal(asDataset(await fixture.peek("/utf"), "/utf").shape.join(","), "6", "backdoor: /utf shape");
    },
  },
  {
    id: "dtype.scalar",
    title: "0-d (scalar) numeric and string datasets",
    async run({ fixture }) {
      const tree = root();
      tree.add(new DatasetBuilder("rate", new NdArray(Float64Array.of(30000.5), [], dtypes.float64)));
      tree.add(new DatasetBuilder("count", new NdArray(BigUint64Array.of(2n ** 64n - 1n), [], dtypes.uint64)));
      tree.add(new DatasetBuilder("note", new NdArray(["scalar text ✓"], [], dtypes.utf8)));
      await roundTrip(fixture, tree, async (r) => {
        const rate = await valuesOf(datasetAt(r, "/rate"));
        equal(rate.shape.length, 0, "read back: /rate rank (a scalar)");
        equal(rate.at(), 30000.5, "read back: /rate");
        equal((await valuesOf(datasetAt(r, "/count"))).toArray()[0], 2n ** 64n - 1n, "read back: /count");
        const note = await valuesOf(datasetAt(r, "/note"));
        equal(note.shape.length, 0, "read back: /note rank (a scalar)");
        equal(note.toArray()[0], "scalar text ✓", "read back: /note");
      });
    },
  },
  {
    id: "dtype.empty",
    title: "empty and zero-length datasets keep their shape",
    async run({ fixture }) {
      const tree = root();
      tree.add(new DatasetBuilder("e1", new NdArray(new Float64Array(0), [0], dtypes.float64)));
      tree.add(new DatasetBuilder("e2", new NdArray(new Int32Array(0), [0, 3], dtypes.int32)));
      tree.add(new DatasetBuilder("es", new NdArray([], [0], dtypes.utf8)));
      await roundTrip(fixture, tree, async (r) => {
        for (const [p, shape] of [["/e1", "0"], ["/e2", "0,3"], ["/es", "0"]] as const) {
          const v = await valuesOf(datasetAt(r, p));
          equal(v.shape.join(","), shape, `read back: ${p} shape`);
          equal(v.size, 0, `read back: ${p} size`);
        }
      });
      equal(asDataset(await fixture.peek("/e2"), "/e2").shape.join(","), "0,3", "backdoor: /e2 shape");
    },
  },
  {
    id: "dtype.nd",
    title: "a 3-d int16 dataset reads back whole and by slices",
    async run({ fixture }) {
      const data = new NdArray(Int16Array.from({ length: 4 * 5 * 6 }, (_, i) => i - 60), [4, 5, 6], dtypes.int16);
      const tree = root();
      tree.add(new DatasetBuilder("cube", data));
      await roundTrip(fixture, tree, async (r, io) => {
        arrayEqual(await valuesOf(datasetAt(r, "/cube")), data, "read back: /cube");
        const h = await io.dataset("/cube");
        const sel = [[1, 3], 2, [0, 6, 2]] as const;
        arrayEqual(await h.read(sel), data.get(sel), "dataset(/cube).read([1:3, 2, ::2])");
      });
    },
  },
  compoundCase("dtype.compound", "compound dataset with numeric fields", ["compound"],
    [{ name: "id", dtype: dtypes.int32 }, { name: "t", dtype: dtypes.float64 }, { name: "n", dtype: dtypes.uint8 }],
    [{ id: 1, t: 0.5, n: 0 }, { id: -2, t: 1e300, n: 255 }, { id: 3, t: -0.25, n: 7 }]),
  compoundCase("dtype.compound-strings", "compound dataset with numeric and string fields", ["compound", "compoundStrings"],
    [{ name: "id", dtype: dtypes.int32 }, { name: "t", dtype: dtypes.float64 }, { name: "label", dtype: dtypes.utf8 }],
    [{ id: 1, t: 0.5, label: "a" }, { id: -2, t: 1e300, label: "µ" }, { id: 3, t: -0.25, label: "" }]),
  {
    id: "dtype.big-endian",
    title: "a big-endian dtype request reads back the same values",
    async run({ fixture }) {
      const data = new NdArray(Float64Array.of(1.5, -2.25, 1e-300), [3], numeric("float64", ">"));
      const tree = root();
      tree.add(new DatasetBuilder("be", data));
      await roundTrip(fixture, tree, async (r) => {
        const v = await valuesOf(datasetAt(r, "/be"));
        listEqual(Array.from(v.data as Float64Array), [1.5, -2.25, 1e-300], "read back: /be");
      });
    },
  },
  {
    id: "dtype.bool-2d",
    title: "a 2-d bool dataset",
    async run({ fixture }) {
      const data = array([[true, false], [false, true], [true, true]], { dtype: "bool" });
      const tree = root();
      tree.add(new DatasetBuilder("mask", data));
      await roundTrip(fixture, tree, async (r) => arrayEqual(await valuesOf(datasetAt(r, "/mask")), data, "read back: /mask"));
    },
  },
];

/** A compound dataset written, read back row by row, and seen through the backdoor. */
function compoundCase(
  id: string, title: string, requires: ConformanceCase["requires"],
  fields: Parameters<typeof compound>[0], rows: Array<Record<string, number | string>>,
): ConformanceCase {
  return {
    id, title, requires,
    async run({ fixture }) {
      const data = new NdArray(rows, [rows.length], compound(fields));
      const tree = root();
      tree.add(new DatasetBuilder("rows", data));
      await roundTrip(fixture, tree, async (r) => {
        const v = await valuesOf(datasetAt(r, "/rows"));
        equal(v.dtype.kind, "compound", "read back: /rows dtype kind");
        listEqual(v.toArray().map((x) => plain(x)), rows.map((x) => plain(x)), "read back: /rows");
      });
      equal(asDataset(await fixture.peek("/rows"), "/rows").shape.join(","), String(rows.length), "backdoor: /rows shape");
    },
  };
}
