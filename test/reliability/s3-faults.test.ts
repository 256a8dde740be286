/**
 * S3 faults end to end at the ZarrIO level (the store-level version is test/stores/s3-faults):
 * a fault proxy in front of moto answers 500/503, stalls past the timeout, resets or truncates
 * 20 % of requests while ZarrIO writes a 200 MB iterator-fed dataset; after retries it reads
 * back complete and equal. When retries run out the error names the chunk key and the chunks
 * written before it are intact.
 */
import { GetObjectCommand, S3Client } from "@aws-sdk/client-s3";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openZarr, type ZarrIOOptions } from "../../src/backends/zarr/index.js";
import { DataIO } from "../../src/data/data-io.js";
import { dtypes, type Dtype } from "../../src/data/dtype.js";
import { GenericDataChunkIterator } from "../../src/data/iterators.js";
import { NdArray } from "../../src/data/ndarray.js";
import type { SliceSpec } from "../../src/data/selection.js";
import { isHdmfError, StoreError } from "../../src/errors.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import { MOTO_CREDENTIALS, startMotoServer, type MotoServer } from "../../src/conformance/moto.js";
import { startFaultProxy, type FaultProxy } from "../helpers/fault-proxy.js";
import { writeFigure } from "./figures.js";

const N = (200 * 1e6) / 8; // 200 MB of float64
const CHUNK = 1 << 19; // 4 MiB chunks
const TIMEOUT_MS = 4000;
const value = (i: number) => i * 0.25 - 7;
const figures: string[] = [];

class Ramp extends GenericDataChunkIterator {
  constructor(readonly n: number, chunk: number) { super({ chunkShape: [chunk], bufferShape: [chunk * 2] }); }
  protected getData(sel: readonly SliceSpec[]): NdArray {
    const [a, b] = [sel[0]![0]!, sel[0]![1]!];
    const d = new Float64Array(b - a);
    for (let i = 0; i < d.length; i++) d[i] = value(a + i);
    return new NdArray(d, [d.length], dtypes.float64);
  }
  protected getMaxshape(): readonly number[] { return [this.n]; }
  protected getDtype(): Dtype { return dtypes.float64; }
}

function s3Options(endpoint: string, extra: Record<string, unknown> = {}): ZarrIOOptions {
  return {
    defaultCompressor: null,
    storeOptions: { s3: { endpoint, forcePathStyle: true, credentials: MOTO_CREDENTIALS, requestTimeoutMs: TIMEOUT_MS, connectionTimeoutMs: TIMEOUT_MS, retry: { maxAttempts: 10, baseDelayMs: 20, maxDelayMs: 500 }, ...extra } },
  };
}

async function writeRamp(url: string, opts: ZarrIOOptions, n: number, chunk: number): Promise<void> {
  const io = await openZarr(url, "w", opts);
  try {
    const root = new GroupBuilder("root");
    root.group("acquisition").add(new DatasetBuilder("x", new DataIO({ data: new Ramp(n, chunk), chunks: [chunk] })));
    await io.write(root, { cacheSpec: false });
  } finally {
    await io.close();
  }
}

let moto: MotoServer;
let proxy: FaultProxy | undefined;
let client: S3Client;
beforeAll(async () => {
  moto = await startMotoServer();
  client = new S3Client({ endpoint: moto.endpoint, region: "us-east-1", forcePathStyle: true, credentials: MOTO_CREDENTIALS });
});
afterAll(async () => {
  await proxy?.stop();
  client?.destroy();
  await moto?.stop();
  writeFigure("reliability-s3-faults", [`reliability: S3 faults (ZarrIO, fault proxy in front of moto): ${figures.join("; ")}`]);
});

describe("ZarrIO on S3 under injected faults", () => {
  it("20 % faults during a 200 MB iterator-fed write: reads back complete and equal", async () => {
    proxy = await startFaultProxy({ target: moto.endpoint, rate: 0.2, seed: 10, delayMs: TIMEOUT_MS * 2 });
    const url = `s3://${moto.bucket}/faults/big.zarr`;
    await writeRamp(url, s3Options(proxy.endpoint), N, CHUNK);
    const faults = proxy.stats.totalFaults();
    const requests = proxy.stats.requests;
    await proxy.stop();
    proxy = undefined;
    const io = await openZarr(url, "r", s3Options(moto.endpoint));
    let bad = -1;
    try {
      const v = (await (await io.dataset("/acquisition/x")).read()).data as Float64Array;
      expect(v.length).toBe(N);
      for (let i = 0; i < N && bad < 0; i++) if (v[i] !== value(i)) bad = i;
    } finally {
      await io.close();
    }
    expect(bad, `first wrong element ${bad}`).toBe(-1);
    expect(faults).toBeGreaterThan(5);
    figures.push(`200 MB in ${Math.ceil(N / CHUNK)} chunks, ${requests} requests, ${faults} faults injected, 0 elements wrong`);
  }, 240_000);

  it("when retries run out the error names the chunk key; earlier chunks stay intact", async () => {
    const prefix = "faults/fail.zarr";
    const failing = `${prefix}/acquisition/x/7`;
    proxy = await startFaultProxy({ target: moto.endpoint, rate: 0, always: (req) => (req.method === "PUT" && new URL(req.url ?? "/", "http://x").pathname.endsWith(failing) ? "503" : undefined) });
    const chunk = 8192;
    const err = await writeRamp(`s3://${moto.bucket}/${prefix}`, s3Options(proxy.endpoint, { concurrency: 1, retry: { maxAttempts: 3, baseDelayMs: 10 } }), chunk * 12, chunk).then(() => undefined, (e: unknown) => e);
    expect(isHdmfError(err), String(err)).toBe(true);
    const msg = `${(err as Error).message} ${(err as StoreError).key ?? ""}`;
    expect(msg).toContain("/acquisition/x/7");
    for (let k = 0; k < 7; k++) {
      const out = await client.send(new GetObjectCommand({ Bucket: moto.bucket, Key: `${prefix}/acquisition/x/${k}` }));
      const b = await out.Body!.transformToByteArray();
      const v = new Float64Array(b.buffer, b.byteOffset, b.byteLength / 8);
      expect(v.length).toBe(chunk);
      for (let j = 0; j < chunk; j += 997) expect(v[j]).toBe(value(k * chunk + j));
    }
    figures.push(`retries exhausted on chunk 7: ${(err as Error).name} names it, chunks 0-6 intact`);
  }, 120_000);
});
