/**
 * Every object of ../shared/fixtures/e_zarr_direct.nwb.zarr (written by hdmf-zarr 0.6 with
 * pickled references) reads back with the values manifest.json records.
 */
import { readFileSync } from "node:fs";
import { describe, expect, it, beforeAll, afterAll } from "vitest";
import { openZarr, type ZarrIO } from "../../src/backends/zarr/index.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder } from "../../src/schema/builders.js";
import { valueOf } from "./sample-tree.js";
import { manifestSha256, fieldSha256, renderRef } from "../helpers/manifest-sha.js";

const FIXTURES = new URL("../../../shared/fixtures/", import.meta.url).pathname;
const NAME = "e_zarr_direct.nwb.zarr";

interface ManifestObject {
  path: string;
  kind: "group" | "dataset" | "zarr_link";
  shape?: number[];
  sha256?: string;
  field_sha256?: Record<string, string>;
  attrs?: Record<string, unknown>;
  target_file?: string;
  target_path?: string;
  ref_targets?: string[];
}

const manifest = JSON.parse(readFileSync(`${FIXTURES}manifest.json`, "utf8")) as {
  files: Record<string, { objects: ManifestObject[] }>;
};
const objects = manifest.files[NAME]!.objects;
const isSpec = (p: string): boolean => p === "/specifications" || p.startsWith("/specifications/");

describe(`${NAME} reads back as its manifest says`, () => {
  let io: ZarrIO;
  let root: GroupBuilder;
  beforeAll(async () => {
    io = await openZarr(`${FIXTURES}${NAME}`, "r");
    root = await io.readBuilder();
  });
  afterAll(async () => { await io?.close(); });

  it("holds every group, dataset and link of the manifest, and nothing else", () => {
    const seen = new Set<string>();
    for (const b of root.walk()) seen.add(b.path === "/" ? "/" : (b.locationPath ?? b.path));
    const inTree = objects.filter((o) => !isSpec(o.path));
    for (const o of inTree) expect(seen.has(o.path), o.path).toBe(true);
    for (const o of objects.filter((x) => isSpec(x.path))) expect(seen.has(o.path), o.path).toBe(false); // the cached spec stays out of the tree, as in hdmf
    expect(seen.size).toBe(inTree.length);
  });

  const datasets = objects.filter((o) => o.kind === "dataset");
  it.each(datasets.map((o) => [o.path, o] as const))("%s has the manifest's sha256", async (_p, o) => {
    // the cached spec is out of the tree; its datasets still read through io.dataset
    const value = isSpec(o.path) ? await (await io.dataset(o.path)).read() : await valueOf(root.find(o.path));
    if (!isSpec(o.path)) expect(root.find(o.path)).toBeInstanceOf(DatasetBuilder);
    expect(value.size).toBe(o.shape!.reduce((x, y) => x * y, 1));
    if (o.field_sha256) expect(fieldSha256(value)).toEqual(o.field_sha256);
    if (o.ref_targets) expect(value.toArray().map(renderRef)).toEqual(o.ref_targets);
    expect(manifestSha256(value)).toBe(o.sha256);
  });

  it("reads zarr_link entries as links to the builders they name", () => {
    for (const o of objects.filter((x) => x.kind === "zarr_link")) {
      const l = root.find(o.path);
      expect(l, o.path).toBeInstanceOf(LinkBuilder);
      expect((l as LinkBuilder).targetPath).toBe(o.target_path);
      expect((l as LinkBuilder).target).toBeInstanceOf(o.target_path!.endsWith("timestamps") ? DatasetBuilder : GroupBuilder);
    }
  });

  it("decodes attributes, reference attributes included", () => {
    const table = root.find("/acquisition/ElectricalSeries/electrodes")!;
    expect(String(table.getAttribute("table"))).toBe("/general/extracellular_ephys/electrodes");
    const ts = root.find("/acquisition/ElectricalSeries/data")!;
    expect(ts.getAttribute("conversion")).toBe(1e-6);
    expect(ts.attributes.get("offset")!.dtype).toMatchObject({ kind: "numeric", name: "float64" });
    expect(root.getAttribute("nwb_version")).toBe("2.7.0");
    expect(ts.getAttribute("zarr_dtype")).toBeUndefined();
  });

  it("reads the cached specs", async () => {
    const specs = await io.readCachedSpecs();
    const names = specs.map((s) => `${s.namespace}/${s.version}/${s.source}`);
    expect(names).toContain("core/2.7.0/namespace");
    expect(names).toContain("hdmf-common/1.8.0/table");
    expect(JSON.parse(specs.find((s) => s.source === "namespace" && s.namespace === "core")!.text).namespaces[0].name).toBe("core");
  });
});
