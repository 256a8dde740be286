/**
 * A builder tree written here (hdmf-zarr v2 layout) reads back here, and opens in zarr-python
 * (Debian python3-zarr 2.13) with equal values; the layout details match hdmf-zarr 0.6.
 */
import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openZarr } from "../../src/backends/zarr/index.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder } from "../../src/schema/builders.js";
import type { StoredDataset } from "../../src/data/data-source.js";
import { ObjectReference } from "../../src/data/reference.js";
import { pyReadZarr, type PyNode } from "./py-read.js";
import { sampleTree, sparseRows, ROOT_ID, valueOf } from "./sample-tree.js";

let dir: string;
let py: Record<string, PyNode>;
let root: GroupBuilder;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), "zarr-v2-"));
  const io = await openZarr(join(dir, "s.nwb.zarr"), "w", { specs: [{ namespace: "core", version: "2.7.0", source: "namespace", text: '{"namespaces":[{"name":"core"}]}' }] });
  await io.write(sampleTree());
  await io.close();
  py = await pyReadZarr(join(dir, "s.nwb.zarr"));
  const r = await openZarr(join(dir, "s.nwb.zarr"), "r");
  root = await r.readBuilder();
  await r.close();
});
afterAll(async () => { await rm(dir, { recursive: true, force: true }); });

const read = async (p: string): Promise<unknown[]> => (await valueOf(root.find(p))).toArray();
const file = (p: string): Promise<string> => readFile(join(dir, "s.nwb.zarr", p), "utf8");

describe("v2 round trip", () => {
  it("numeric data with gzip + shuffle equals what was written, here and in zarr-python", async () => {
    const want = Array.from({ length: 600 }, (_, i) => (i * 7) % 301 - 150);
    expect(await read("/acquisition/ts/data")).toEqual(want);
    expect(py["/acquisition/ts/data"]!.values).toEqual(want);
    expect(py["/acquisition/ts/data"]!.dtype).toBe("int16");
  });

  it("writes .zarray and .zattrs as hdmf-zarr does", async () => {
    expect(JSON.parse(await file("acquisition/ts/data/.zarray"))).toEqual({
      chunks: [50, 3], compressor: { id: "zlib", level: 4 }, dtype: "<i2", fill_value: 0,
      filters: [{ elementsize: 2, id: "shuffle" }], order: "C", shape: [200, 3], zarr_format: 2,
    });
    expect(await file("acquisition/ts/data/.zattrs")).toBe(
      '{\n    "conversion": 1e-06,\n    "offset": 0.0,\n    "resolution": -1.0,\n    "unit": "volts",\n    "zarr_dtype": "int16"\n}');
    expect(JSON.parse(await file("acquisition/ts/starting_time/.zattrs"))).toEqual({ rate: 1000, unit: "seconds", zarr_dtype: "scalar" });
    expect(JSON.parse(await file("acquisition/ts/starting_time/.zarray"))).toMatchObject({ shape: [1], chunks: [1], compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 } });
    expect(JSON.parse(await file("general/experimenter/.zarray"))).toMatchObject({ dtype: "|O", filters: [{ id: "vlen-utf8" }], fill_value: 0 });
    expect(JSON.parse(await file("general/extracellular_ephys/electrodes/group/.zarray")).filters[0].id).toBe("json2");
    expect(JSON.parse(await file("acquisition/sparse/data/.zarray"))).toMatchObject({ dimension_separator: ".", chunks: [1, 4], fill_value: 0.0 });
    expect(JSON.parse(await file("acquisition/sparse/data/.zattrs"))).toEqual({ zarr_dtype: "<f8" });
    expect(JSON.parse(await file(".zattrs"))).toMatchObject({ ".specloc": "specifications", object_id: ROOT_ID });
  });

  it("scalars are 1-element arrays in storage and 0-d here", async () => {
    const st = await valueOf(root.find("/acquisition/ts/starting_time"));
    expect(st.shape).toEqual([]);
    expect(st.toArray()).toEqual([0.5]);
    const r = await openZarr(join(dir, "s.nwb.zarr"), "r", { eagerScalars: false });
    const lazy = (await r.readBuilder()).find("/acquisition/ts/starting_time") as DatasetBuilder;
    expect((lazy.data as StoredDataset).shape).toEqual([]);
    expect((await (lazy.data as StoredDataset).read()).toArray()).toEqual([0.5]);
    await r.close();
    expect(py["/acquisition/ts/starting_time"]!.values).toEqual([0.5]);
    expect(py["/session_description"]!.values).toEqual(["a session"]);
  });

  it("strings, bool, int64/uint64 and NaN survive both readers", async () => {
    expect(await read("/general/experimenter")).toEqual(["Ada", "Grace"]);
    expect(py["/general/experimenter"]!.values).toEqual(["Ada", "Grace"]);
    expect(await read("/general/extracellular_ephys/electrodes/flag")).toEqual([true, false, true]);
    expect(py["/general/extracellular_ephys/electrodes/flag"]!.values).toEqual([true, false, true]);
    expect(await read("/intervals/trials/big")).toEqual([2n ** 63n + 5n, 1n]);
    expect(py["/intervals/trials/big"]!.values).toEqual([Number(2n ** 63n + 5n), 1]);
    expect(py["/general/extracellular_ephys/electrodes/x"]!.values).toEqual([1.5, 2.5, "nan"]);
  });

  it("references are hdmf-zarr dicts (JSON, not pickle) and read back as ObjectReferences", async () => {
    const refs = await read("/general/extracellular_ephys/electrodes/group");
    expect(refs.map(String)).toEqual(["/general/extracellular_ephys/shank0", "/general/extracellular_ephys/shank1", "/general/extracellular_ephys/shank1"]);
    expect(py["/general/extracellular_ephys/electrodes/group"]!.values![0]).toEqual({
      object_id: "shank0-id", path: "/general/extracellular_ephys/shank0", source: ".", source_object_id: ROOT_ID,
    });
    expect(py["/acquisition/ts/electrodes"]!.attrs.table).toEqual({
      value: { object_id: "table-id", path: "/general/extracellular_ephys/electrodes", source: ".", source_object_id: ROOT_ID }, zarr_dtype: "object",
    });
    const attr = root.find("/acquisition/ts/electrodes")!.getAttribute("table");
    expect(attr).toBeInstanceOf(ObjectReference);
  });

  it("compound with a reference field is a JSON object array; plain compound is structured", async () => {
    const rows = await read("/intervals/trials/timeseries");
    expect(rows.map((r) => ({ ...(r as object), timeseries: String((r as { timeseries: unknown }).timeseries) }))).toEqual([
      { idx_start: 0, count: 5, timeseries: "/acquisition/ts" }, { idx_start: 5, count: 7, timeseries: "/acquisition/ts" },
    ]);
    expect(py["/intervals/trials/timeseries"]!.attrs.zarr_dtype).toEqual([{ dtype: "int32", name: "idx_start" }, { dtype: "int32", name: "count" }, { dtype: "object", name: "timeseries" }]);
    expect((py["/intervals/trials/timeseries"]!.values![1] as unknown[])[1]).toBe(7);
    expect(await read("/intervals/trials/pairs")).toEqual([{ a: 1, b: 0.5 }, { a: -2, b: 1e300 }]);
    expect(py["/intervals/trials/pairs"]!.values).toEqual([[1, 0.5], [-2, 1e300]]);
  });

  it("links live in the parent's zarr_link attribute and read back as LinkBuilders", async () => {
    expect(py["/general/extracellular_ephys/shank0"]!.attrs.zarr_link).toEqual([
      { name: "device", object_id: "probe-id", path: "/general/devices/probe", source: ".", source_object_id: ROOT_ID },
    ]);
    const l = root.find("/acquisition/linker/timestamps") as LinkBuilder;
    expect(l).toBeInstanceOf(LinkBuilder);
    expect(l.target).toBe(root.find("/acquisition/ts/data"));
  });

  it("iterator gaps leave chunks absent; they read as the fill value", async () => {
    const rows = sparseRows(19);
    const got = await read("/acquisition/sparse/data");
    const want = rows.flatMap((r) => (r ? [...r] : [0, 0, 0, 0]));
    expect(got).toEqual(want);
    expect(py["/acquisition/sparse/data"]!.nchunks_initialized).toBe(rows.filter((r) => r !== null).length);
    expect(py["/acquisition/sparse/data"]!.shape).toEqual([19, 4]);
  });

  it("consolidated .zmetadata covers every node, specs included", async () => {
    const zm = JSON.parse(await file(".zmetadata"));
    expect(zm.zarr_consolidated_format).toBe(1);
    expect(Object.keys(zm.metadata)).toContain("specifications/core/2.7.0/namespace/.zarray");
    expect(zm.metadata["acquisition/ts/data/.zattrs"].zarr_dtype).toBe("int16");
    expect(py["/specifications/core/2.7.0/namespace"]!.values).toEqual(['{"namespaces":[{"name":"core"}]}']);
  });
});
