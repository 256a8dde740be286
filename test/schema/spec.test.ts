import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { readFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import {
  cacheSpecs, GroupSpec, loadBundledCatalog, loadCachedSpecs, loadNamespaceFile, NamespaceCatalog, pyFloatRepr,
  pyJsonDumps, DatasetSpec, type CachedSpecEntry,
} from "../../src/schema/index.js";

const FIXTURE = JSON.parse(readFileSync(new URL("./fixtures/pynwb-2.8.2-cached-specs.json", import.meta.url), "utf8")) as CachedSpecEntry[];

let catalog: NamespaceCatalog;
beforeAll(async () => { catalog = await loadBundledCatalog(); });

function ownTypes(ns: string): string[] {
  return [...catalog.getNamespace(ns).sourceTypes.values()].flat();
}

describe("bundled schemas", () => {
  it("loads hdmf-common 1.8.0, hdmf-experimental 0.5.0 and core 2.7.0", () => {
    expect(catalog.namespaces).toEqual(["hdmf-common", "hdmf-experimental", "core"]);
    expect(catalog.getNamespace("core").version).toBe("2.7.0");
    expect(catalog.getNamespace("hdmf-common").version).toBe("1.8.0");
    expect(ownTypes("hdmf-common")).toContain("DynamicTable");
    expect(ownTypes("core")).toContain("ElectricalSeries");
    expect(ownTypes("core").length).toBeGreaterThan(60);
  });

  it("resolves every type with its full inheritance", () => {
    for (const ns of ["hdmf-common", "hdmf-experimental", "core"]) {
      for (const dt of ownTypes(ns)) {
        const h = catalog.getHierarchy(ns, dt);
        expect(["Container", "Data"], `${ns}:${dt} -> ${h.join(" > ")}`).toContain(h[h.length - 1]);
        const spec = catalog.getSpec(ns, dt);
        for (const parentType of h.slice(1)) {
          const parent = catalog.getSpec(ns, parentType);
          expect(parent instanceof GroupSpec).toBe(spec instanceof GroupSpec);
          for (const a of parent.attributes) expect(spec.getAttribute(a.name), `${dt} lacks ${parentType}.${a.name}`).toBeDefined();
          if (parent instanceof GroupSpec && spec instanceof GroupSpec) {
            for (const d of parent.datasets) if (d.name) expect(spec.getDataset(d.name), `${dt} lacks ${parentType}/${d.name}`).toBeDefined();
            for (const g of parent.groups) if (g.name) expect(spec.getGroup(g.name), `${dt} lacks ${parentType}/${g.name}`).toBeDefined();
          }
        }
      }
    }
  });

  it("merges overridden sub-specs with the parent's (ElectricalSeries/data keeps TimeSeries' data attributes)", () => {
    const es = catalog.getSpec("core", "ElectricalSeries") as GroupSpec;
    const data = es.getDataset("data")!;
    expect(data.attributes.map((a) => a.name)).toEqual(expect.arrayContaining(["unit", "conversion", "offset", "resolution"]));
    expect(data.getAttribute("unit")!.value).toBe("volts");
    const tsr = catalog.getSpec("core", "TimeSeriesReferenceVectorData") as DatasetSpec;
    expect(tsr.getAttribute("description")).toBeDefined();
    expect(Array.isArray(tsr.dtype)).toBe(true);
  });
});

describe("cached specs", () => {
  it("writes exactly what pynwb 2.8.2 caches", () => {
    const mine = cacheSpecs(catalog);
    expect(mine.map((e) => `${e.namespace}/${e.version}/${e.source}`).sort())
      .toEqual(FIXTURE.map((e) => `${e.namespace}/${e.version}/${e.source}`).sort());
    for (const e of FIXTURE) {
      const m = mine.find((x) => x.namespace === e.namespace && x.source === e.source)!;
      expect(m.text, `${e.namespace}/${e.source}`).toBe(e.text);
    }
  });

  it("round-trips load -> cache -> load losslessly", () => {
    const again = loadCachedSpecs(cacheSpecs(catalog));
    expect(again.namespaces.sort()).toEqual(catalog.namespaces.sort());
    for (const ns of catalog.namespaces) {
      expect(again.getNamespace(ns).registeredTypes().sort()).toEqual(catalog.getNamespace(ns).registeredTypes().sort());
      for (const dt of catalog.getNamespace(ns).registeredTypes()) {
        // Same content; key order may differ where hdmf's own dict order depends on the input spelling.
        expect(JSON.parse(pyJsonDumps(again.getSpec(ns, dt))), `${ns}:${dt}`).toEqual(JSON.parse(pyJsonDumps(catalog.getSpec(ns, dt))));
        expect(again.getHierarchy(ns, dt)).toEqual(catalog.getHierarchy(ns, dt));
      }
    }
    expect(cacheSpecs(again).map((e) => e.text).sort()).toEqual(cacheSpecs(catalog).map((e) => e.text).sort());
  });

  it("reads a file's cache and writes it back unchanged", () => {
    const fromFile = loadCachedSpecs(FIXTURE);
    const out = cacheSpecs(fromFile);
    for (const e of FIXTURE) expect(out.find((x) => x.namespace === e.namespace && x.source === e.source)!.text).toBe(e.text);
  });

  it("spells floats and non-ASCII text as Python's json does", () => {
    expect(pyFloatRepr(-1)).toBe("-1.0");
    expect(pyFloatRepr(1e-6)).toBe("1e-06");
    expect(pyFloatRepr(0.001)).toBe("0.001");
    expect(pyFloatRepr(1e16)).toBe("1e+16");
    expect(pyFloatRepr(123456.5)).toBe("123456.5");
    expect(pyJsonDumps({ a: "é\n", b: [1, 2.5] })).toBe('{"a":"\\u00e9\\n","b":[1,2.5]}');
  });
});

describe("spec errors", () => {
  let dir: string;
  beforeAll(async () => { dir = await mkdtemp(join(tmpdir(), "hdmf-spec-")); });
  afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

  async function load(ext: string): Promise<unknown> {
    await writeFile(join(dir, "ns.yaml"), "namespaces:\n- name: ext\n  doc: d\n  version: 0.1.0\n  schema:\n  - namespace: core\n  - source: ext.yaml\n");
    await writeFile(join(dir, "ext.yaml"), ext);
    const cat = await loadBundledCatalog();
    return loadNamespaceFile(join(dir, "ns.yaml"), cat).then(() => cat);
  }

  it("names the file and the key of an unknown key", async () => {
    const err = await load("groups:\n- neurodata_type_def: Foo\n  neurodata_type_inc: NWBDataInterface\n  doc: d\n  colour: red\n").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toContain("ext.yaml");
    expect((err as Error).message).toContain("colour");
  });

  it("names the file and the key of a value of the wrong type", async () => {
    const err = await load("groups:\n- neurodata_type_def: Foo\n  neurodata_type_inc: NWBDataInterface\n  doc: d\n  attributes:\n  - name: a\n    doc: d\n    dtype: floaty\n").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as Error).message).toMatch(/ext\.yaml.*attributes\[a\]\.dtype/);
  });

  it("loads a valid extension that extends a core type", async () => {
    const cat = await load("groups:\n- neurodata_type_def: Foo\n  neurodata_type_inc: TimeSeries\n  doc: d\n  attributes:\n  - name: gain\n    doc: g\n    dtype: float64\n") as NamespaceCatalog;
    expect(cat.getHierarchy("ext", "Foo")).toEqual(["Foo", "TimeSeries", "NWBDataInterface", "NWBContainer", "Container"]);
    expect((cat.getSpec("ext", "Foo") as GroupSpec).getDataset("data")).toBeDefined();
  });
});
