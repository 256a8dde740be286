/**
 * Link policies end to end: c_link_container.nwb exported with links preserved into another
 * folder still resolves them (targets relativised from the new place); across formats the
 * linked file converts with it, beside it, and hdmf-zarr / pynwb follow every link of the set
 * (py/follow_links.py); with links resolved it is self-contained. Broken links and link cycles
 * are typed errors (or kept and reported with allowBrokenLinks).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, readdirSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTo } from "../../src/backends/export-target.js";
import { openIO } from "../../src/backends/factory.js";
import { manifest } from "../../src/inspect/manifest.js";
import { LinkBuilder, DatasetBuilder } from "../../src/schema/builders.js";
import { isStoredDataset } from "../../src/data/data-source.js";
import { compare, FIXTURES, oracle, oraclePython, tempDir } from "./helpers.js";

const CONTAINER = join(FIXTURES, "c_link_container.nwb");
const SOURCE = join(FIXTURES, "c_link_source.nwb");

interface Followed { source: string; target_path: string; sha256: unknown }
/** Every link of an NWB file or store, followed by pynwb (HDF5) or hdmf-zarr (Zarr). */
function follow(location: string): Record<string, Followed> {
  const r = spawnSync(oraclePython(), [resolve(import.meta.dirname, "py/follow_links.py"), location], { encoding: "utf8", timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return (JSON.parse(r.stdout) as { links: Record<string, Followed> }).links;
}
let dir: string;
beforeAll(() => { dir = tempDir("links"); });
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

async function linkedValuesRead(location: string): Promise<number> {
  const io = await openIO(location, "r");
  try {
    const link = (await io.readBuilder()).find("/acquisition/linked_data_timeseries/data") as LinkBuilder;
    expect(link).toBeInstanceOf(LinkBuilder);
    const target = link.target instanceof DatasetBuilder ? link.target : undefined;
    const src = link.targetSource!;
    const other = await openIO(src, "r");
    try {
      const d = (await other.readBuilder()).find(link.targetPath) as DatasetBuilder;
      const v = isStoredDataset(d.data) ? await d.data.read() : d.data;
      return (target ? 1 : 0) + (v as { size: number }).size;
    } finally { await other.close(); }
  } finally { await io.close(); }
}

describe("preserve into another folder", () => {
  it.each(["hdf5"] as const)("%s: external links point at the source file from the new place and resolve", async (format) => {
    const sub = join(dir, `deep-${format}`, "er");
    mkdirSync(sub, { recursive: true });
    const dst = join(sub, format === "hdf5" ? "c.nwb" : "c.zarr");
    const r = await exportTo(CONTAINER, dst, { links: "preserve" });
    expect(r.links.preserved).toBe(3);
    const m = await manifest(dst);
    const ext = m.objects.filter((o) => o.kind === "external_link" || (o.kind === "zarr_link" && o.target_file !== "."));
    expect(ext.length).toBe(3);
    // HDF5: relative to the file's folder; hdmf-zarr: relative to the store itself
    const source = resolve(dirname(CONTAINER), "c_link_source.nwb");
    const want = relative(format === "hdf5" ? dirname(resolve(dst)) : resolve(dst), source);
    for (const o of ext) expect(String(o.target_file)).toBe(want);
    expect(await linkedValuesRead(dst)).toBeGreaterThan(0);
    // compare.py resolves every link target against the file's folder; hdmf-zarr (and ZarrIO)
    // resolve a zarr_link source against the store path itself, one level deeper. So the Zarr
    // copy is compared link for link, and its links are followed by our reader above.
    expect(compare(CONTAINER, dst, format === "hdf5")).toEqual([]);
    if (format === "hdf5") expect(oracle("check_nwb.py", [dst]).code).toBe(0);
  });
});

describe("a linked file set converts as a set (--links preserve across formats)", () => {
  const LINKS = ["/acquisition/linked_data_timeseries/data", "/acquisition/linked_data_timeseries/timestamps", "/acquisition/test_timeseries1"];
  let zarrSet: string;

  it("HDF5 -> Zarr: the linked file becomes c_link_source.nwb.zarr beside the store; hdmf-zarr follows every link into it", async () => {
    zarrSet = join(dir, "set-zarr", "sub", "c.nwb.zarr");
    const linked = join(dir, "set-zarr", "sub", "c_link_source.nwb.zarr");
    const r = await exportTo(CONTAINER, zarrSet, { links: "preserve" });
    expect(r.files).toEqual([zarrSet, linked]);
    expect(r.notes).toContain(`converted linked file ${SOURCE} -> ${linked}`);
    expect(r.links.preserved).toBe(3);
    // the links name the converted store, relative to the store itself (hdmf-zarr's rule)
    const ext = (await manifest(zarrSet)).objects.filter((o) => o.kind === "zarr_link");
    expect(ext.map((o) => o.target_file)).toEqual(["../c_link_source.nwb.zarr", "../c_link_source.nwb.zarr", "../c_link_source.nwb.zarr"]);
    const check = oracle("check_nwb.py", [zarrSet]);
    expect(check.code, check.out).toBe(0);
    const original = follow(CONTAINER);
    const got = follow(zarrSet);
    expect(Object.keys(got)).toEqual(LINKS);
    for (const p of LINKS) {
      expect(got[p]!.source, p).toBe(linked);
      expect(got[p]!.sha256, p).toEqual(original[p]!.sha256);
    }
    expect(compare(SOURCE, linked)).toEqual([]);
    // content equal; the only differences are the renamed link targets
    expect(compare(CONTAINER, zarrSet)).toEqual(LINKS.map((p) => `${p} target_file: A='c_link_source.nwb' B='c_link_source.nwb.zarr'`));
  });

  it("Zarr -> HDF5: the set comes back as c.nwb + c_link_source.nwb, equal to the fixtures; pynwb follows every link", async () => {
    const back = join(dir, "set-back", "c.nwb");
    const linked = join(dir, "set-back", "c_link_source.nwb");
    const r = await exportTo(zarrSet, back, { links: "preserve" });
    expect(r.files).toEqual([back, linked]);
    const check = oracle("check_nwb.py", [back]);
    expect(check.code, check.out).toBe(0);
    const got = follow(back);
    expect(Object.keys(got)).toEqual(LINKS);
    for (const p of LINKS) expect(got[p]!.source, p).toBe(linked);
    expect(compare(CONTAINER, back)).toEqual([]);
    expect(compare(CONTAINER, back, true)).toEqual([]);
    expect(compare(SOURCE, linked)).toEqual([]);
  });

  it("same format: Zarr -> Zarr keeps the links to the original store and writes one store", async () => {
    const dst = join(dir, "set-same", "c.nwb.zarr");
    const r = await exportTo(zarrSet, dst, { links: "preserve" });
    expect(r.files).toEqual([dst]);
    const got = follow(dst);
    for (const p of LINKS) expect(got[p]!.source, p).toBe(join(dirname(zarrSet), "c_link_source.nwb.zarr"));
  });

  it("a converted file that already exists is a ModeError before anything is written", async () => {
    const folder = join(dir, "set-exists");
    mkdirSync(folder);
    mkdirSync(join(folder, "c_link_source.nwb.zarr"));
    await expect(exportTo(CONTAINER, join(folder, "c.nwb.zarr"))).rejects.toMatchObject({ kind: "mode", path: join(folder, "c_link_source.nwb.zarr") });
    expect(readdirSync(folder)).toEqual(["c_link_source.nwb.zarr"]);
  });
});

describe("resolve", () => {
  it.each(["hdf5", "zarr"] as const)("%s: self-contained, equal to the source with its links inlined", async (format) => {
    const dst = join(dir, format === "hdf5" ? "resolved.nwb" : "resolved.zarr");
    const r = await exportTo(CONTAINER, dst, { links: "resolve" });
    expect(r.links.resolved).toBe(3);
    const m = await manifest(dst);
    expect(m.objects.filter((o) => o.kind === "external_link" || (o.kind === "zarr_link" && o.target_file !== "."))).toEqual([]);
    expect(compare(CONTAINER, dst, true)).toEqual([]);
    expect(compare(join(FIXTURES, "c_link_copy.nwb"), dst, true).filter((d) => !/object_id|identifier|session_description/.test(d)).length).toBeLessThan(20);
    const check = oracle("check_nwb.py", [dst]);
    expect(check.code, check.out).toBe(0);
  });
});

describe("broken links", () => {
  it("a link whose target file is missing is a LinkError naming it; allowBrokenLinks keeps and reports it", async () => {
    const lone = join(dir, "lone");
    mkdirSync(lone);
    const src = join(lone, "c_link_container.nwb");
    copyFileSync(CONTAINER, src);
    for (const links of ["preserve", "resolve"] as const) {
      await expect(exportTo(src, join(lone, `out-${links}.zarr`), { links })).rejects.toMatchObject({ kind: "link", target: expect.stringContaining("c_link_source.nwb") });
    }
    const r = await exportTo(src, join(lone, "kept.zarr"), { allowBrokenLinks: true });
    expect(r.links.broken.length).toBe(3);
    const m = await manifest(join(lone, "kept.zarr"));
    expect(m.objects.filter((o) => o.kind === "zarr_link" && String(o.target_file).endsWith("c_link_source.nwb")).length).toBe(3);
  });
});

describe("link cycles", () => {
  it("a.h5 -> b.h5 -> a.h5 (and both -> c.h5): resolve is a LinkError naming the cycle; preserve converts each file once and closes the cycle on the copies", async () => {
    const cyc = join(dir, "cycle");
    mkdirSync(cyc);
    const py = spawnSync("/usr/bin/python3", ["-c", `
import h5py
for me, other in (("a", "b"), ("b", "a")):
    with h5py.File("${cyc}/%s.h5" % me, "w") as f:
        g = f.create_group("g")
        g.create_dataset("x", data=[1, 2, 3])
        g["l"] = h5py.ExternalLink("%s.h5" % other, "/g")
        f["shared"] = h5py.ExternalLink("c.h5", "/y")
with h5py.File("${cyc}/c.h5", "w") as f:
    f.create_dataset("y", data=[4, 5])
`], { encoding: "utf8" });
    expect(py.status, py.stderr).toBe(0);
    await expect(exportTo(join(cyc, "a.h5"), join(cyc, "a.zarr"), { links: "resolve" })).rejects.toMatchObject({ kind: "link", message: expect.stringMatching(/cycle/) });
    const out = join(cyc, "out");
    const r = await exportTo(join(cyc, "a.h5"), join(out, "a.zarr"), { links: "preserve" });
    expect(r.files[0]).toBe(join(out, "a.zarr"));
    expect([...r.files].sort()).toEqual([join(out, "a.zarr"), join(out, "b.h5.zarr"), join(out, "c.h5.zarr")]);
    expect(r.links.preserved).toBe(4);
    const links = async (store: string): Promise<string[]> => (await manifest(store)).objects.filter((o) => o.kind === "zarr_link").map((o) => `${o.path} -> ${String(o.target_file)}`);
    expect(await links(join(out, "a.zarr"))).toEqual(["/g/l -> ../b.h5.zarr", "/shared -> ../c.h5.zarr"]);
    expect(await links(join(out, "b.h5.zarr"))).toEqual(["/g/l -> ../a.zarr", "/shared -> ../c.h5.zarr"]);
    const io = await openIO(join(out, "b.h5.zarr"), "r");
    try {
      const l = (await io.readBuilder()).find("/g/l") as LinkBuilder;
      expect(l.targetSource).toBe(join(out, "a.zarr"));
    } finally { await io.close(); }
  });
});
