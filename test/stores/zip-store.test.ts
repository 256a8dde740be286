import { mkdtemp, readFile, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { FormatError } from "../../src/errors.js";
import { MemoryStore } from "../../src/stores/memory-store.js";
import type { ByteRange, Store, StoreKey } from "../../src/stores/store.js";
import { ZipStore, rangeSourceFromStore } from "../../src/stores/zip-store.js";
import { pyReadZip, pyWriteZip } from "../helpers/pyzip.js";
import { describeStoreSuite, type Entries } from "./store-suite.js";

function zipFixture(forceZip64: boolean) {
  return async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "hdmf-zip-store-"));
    const file = path.join(dir, "store.zip");
    let current: ZipStore | undefined;
    const seedFile = async (seed: Entries) => pyWriteZip(file, [...seed].map(([k, v]) => [k.slice(1), v] as const));
    return {
      async open(seed?: Entries) {
        if (seed?.size) await seedFile(seed);
        return (current = await ZipStore.open(file, { mode: seed?.size ? "a" : "w", forceZip64 }));
      },
      async openReadOnly(seed: Entries) {
        await seedFile(seed);
        return (current = await ZipStore.open(file, { mode: "r" }));
      },
      async peek(key: StoreKey) {
        await current?.flush();
        return (await pyReadZip(file)).get(key.slice(1));
      },
      async peekKeys() {
        await current?.flush();
        return [...(await pyReadZip(file)).keys()].map((k) => `/${k}` as StoreKey).sort();
      },
      async dispose() { await rm(dir, { recursive: true, force: true }); },
    };
  };
}

describeStoreSuite("ZipStore", zipFixture(false));
describeStoreSuite("ZipStore(ZIP64 records)", zipFixture(true));

describe("ZipStore specifics", () => {
  it("reads a zip held in another store with range reads only (1 suffix read to open)", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "hdmf-zip-remote-"));
    try {
      const file = path.join(dir, "r.zip");
      const chunk = Uint8Array.from({ length: 5000 }, (_, i) => i & 0xff);
      const w = await ZipStore.open(file, { mode: "w" });
      await w.set("/.zgroup", new TextEncoder().encode("{}"));
      await w.set("/a/0", chunk);
      await w.close();
      const backing = new MemoryStore({ entries: [["/r.zip", new Uint8Array(await readFile(file))]] });
      const reads: ByteRange[] = [];
      const counting: Store = Object.assign(Object.create(backing) as Store, {
        get: (k: StoreKey, r?: ByteRange) => { if (r) reads.push(r); return backing.get(k, r); },
      });
      const z = await ZipStore.openRemote(rangeSourceFromStore(counting, "/r.zip"), "r.zip");
      expect(reads).toEqual([{ suffix: expect.any(Number) }]);
      expect(await z.get("/a/0", { start: 100, end: 110 })).toEqual(chunk.subarray(100, 110));
      expect(await z.get("/a/0", { suffix: 3 })).toEqual(chunk.subarray(-3));
      expect(reads.length).toBe(1 + 1 + 2); // open, one local header, two data ranges
      await expect(z.set("/x", chunk)).rejects.toMatchObject({ kind: "store", op: "set", key: "/x" });
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("a non-zip is a FormatError naming the file", async () => {
    const backing = new MemoryStore({ entries: [["/x.zip", new Uint8Array(100)]] });
    const err = await ZipStore.openRemote(rangeSourceFromStore(backing, "/x.zip"), "x.zip").catch((e: unknown) => e);
    expect(err).toBeInstanceOf(FormatError);
    expect((err as FormatError).path).toBe("x.zip");
  });

  it("append mode keeps old entries, overwrites without duplicate entries", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "hdmf-zip-append-"));
    try {
      const file = path.join(dir, "a.zip");
      const w = await ZipStore.open(file, { mode: "w" });
      await w.set("/k1", Uint8Array.of(1));
      await w.set("/k2", Uint8Array.of(2));
      await w.close();
      const a = await ZipStore.open(file, { mode: "a" });
      await a.set("/k2", Uint8Array.of(22));
      await a.set("/k3", Uint8Array.of(3));
      await a.close();
      const back = await pyReadZip(file);
      expect([...back.keys()].sort()).toEqual(["k1", "k2", "k3"]);
      expect(back.get("k2")).toEqual(Uint8Array.of(22));
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });
});
