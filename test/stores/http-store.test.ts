/**
 * HttpStore against a real range-capable server (test/helpers/range-server.mjs, its own process
 * on 127.0.0.1): bytes checked against the file on disk (the backdoor), ranges of each kind,
 * absent keys, refused writes, redirects, retries, and each bad answer a StoreError naming the
 * URL after bounded retries — never a partial value.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { HttpStore } from "../../src/stores/http-store.js";
import { openStore } from "../../src/stores/open-store.js";
import { startRangeServer, type RangeServer, type ServeMode } from "../helpers/range-server.js";
import { FIXTURES } from "../export/helpers.js";

const FILE = "f_tables_refs.nwb";
const bytes = readFileSync(join(FIXTURES, FILE));
let srv: RangeServer;
beforeAll(async () => { srv = await startRangeServer(FIXTURES); });
afterAll(async () => { await srv?.stop(); });

const FAST = { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 1500 };
const store = (mode: ServeMode): HttpStore => new HttpStore(srv.url(mode, ""), FAST);

describe("reads", () => {
  it("whole keys and every kind of range equal the file's bytes", async () => {
    const s = store("ok");
    expect(Buffer.from((await s.get(`/${FILE}`))!)).toEqual(bytes);
    expect(Buffer.from((await s.get(`/${FILE}`, { start: 100, end: 5000 }))!)).toEqual(bytes.subarray(100, 5000));
    expect(Buffer.from((await s.get(`/${FILE}`, { offset: bytes.length - 77 }))!)).toEqual(bytes.subarray(bytes.length - 77));
    expect(Buffer.from((await s.get(`/${FILE}`, { suffix: 300 }))!)).toEqual(bytes.subarray(bytes.length - 300));
    expect(Buffer.from((await s.get(`/${FILE}`, { start: bytes.length - 10, end: bytes.length + 50 }))!)).toEqual(bytes.subarray(bytes.length - 10));
    expect((await s.get(`/${FILE}`, { offset: bytes.length + 10 }))!.byteLength).toBe(0); // 416: past the end
    expect(await s.byteLength(`/${FILE}`)).toBe(bytes.length);
  });

  it("an absent key is undefined, exists() false; keys are checked before any request", async () => {
    const s = store("ok");
    expect(await s.get("/nope.nwb")).toBeUndefined();
    expect(await s.exists("/nope.nwb")).toBe(false);
    expect(await s.exists(`/${FILE}`)).toBe(true);
    await expect(s.get("/a/../b" as `/${string}`)).rejects.toMatchObject({ kind: "invalid-input" });
  });

  it("follows a 302 redirect (as DANDI's API answers with S3)", async () => {
    const s = store("redirect");
    expect(Buffer.from((await s.get(`/${FILE}`, { start: 8, end: 4096 }))!)).toEqual(bytes.subarray(8, 4096));
  });

  it("retries 503s with backoff and counts each attempt", async () => {
    const s = store("flaky");
    expect(Buffer.from((await s.get(`/${FILE}`, { start: 0, end: 64 }))!)).toEqual(bytes.subarray(0, 64));
    expect(s.stats.retries).toBe(2);
    expect(s.stats.requests).toBe(3);
  });

  it("sends the configured headers (credentials); without them a 401 is a StoreError, not retried", async () => {
    const s = new HttpStore(srv.url("auth", ""), { ...FAST, headers: { authorization: "Bearer test-token" } });
    expect(Buffer.from((await s.get(`/${FILE}`, { start: 0, end: 100 }))!)).toEqual(bytes.subarray(0, 100));
    const bare = store("auth");
    await expect(bare.get(`/${FILE}`)).rejects.toMatchObject({ kind: "store", message: expect.stringMatching(/HTTP 401/) });
    expect(bare.stats.requests).toBe(1);
  });

  it("is read-only: set and delete are UnsupportedErrors naming the URL; openStore refuses \"w\"", async () => {
    const s = store("ok");
    await expect(s.set("/x", new Uint8Array(1))).rejects.toMatchObject({ kind: "unsupported", message: expect.stringContaining(srv.url("ok", "").replace(/\/$/, "")) });
    await expect(s.delete("/x")).rejects.toMatchObject({ kind: "unsupported" });
    await expect(openStore(srv.url("ok", "x.zarr"), { mode: "w" })).rejects.toMatchObject({ kind: "unsupported" });
  });

  it("lists a Zarr store through the directory index", async () => {
    const s = new HttpStore(srv.url("ok", "e_zarr_direct.nwb.zarr"));
    const keys: string[] = [];
    for await (const k of s.list("/")) keys.push(k);
    expect(keys).toContain("/.zmetadata");
    expect(keys).toContain("/specifications/core/2.7.0/nwb.base/0");
  });
});

/** Every file under a folder on disk with its size: the backdoor the listings are checked against. */
async function diskSizes(root: string): Promise<Map<string, number>> {
  const { readdirSync, statSync } = await import("node:fs");
  const out = new Map<string, number>();
  const walk = (d: string, rel: string): void => {
    for (const n of readdirSync(d)) {
      const st = statSync(join(d, n));
      if (st.isDirectory()) walk(join(d, n), `${rel}/${n}`);
      else out.set(`${rel}/${n}`, st.size);
    }
  };
  walk(root, "");
  return out;
}

describe("listSizes (what a manifest counts)", () => {
  const ZARR = "e_zarr_direct.nwb.zarr";
  it("with a directory index: every file and its size on disk; one request per key not read before", async () => {
    const disk = await diskSizes(join(FIXTURES, ZARR));
    const s = new HttpStore(srv.url("ok", ZARR));
    for await (const _ of s.list("/")) { /* the index crawl */ }
    const before = s.stats.requests;
    const sizes = await s.listSizes("/");
    expect(new Map([...sizes!].sort())).toEqual(new Map([...disk].sort()));
    expect(s.stats.requests - before).toBe(disk.size);
    const sub = await s.listSizes("/specifications");
    expect([...sub!.keys()].every((k) => k.startsWith("/specifications/"))).toBe(true);
    expect(sub!.size).toBe([...disk.keys()].filter((k) => k.startsWith("/specifications/")).length);
  });

  it("sizes of keys already read cost no request", async () => {
    const s = new HttpStore(srv.url("ok", ZARR));
    const keys: `/${string}`[] = [];
    for await (const k of s.list("/")) keys.push(k);
    for (const k of keys) await s.get(k);
    const before = s.stats.requests;
    const sizes = await s.listSizes("/");
    expect(s.stats.requests).toBe(before);
    expect(sizes!.size).toBe(keys.length);
  });

  it("without a directory index: undefined (the listing may miss keys the metadata does not name), not a short total", async () => {
    const s = new HttpStore(srv.url("noindex", ZARR));
    expect(await s.listSizes("/")).toBeUndefined();
  });
});

describe("listing without a directory index (a CDN, S3 behind HTTPS)", () => {
  it("comes from consolidated metadata plus probed chunk keys: every array and its chunks, no index page", async () => {
    const s = new HttpStore(srv.url("noindex", "e_zarr_direct.nwb.zarr"));
    const keys = new Set<string>();
    for await (const k of s.list("/")) keys.add(k);
    // the witness: the folder on disk, minus what hdmf-zarr wrote after consolidating (the cached specs)
    const { readdirSync, statSync } = await import("node:fs");
    const root = join(FIXTURES, "e_zarr_direct.nwb.zarr");
    const onDisk: string[] = [];
    const walk = (d: string, rel: string): void => {
      for (const n of readdirSync(d)) statSync(join(d, n)).isDirectory() ? walk(join(d, n), `${rel}/${n}`) : onDisk.push(`${rel}/${n}`);
    };
    walk(root, "");
    const expected = onDisk.filter((k) => !k.startsWith("/specifications/") && k !== "/.zattrs" && k !== "/.zgroup").sort();
    const got = [...keys].filter((k) => !k.startsWith("/specifications/") && k !== "/.zattrs" && k !== "/.zgroup").sort();
    expect(got).toEqual(expected);
    expect(keys.has("/.zattrs")).toBe(true);
  });
});

describe("bad answers: a StoreError naming the URL, bounded", () => {
  const range = { start: 0, end: 4096 };
  it.each([
    ["norange", /ignored the Range header/],
    ["truncate", /after 3 attempts.*short body|after 3 attempts.*cut off/],
    ["badrange", /Content-Range .* does not match/],
    ["hang", /after 3 attempts/],
  ] as const)("%s", async (mode, why) => {
    const s = store(mode);
    const err = await s.get(`/${FILE}`, range).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ kind: "store", message: expect.stringContaining(srv.url(mode, FILE)) });
    expect((err as Error).message).toMatch(why);
    expect(s.stats.requests).toBeLessThanOrEqual(3);
  });
});
