/**
 * Retries through a fault-injecting proxy in front of moto: 20 % of requests get a 500/503,
 * a stall past the client timeout, a reset, or a truncated body. The store must read back
 * complete and equal; when retries run out the StoreError names the key and earlier objects
 * stay intact.
 */
import { createHash, randomUUID } from "node:crypto";
import { GetObjectCommand } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { StoreError } from "../../src/errors.js";
import { S3Store, type S3StoreOptions } from "../../src/stores/s3-store.js";
import type { StoreKey } from "../../src/stores/store.js";
import { startFaultProxy, type FaultProxy } from "../helpers/fault-proxy.js";
import { MOTO_CREDENTIALS, startMoto, type Moto } from "../helpers/moto.js";

const MiB = 2 ** 20;
const CHUNKS = 96; // 96 × 1 MiB + one 20 MiB multipart object = 116 MiB
const TIMEOUT_MS = 3000; // moto serves ~30 MiB/s of GETs on this machine; 4 × 1 MiB in flight stays far inside it

let moto: Moto;
let proxy: FaultProxy | undefined;
beforeAll(async () => { moto = await startMoto(); });
afterAll(async () => { await proxy?.stop(); await moto?.stop(); });

const chunk = (i: number, n = MiB) => {
  const v = new Uint8Array(n);
  for (let j = 0; j < n; j += 4096) v[j] = (i + j / 4096) & 0xff;
  v[n - 1] = i & 0xff;
  return v;
};
const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");

function store(endpoint: string, opts: Partial<S3StoreOptions> = {}): S3Store {
  return new S3Store({
    bucket: moto.bucket, prefix: `faults-${randomUUID().slice(0, 8)}`, endpoint, forcePathStyle: true,
    credentials: MOTO_CREDENTIALS, concurrency: 8, readConcurrency: 4, requestTimeoutMs: TIMEOUT_MS, connectionTimeoutMs: TIMEOUT_MS,
    retry: { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 500 }, ...opts,
  });
}

async function backdoorGet(s: S3Store, key: StoreKey): Promise<Uint8Array | undefined> {
  try {
    const out = await moto.client.send(new GetObjectCommand({ Bucket: moto.bucket, Key: s.objectKey(key) }));
    return await out.Body!.transformToByteArray();
  } catch (e) {
    if ((e as { name?: string }).name === "NoSuchKey") return undefined;
    throw e;
  }
}

describe("S3Store under injected faults", () => {
  it("20 % faults during a 116 MiB write: every object reads back complete and equal", async () => {
    proxy = await startFaultProxy({ target: moto.endpoint, rate: 0.2, seed: 42, delayMs: TIMEOUT_MS * 2 });
    const s = store(proxy.endpoint);
    const keys = Array.from({ length: CHUNKS }, (_, i) => `/ts/data/${i}` as StoreKey);
    const big = chunk(7, 20 * MiB);
    await Promise.all([
      s.setMany(keys.map((k, i) => [k, chunk(i)] as const)),
      s.set("/ts/big", big),
    ]);
    await s.flush();
    const writeFaults = proxy.stats.totalFaults();
    const writeRetries = s.stats.retries;

    // Read back through the faulty proxy (reads are retried too) and through the backdoor.
    const reads = await Promise.all(keys.map((k) => s.get(k)));
    for (const [i, k] of keys.entries()) {
      expect(sha(reads[i]!), k).toBe(sha(chunk(i)));
      expect(sha((await backdoorGet(s, k))!), k).toBe(sha(chunk(i)));
    }
    expect(sha((await s.get("/ts/big"))!)).toBe(sha(big));
    const ranged = await s.get("/ts/big", { suffix: 1000 });
    expect(ranged).toEqual(big.subarray(-1000));

    console.log(`[s3-faults] requests=${proxy.stats.requests} faults=${JSON.stringify(proxy.stats.faults)} ` +
      `write faults=${writeFaults} write retries=${writeRetries} total retries=${s.stats.retries} stats=${JSON.stringify(s.stats)}`);
    expect(writeFaults).toBeGreaterThan(10);
    // Every injected fault cost a failed attempt that was retried (a slow moto may add genuine timeouts).
    expect(writeRetries).toBeGreaterThanOrEqual(writeFaults);
    expect(s.stats.retries).toBeGreaterThanOrEqual(proxy.stats.totalFaults());
    await s.close();
    await proxy.stop();
    proxy = undefined;
  });

  it("when retries run out the StoreError names the key; earlier objects stay intact", async () => {
    const failing = "/arr/c/5";
    let s: S3Store | undefined;
    proxy = await startFaultProxy({
      target: moto.endpoint, rate: 0, seed: 7,
      always: (req) => (req.method === "PUT" && s && req.url?.includes(s.objectKey(failing)) ? "503" : undefined),
    });
    s = store(proxy.endpoint, { concurrency: 1, retry: { maxAttempts: 3, baseDelayMs: 10 } });
    const keys = Array.from({ length: 10 }, (_, i) => `/arr/c/${i}` as StoreKey);
    const err = await s.setMany(keys.map((k, i) => [k, chunk(i, 64 * 1024)] as const)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).key).toBe(failing);
    expect((err as StoreError).op).toBe("set");
    expect((err as StoreError).message).toMatch(/after 3 attempts/);
    expect(proxy.stats.faults["503"]).toBe(3);
    for (let i = 0; i < 5; i++) expect(sha((await backdoorGet(s, keys[i]))!)).toBe(sha(chunk(i, 64 * 1024)));
    expect(await backdoorGet(s, keys[5])).toBeUndefined();
    await s.close();
  });
});
