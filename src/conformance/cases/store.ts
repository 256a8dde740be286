/**
 * Store-level cases (`store.*`): the byte-store contract under ZarrIO (src/stores/
 * store.ts), checked on the fixture's own Store. Shaped after zarr-python's `StoreTests`
 * (src/zarr/testing/store.py) and TensorStore's kvstore test_util: every value is known to the
 * case, so a store that ignores ranges, folds case, lies in exists(), drops keys from list(),
 * keeps stale or aliased bytes, or loses concurrent writes fails here even when ZarrIO's own
 * access pattern happens not to notice. Keys never are both a key and a prefix of another key,
 * so a directory-backed store can hold every layout used.
 */
import type { Store, StoreKey } from "../../stores/store.js";
import { CaseUnsupported, equal, fail, ok, rejects, show } from "../check.js";
import type { BackendFixture, ConformanceCase } from "../types.js";

/** Deterministic bytes: value i = (seed + i * 31 + (i >> 8)) mod 256. */
function bytes(n: number, seed = 1): Uint8Array {
  const out = new Uint8Array(n);
  for (let i = 0; i < n; i++) out[i] = (seed + i * 31 + (i >> 8)) & 0xff;
  return out;
}

function bytesEqual(actual: Uint8Array | undefined, expected: Uint8Array, what: string): void {
  ok(actual !== undefined, `${what}: expected ${expected.byteLength} bytes, got undefined (key missing)`);
  if (!(actual instanceof Uint8Array)) fail(`${what}: expected a Uint8Array, got ${show(actual)}`);
  if (actual.byteLength !== expected.byteLength) fail(`${what}: expected ${expected.byteLength} bytes, got ${actual.byteLength}`);
  const a = Buffer.from(actual.buffer, actual.byteOffset, actual.byteLength);
  const e = Buffer.from(expected.buffer, expected.byteOffset, expected.byteLength);
  if (a.equals(e)) return;
  const i = a.findIndex((x, j) => x !== e[j]);
  fail(`${what}: byte [${i}] expected ${e[i]}, got ${a[i]}`);
}

async function keysOf(store: Store, prefix?: StoreKey): Promise<string[]> {
  const out: string[] = [];
  for await (const k of store.list(prefix)) out.push(k);
  return out.sort();
}

function listEquals(actual: readonly string[], expected: readonly string[], what: string): void {
  const want = [...expected].sort();
  const extra = actual.filter((k) => !want.includes(k));
  const missing = want.filter((k) => !actual.includes(k));
  const dup = actual.filter((k, i) => actual.indexOf(k) !== i);
  if (extra.length || missing.length || dup.length) {
    fail(`${what}: missing ${show(missing)}, unexpected ${show(extra)}, duplicated ${show(dup)}`);
  }
}

/** Run `fn` on a fresh store from the fixture; close it afterwards. */
async function withStore(fixture: BackendFixture, fn: (store: Store) => Promise<void>): Promise<void> {
  if (!fixture.store) throw new CaseUnsupported("the fixture has no store(): store cases need a Store-backed fixture (zarrFixture)");
  const store = await fixture.store();
  if (store.readOnly || !store.capabilities.writes) throw new CaseUnsupported("the fixture's store is read-only");
  try {
    await fn(store);
  } finally {
    await store.close();
  }
}

function storeCase(id: string, title: string, fn: (store: Store) => Promise<void>): ConformanceCase {
  return { id: `store.${id}`, title, run: ({ fixture }) => withStore(fixture, fn) };
}

/** The store-level cases (`store.*`): ranges, key case and validation, exists, listing, overwrite, delete, large and empty values, concurrent sets, buffer ownership. */
export const storeCases: ConformanceCase[] = [
  storeCase("get-set", "set then get returns the same bytes; a missing key is undefined, also with a range", async (s) => {
    equal(await s.get("/never/set"), undefined, "get of a missing key");
    equal(await s.get("/never/set", { start: 0, end: 4 }), undefined, "ranged get of a missing key");
    const v = bytes(1000, 7);
    await s.set("/a/b/c", v);
    bytesEqual(await s.get("/a/b/c"), v, "get /a/b/c");
    equal(await s.get("/a/b"), undefined, "get of a prefix that is no key (/a/b)");
  }),
  storeCase("ranges", "byte ranges: [start, end), offset, suffix, clamped at the end", async (s) => {
    const v = bytes(100, 3);
    await s.set("/r", v);
    bytesEqual(await s.get("/r", { start: 10, end: 20 }), v.subarray(10, 20), "range {start: 10, end: 20}");
    bytesEqual(await s.get("/r", { start: 0, end: 1 }), v.subarray(0, 1), "range {start: 0, end: 1}");
    bytesEqual(await s.get("/r", { start: 95, end: 200 }), v.subarray(95), "range {start: 95, end: 200} (past the end)");
    bytesEqual(await s.get("/r", { offset: 90 }), v.subarray(90), "range {offset: 90}");
    bytesEqual(await s.get("/r", { offset: 0 }), v, "range {offset: 0}");
    bytesEqual(await s.get("/r", { suffix: 7 }), v.subarray(93), "range {suffix: 7}");
    bytesEqual(await s.get("/r", { suffix: 500 }), v, "range {suffix: 500} (longer than the value)");
  }),
  storeCase("keys-case-sensitive", "keys differing only in case are different keys", async (s) => {
    const values: Array<[StoreKey, Uint8Array]> = [["/Key/Data", bytes(10, 1)], ["/key/data", bytes(11, 2)], ["/KEY/DATA", bytes(12, 3)]];
    for (const [k, v] of values) await s.set(k, v);
    for (const [k, v] of values) bytesEqual(await s.get(k), v, `get ${k}`);
    equal(await s.exists("/key/DATA"), false, "exists /key/DATA (never set)");
    listEquals(await keysOf(s), values.map(([k]) => k), "list()");
  }),
  storeCase("keys-validated", "keys outside the root (.., empty segments, no leading /, backslash) are InvalidInputErrors", async (s) => {
    for (const bad of ["/a/../../etc/passwd", "relative/key", "/a//b", "/a\\b"]) {
      await rejects(() => s.get(bad as StoreKey), ["invalid-input"], `get ${JSON.stringify(bad)}`);
      await rejects(() => s.set(bad as StoreKey, bytes(1)), ["invalid-input"], `set ${JSON.stringify(bad)}`);
    }
  }),
  storeCase("exists", "exists is true for a key that was set, false for missing keys and bare prefixes", async (s) => {
    equal(await s.exists("/x/y"), false, "exists /x/y before set");
    await s.set("/x/y", bytes(3));
    equal(await s.exists("/x/y"), true, "exists /x/y after set");
    equal(await s.exists("/x/yy"), false, "exists /x/yy (never set)");
    equal(await s.exists("/x"), false, "exists /x (only a prefix)");
    equal(await s.exists("/X/y"), false, "exists /X/y (other case)");
  }),
  storeCase("list", "list() yields every key once; list(prefix) only keys under it, by path segment", async (s) => {
    const keys: StoreKey[] = [];
    for (let g = 0; g < 3; g++) for (let i = 0; i < 8; i++) keys.push(`/g${g}/c/${i}` as StoreKey);
    keys.push("/g/x", "/g/sub/deep/y", "/gx/z", "/.zattrs", "/g0/.zarray");
    await Promise.all(keys.map((k, i) => s.set(k, bytes(5 + i, i))));
    listEquals(await keysOf(s), keys, "list()");
    listEquals(await keysOf(s, "/"), keys, "list(\"/\")");
    const underG = ["/g/x", "/g/sub/deep/y"];
    listEquals(await keysOf(s, "/g"), underG, "list(\"/g\") (not /g0/..., /gx/...)");
    listEquals(await keysOf(s, "/g/"), underG, "list(\"/g/\")");
    listEquals(await keysOf(s, "/g/sub"), ["/g/sub/deep/y"], "list(\"/g/sub\")");
    listEquals(await keysOf(s, "/g1/c"), keys.filter((k) => k.startsWith("/g1/c/")), "list(\"/g1/c\")");
    listEquals(await keysOf(s, "/none"), [], "list(\"/none\")");
  }),
  storeCase("overwrite", "set over an existing key replaces it entirely (shorter and longer values)", async (s) => {
    const long = bytes(4096, 1);
    const short = bytes(10, 2);
    const longer = bytes(9000, 3);
    await s.set("/o/v", long);
    await s.set("/o/v", short);
    bytesEqual(await s.get("/o/v"), short, "get after overwriting 4096 bytes with 10");
    bytesEqual(await s.get("/o/v", { suffix: 4 }), short.subarray(6), "suffix range after overwrite");
    await s.set("/o/v", longer);
    bytesEqual(await s.get("/o/v"), longer, "get after overwriting 10 bytes with 9000");
    listEquals(await keysOf(s, "/o"), ["/o/v"], "list(\"/o\") after overwrites");
  }),
  storeCase("delete", "delete removes exactly one key (get, exists, list agree); deleting a missing key is fine", async (s) => {
    if (!s.capabilities.deletes) throw new CaseUnsupported("the store declares deletes: false");
    await s.set("/d/a", bytes(4, 1));
    await s.set("/d/ab", bytes(5, 2));
    await s.set("/d/b", bytes(6, 3));
    await s.delete("/d/a");
    equal(await s.get("/d/a"), undefined, "get /d/a after delete");
    equal(await s.exists("/d/a"), false, "exists /d/a after delete");
    listEquals(await keysOf(s, "/d"), ["/d/ab", "/d/b"], "list(\"/d\") after deleting /d/a");
    bytesEqual(await s.get("/d/ab"), bytes(5, 2), "get /d/ab (sibling with the same string prefix)");
    await s.delete("/d/never-set");
    await s.delete("/d/a");
    await s.set("/d/a", bytes(7, 4));
    bytesEqual(await s.get("/d/a"), bytes(7, 4), "get /d/a set again after delete");
  }),
  storeCase("large-value", "a 9 MiB value round-trips, whole and by ranges across it", async (s) => {
    const n = 9 * 1024 * 1024 + 13;
    const v = bytes(n, 5);
    await s.set("/big/v", v);
    bytesEqual(await s.get("/big/v"), v, "get of 9 MiB");
    bytesEqual(await s.get("/big/v", { start: 4_194_000, end: 4_196_000 }), v.subarray(4_194_000, 4_196_000), "range in the middle");
    bytesEqual(await s.get("/big/v", { suffix: 3 }), v.subarray(n - 3), "suffix of 3");
  }),
  storeCase("empty-value", "a zero-length value is stored: get gives 0 bytes (not undefined), exists, listed", async (s) => {
    await s.set("/e/empty", new Uint8Array(0));
    bytesEqual(await s.get("/e/empty"), new Uint8Array(0), "get of an empty value");
    bytesEqual(await s.get("/e/empty", { suffix: 3 }), new Uint8Array(0), "suffix range of an empty value");
    equal(await s.exists("/e/empty"), true, "exists of an empty value");
    listEquals(await keysOf(s, "/e"), ["/e/empty"], "list(\"/e\")");
  }),
  storeCase("concurrent-sets", "64 concurrent sets of different keys all land; 16 concurrent sets of one key leave one whole value", async (s) => {
    const keys = Array.from({ length: 64 }, (_, i) => `/p/${i % 4}/${i}` as StoreKey);
    await Promise.all(keys.map((k, i) => s.set(k, bytes(100 + i, i))));
    for (const [i, k] of keys.entries()) bytesEqual(await s.get(k), bytes(100 + i, i), `get ${k} after concurrent sets`);
    listEquals(await keysOf(s, "/p"), keys, "list(\"/p\") after concurrent sets");
    const candidates = Array.from({ length: 16 }, (_, i) => bytes(2000 + i * 10, 100 + i));
    await Promise.all(candidates.map((v) => s.set("/p/same", v)));
    const got = await s.get("/p/same");
    ok(got !== undefined, "get /p/same after 16 concurrent sets: missing");
    const match = candidates.find((c) => c.byteLength === got.byteLength);
    ok(match !== undefined, `get /p/same: ${got.byteLength} bytes is none of the values set`);
    bytesEqual(got, match, "get /p/same (a torn or mixed value)");
  }),
  storeCase("buffer-ownership", "the store keeps its own copy: mutating the set buffer, a view's parent or a returned value changes nothing", async (s) => {
    const v = bytes(64, 9);
    const mine = v.slice();
    await s.set("/m/a", mine);
    mine.fill(0xee);
    bytesEqual(await s.get("/m/a"), v, "get after the caller overwrote the buffer it set");
    const parent = bytes(256, 11);
    const view = parent.subarray(100, 150);
    await s.set("/m/view", view);
    bytesEqual(await s.get("/m/view"), bytes(256, 11).subarray(100, 150), "get of a value set from a subarray view");
    parent.fill(0);
    bytesEqual(await s.get("/m/view"), bytes(256, 11).subarray(100, 150), "get after the caller cleared the view's parent buffer");
    const out = await s.get("/m/a");
    out?.fill(0x11);
    bytesEqual(await s.get("/m/a"), v, "get after the caller overwrote a value get returned");
  }),
];
