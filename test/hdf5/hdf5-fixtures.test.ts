/**
 * Every HDF5 fixture written by pynwb/h5py reads back through HDF5IO with the values, layout,
 * filters, fill values, attributes and links that ../shared/fixtures/manifest.json records.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HDF5IO, openHdf5 } from "../../src/backends/hdf5/index.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder } from "../../src/schema/builders.js";
import { NdArray } from "../../src/data/ndarray.js";
import { ObjectReference, isReference } from "../../src/data/reference.js";
import { isStoredDataset } from "../../src/data/data-source.js";
import { fieldSha256, manifestSha256 } from "../helpers/manifest-sha.js";

const FIXTURES = "/work/shared/fixtures";

interface ManifestObject {
  path: string;
  kind: string;
  shape?: number[] | null;
  chunks?: number[] | null;
  maxshape?: Array<number | null> | null;
  filters?: Array<{ id: number; flags: number; cd_values: number[] }>;
  fillvalue?: unknown;
  stored_chunks?: number | null;
  sha256?: string;
  field_sha256?: Record<string, string>;
  attrs?: Record<string, unknown>;
  target_path?: string;
  target_file?: string;
}

const manifest = JSON.parse(readFileSync(join(FIXTURES, "manifest.json"), "utf8")) as {
  files: Record<string, { backend: string; objects: ManifestObject[] }>;
};
const HDF5_FILES = Object.entries(manifest.files).filter(([, f]) => f.backend === "hdf5").map(([name]) => name);

function jsonOf(v: unknown): unknown {
  if (v instanceof NdArray) return v.toArray().map(jsonOf);
  if (isReference(v)) return { $ref: (v as ObjectReference).resolvedPath };
  if (typeof v === "bigint") return Number(v);
  if (typeof v === "number") return Number.isNaN(v) ? "NaN" : v === Infinity ? "Infinity" : v === -Infinity ? "-Infinity" : v;
  return v;
}

function attrsOf(b: Builder): Record<string, unknown> {
  return Object.fromEntries([...b.attributes].map(([k, a]) => [k, jsonOf(a.value)]));
}

function index(root: GroupBuilder): Map<string, Builder> {
  const out = new Map<string, Builder>();
  const visit = (g: GroupBuilder, path: string): void => {
    out.set(path, g);
    for (const c of g.children()) {
      const p = path === "/" ? `/${c.name}` : `${path}/${c.name}`;
      if (c instanceof GroupBuilder) visit(c, p);
      else out.set(p, c);
    }
  };
  visit(root, "/");
  return out;
}

describe.each(HDF5_FILES)("fixture %s", (name) => {
  const objects = manifest.files[name]!.objects;
  let io: HDF5IO;
  let tree: Map<string, Builder>;

  beforeAll(async () => {
    io = await openHdf5(join(FIXTURES, name), "r");
    tree = index(await io.readBuilder());
  });
  afterAll(async () => {
    await io?.close();
  });

  it("every dataset reads back with the manifest's values, layout, filters and fill value", async () => {
    const datasets = objects.filter((o) => o.kind === "dataset");
    expect(datasets.length).toBeGreaterThan(0);
    for (const o of datasets) {
      const ds = await io.dataset(o.path);
      expect(o.shape === null ? [0] : ds.shape, o.path).toEqual(o.shape ?? [0]);
      const value = await ds.read();
      if (o.field_sha256) expect(fieldSha256(value), o.path).toEqual(o.field_sha256);
      expect(manifestSha256(value), o.path).toBe(o.sha256);
      expect(ds.storage.chunks, o.path).toEqual(o.chunks ?? null);
      if (o.maxshape) expect(ds.maxshape, o.path).toEqual(o.maxshape);
      expect(ds.filters.map((f) => ({ id: f.id, flags: f.flags, cd_values: [...f.cdValues] })), o.path).toEqual((o.filters ?? []).map((f) => ({ id: f.id, flags: f.flags, cd_values: f.cd_values })));
      if (typeof o.fillvalue === "number" || o.fillvalue === "NaN") expect(jsonOf(ds.storage.fillvalue), o.path).toEqual(o.fillvalue);
      if (typeof o.stored_chunks === "number") expect(await ds.storedChunkCount(), o.path).toBe(o.stored_chunks);
    }
  });

  it("readBuilder gives the manifest's tree: groups, datasets, attributes and links", () => {
    for (const o of objects) {
      if (o.path.startsWith("/specifications")) {
        expect(tree.has(o.path), o.path).toBe(false); // the cached spec stays out of the tree, as in hdmf
        continue;
      }
      const b = tree.get(o.path);
      expect(b, o.path).toBeDefined();
      if (o.kind === "group") expect(b, o.path).toBeInstanceOf(GroupBuilder);
      if (o.kind === "dataset") expect(b, o.path).toBeInstanceOf(DatasetBuilder);
      if (o.kind === "soft_link") {
        expect(b, o.path).toBeInstanceOf(LinkBuilder);
        expect((b as LinkBuilder).targetPath).toBe(o.target_path);
      }
      if (o.kind === "external_link") {
        const l = b as LinkBuilder;
        expect(l, o.path).toBeInstanceOf(LinkBuilder);
        expect(l.targetPath).toBe(o.target_path);
        expect(l.targetSource).toBe(join(FIXTURES, o.target_file!));
      }
      if (o.attrs && (o.kind === "group" || o.kind === "dataset")) {
        const want = { ...o.attrs };
        delete want[".specloc"];
        expect(attrsOf(b!), o.path).toEqual(want);
      }
    }
  });

  it("external link targets read as lazy datasets of the linked file (relative names)", async () => {
    const links = objects.filter((o) => o.kind === "external_link");
    for (const o of links) {
      const target = (tree.get(o.path) as LinkBuilder).target as Builder;
      const src = manifest.files[o.target_file!]!.objects.find((x) => x.path === o.target_path)!;
      if (target instanceof DatasetBuilder) {
        const data = isStoredDataset(target.data) ? await target.data.read() : (target.data as NdArray);
        expect(manifestSha256(data), o.path).toBe(src.sha256);
        const viaIo = await io.dataset(o.path);
        expect(viaIo.source).toBe(join(FIXTURES, o.target_file!));
      } else {
        expect(target).toBeInstanceOf(GroupBuilder);
        expect((target as GroupBuilder).source).toBe(join(FIXTURES, o.target_file!));
      }
    }
  });

  it("the cached spec reads back when the file has one", async () => {
    const specs = await io.readCachedSpecs();
    const want = objects.filter((o) => o.path.startsWith("/specifications/") && o.kind === "dataset");
    expect(specs.length).toBe(want.length);
  });
});
