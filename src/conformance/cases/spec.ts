/** The cached spec (/specifications/<ns>/<version>/<source>) and a whole NWB file with tables. */
import { dtypes } from "../../data/dtype.js";
import { NdArray } from "../../data/ndarray.js";
import { DatasetBuilder, GroupBuilder } from "../../schema/builders.js";
import { cacheSpecs, loadCachedSpecs, type CachedSpecEntry } from "../../schema/spec/cache.js";
import { loadBundledCatalog } from "../../schema/spec/load.js";
import { equal, fail, ok } from "../check.js";
import type { ConformanceCase } from "../types.js";
import { groupAt, root, roundTrip, valuesOf } from "./util.js";

async function readEntries(spec: GroupBuilder): Promise<CachedSpecEntry[]> {
  const out: CachedSpecEntry[] = [];
  for (const ns of spec.groups.values()) {
    for (const ver of ns.groups.values()) {
      for (const d of ver.datasets.values()) {
        const v = await valuesOf(d);
        const text = v.toArray()[0];
        if (typeof text !== "string") fail(`read back: ${d.path} is not a string (${v.dtype.kind})`);
        out.push({ namespace: ns.name, version: ver.name, source: d.name, text });
      }
    }
  }
  return out;
}

export const specCases: ConformanceCase[] = [
  {
    id: "spec.cached",
    title: "the cached spec (hdmf-common + NWB core, hdmf's JSON) round-trips byte for byte and loads",
    async run({ fixture }) {
      const catalog = await loadBundledCatalog();
      const entries = cacheSpecs(catalog);
      const tree = root();
      const spec = tree.group("specifications");
      for (const e of entries) {
        spec.group(e.namespace).group(e.version).add(new DatasetBuilder(e.source, new NdArray([e.text], [], dtypes.utf8)));
      }
      await roundTrip(fixture, tree, async (r) => {
        const back = await readEntries(groupAt(r, "/specifications"));
        equal(back.length, entries.length, "read back: cached spec entries");
        for (const e of entries) {
          const hit = back.find((b) => b.namespace === e.namespace && b.version === e.version && b.source === e.source);
          ok(hit, `read back: /specifications/${e.namespace}/${e.version}/${e.source} is missing`);
          equal(hit.text.length, e.text.length, `read back: /specifications/${e.namespace}/${e.version}/${e.source} length`);
          ok(hit.text === e.text, `read back: /specifications/${e.namespace}/${e.version}/${e.source} text differs`);
        }
        const loaded = loadCachedSpecs(back);
        ok(loaded.hasNamespace("core") && loaded.getNamespace("core").hasType("TimeSeries"), "cached NWB core does not define TimeSeries after reading");
        ok(loaded.hasNamespace("hdmf-common") && loaded.getNamespace("hdmf-common").hasType("DynamicTable"), "cached hdmf-common does not define DynamicTable after reading");
      });
    },
  },
];
