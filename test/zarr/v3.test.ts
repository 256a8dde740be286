/**
 * Zarr v3: the spec's own example documents (core spec "array metadata" example; sharding
 * codec example) open and take writes here; what we write is read by zarrita (an independent
 * v3 reader, incl. sharding) with equal values; a full builder tree round-trips in v3, sharded.
 */
import { describe, expect, it } from "vitest";
import * as zarr from "zarrita";
import { MemoryStore } from "../../src/stores/memory-store.js";
import { toZarrita } from "../../src/stores/zarrita-adapter.js";
import { openZarr } from "../../src/backends/zarr/index.js";
import { array } from "../../src/data/ndarray.js";
import { DatasetBuilder, type GroupBuilder } from "../../src/schema/builders.js";
import { manifestSha256 } from "../helpers/manifest-sha.js";
import { sampleTree, valueOf } from "./sample-tree.js";

const enc = (o: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(o));

/** The v3 core spec's example array (shape, dimension names, NaN fill, attributes). */
const SPEC_ARRAY = {
  zarr_format: 3,
  node_type: "array",
  shape: [10000, 1000],
  dimension_names: ["rows", "columns"],
  data_type: "float64",
  chunk_grid: { name: "regular", configuration: { chunk_shape: [1000, 100] } },
  chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
  codecs: [{ name: "gzip", configuration: { level: 1 } }],
  fill_value: "NaN",
  attributes: { foo: 42, bar: "apples", baz: [1, 2, 3, 4] },
};

/** The sharding codec spec's example: 64x64 shards of 32x32 inner chunks, crc32c index at the end. */
const SPEC_SHARDED = {
  zarr_format: 3,
  node_type: "array",
  shape: [128, 128],
  data_type: "uint16",
  chunk_grid: { name: "regular", configuration: { chunk_shape: [64, 64] } },
  chunk_key_encoding: { name: "default" },
  codecs: [{
    name: "sharding_indexed",
    configuration: {
      chunk_shape: [32, 32],
      codecs: [{ name: "bytes", configuration: { endian: "little" } }, { name: "gzip", configuration: { level: 1 } }],
      index_codecs: [{ name: "bytes", configuration: { endian: "little" } }, { name: "crc32c" }],
      index_location: "end",
    },
  }],
  fill_value: 0,
};

async function seeded(): Promise<MemoryStore> {
  const store = new MemoryStore();
  await store.set("/zarr.json", enc({ zarr_format: 3, node_type: "group", attributes: {} }));
  await store.set("/spec/zarr.json", enc(SPEC_ARRAY));
  await store.set("/sharded/zarr.json", enc(SPEC_SHARDED));
  return store;
}

describe("Zarr v3 against the spec's examples", () => {
  it("opens the core spec example array, writes a region, reads fill elsewhere; zarrita agrees", async () => {
    const store = await seeded();
    const io = await openZarr(store, "r+");
    const d = await io.dataset("/spec");
    expect(d.shape).toEqual([10000, 1000]);
    await d.write([[1500, 1502], [250, 253]], array(Float64Array.from([1, 2, 3, 4, 5, 6]), { shape: [2, 3] }));
    const back = await d.read([[1499, 1502], [250, 252]]);
    expect(Array.from(back.data as Float64Array)).toEqual([NaN, NaN, 1, 2, 4, 5]);
    await io.close();
    expect(await store.exists("/spec/c/1/2")).toBe(true);
    const z = await zarr.open(zarr.root(toZarrita(store)).resolve("spec"), { kind: "array" });
    const got = await zarr.get(z, [zarr.slice(1500, 1502), zarr.slice(250, 253)]);
    expect(Array.from(got.data as Float64Array)).toEqual([1, 2, 3, 4, 5, 6]);
    const root = JSON.parse(new TextDecoder().decode(await store.get("/zarr.json")));
    expect(root.consolidated_metadata.metadata.spec.attributes).toEqual({ foo: 42, bar: "apples", baz: [1, 2, 3, 4] });
  });

  it("writes the sharding example's layout: one object per shard, readable by zarrita", async () => {
    const store = await seeded();
    const io = await openZarr(store, "r+");
    const d = await io.dataset("/sharded");
    const values = Uint16Array.from({ length: 128 * 128 }, (_, i) => i % 65521);
    await d.write([], array(values, { shape: [128, 128] }));
    await d.write([[10, 11], [100, 101]], 7);
    await io.close();
    const keys: string[] = [];
    for await (const k of store.list("/sharded")) keys.push(k);
    expect(keys.sort()).toEqual(["/sharded/c/0/0", "/sharded/c/0/1", "/sharded/c/1/0", "/sharded/c/1/1", "/sharded/zarr.json"]);
    values[10 * 128 + 100] = 7;
    const z = await zarr.open(zarr.root(toZarrita(store)).resolve("sharded"), { kind: "array" });
    const got = await zarr.get(z);
    expect(Buffer.from((got.data as Uint16Array).buffer).equals(Buffer.from(values.buffer))).toBe(true);
  });

  it("round-trips a whole builder tree in v3 (sharded) with the same values as v2", async () => {
    const v2 = new MemoryStore();
    const v3 = new MemoryStore();
    for (const [store, opts] of [[v2, {}], [v3, { zarrFormat: 3 as const, shards: { chunksPerShard: 4 } }]] as const) {
      const io = await openZarr(store, "w", opts);
      await io.write(sampleTree());
      await io.close();
    }
    const read = async (store: MemoryStore): Promise<GroupBuilder> => {
      const io = await openZarr(store, "r");
      try { return await io.readBuilder(); } finally { await io.close(); }
    };
    const [a, b] = [await read(v2), await read(v3)];
    let n = 0;
    for (const node of a.walk()) {
      if (!(node instanceof DatasetBuilder)) continue;
      const other = b.find(node.path) as DatasetBuilder;
      const va = await valueOf(node);
      const vb = await valueOf(other);
      expect(vb.shape, node.path).toEqual(va.shape);
      expect(manifestSha256(vb), node.path).toBe(manifestSha256(va));
      n++;
    }
    expect(n).toBeGreaterThan(10);
    const shardKeys: string[] = [];
    for await (const k of v3.list("/acquisition/ts/data")) shardKeys.push(k);
    expect(shardKeys.filter((k) => k.includes("/c/")).length).toBe(1); // 4 chunks of 50 rows -> one shard
    const meta = JSON.parse(new TextDecoder().decode(await v3.get("/acquisition/ts/data/zarr.json")));
    expect(meta.codecs[0].name).toBe("sharding_indexed");
    // the unified NWB-Zarr v3 convention (hdmf-zarr >= 0.14): _DTYPE, never zarr_dtype
    expect(meta.attributes._DTYPE).toBe("int16");
    expect(meta.attributes.zarr_dtype).toBeUndefined();
    const refs = JSON.parse(new TextDecoder().decode(await v3.get("/general/extracellular_ephys/electrodes/group/zarr.json")));
    expect(refs.data_type).toBe("string");
    expect(refs.attributes).toEqual({ _DTYPE: "object_reference" });
    const z = await zarr.open(zarr.root(toZarrita(v3)).resolve("acquisition/ts/data"), { kind: "array" });
    const got = await zarr.get(z);
    expect(Array.from(got.data as Int16Array).slice(0, 4)).toEqual([-150, -143, -136, -129]);
  });
});
