/** Soft and external links, object references (in datasets, attributes and compound rows). */
import { compound, dtypes } from "../../data/dtype.js";
import { array, NdArray } from "../../data/ndarray.js";
import { ObjectReference } from "../../data/reference.js";
import { DatasetBuilder, LinkBuilder, type Builder } from "../../schema/builders.js";
import { arrayEqual, asLink, equal, listEqual, ok, plain, show } from "../check.js";
import type { ConformanceCase } from "../types.js";
import { datasetAt, linkAt, root, roundTrip, valuesOf } from "./util.js";

function refTo(b: Builder): ObjectReference {
  return new ObjectReference(b.path, undefined, undefined, b);
}

const basename = (p: string): string => p.replace(/\/+$/, "").split(/[/\\]/).pop() ?? p;

export const linkCases: ConformanceCase[] = [
  {
    id: "links.soft",
    title: "soft links to a group and to a dataset",
    requires: ["softLinks"],
    async run({ fixture }) {
      const tree = root();
      const g = tree.group("processing").group("module");
      const d = g.add(new DatasetBuilder("data", array([1, 2, 3], { dtype: "int64" })));
      const links = tree.group("links");
      links.add(new LinkBuilder("to_group", g));
      links.add(new LinkBuilder("to_data", d));
      await roundTrip(fixture, tree, async (r) => {
        equal(linkAt(r, "/links/to_group").targetPath, "/processing/module", "read back: /links/to_group target");
        equal(linkAt(r, "/links/to_data").targetPath, "/processing/module/data", "read back: /links/to_data target");
        ok(!linkAt(r, "/links/to_data").targetSource || basename(linkAt(r, "/links/to_data").targetSource!) === basename(r.source ?? ""),
          `read back: /links/to_data is a soft link but names another file (${show(linkAt(r, "/links/to_data").targetSource)})`);
      });
      const raw = asLink(await fixture.peek("/links/to_data"), "/links/to_data");
      equal(raw.target, "/processing/module/data", "backdoor: /links/to_data target");
      equal(raw.file, undefined, "backdoor: /links/to_data file (a soft link names none)");
    },
  },
  {
    id: "links.external",
    title: "an external link to a dataset in another file/store",
    requires: ["externalLinks"],
    async run({ fixture }) {
      ok(fixture.external, "fixture declares externalLinks but has no external()");
      const ext = await fixture.external("other");
      const eio = await ext.create("w");
      const other = root();
      other.add(new DatasetBuilder("data", array([10, 20, 30], { dtype: "float32" })));
      try { await eio.write(other, { cacheSpec: false }); } finally { await eio.close(); }
      const tree = root();
      tree.group("acquisition").add(new LinkBuilder("ext", { path: "/data", source: ext.source }));
      await roundTrip(fixture, tree, async (r) => {
        const l = linkAt(r, "/acquisition/ext");
        equal(l.targetPath, "/data", "read back: /acquisition/ext target path");
        ok(l.targetSource !== undefined && basename(l.targetSource) === basename(ext.source),
          `read back: /acquisition/ext should name ${ext.source}, names ${show(l.targetSource)}`);
      });
      const raw = asLink(await fixture.peek("/acquisition/ext"), "/acquisition/ext");
      equal(raw.target, "/data", "backdoor: /acquisition/ext target");
      ok(raw.file !== undefined && basename(raw.file) === basename(ext.source), `backdoor: /acquisition/ext file is ${show(raw.file)}, expected ${ext.source}`);
    },
  },
  {
    id: "references.dataset",
    title: "a dataset of object references to a group and a dataset",
    requires: ["references"],
    async run({ fixture }) {
      const tree = root();
      const g = tree.group("units");
      const d = tree.group("acquisition").add(new DatasetBuilder("raw", array([1.5], { dtype: "float64" })));
      tree.add(new DatasetBuilder("refs", new NdArray([refTo(g), refTo(d), refTo(g)], [3], dtypes.objectRef)));
      await roundTrip(fixture, tree, async (r) => {
        const v = await valuesOf(datasetAt(r, "/refs"));
        equal(v.dtype.kind, "reference", "read back: /refs dtype kind");
        listEqual(v.toArray().map((x) => (plain(x) as { path: string }).path), ["/units", "/acquisition/raw", "/units"], "read back: /refs targets");
      });
    },
  },
  {
    id: "references.compound",
    title: "compound rows with a reference field (hdmf TimeSeriesReference layout)",
    requires: ["compoundReferences"],
    async run({ fixture }) {
      const tree = root();
      const ts = tree.group("acquisition").group("ts");
      ts.add(new DatasetBuilder("data", array([0, 1, 2, 3], { dtype: "float64" })));
      const dt = compound([{ name: "idx_start", dtype: dtypes.int32 }, { name: "count", dtype: dtypes.int32 }, { name: "timeseries", dtype: dtypes.objectRef }]);
      const rows = [{ idx_start: 0, count: 2, timeseries: refTo(ts) }, { idx_start: 2, count: 2, timeseries: refTo(ts) }];
      tree.add(new DatasetBuilder("epochs_ts", new NdArray(rows, [2], dt)));
      await roundTrip(fixture, tree, async (r) => {
        const v = await valuesOf(datasetAt(r, "/epochs_ts"));
        equal(v.dtype.kind, "compound", "read back: /epochs_ts dtype kind");
        listEqual(v.toArray().map(plain), rows.map(plain), "read back: /epochs_ts rows");
      });
    },
  },
  {
    id: "references.roundtrip-target",
    title: "a reference read back points to data that reads back equal",
    requires: ["references"],
    async run({ fixture }) {
      const tree = root();
      const data = array([[1, 2], [3, 4]], { dtype: "int32" });
      const d = tree.add(new DatasetBuilder("target", data));
      tree.add(new DatasetBuilder("ref", new NdArray([refTo(d)], [1], dtypes.objectRef)));
      await roundTrip(fixture, tree, async (r, io) => {
        const v = await valuesOf(datasetAt(r, "/ref"));
        const path = (plain(v.toArray()[0]) as { path: string }).path;
        arrayEqual(await (await io.dataset(path)).read(), data, `dataset(${path}) through the reference`);
      });
    },
  },
];
