/**
 * Link policies end to end: c_link_container.nwb exported with links preserved into another
 * folder still resolves them (targets relativised from the new place, HDF5 and Zarr forms);
 * with links resolved it is self-contained. Broken links and link cycles are typed errors
 * (or kept and reported with allowBrokenLinks).
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdirSync, rmSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTo } from "../../src/backends/export-target.js";
import { openIO } from "../../src/backends/factory.js";
import { manifest } from "../../src/inspect/manifest.js";
import { LinkBuilder, DatasetBuilder } from "../../src/schema/builders.js";
import { isStoredDataset } from "../../src/data/data-source.js";
import { compare, FIXTURES, oracle, tempDir } from "./helpers.js";

const CONTAINER = join(FIXTURES, "c_link_container.nwb");
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
  it.each(["hdf5", "zarr"] as const)("%s: external links point at the source file from the new place and resolve", async (format) => {
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
  it("a.h5 -> b.h5 -> a.h5: resolve is a LinkError naming the cycle; preserve keeps the links", async () => {
    const cyc = join(dir, "cycle");
    mkdirSync(cyc);
    const py = spawnSync("/usr/bin/python3", ["-c", `
import h5py
for me, other in (("a", "b"), ("b", "a")):
    with h5py.File("${cyc}/%s.h5" % me, "w") as f:
        g = f.create_group("g")
        g.create_dataset("x", data=[1, 2, 3])
        g["l"] = h5py.ExternalLink("%s.h5" % other, "/g")
`], { encoding: "utf8" });
    expect(py.status, py.stderr).toBe(0);
    await expect(exportTo(join(cyc, "a.h5"), join(cyc, "a.zarr"), { links: "resolve" })).rejects.toMatchObject({ kind: "link", message: expect.stringMatching(/cycle/) });
    const r = await exportTo(join(cyc, "a.h5"), join(cyc, "a2.zarr"), { links: "preserve" });
    expect(r.links.preserved).toBe(1);
  });
});
