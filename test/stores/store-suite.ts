/**
 * The generic store suite, after zarr-python's `zarr.testing.store.StoreTests`: every
 * store gets the same cases from one call. A fixture supplies *backdoor* hooks (`seed`
 * writes entries and `peek` reads them without going through the store under test), so
 * a store is never its own witness. Cases a store cannot support are skipped with a note
 * that names the missing capability.
 */
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import * as zarr from "zarrita";
import { InvalidInputError, StoreError } from "../../src/errors.js";
import { listDir, type Store, type StoreKey } from "../../src/stores/store.js";
import { toZarrita } from "../../src/stores/zarrita-adapter.js";

export type Entries = ReadonlyMap<StoreKey, Uint8Array>;

export interface StoreFixture {
  /** A fresh writable store whose backing holds exactly `seed` (written by the backdoor). */
  open(seed?: Entries): Promise<Store>;
  /** A read-only store over `seed`, or undefined if the store has no read-only mode. */
  openReadOnly?(seed: Entries): Promise<Store>;
  /** Backdoor read of the backing of the store last opened (may flush it first). */
  peek(key: StoreKey): Promise<Uint8Array | undefined>;
  /** Backdoor listing of every key in the backing. */
  peekKeys(): Promise<StoreKey[]>;
  dispose(): Promise<void>;
}

export const bytes = (...xs: number[]): Uint8Array => Uint8Array.from(xs);
export const text = (s: string): Uint8Array => new TextEncoder().encode(s);
const seedOf = (o: Record<string, Uint8Array>): Entries => new Map(Object.entries(o)) as Entries;

async function collect(it: AsyncIterable<StoreKey>): Promise<StoreKey[]> {
  const out: StoreKey[] = [];
  for await (const k of it) out.push(k);
  return out.sort();
}

export const BAD_KEYS: readonly string[] = [
  "a", "", "/", "/a/../b", "/..", "/../outside", "/a//b", "/a/", "/a\\..\\b", "/a\0b",
  "/C:/Windows", "/./a", "/a/.",
];

export function describeStoreSuite(name: string, makeFixture: () => Promise<StoreFixture>): void {
  describe(`${name} conforms to Store`, () => {
    let fx: StoreFixture;
    let store: Store | undefined;
    const open = async (seed?: Entries): Promise<Store> => (store = await fx.open(seed));

    beforeEach(async () => { fx = await makeFixture(); });
    afterEach(async () => { await store?.close(); store = undefined; await fx.dispose(); });

    it("get of a missing key is undefined, also with a range", async () => {
      const s = await open();
      expect(await s.get("/nope")).toBeUndefined();
      expect(await s.get("/nope", { suffix: 4 })).toBeUndefined();
      expect(await s.exists("/nope")).toBe(false);
    });

    it("get reads what the backdoor wrote (all 256 byte values, nested keys, empty value)", async () => {
      const all = Uint8Array.from({ length: 256 }, (_, i) => i);
      const s = await open(seedOf({ "/a/b/c": all, "/.zarray": text("{}"), "/empty": new Uint8Array(0) }));
      expect(await s.get("/a/b/c")).toEqual(all);
      expect(await s.get("/.zarray")).toEqual(text("{}"));
      expect(await s.get("/empty")).toEqual(new Uint8Array(0));
      expect(await s.exists("/a/b/c")).toBe(true);
      expect(await s.exists("/a/b")).toBe(false);
    });

    it("set writes what the backdoor reads; overwrite keeps the last value", async (ctx) => {
      const s = await open();
      if (!s.capabilities.writes) ctx.skip(`${name}: unsupported (writes=false)`);
      await s.set("/x/0.0", bytes(1, 2, 3));
      await s.set("/x/0.0", bytes(9, 8));
      await s.set("/empty", new Uint8Array(0));
      const big = Uint8Array.from({ length: 1 << 20 }, (_, i) => (i * 31) & 0xff);
      await s.set("/big", big);
      expect(await fx.peek("/x/0.0")).toEqual(bytes(9, 8));
      expect(await fx.peek("/empty")).toEqual(new Uint8Array(0));
      expect(await fx.peek("/big")).toEqual(big);
      expect(await s.get("/x/0.0")).toEqual(bytes(9, 8));
    });

    it("mutating a buffer after set or after get does not change the stored value", async (ctx) => {
      const s = await open();
      if (!s.capabilities.writes) ctx.skip(`${name}: unsupported (writes=false)`);
      const v = bytes(1, 2, 3);
      await s.set("/k", v);
      v[0] = 99;
      const got = await s.get("/k");
      got![1] = 99;
      expect(await s.get("/k")).toEqual(bytes(1, 2, 3));
    });

    it("freshGets: each get is a buffer of its own, so consuming one (a transfer detaches it) keeps the stored value", async (ctx) => {
      const s = await open(seedOf({ "/k": bytes(1, 2, 3) }));
      if (!s.capabilities.freshGets) ctx.skip(`${name}: does not declare freshGets`);
      const a = (await s.get("/k"))!;
      const b = (await s.get("/k"))!;
      expect(a.buffer).not.toBe(b.buffer);
      structuredClone(a.buffer, { transfer: [a.buffer as ArrayBuffer] });
      expect(a.byteLength).toBe(0);
      expect(await s.get("/k")).toEqual(bytes(1, 2, 3));
    });

    it("byte ranges: start/end, offset, suffix, clamped past the end", async () => {
      const v = Uint8Array.from({ length: 100 }, (_, i) => i);
      const s = await open(seedOf({ "/r": v }));
      expect(await s.get("/r", { start: 10, end: 20 })).toEqual(v.subarray(10, 20));
      expect(await s.get("/r", { start: 0, end: 0 })).toEqual(new Uint8Array(0));
      expect(await s.get("/r", { offset: 95 })).toEqual(v.subarray(95));
      expect(await s.get("/r", { suffix: 7 })).toEqual(v.subarray(93));
      expect(await s.get("/r", { suffix: 1000 })).toEqual(v);
      expect(await s.get("/r", { start: 90, end: 1000 })).toEqual(v.subarray(90));
      expect(await s.get("/r", { offset: 100 })).toEqual(new Uint8Array(0));
    });

    it("bad ranges are InvalidInputError", async () => {
      const s = await open(seedOf({ "/r": bytes(1, 2, 3) }));
      await expect(s.get("/r", { start: 2, end: 1 })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(s.get("/r", { offset: -1 })).rejects.toBeInstanceOf(InvalidInputError);
      await expect(s.get("/r", { suffix: 1.5 })).rejects.toBeInstanceOf(InvalidInputError);
    });

    it("delete removes a key; deleting a missing key is not an error", async (ctx) => {
      const s = await open(seedOf({ "/d/1": bytes(1), "/d/2": bytes(2) }));
      if (!s.capabilities.deletes) ctx.skip(`${name}: unsupported (deletes=false)`);
      await s.delete("/d/1");
      await s.delete("/d/1");
      await s.delete("/never/there");
      expect(await s.get("/d/1")).toBeUndefined();
      expect(await fx.peek("/d/1")).toBeUndefined();
      expect(await fx.peek("/d/2")).toEqual(bytes(2));
    });

    it("list, list(prefix) and listDir see exactly the keys (prefix '/a' is not '/ab')", async (ctx) => {
      const s = await open(seedOf({
        "/.zgroup": text("{}"), "/a/.zarray": text("{}"), "/a/0.0": bytes(1), "/a/sub/0": bytes(2), "/ab/0": bytes(3),
      }));
      if (!s.capabilities.listing) ctx.skip(`${name}: unsupported (listing=false)`);
      expect(await collect(s.list())).toEqual(["/.zgroup", "/a/.zarray", "/a/0.0", "/a/sub/0", "/ab/0"]);
      expect(await collect(s.list("/a"))).toEqual(["/a/.zarray", "/a/0.0", "/a/sub/0"]);
      expect(await collect(s.list("/a/"))).toEqual(["/a/.zarray", "/a/0.0", "/a/sub/0"]);
      expect(await collect(s.list("/missing"))).toEqual([]);
      expect(await listDir(s, "/")).toEqual({ keys: ["/.zgroup"], prefixes: ["/a", "/ab"] });
      expect(await listDir(s, "/a")).toEqual({ keys: ["/a/.zarray", "/a/0.0"], prefixes: ["/a/sub"] });
    });

    it("list reflects sets and deletes made through the store", async (ctx) => {
      const s = await open();
      if (!s.capabilities.writes || !s.capabilities.deletes || !s.capabilities.listing) {
        ctx.skip(`${name}: unsupported (needs writes, deletes, listing)`);
      }
      await s.set("/p/1", bytes(1));
      await s.set("/p/2", bytes(2));
      await s.delete("/p/1");
      expect(await collect(s.list("/p"))).toEqual(["/p/2"]);
    });

    it.each(BAD_KEYS)("key %j is rejected with InvalidInputError naming it; nothing is written", async (key) => {
      const s = await open();
      const k = key as StoreKey;
      for (const op of [() => s.get(k), () => s.set(k, bytes(1)), () => s.delete(k), () => s.exists(k)]) {
        const err = await op().then(() => undefined, (e: unknown) => e);
        expect(err).toBeInstanceOf(InvalidInputError);
        expect((err as InvalidInputError).path).toBe(key);
      }
      await s.flush();
      expect(await fx.peekKeys()).toEqual([]);
    });

    it("a read-only store refuses set and delete with StoreError and changes nothing", async (ctx) => {
      if (!fx.openReadOnly) ctx.skip(`${name}: unsupported (no read-only mode)`);
      store = await fx.openReadOnly!(seedOf({ "/k": bytes(1) }));
      expect(store.readOnly).toBe(true);
      expect(store.capabilities.writes).toBe(false);
      const e1 = await store.set("/k", bytes(2)).catch((e: unknown) => e);
      expect(e1).toBeInstanceOf(StoreError);
      expect((e1 as StoreError).key).toBe("/k");
      await expect(store.delete("/k")).rejects.toBeInstanceOf(StoreError);
      expect(await store.get("/k")).toEqual(bytes(1));
      expect(await fx.peek("/k")).toEqual(bytes(1));
    });

    it("many concurrent sets all land", async (ctx) => {
      const s = await open();
      if (!s.capabilities.writes) ctx.skip(`${name}: unsupported (writes=false)`);
      const keys = Array.from({ length: 64 }, (_, i) => `/c/${i}` as StoreKey);
      await Promise.all(keys.map((k, i) => s.set(k, bytes(i, i + 1))));
      await s.flush();
      for (const [i, k] of keys.entries()) expect(await fx.peek(k)).toEqual(bytes(i, i + 1));
    });

    it("an aborted signal stops a get", async () => {
      const s = await open(seedOf({ "/k": bytes(1) }));
      const ac = new AbortController();
      ac.abort();
      await expect(s.get("/k", undefined, { signal: ac.signal })).rejects.toThrow();
    });

    it("close is idempotent and flushes", async (ctx) => {
      const s = await open();
      if (!s.capabilities.writes) ctx.skip(`${name}: unsupported (writes=false)`);
      await s.set("/k", bytes(5));
      await s.close();
      await s.close();
      store = undefined;
      expect(await fx.peek("/k")).toEqual(bytes(5));
    });

    it("zarrita writes and reads an array through the adapter", async (ctx) => {
      const s = await open();
      if (!s.capabilities.writes) ctx.skip(`${name}: unsupported (writes=false)`);
      const zs = toZarrita(s);
      const arr = await zarr.create(zarr.root(zs).resolve("arr"), {
        shape: [10], chunkShape: [4], dtype: "float64",
      });
      await zarr.set(arr, null, { data: Float64Array.from({ length: 10 }, (_, i) => i * 1.5), shape: [10], stride: [1] });
      const back = await zarr.get(await zarr.open(zarr.root(zs).resolve("arr"), { kind: "array" }));
      expect(Array.from(back.data as Float64Array)).toEqual(Array.from({ length: 10 }, (_, i) => i * 1.5));
      const range = await zs.getRange("/arr/c/0", { suffixLength: 2 });
      expect(range).toEqual((await fx.peek("/arr/c/0"))?.subarray(-2));
    });
  });
}
