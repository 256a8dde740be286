/** Registry, pipelines (order, bounded parallelism, workers, HDF5 filter masks) and mappings. */
import { describe, expect, it } from "vitest";
import { CodecError, UnsupportedError } from "../../src/errors.js";
import {
  BaseCodec, CodecPipeline, CodecRegistry, CodecWorkerPool, canCopyRaw, createDefaultRegistry, mapOrdered,
  pipelineFromHdf5Filters, pipelineFromZarrV2, pipelineFromZarrV3, pipelineToHdf5Filters, pipelineToZarrV2, pipelineToZarrV3,
  type CodecConfig,
} from "../../src/codecs/index.js";
import { randomWalk } from "./python.js";
import { nativeLz4, nativeZstd } from "../../src/codecs/native.js";
import { contextChain, decodeChain, decodeChainWith } from "../../src/codecs/chain.js";

const ctx = { dtype: "<f8", itemsize: 8, chunkShape: [1000] };
const eq = (a: Uint8Array, b: Uint8Array) => Buffer.compare(Buffer.from(a), Buffer.from(b)) === 0;

class Reverse extends BaseCodec {
  readonly id = "reverse";
  readonly kind = "bytes-bytes" as const;
  toConfig(): CodecConfig { return { id: this.id }; }
  protected _encode(b: Uint8Array) { return b.slice().reverse(); }
  protected _decode(b: Uint8Array) { if (b.length === 0) throw new Error("empty"); return b.slice().reverse(); }
}

describe("CodecRegistry", () => {
  it("an unknown id is a CodecError carrying the id; registries are independent instances", async () => {
    const a = createDefaultRegistry();
    const b = createDefaultRegistry().register("reverse", async () => new Reverse());
    const err = await a.resolve({ id: "reverse" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).codecId).toBe("reverse");
    expect((await b.resolve({ id: "reverse" })).id).toBe("reverse");
    expect(a.has("reverse")).toBe(false);
    expect(new CodecRegistry().ids()).toEqual([]);
  });

  it("a bad config is a CodecError naming the codec", async () => {
    const err = await createDefaultRegistry().resolve({ id: "blosc", cname: "nope" }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).codecId).toBe("blosc");
  });

  it("a custom codec's failure is wrapped with its id and direction", async () => {
    const p = new CodecPipeline([new Reverse()]);
    const err = await p.decodeChunk(new Uint8Array(0)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecError);
    expect(err).toMatchObject({ codecId: "reverse", direction: "decode" });
  });

  it("decode-only codecs refuse to encode with UnsupportedError", async () => {
    const r = createDefaultRegistry();
    for (const c of [await r.resolve({ id: "hdf5-scaleoffset", cd_values: [] }), await r.resolve({ id: "hdf5-nbit", cd_values: [] })]) {
      expect(await c.encode(new Uint8Array(8)).catch((e: unknown) => e)).toBeInstanceOf(UnsupportedError);
    }
  });
});

describe("CodecPipeline", () => {
  const r = createDefaultRegistry();

  it("encodeMany keeps order with a bounded number in flight (main thread and workers)", async () => {
    let inFlight = 0, peak = 0;
    const out = [];
    for await (const v of mapOrdered([5, 1, 4, 2, 3, 0], async (x) => {
      inFlight++; peak = Math.max(peak, inFlight);
      await new Promise((res) => setTimeout(res, x * 3));
      inFlight--;
      return x;
    }, 2)) out.push(v);
    expect(out).toEqual([5, 1, 4, 2, 3, 0]);
    expect(peak).toBe(2);

    const chunks = Array.from({ length: 12 }, (_, i) => randomWalk(1000, i + 1));
    for (const config of [{ id: "zlib", level: 4 }, { id: "blosc", cname: "zstd", clevel: 5, shuffle: 1 }] as CodecConfig[]) {
      const p = await pipelineFromZarrV2([{ id: "shuffle", elementsize: 8 }], config, r, ctx);
      const pool = new CodecWorkerPool({ size: 2 });
      try {
        const enc: Uint8Array[] = [];
        for await (const c of p.encodeMany(chunks, { concurrency: 3, workers: pool })) enc.push(c);
        for (const [i, c] of enc.entries()) expect(eq(await p.decodeChunk(c), chunks[i]!), `${config.id} chunk ${i}`).toBe(true);
        const dec: Uint8Array[] = [];
        for await (const d of p.decodeMany(enc, { workers: false })) dec.push(d);
        expect(dec.every((d, i) => eq(d, chunks[i]!))).toBe(true);
      } finally {
        await pool.close();
      }
    }
  });

  it("a worker takes a chunk's buffer only when the caller gives it up and the view owns all of it", async () => {
    const p = await pipelineFromZarrV2(null, { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1 }, r, ctx);
    const pool = new CodecWorkerPool({ size: 1 });
    try {
      const given = randomWalk(1000, 1), kept = randomWalk(1000, 2);
      const batch = new Uint8Array(16000); // two chunks in one buffer, as a batch read returns them
      batch.set(randomWalk(1000, 3));
      const part = batch.subarray(0, 8000), expectPart = part.slice();
      const expectGiven = given.slice(), expectKept = kept.slice();
      const enc: Uint8Array[] = [];
      for await (const c of p.encodeMany([{ data: given, owned: true }, kept, { data: part, owned: true }], { workers: pool })) enc.push(c);
      expect(given.byteLength).toBe(0); // transferred, not copied
      expect(eq(kept, expectKept) && eq(part, expectPart)).toBe(true); // not given up / a view into a larger buffer: copied
      expect(batch.byteLength).toBe(16000);
      const dec: Uint8Array[] = [];
      for await (const d of p.decodeMany(enc.map((data) => ({ data, owned: true })), { workers: pool })) dec.push(d);
      expect(eq(dec[0]!, expectGiven) && eq(dec[1]!, expectKept) && eq(dec[2]!, expectPart)).toBe(true);
      expect(enc.every((e) => e.byteLength === 0)).toBe(true);
    } finally {
      await pool.close();
    }
  });

  it("decodeChainWith lends the last step's wasm output and agrees with decodeChain, masks included", async () => {
    const codecs = [await r.resolve({ id: "shuffle", elementsize: 8 }), await r.resolve({ id: "blosc", cname: "lz4", clevel: 5, shuffle: 0 })];
    const ctxs = contextChain(codecs, ctx);
    const data = randomWalk(1000, 9);
    const full = await codecs[1]!.encode(await codecs[0]!.encode(data, ctxs[0]), ctxs[1]);
    const masked = await codecs[1]!.encode(data, ctxs[1]); // HDF5: filter 0 (shuffle) skipped for this chunk
    for (const [bytes, mask] of [[full, 0], [masked, 1]] as const) {
      let seen: Uint8Array | undefined, lent = false;
      const n = await decodeChainWith(codecs, ctxs, bytes, mask, (out) => { seen = out.slice(); lent = out.byteLength < out.buffer.byteLength; });
      expect(n).toBe(8000);
      expect(eq(seen!, await decodeChain(codecs, ctxs, bytes, mask)) && eq(seen!, data), `mask ${mask}`).toBe(true);
      expect(lent, `mask ${mask}: a view of wasm memory, not a copy`).toBe(true);
    }
    const err = await decodeChainWith(codecs, ctxs, full.subarray(0, 30), 0, () => undefined).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).codecId).toBe("blosc");
  });

  it("prefers workers only for codecs that block this thread", async () => {
    expect((await pipelineFromZarrV2(null, { id: "gzip", level: 4 }, r)).prefersWorkers("decode")).toBe(false);
    expect((await pipelineFromZarrV2(null, { id: "blosc" }, r)).prefersWorkers("decode")).toBe(true);
    expect(new CodecPipeline([new Reverse()]).prefersWorkers("decode")).toBe(false);
    // chunks under 64 KiB (HDMF_TS_INLINE_BYTES; 0 = none) are coded here
    const blosc = await pipelineFromZarrV2(null, { id: "blosc" }, r);
    expect([blosc.prefersWorkers("encode", 65535), blosc.prefersWorkers("encode", 65536)]).toEqual([false, true]);
    try {
      for (const [env, workers] of [["0", true], ["10000", false], ["4000", true], ["junk", false]] as const) {
        process.env.HDMF_TS_INLINE_BYTES = env;
        expect(blosc.prefersWorkers("decode", 5000), env).toBe(workers);
      }
    } finally {
      delete process.env.HDMF_TS_INLINE_BYTES;
    }
    // native decoders need no worker; their encoders (wasm, or native at one level only) still do
    for (const [config, native] of [[{ id: "zstd", level: 3 }, nativeZstd()], [{ id: "lz4" }, nativeLz4()]] as const) {
      const p = await pipelineFromZarrV2(null, config, r);
      expect(p.prefersWorkers("encode"), config.id).toBe(true);
      expect(p.prefersWorkers("decode"), config.id).toBe(native === undefined);
    }
  });

  it("a closed pool refuses work", async () => {
    const pool = new CodecWorkerPool({ size: 1 });
    await pool.close();
    const p = await pipelineFromZarrV2(null, { id: "lz4" }, r);
    const it = p.encodeMany([new Uint8Array(10)], { workers: pool });
    expect(await it.next().catch((e: unknown) => e)).toBeInstanceOf(UnsupportedError);
  });

  it("an LZF chunk that does not shrink is skipped with its filter-mask bit (HDF5)", async () => {
    const p = await pipelineFromHdf5Filters([{ id: 32000, flags: 1, cdValues: [4, 261, 64] }, { id: 3, flags: 0, cdValues: [] }], { itemsize: 1, chunkShape: [64] }, r);
    const noise = Uint8Array.from({ length: 64 }, (_, i) => (i * 97 + 13) & 0xff);
    const enc = await p.encodeChunkHdf5(noise);
    expect(enc.filterMask).toBe(0b01);
    expect(eq(await p.decodeChunkHdf5(enc.bytes, enc.filterMask), noise)).toBe(true);
    const zeros = await p.encodeChunkHdf5(new Uint8Array(64));
    expect(zeros.filterMask).toBe(0);
    // the same through encodeManyHdf5 / decodeMany (worker threads), masks kept per chunk
    const many = [];
    for await (const r of p.encodeManyHdf5([noise, new Uint8Array(64), noise])) many.push(r);
    expect(many.map((r) => r.filterMask)).toEqual([1, 0, 1]);
    const back = [];
    for await (const d of p.decodeMany(many.map((r) => ({ data: r.bytes, filterMask: r.filterMask })))) back.push(d);
    expect(eq(back[0]!, noise) && eq(back[1]!, new Uint8Array(64)) && eq(back[2]!, noise)).toBe(true);
  });

  it("object pipelines take values: vlen-utf8 then zstd", async () => {
    const p = await pipelineFromZarrV2([{ id: "vlen-utf8" }], { id: "zstd", level: 1 }, r, { dtype: "|O", chunkShape: [3] });
    const enc = await p.encodeObjects(["a", "bé", ""]);
    expect(await p.decodeObjects(enc)).toEqual(["a", "bé", ""]);
    expect(await p.decodeChunk(enc).catch((e: unknown) => e)).toBeInstanceOf(UnsupportedError);
  });
});

describe("mappings between HDF5, Zarr v2 and Zarr v3", () => {
  const r = createDefaultRegistry();
  const h5 = [{ id: 2, flags: 1, cdValues: [8] }, { id: 1, flags: 1, cdValues: [4] }, { id: 3, flags: 0, cdValues: [] }];

  it("HDF5 [shuffle, deflate, fletcher32] → Zarr v3 keeps the order (raw copy), → Zarr v2 reorders (re-encode)", async () => {
    const p = await pipelineFromHdf5Filters(h5, ctx, r);
    const v3 = pipelineToZarrV3(p);
    expect(v3.map((c) => c.name)).toEqual(["bytes", "numcodecs.shuffle", "numcodecs.zlib", "numcodecs.fletcher32"]);
    const back = await pipelineFromZarrV3(v3, r, ctx);
    expect(canCopyRaw(p, back)).toBe(true);
    const v2 = pipelineToZarrV2(p);
    expect(v2).toMatchObject({ filters: [{ id: "shuffle", elementsize: 8 }, { id: "fletcher32" }], compressor: { id: "zlib", level: 4 }, reordered: true });
    const z2 = await pipelineFromZarrV2(v2.filters, v2.compressor, r, ctx);
    expect(canCopyRaw(p, z2)).toBe(false);
    const data = randomWalk(1000, 3);
    expect(eq(await z2.decodeChunk(await z2.encodeChunk(data)), data)).toBe(true);
    // and the HDF5 filters come back exactly
    const { filters } = await pipelineToHdf5Filters(back, r);
    expect(filters.map((f) => [f.id, f.flags, [...f.cdValues]])).toEqual(h5.map((f) => [f.id, f.flags, f.cdValues]));
  });

  it("Zarr v2 blosc ⇄ HDF5 32001 copies raw; levels do not matter to a reader", async () => {
    const z = await pipelineFromZarrV2(null, { id: "blosc", cname: "zstd", clevel: 5, shuffle: 1, blocksize: 0 }, r, ctx);
    const { filters, pipeline } = await pipelineToHdf5Filters(z, r);
    expect(filters).toEqual([{ id: 32001, flags: 1, name: "blosc", cdValues: [2, 2, 8, 8000, 5, 1, 5] }]);
    expect(canCopyRaw(z, pipeline)).toBe(true);
    expect(canCopyRaw(await pipelineFromZarrV2(null, { id: "zlib", level: 1 }, r), await pipelineFromHdf5Filters([{ id: 1, flags: 1, cdValues: [9] }], ctx, r))).toBe(true);
    expect(canCopyRaw(await pipelineFromZarrV2(null, { id: "gzip", level: 1 }, r), await pipelineFromHdf5Filters([{ id: 1, flags: 1, cdValues: [1] }], ctx, r))).toBe(false);
  });

  it("a codec with no HDF5 filter raises UnsupportedError naming it, unless a fallback is given", async () => {
    const z = await pipelineFromZarrV2([{ id: "delta", dtype: "<f8" }], { id: "crc32" }, r, ctx);
    const err = await pipelineToHdf5Filters(z, r).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedError);
    expect((err as UnsupportedError).message).toContain("delta");
    const { filters } = await pipelineToHdf5Filters(z, r, { fallback: await r.resolve({ id: "zlib", level: 4 }) });
    expect(filters.map((f) => f.id)).toEqual([1]);
    // numcodecs gzip and lz4 map to their HDF5 equivalents (different framing: re-encoded)
    const g = await pipelineToHdf5Filters(await pipelineFromZarrV2(null, { id: "gzip", level: 6 }, r, ctx), r);
    expect(g.filters).toMatchObject([{ id: 1, cdValues: [6] }]);
  });

  it("HDF5 scaleoffset has no Zarr counterpart", async () => {
    const p = await pipelineFromHdf5Filters([{ id: 6, flags: 0, cdValues: [0, 0, 1000, 1, 4, 0, 0] }], ctx, r);
    expect(() => pipelineToZarrV2(p)).toThrow(UnsupportedError);
  });

  it("Zarr v3 transpose + bytes(big) + crc32c round-trip", async () => {
    const p = await pipelineFromZarrV3([{ name: "transpose", configuration: { order: [1, 0] } }, { name: "bytes", configuration: { endian: "big" } }, { name: "crc32c" }], r, { dtype: "<i2", itemsize: 2, chunkShape: [2, 3] });
    const data = new Uint8Array(Int16Array.of(1, 2, 3, 4, 5, 6).buffer);
    const enc = await p.encodeChunk(data);
    expect(Array.from(enc.subarray(0, 12))).toEqual([0, 1, 0, 4, 0, 2, 0, 5, 0, 3, 0, 6]);
    expect(eq(await p.decodeChunk(enc), data)).toBe(true);
    expect(pipelineToZarrV3(p).map((c) => c.name)).toEqual(["transpose", "bytes", "crc32c"]);
  });
});
