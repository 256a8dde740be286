import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { beforeAll, describe, expect, it } from "vitest";
import { describeDtype, toNumpyTypestr, type Dtype } from "../../src/data/dtype.js";
import { DataIO } from "../../src/data/data-io.js";
import { DataChunkIterator } from "../../src/data/iterators.js";
import { array, NdArray } from "../../src/data/ndarray.js";
import {
  Builder, DatasetBuilder, GroupBuilder, LinkBuilder, GenericContainer, AbstractContainer, DatasetLink,
  DynamicTable, DynamicTableRegion, validate, type BuildManager,
} from "../../src/schema/index.js";
import {
  createNwbBuildManager, Device, ElectricalSeries, ElectrodeGroup, NWBFile, ProcessingModule, ScratchData, Subject,
  TimeIntervals, TimeSeries, Units,
} from "../../src/nwb/index.js";
import { openNWB } from "../../src/nwb-io.js";
import { tablesAndRefsFile } from "./helpers.js";

interface ManifestObject { path: string; kind: string; dtype?: unknown; shape?: number[]; attr_dtypes?: Record<string, string> }
const MANIFEST = JSON.parse(readFileSync("/work/shared/fixtures/manifest.json", "utf8")) as { files: Record<string, { objects: ManifestObject[] }> };

function manifestDtype(d: Dtype): unknown {
  if (d.kind === "numeric") return toNumpyTypestr(d);
  if (d.kind === "compound") return d.fields.map((f) => [f.name, manifestDtype(f.dtype)]);
  return describeDtype(d);
}

let manager: BuildManager;
beforeAll(async () => { manager = await createNwbBuildManager(); });

describe("NWBFile -> builders matches what pynwb writes", () => {
  it("has every object, dtype, shape and attribute dtype of fixtures/f_tables_refs.nwb", async () => {
    const root = (await createNwbBuildManager()).build(tablesAndRefsFile(), { source: "f.nwb" });
    const expected = MANIFEST.files["f_tables_refs.nwb"]!.objects.filter((o) => !o.path.startsWith("/specifications"));
    const mine = new Map<string, Builder>([...root.walk()].map((b) => [b.path, b]));
    for (const g of root.walk()) if (g instanceof GroupBuilder) for (const l of g.links.values()) mine.set(l.path, l);
    expect([...mine.keys()].sort()).toEqual(expected.map((o) => o.path).sort());
    for (const o of expected) {
      const b = mine.get(o.path)!;
      if (o.kind === "dataset") {
        expect(b, o.path).toBeInstanceOf(DatasetBuilder);
        const d = b as DatasetBuilder;
        expect(manifestDtype(d.dtype), o.path).toEqual(o.dtype);
        expect((d.data as NdArray).shape, o.path).toEqual(o.shape);
      }
      if (o.kind === "soft_link" || o.kind === "link") expect(b, o.path).toBeInstanceOf(LinkBuilder);
      const attrs = Object.fromEntries([...b.attributes].map(([k, a]) => [k, manifestDtype(a.dtype)]));
      const want = { ...(o.attr_dtypes ?? {}) };
      delete want[".specloc"];
      expect(attrs, o.path).toEqual(want);
    }
    expect(validate(root, manager.catalog)).toEqual([]);
  });
});

function snapshot(c: AbstractContainer, seen = new Set<AbstractContainer>()): unknown {
  if (seen.has(c)) return `ref:${c.objectId}`;
  seen.add(c);
  const norm = (v: unknown): unknown => {
    if (v instanceof AbstractContainer) return v.parent === c ? snapshot(v, seen) : `ref:${v.objectId}`;
    if (v instanceof NdArray) return v.shape.length === 0 ? norm(v.toArray()[0]) : { shape: v.shape, values: v.toArray().map(norm) };
    if (v instanceof DatasetLink) return `link:${v.container.objectId}:${v.key}`;
    if (typeof v === "bigint") return Number(v);
    if (Array.isArray(v)) {
      if (v.length === 0) return { shape: [0], values: [] };
      if (v.length > 0 && v.every((x) => typeof x === "number" || typeof x === "bigint")) return { shape: [v.length], values: v.map(Number) };
      if (v.every((x) => typeof x === "string" || typeof x === "boolean")) return { shape: [v.length], values: v };
      return v.map(norm);
    }
    if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, norm(x)]));
    return v;
  };
  const fields: Record<string, unknown> = {};
  for (const [k, v] of c.fields) if (k !== "colnames") fields[k] = norm(v);
  const data = "data" in c ? norm((c as { data: unknown }).data) : undefined;
  return { type: c.dataType, cls: c.constructor.name, name: c.name, objectId: c.objectId, fields, data };
}

describe("containers -> builders -> containers", () => {
  it("is identity for the whole NWB file (every container kind)", async () => {
    const f = tablesAndRefsFile();
    f.subject = new Subject({ subjectId: "mouse1", age: "P90D", species: "Mus musculus", sex: "M" });
    f.addScratch(new ScratchData({ name: "scalar_float", data: 3.5, notes: "scalar" }));
    f.addScratch(new ScratchData({ name: "string_array", data: ["a", "b", "c"], notes: "strings" }));
    f.addStimulus(new TimeSeries({ name: "stim", data: array(new Float32Array([1, 2])), unit: "V", rate: 2, startingTime: 1.5, resolution: 0.1, offset: 0.2, comments: "c", description: "d" }));
    f.addTimeIntervals(new TimeIntervals({ name: "epochs", description: "epochs" }));
    f.addAnalysis(new DynamicTable({ name: "empty", description: "no rows" }));
    const m1 = await createNwbBuildManager();
    const root = m1.build(f, { source: "a.nwb" });
    const back = (await createNwbBuildManager()).construct(root);
    expect(back).toBeInstanceOf(NWBFile);
    expect(snapshot(back)).toEqual(snapshot(f));
    const b = back as NWBFile;
    expect(b.acquisition.get("ElectricalSeries")).toBeInstanceOf(ElectricalSeries);
    expect((b.acquisition.get("ElectricalSeries") as ElectricalSeries).electrodes?.table).toBe(b.electrodes);
    expect((b.acquisition.get("timestamps_linker") as TimeSeries).timestampLink).toBe(b.acquisition.get("timestamps_owner"));
    expect(b.devices.get("probe")).toBeInstanceOf(Device);
    expect(b.electrodeGroups.get("shank1")).toBeInstanceOf(ElectrodeGroup);
    expect(b.electrodeGroups.get("shank1")!.device).toBe(b.devices.get("probe"));
    expect(b.processing.get("analysis_module")).toBeInstanceOf(ProcessingModule);
    expect(b.units).toBeInstanceOf(Units);
    expect(b.trials).toBeInstanceOf(TimeIntervals);
    expect(b.subject?.age).toBe("P90D");
    expect(b.units!.getRow(1).spike_times).toEqual([5.3, 7.0, 7.9]);
    expect(b.units!.getRow(3).obs_intervals).toEqual([[0, 5], [6, 10]]);
    expect(b.units!.getRow(1).electrode_group).toBe(b.electrodeGroups.get("shank0"));
    const tsRow = b.trials!.getRow(2).timeseries as Array<{ idx_start: number; timeseries: AbstractContainer }>;
    expect(tsRow[0]!.idx_start).toBe(20);
    expect(tsRow[0]!.timeseries).toBe(b.acquisition.get("timestamps_owner"));
    const t = b.processing.get("analysis_module")!.dataInterfaces.get("generic_table") as DynamicTable;
    expect(t.getRow(1)).toEqual({ words: ["ccc"], nested: [[2n, 3n, 4n], [5n]], trial: 0n, flag: false });
    expect((t.getColumn("trial") as DynamicTableRegion).table).toBe(b.trials);
    expect(validate(m1.build(back, { source: "a.nwb" }), m1.catalog)).toEqual([]);
  });

  it("keeps object_id across build and construct", async () => {
    const f = tablesAndRefsFile();
    const root = (await createNwbBuildManager()).build(f);
    expect(root.getAttribute("object_id")).toBe(f.objectId);
    const back = (await createNwbBuildManager()).construct(root);
    const rebuilt = (await createNwbBuildManager()).build(back);
    const ids = (g: GroupBuilder): string[] => [...g.walk()].map((x) => `${x.path}=${String(x.getAttribute("object_id"))}`).sort();
    expect(ids(rebuilt)).toEqual(ids(root));
  });

  it("round-trips types without a hand-written class as generic containers", async () => {
    const f = new NWBFile({ sessionDescription: "s", identifier: "i", sessionStartTime: "2024-01-01T00:00:00+00:00" });
    const lfp = new GenericContainer({ name: "LFP", dataType: "LFP", namespace: "core" });
    lfp.addChild(new ElectricalSeries({ name: "es", data: array(new Float32Array(4), { shape: [2, 2] }), rate: 10 }));
    f.createProcessingModule({ name: "ecephys", description: "x" }).add(lfp);
    const back = (await createNwbBuildManager()).construct((await createNwbBuildManager()).build(f)) as NWBFile;
    const got = back.processing.get("ecephys")!.dataInterfaces.get("LFP")!;
    expect(got).toBeInstanceOf(GenericContainer);
    expect(got.dataType).toBe("LFP");
    expect(got.childList()[0]).toBeInstanceOf(ElectricalSeries);
  });

  it("passes DataIO and iterators through to the DatasetBuilder untouched", async () => {
    const io = new DataIO({ data: array(new Float64Array(10)), compression: "gzip", chunks: [5] });
    const it2 = new DataChunkIterator(array(new Int32Array(6)));
    const f = new NWBFile({ sessionDescription: "s", identifier: "i", sessionStartTime: "2024-01-01T00:00:00+00:00" });
    f.addAcquisition(new TimeSeries({ name: "a", data: io, unit: "u", rate: 1 }));
    f.addAcquisition(new TimeSeries({ name: "b", data: it2, unit: "u", timestamps: array(new Float64Array(6)) }));
    const root = (await createNwbBuildManager()).build(f);
    expect((root.find("acquisition/a/data") as DatasetBuilder).data).toBe(io);
    expect((root.find("acquisition/b/data") as DatasetBuilder).data).toBe(it2);
  });
});

describe("io.write primes generator iterators first (hdmf reads the first chunk on construction)", () => {
  for (const ext of [".nwb", ".nwb.zarr"]) {
    it(`a DataChunkIterator over a generator, with no dtype given, bare and inside a DataIO (${ext})`, async () => {
      function* rows(n: number): Generator<Float32Array> { for (let i = 0; i < n; i++) yield Float32Array.of(i, -i); }
      const f = new NWBFile({ sessionDescription: "s", identifier: "gen", sessionStartTime: "2024-01-01T00:00:00+00:00" });
      f.addAcquisition(new TimeSeries({ name: "bare", data: new DataChunkIterator(rows(7), { bufferSize: 3 }), unit: "u", rate: 1 }));
      f.addAcquisition(new TimeSeries({ name: "wrapped", data: new DataIO({ data: new DataChunkIterator(rows(4)), compression: "gzip" }), unit: "u", rate: 1 }));
      const dir = mkdtempSync(join(tmpdir(), "hdmf-prime-"));
      try {
        const file = join(dir, `gen${ext}`);
        {
          await using io = await openNWB(file, "w");
          await io.write(f);
        }
        await using io = await openNWB(file, "r");
        const bare = await io.dataset("/acquisition/bare/data");
        expect([bare.shape, describeDtype(bare.dtype)]).toEqual([[7, 2], "float32"]);
        expect((await bare.read([[6, 7], null])).toArray()).toEqual([6, -6]);
        expect((await io.dataset("/acquisition/wrapped/data")).shape).toEqual([4, 2]);
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    });
  }
});

describe("multi-file builds", () => {
  it("links a container already built for another file", async () => {
    const m = await createNwbBuildManager();
    const ts = new TimeSeries({ name: "shared", data: [1, 2, 3], unit: "u", rate: 1 });
    const f1 = new NWBFile({ sessionDescription: "s", identifier: "1", sessionStartTime: "2024-01-01T00:00:00+00:00" });
    f1.addAcquisition(ts);
    m.build(f1, { source: "one.nwb" });
    const f2 = new NWBFile({ sessionDescription: "s", identifier: "2", sessionStartTime: "2024-01-01T00:00:00+00:00" });
    f2.acquisition; // acquisition of f2 holds a container whose home is f1
    f2.fields.set("acquisition/*", [ts]);
    const r2 = m.build(f2, { source: "two.nwb" });
    const link = r2.find("acquisition/shared");
    expect(link).toBeInstanceOf(LinkBuilder);
    expect((link as LinkBuilder).targetSource).toBe("one.nwb");
    expect((link as LinkBuilder).targetPath).toBe("/acquisition/shared");
  });

  it("links a container read from another file (tutorial pattern), copies it with linkData: false", async () => {
    const src = new NWBFile({ sessionDescription: "s", identifier: "src", sessionStartTime: "2024-01-01T00:00:00+00:00" });
    src.addAcquisition(new TimeSeries({ name: "test_timeseries1", data: [1, 2], unit: "u", rate: 1 }));
    const srcRoot = (await createNwbBuildManager()).build(src, { source: "c_link_source.nwb" });
    const m = await createNwbBuildManager();
    const read = m.construct(srcRoot) as NWBFile;
    const ts = read.acquisition.get("test_timeseries1")!;
    const dst = new NWBFile({ sessionDescription: "s", identifier: "dst", sessionStartTime: "2024-01-01T00:00:00+00:00" });
    dst.fields.set("acquisition/*", [ts]);
    const linked = m.build(dst, { source: "c_link_container.nwb" });
    const l = linked.find("acquisition/test_timeseries1") as LinkBuilder;
    expect(l).toBeInstanceOf(LinkBuilder);
    expect(l.targetSource).toBe("c_link_source.nwb");
    expect(l.targetPath).toBe("/acquisition/test_timeseries1");
    const copied = m.build(dst, { source: "c_link_copy.nwb", linkData: false });
    expect(copied.find("acquisition/test_timeseries1")).toBeInstanceOf(GroupBuilder);
  });
});
