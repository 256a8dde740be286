import { randomUUID } from "node:crypto";
import { GetObjectCommand, HeadObjectCommand, PutObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openStore } from "../../src/stores/open-store.js";
import { S3Store, type S3StoreOptions } from "../../src/stores/s3-store.js";
import type { StoreKey } from "../../src/stores/store.js";
import { ZipStore } from "../../src/stores/zip-store.js";
import { startFaultProxy } from "../helpers/fault-proxy.js";
import { MOTO_CREDENTIALS, startMoto, type Moto } from "../helpers/moto.js";

let moto: Moto;
beforeAll(async () => { moto = await startMoto(); });
afterAll(async () => { await moto?.stop(); });

const pattern = (n: number, seed: number) => Uint8Array.from({ length: n }, (_, i) => (i * 7 + seed) & 0xff);

function s3(opts: Partial<S3StoreOptions> = {}): S3Store {
  return new S3Store({
    bucket: moto.bucket, prefix: `t-${randomUUID().slice(0, 8)}`, endpoint: moto.endpoint,
    forcePathStyle: true, credentials: MOTO_CREDENTIALS, ...opts,
  });
}

async function backdoorGet(store: S3Store, key: StoreKey): Promise<Uint8Array> {
  const out = await moto.client.send(new GetObjectCommand({ Bucket: moto.bucket, Key: store.objectKey(key) }));
  return out.Body!.transformToByteArray();
}

describe("S3Store on moto", () => {
  it("range and suffix range GETs cost one request each and no HEAD", async () => {
    const store = s3();
    const v = pattern(1000, 3);
    await moto.client.send(new PutObjectCommand({ Bucket: moto.bucket, Key: store.objectKey("/k"), Body: v }));
    expect(await store.get("/k", { start: 100, end: 164 })).toEqual(v.subarray(100, 164));
    expect(await store.get("/k", { suffix: 10 })).toEqual(v.subarray(990));
    expect(await store.get("/k", { offset: 995 })).toEqual(v.subarray(995));
    expect(await store.get("/k", { offset: 5000 })).toEqual(new Uint8Array(0));
    expect(await store.get("/missing", { suffix: 10 })).toBeUndefined();
    expect(store.stats).toMatchObject({ gets: 5, heads: 0, retries: 0 });
    await store.close();
  });

  it("a 20 MB value goes up as a 3-part multipart upload and reads back equal", async () => {
    const store = s3();
    const big = pattern(20 * 2 ** 20, 11);
    await store.set("/big", big);
    expect(store.stats).toMatchObject({ multipartUploads: 1, parts: 3, puts: 2 }); // create + complete
    const head = await moto.client.send(new HeadObjectCommand({ Bucket: moto.bucket, Key: store.objectKey("/big") }));
    expect(head.ETag).toMatch(/-3"?$/); // multipart ETags end in -<parts>
    expect(head.ContentLength).toBe(big.length);
    expect(Buffer.from(await backdoorGet(store, "/big")).equals(Buffer.from(big))).toBe(true);
    expect(await store.get("/big", { start: 8 * 2 ** 20 - 5, end: 8 * 2 ** 20 + 5 })).toEqual(big.subarray(8 * 2 ** 20 - 5, 8 * 2 ** 20 + 5));
    await store.close();
  });

  it("counts requests: one PUT per set, one HEAD per exists, list pages of 1000", async () => {
    const store = s3({ concurrency: 16 });
    await store.setMany(Array.from({ length: 1100 }, (_, i) => [`/c/${i}` as StoreKey, Uint8Array.of(i & 0xff)] as const));
    expect(store.stats.puts).toBe(1100);
    expect(await store.exists("/c/5")).toBe(true);
    expect(await store.exists("/c/99999")).toBe(false);
    expect(store.stats.heads).toBe(2);
    let n = 0;
    for await (const _ of store.list("/c")) n++;
    expect(n).toBe(1100);
    expect(store.stats.lists).toBe(2);
    await store.deleteMany(Array.from({ length: 1100 }, (_, i) => `/c/${i}` as StoreKey));
    expect(store.stats.deletes).toBe(2);
    for await (const _ of store.list("/c")) throw new Error("list after deleteMany should be empty");
    await store.close();
  });

  it("keeps at most `concurrency` PUTs in flight, however many sets are pending", async () => {
    const proxy = await startFaultProxy({ target: moto.endpoint, rate: 0 });
    try {
      const store = s3({ endpoint: proxy.endpoint, concurrency: 4 });
      await Promise.all(Array.from({ length: 64 }, (_, i) => store.set(`/p/${i}`, pattern(256 * 1024, i))));
      expect(proxy.stats.maxActive.PUT).toBeLessThanOrEqual(4);
      expect(proxy.stats.maxActive.PUT).toBeGreaterThan(1);
      await store.close();
    } finally {
      await proxy.stop();
    }
  });

  it("openStore: s3:// URLs give an S3Store; s3://…/x.zip reads a zip with range GETs", async () => {
    const s3opts = { endpoint: moto.endpoint, forcePathStyle: true, credentials: MOTO_CREDENTIALS };
    const w = await openStore(`s3://${moto.bucket}/via-url/run`, { mode: "w", s3: s3opts });
    expect(w).toBeInstanceOf(S3Store);
    await w.set("/a/0", Uint8Array.of(1, 2));
    await w.close();
    const r = await openStore(`s3://${moto.bucket}/via-url/run`, { s3: s3opts });
    expect(r.readOnly).toBe(true);
    expect(await r.get("/a/0")).toEqual(Uint8Array.of(1, 2));
    await r.close();

    const { mkdtemp, readFile, rm } = await import("node:fs/promises");
    const { tmpdir } = await import("node:os");
    const dir = await mkdtemp(`${tmpdir()}/hdmf-s3zip-`);
    const zw = await ZipStore.open(`${dir}/z.zip`, { mode: "w" });
    await zw.set("/x/0", pattern(3000, 1));
    await zw.close();
    await moto.client.send(new PutObjectCommand({ Bucket: moto.bucket, Key: "zips/z.zip", Body: await readFile(`${dir}/z.zip`) }));
    await rm(dir, { recursive: true, force: true });
    const z = await openStore(`s3://${moto.bucket}/zips/z.zip`, { s3: s3opts });
    expect(await z.get("/x/0", { suffix: 4 })).toEqual(pattern(3000, 1).subarray(-4));
    await z.close();
  });
});
