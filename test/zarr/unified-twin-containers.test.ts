/**
 * Valid NWB files in the unified Zarr v3 convention, written without hdmf-ts, read into the same
 * containers as the HDF5 files they came from. py/nwb_to_unified_v3.py (zarr-python 3 and h5py in
 * the Debian sid chroot) rewrites pynwb's fixtures node by node as hdmf-zarr's storage.rst spells
 * them: f_tables_refs.nwb (soft links to a TimeSeries' timestamps and to a Device, DynamicTableRegions
 * with `table` reference attributes, object-reference columns, a TimeSeriesReferenceVectorData
 * compound with references) and c_link_container.nwb with c_link_source.nwb (external links to a
 * TimeSeries and to another file's datasets). openNWB reads each HDF5 file and its Zarr twin, and
 * the two container trees must be equal: types, classes, names, object ids, every field's value,
 * data read in full, links and references resolving to the same places. A writer that puts one
 * reference at the wrong path makes the trees differ exactly there.
 * (test/zarr/unified-twin.test.ts compares builder trees of a smaller hand-written tree.)
 */
import { join, resolve } from "node:path";
import { rmSync } from "node:fs";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openNWB } from "../../src/nwb-io.js";
import { checkZarrV3Convention } from "../../src/inspect/zarr-convention.js";
import { AbstractContainer, Data, ExternalLink } from "../../src/schema/containers/container.js";
import { DynamicTable, DynamicTableRegion } from "../../src/schema/containers/table.js";
import { ElectricalSeries, NWBFile, TimeSeries } from "../../src/nwb/index.js";
import { containerTree, fileStem, treeDifferences, type ContainerTree } from "../helpers/container-tree.js";
import { sidPython } from "../helpers/sid.js";
import { FIXTURES, tempDir } from "../export/helpers.js";

const SCRIPT = resolve(import.meta.dirname, "py/nwb_to_unified_v3.py");
const FILES = ["f_tables_refs.nwb", "c_link_container.nwb", "c_link_source.nwb"];
/** Three references the writer gets wrong on purpose: a compound field, an attribute, a reference column. */
const WRONG = [
  "/intervals/trials/timeseries=/acquisition/timestamps_linker",
  "/acquisition/ElectricalSeries/electrodes@table=/intervals/trials",
  "/general/extracellular_ephys/electrodes/group=/general/extracellular_ephys/shank1",
];

let dir: string;
const trees = new Map<string, ContainerTree>();
const files = new Map<string, NWBFile>();
const closers: Array<() => Promise<void>> = [];

async function read(location: string, key: string): Promise<void> {
  const io = await openNWB(location, "r");
  closers.push(() => io.close());
  const f = await io.read();
  files.set(key, f);
  trees.set(key, await containerTree(f as unknown as AbstractContainer));
}

beforeAll(async () => {
  dir = tempDir("unified-containers");
  const sources = FILES.map((f) => join(FIXTURES, f));
  sidPython([SCRIPT, dir, ...sources], { binds: [dir, FIXTURES], timeout: 120_000 });
  sidPython([SCRIPT, join(dir, "wrong"), sources[0]!, ...WRONG.flatMap((w) => ["--wrong-ref", w])], { binds: [dir, FIXTURES], timeout: 120_000 });
  for (const name of ["f_tables_refs.nwb", "c_link_container.nwb"]) {
    await read(join(FIXTURES, name), `h5:${name}`);
    await read(join(dir, `${name}.zarr`), `zarr:${name}`);
  }
  await read(join(dir, "wrong", "f_tables_refs.nwb.zarr"), "wrong");
}, 240_000);

afterAll(async () => {
  for (const close of closers) await close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("NWB files written in the unified Zarr v3 convention by zarr-python read into the containers of their HDF5 twins", () => {
  it.each(["f_tables_refs.nwb", "c_link_container.nwb"])("%s: the storage.rst checker passes the hand-written store", async (name) => {
    const report = await checkZarrV3Convention(join(dir, `${name}.zarr`));
    expect(report.problems).toEqual([]);
    expect(report.counts.links).toBeGreaterThan(0);
  });

  it.each([
    ["f_tables_refs.nwb", 48, 26],
    ["c_link_container.nwb", 4, 1],
  ])("%s: the same containers, fields, data, links and references", (name, containers, refs) => {
    const h5 = trees.get(`h5:${name}`)!;
    const zr = trees.get(`zarr:${name}`)!;
    expect(treeDifferences(h5, zr)).toEqual([]);
    expect(zr.nodes).toEqual(h5.nodes);
    expect(zr.nodes.size).toBe(containers);
    expect(zr.refs.map((r) => `${r.from} ${r.key} -> ${r.at}`)).toEqual(h5.refs.map((r) => `${r.from} ${r.key} -> ${r.at}`));
    expect(zr.refs.length).toBe(refs);
  });

  it("every reference into the file resolves to the container the tree holds at that place, not a copy", () => {
    for (const key of ["h5:f_tables_refs.nwb", "zarr:f_tables_refs.nwb"]) {
      const t = trees.get(key)!;
      for (const r of t.refs) expect(t.owned.has(r.target), `${key} ${r.from} ${r.key}`).toBe(true);
    }
  });

  it.each(["h5", "zarr"])("%s: links and references are the containers pynwb gives (f_tables_refs)", (format) => {
    const f = files.get(`${format}:f_tables_refs.nwb`)!;
    const owner = f.acquisition.get("timestamps_owner") as TimeSeries;
    expect((f.acquisition.get("timestamps_linker") as TimeSeries).timestampLink).toBe(owner);
    const es = f.acquisition.get("ElectricalSeries") as ElectricalSeries;
    expect(es.electrodes).toBeInstanceOf(DynamicTableRegion);
    expect(es.electrodes!.table).toBe(f.electrodes);
    const shanks = ["shank0", "shank1"].map((s) => f.electrodeGroups.get(s));
    expect(shanks[0]!.device).toBe(f.devices.get("probe"));
    const groups = (f.electrodes!.getColumn("group") as Data).data as unknown[];
    expect(groups.map((g) => shanks.indexOf(g as (typeof shanks)[number]))).toEqual([0, 0, 0, 1, 1, 1]);
    const tsr = f.trials!.getColumn("timeseries") as Data;
    expect(tsr.dataType).toBe("TimeSeriesReferenceVectorData");
    const rows = tsr.data as Array<{ idx_start: number; count: number; timeseries: unknown }>;
    expect(rows.map((r) => [r.idx_start, r.count, r.timeseries === owner])).toEqual([[0, 5, true], [10, 5, true], [20, 5, true]]);
    const generic = f.processing.get("analysis_module")!.dataInterfaces.get("generic_table") as DynamicTable;
    expect((generic.getColumn("trial") as DynamicTableRegion).table).toBe(f.trials);
  });

  it.each(["h5", "zarr"])("%s: external links reach the other file (c_link_container)", (format) => {
    const f = files.get(`${format}:c_link_container.nwb`)!;
    const linked = f.acquisition.get("test_timeseries1") as TimeSeries;
    expect(linked).toBeInstanceOf(TimeSeries);
    expect(fileStem(linked.source)).toBe("c_link_source");
    expect(linked.locationPath).toBe("/acquisition/test_timeseries1");
    const data = (f.acquisition.get("linked_data_timeseries") as TimeSeries).data;
    expect(data).toBeInstanceOf(ExternalLink);
    expect({ path: (data as ExternalLink).path, file: fileStem((data as ExternalLink).source) }).toEqual({ path: "/acquisition/test_timeseries2/data", file: "c_link_source" });
  });

  it("a store with three references at wrong paths differs from the HDF5 file at exactly those three places", () => {
    const diff = treeDifferences(trees.get("h5:f_tables_refs.nwb")!, trees.get("wrong")!);
    expect(diff.map((l) => l.split(":").slice(0, 2).join(":")).sort()).toEqual([
      "f_tables_refs:/acquisition/ElectricalSeries/electrodes table",
      "f_tables_refs:/general/extracellular_ephys/electrodes/group data",
      "f_tables_refs:/intervals/trials/timeseries data",
    ]);
    expect(diff.join("\n")).toContain('"timeseries":{"ref":"f_tables_refs:/acquisition/timestamps_linker"}');
  });
});
