/** Groups and attributes of every kind, checked through the IO and through the backdoor. */
import { dtypes, fixedString } from "../../data/dtype.js";
import { array, NdArray } from "../../data/ndarray.js";
import { ObjectReference } from "../../data/reference.js";
import { DatasetBuilder } from "../../schema/builders.js";
import { asDataset, asGroup, equal, listEqual, ok, plain, rawAttrEqual } from "../check.js";
import type { ConformanceCase } from "../types.js";
import { attr, attrList, datasetAt, groupAt, root, roundTrip, valuesOf } from "./util.js";

const I64_MIN = -(2n ** 63n);
const I64_MAX = 2n ** 63n - 1n;
const U64_MAX = 2n ** 64n - 1n;

export const structureCases: ConformanceCase[] = [
  {
    id: "groups.nested",
    title: "nested and empty groups round-trip and are visible through the backdoor",
    async run({ fixture }) {
      const tree = root();
      const c = tree.group("a").group("b").group("c");
      c.setAttribute("depth", 3n, "int64");
      tree.group("empty");
      tree.group("a").add(new DatasetBuilder("d", array([1, 2, 3], { dtype: "int32" })));
      await roundTrip(fixture, tree, async (r) => {
        groupAt(r, "/a/b/c");
        const empty = groupAt(r, "/empty");
        equal([...empty.children()].length, 0, "read back: /empty children");
        equal(Number(attrList(attr(groupAt(r, "/a/b/c"), "depth"))[0]), 3, "read back: /a/b/c@depth");
        datasetAt(r, "/a/d");
      });
      const raw = asGroup(await fixture.peek("/a"), "/a");
      ok(raw.children.includes("b") && raw.children.includes("d"), `backdoor: /a children are [${raw.children.join(", ")}], expected b and d`);
      rawAttrEqual(asGroup(await fixture.peek("/a/b/c"), "/a/b/c").attributes, "depth", 3, "/a/b/c");
      asGroup(await fixture.peek("/empty"), "/empty");
      equal(await fixture.peek("/nope"), undefined, "backdoor: /nope");
    },
  },
  {
    id: "attributes.scalars",
    title: "scalar attributes of every kind keep type and value",
    async run({ fixture }) {
      const tree = root();
      const g = tree.group("g");
      g.setAttribute("f64", 2.5, "float64");
      g.setAttribute("f32", 0.25, "float32");
      g.setAttribute("i8", -128, "int8");
      g.setAttribute("u8", 255, "uint8");
      g.setAttribute("i32", -2147483648, "int32");
      g.setAttribute("u32", 4294967295, "uint32");
      g.setAttribute("i64min", I64_MIN, "int64");
      g.setAttribute("i64max", I64_MAX, "int64");
      g.setAttribute("u64max", U64_MAX, "uint64");
      g.setAttribute("yes", true, "bool");
      g.setAttribute("text", "µV – ünïcødé ✓", "text");
      g.setAttribute("ascii", "plain", "ascii");
      g.setAttribute("emptytext", "", "text");
      await roundTrip(fixture, tree, async (r) => {
        const rg = groupAt(r, "/g");
        const expect: Array<[string, unknown]> = [
          ["f64", 2.5], ["f32", 0.25], ["i8", -128], ["u8", 255], ["i32", -2147483648], ["u32", 4294967295],
          ["i64min", I64_MIN], ["i64max", I64_MAX], ["u64max", U64_MAX], ["text", "µV – ünïcødé ✓"], ["ascii", "plain"], ["emptytext", ""],
        ];
        for (const [name, value] of expect) {
          const got = attrList(attr(rg, name));
          equal(got.length, 1, `read back: /g@${name} element count`);
          const v = got[0];
          equal(typeof v === "bigint" && typeof value === "number" ? Number(v) : v, value, `read back: /g@${name}`);
        }
        const yes = attrList(attr(rg, "yes"))[0];
        ok(yes === true || yes === 1, `read back: /g@yes: expected true, got ${String(yes)}`);
      });
      const raw = asGroup(await fixture.peek("/g"), "/g").attributes;
      rawAttrEqual(raw, "f64", 2.5, "/g");
      rawAttrEqual(raw, "text", "µV – ünïcødé ✓", "/g");
      rawAttrEqual(raw, "i8", -128, "/g");
      ok("u64max" in raw && "i64min" in raw, "backdoor: 64-bit attributes are missing on /g");
    },
  },
  {
    id: "attributes.arrays",
    title: "array attributes (numeric, string, empty, 2-d) on groups and datasets",
    async run({ fixture }) {
      const tree = root();
      const d = tree.add(new DatasetBuilder("d", array([1, 2, 3], { dtype: "float64" })));
      d.setAttribute("ints", array([1, -2, 3], { dtype: "int16" }));
      d.setAttribute("floats", array([0.5, -1.5], { dtype: "float32" }));
      d.setAttribute("strings", new NdArray(["a", "béta", ""], [3], dtypes.utf8));
      d.setAttribute("u64s", new NdArray(new BigUint64Array([0n, U64_MAX]), [2], dtypes.uint64));
      d.setAttribute("grid", array([[1, 2, 3], [4, 5, 6]], { dtype: "int32" }));
      d.setAttribute("none", new NdArray(new Float64Array(0), [0], dtypes.float64));
      d.setAttribute("unit", "volts", "text");
      await roundTrip(fixture, tree, async (r) => {
        const rd = datasetAt(r, "/d");
        listEqual(attrList(attr(rd, "ints")).map(Number), [1, -2, 3], "read back: /d@ints");
        listEqual(attrList(attr(rd, "floats")).map(Number), [0.5, -1.5], "read back: /d@floats");
        listEqual(attrList(attr(rd, "strings")), ["a", "béta", ""], "read back: /d@strings");
        listEqual(attrList(attr(rd, "u64s")), [0n, U64_MAX], "read back: /d@u64s");
        const grid = attr(rd, "grid");
        ok(grid instanceof NdArray, "read back: /d@grid is not an array");
        equal(grid.shape.join(","), "2,3", "read back: /d@grid shape");
        listEqual(grid.toArray().map(Number), [1, 2, 3, 4, 5, 6], "read back: /d@grid");
        const none = attr(rd, "none");
        ok(none instanceof NdArray && none.size === 0, "read back: /d@none is not an empty array");
        equal(attrList(attr(rd, "unit"))[0], "volts", "read back: /d@unit");
      });
      const raw = asDataset(await fixture.peek("/d"), "/d").attributes;
      rawAttrEqual(raw, "ints", [1, -2, 3], "/d");
      rawAttrEqual(raw, "strings", ["a", "béta", ""], "/d");
      rawAttrEqual(raw, "unit", "volts", "/d");
    },
  },
  {
    id: "attributes.reference",
    title: "an attribute holding an object reference",
    requires: ["references"],
    async run({ fixture }) {
      const tree = root();
      const target = tree.group("target");
      const holder = tree.group("holder");
      holder.setAttribute("points_to", new ObjectReference(target.path, undefined, undefined, target));
      await roundTrip(fixture, tree, async (r) => {
        const v = attrList(attr(groupAt(r, "/holder"), "points_to"))[0];
        equal((plain(v) as { path?: string }).path, "/target", "read back: /holder@points_to path");
      });
      ok("points_to" in asGroup(await fixture.peek("/holder"), "/holder").attributes, "backdoor: /holder@points_to is missing");
    },
  },
  {
    id: "attributes.fixed-string",
    title: "fixed-length byte-string dataset and attribute",
    requires: ["fixedStrings"],
    async run({ fixture }) {
      const tree = root();
      const d = tree.add(new DatasetBuilder("codes", new NdArray(["ab", "cde", ""], [3], fixedString(3)), { dtype: fixedString(3) }));
      d.setAttribute("tag", "xyz", fixedString(3));
      await roundTrip(fixture, tree, async (r) => {
        const rd = datasetAt(r, "/codes");
        const v = await valuesOf(rd);
        listEqual(v.toArray(), ["ab", "cde", ""], "read back: /codes");
        equal(attrList(attr(rd, "tag"))[0], "xyz", "read back: /codes@tag");
      });
    },
  },
  {
    id: "groups.same-name-different-kinds",
    title: "a group tree with groups, datasets and attributes side by side reads back with nothing extra",
    async run({ fixture }) {
      const tree = root();
      const g = tree.group("acquisition");
      for (let i = 0; i < 5; i++) g.add(new DatasetBuilder(`d${i}`, array([i], { dtype: "int32" }))).setAttribute("i", i, "int32");
      await roundTrip(fixture, tree, async (r) => {
        const names = [...groupAt(r, "/acquisition").children()].map((c) => c.name).sort();
        listEqual(names, ["d0", "d1", "d2", "d3", "d4"], "read back: /acquisition children");
        for (let i = 0; i < 5; i++) equal(Number(attrList(attr(datasetAt(r, `/acquisition/d${i}`), "i"))[0]), i, `read back: /acquisition/d${i}@i`);
      });
      const raw = asGroup(await fixture.peek("/acquisition"), "/acquisition");
      listEqual([...raw.children].sort(), ["d0", "d1", "d2", "d3", "d4"], "backdoor: /acquisition children");
      rawAttrEqual(asDataset(await fixture.peek("/acquisition/d3"), "/acquisition/d3").attributes, "i", 3, "/acquisition/d3");
      ok(!(await fixture.peek("/acquisition/d9")), "backdoor: /acquisition/d9 should not exist");
    },
  },
];
