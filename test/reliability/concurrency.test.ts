/**
 * Concurrency: 4 processes write disjoint chunk-aligned regions of one Zarr dataset (directory
 * and S3) → 0 lost chunks; 4 readers during a rewrite see each chunk old or new, never torn.
 */
import { spawn } from "node:child_process";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openZarr } from "../../src/backends/zarr/index.js";
import { DataIO } from "../../src/data/data-io.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import { MOTO_CREDENTIALS, startMotoServer, type MotoServer } from "../../src/conformance/moto.js";
import { writeFigure } from "./figures.js";

const CHILD = fileURLToPath(new URL("./children/region-writer.ts", import.meta.url));
const CHUNK = 8192; // float64 elements: 64 KiB chunks; a lost chunk reads as the fill value -1
const PER_WRITER = 8; // chunks per writer
const WRITERS = 4;
const N = CHUNK * PER_WRITER * WRITERS;
const figures: string[] = [];

function child(args: string[], env: Record<string, string> = {}): Promise<string> {
  return new Promise((resolve, reject) => {
    const p = spawn(process.execPath, ["--import", "tsx", CHILD, ...args], { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
    let out = "";
    let err = "";
    p.stdout.on("data", (d: Buffer) => { out += d.toString(); });
    p.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    p.on("error", reject);
    p.on("exit", (code) => (code === 0 ? resolve(out) : reject(new Error(`child ${args[0]} exited ${code}: ${err.slice(-1500)}`))));
  });
}

async function createArray(target: string, storeOptions: Parameters<typeof openZarr>[2] = {}, fill = -1): Promise<void> {
  const io = await openZarr(target, "w", { ...storeOptions, defaultCompressor: null });
  const root = new GroupBuilder("root");
  root.add(new DatasetBuilder("x", new DataIO({ shape: [N], dtype: "float64", chunks: [CHUNK], fillvalue: fill })));
  await io.write(root, { cacheSpec: false });
  await io.close();
}

async function checkAll(target: string, storeOptions: Parameters<typeof openZarr>[2] = {}): Promise<{ lost: number; chunks: number }> {
  const io = await openZarr(target, "r", storeOptions);
  try {
    const h = await io.dataset("/x");
    const v = (await h.read()).data as Float64Array;
    let lost = 0;
    for (let k = 0; k < N / CHUNK; k++) {
      for (let j = 0; j < CHUNK; j++) {
        const i = k * CHUNK + j;
        if (v[i] !== 1000 + i) { lost++; break; }
      }
    }
    return { lost, chunks: await h.storedChunkCount() };
  } finally {
    await io.close();
  }
}

let moto: MotoServer | undefined;
beforeAll(async () => { moto = await startMotoServer(); });
afterAll(async () => {
  await moto?.stop();
  writeFigure("reliability-concurrency", [`reliability: concurrency: ${figures.join("; ")}`]);
});

describe("4 writers, disjoint chunk-aligned regions", () => {
  const cases: Array<[string, () => Promise<{ target: string; env: Record<string, string>; opts: Parameters<typeof openZarr>[2]; cleanup: () => Promise<void> }>]> = [
    ["directory", async () => {
      const dir = await mkdtemp(path.join(tmpdir(), "hdmf-conc-"));
      return { target: path.join(dir, "a.zarr"), env: {}, opts: {}, cleanup: () => rm(dir, { recursive: true, force: true }) };
    }],
    ["S3 (moto)", async () => ({
      target: `s3://${moto!.bucket}/conc-${Date.now()}/a.zarr`, env: { HDMF_S3_ENDPOINT: moto!.endpoint },
      opts: { storeOptions: { s3: { endpoint: moto!.endpoint, forcePathStyle: true, credentials: MOTO_CREDENTIALS } } }, cleanup: async () => undefined,
    })],
  ];
  for (const [name, setup] of cases) {
    it(`${name}: 0 lost chunks`, async () => {
      const s = await setup();
      try {
        await createArray(s.target, s.opts);
        const span = CHUNK * PER_WRITER;
        await Promise.all(Array.from({ length: WRITERS }, (_, w) => child(["write", s.target, String(w * span), String((w + 1) * span), "1000"], s.env)));
        const r = await checkAll(s.target, s.opts);
        expect(r.lost).toBe(0);
        expect(r.chunks).toBe(N / CHUNK);
        figures.push(`${name}: ${WRITERS} writers x ${PER_WRITER} chunks, ${r.lost} lost of ${N / CHUNK}`);
      } finally {
        await s.cleanup();
      }
    }, 120_000);
  }
});

describe("4 readers during a rewrite", () => {
  it("directory: every chunk reads old or new, never torn", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "hdmf-conc-"));
    try {
      const target = path.join(dir, "r.zarr");
      await createArray(target);
      const chunks = N / CHUNK;
      await child(["flip", target, String(chunks), String(CHUNK), "1"]);
      const readers = Array.from({ length: 4 }, () => child(["read", target, "8", String(CHUNK)]));
      const writer = child(["flip", target, String(chunks), String(CHUNK), "2"]);
      const outs = await Promise.all([...readers, writer]);
      const torn = outs.join("").match(/torn \d+/g)?.length ?? 0;
      const reads = [...outs.join("").matchAll(/reads (\d+)/g)].reduce((a, m) => a + Number(m[1]), 0);
      expect(torn).toBe(0);
      expect(reads).toBe(32);
      figures.push(`4 readers, ${reads} full reads of ${chunks} chunks during a rewrite: ${torn} torn chunks`);
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
