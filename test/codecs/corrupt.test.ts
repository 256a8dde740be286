/** A corrupt or truncated chunk gives a CodecError naming the codec — never a crash or a hang. */
import { describe, expect, it } from "vitest";
import { CodecError } from "../../src/errors.js";
import { CodecPipeline, createDefaultRegistry, isObjectCodec, type CodecConfig } from "../../src/codecs/index.js";
import { randomWalk, rng } from "./python.js";

const registry = createDefaultRegistry();
const N = 4096;
const ctx = { dtype: "<f8", itemsize: 8, chunkShape: [N] };

const CONFIGS: CodecConfig[] = [
  { id: "zlib", level: 4 }, { id: "gzip", level: 4 }, { id: "zstd", level: 3 }, { id: "lz4" }, { id: "hdf5-lz4" },
  { id: "bz2", level: 9 }, { id: "lzf" }, { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1 },
  { id: "blosc", cname: "zstd", clevel: 5, shuffle: 2 }, { id: "blosc", cname: "zlib", clevel: 5, shuffle: 1 },
  { id: "bitshuffle", cname: "lz4" }, { id: "bitshuffle", cname: "zstd" },
  { id: "fletcher32" }, { id: "crc32" }, { id: "adler32" }, { id: "crc32c" },
];

function mutations(enc: Uint8Array): Array<[string, Uint8Array]> {
  const r = rng(enc.length);
  const flipped = enc.slice();
  for (let i = 0; i < 8; i++) flipped[Math.floor(r() * enc.length)] ^= 0xff;
  const garbage = Uint8Array.from({ length: enc.length }, () => Math.floor(r() * 256));
  const headerBomb = enc.slice();
  headerBomb.fill(0xff, 0, Math.min(16, enc.length));
  return [
    ["truncated to half", enc.subarray(0, enc.length >> 1)],
    ["truncated to 3 bytes", enc.subarray(0, 3)],
    ["empty", new Uint8Array(0)],
    ["random garbage", garbage],
    ["header bytes set to 0xff", headerBomb],
    ["8 bytes flipped", flipped],
  ];
}

describe("corrupt and truncated chunks", () => {
  for (const config of CONFIGS) {
    it(`${JSON.stringify(config)}: CodecError with the codec id, or (for a flip the format cannot see) the wrong bytes`, async () => {
      const codec = await registry.resolve(config);
      const data = randomWalk(N, 7);
      const enc = await codec.encode(data, ctx);
      expect(Buffer.compare(Buffer.from(await codec.decode(enc, ctx)), Buffer.from(data))).toBe(0);
      for (const [what, bad] of mutations(enc)) {
        const out = await codec.decode(bad, ctx).then((v) => v, (e: unknown) => e);
        if (out instanceof Uint8Array) {
          // formats without a checksum may decode a flipped byte; they must never return the original
          expect(what, `${config.id}: ${what} decoded`).toBe("8 bytes flipped");
          continue;
        }
        expect(out, `${config.id}: ${what}`).toBeInstanceOf(CodecError);
        expect((out as CodecError).codecId, `${config.id}: ${what}`).toBe(config.id);
        expect((out as CodecError).direction).toBe("decode");
      }
      // the codec still works afterwards (no wasm module left aborted)
      expect(Buffer.compare(Buffer.from(await codec.decode(enc, ctx)), Buffer.from(data))).toBe(0);
    });
  }

  it("object codecs reject truncated buffers", async () => {
    for (const id of ["vlen-utf8", "vlen-bytes", "json2"]) {
      const codec = await registry.resolve({ id });
      if (!isObjectCodec(codec)) throw new Error(id);
      const enc = await codec.encodeObjects(["alpha", "beta", "gamma"], { dtype: "|O", chunkShape: [3] });
      const err = await codec.decodeObjects(enc.subarray(0, enc.length - 3)).catch((e: unknown) => e);
      expect(err, id).toBeInstanceOf(CodecError);
      expect((err as CodecError).codecId).toBe(id);
    }
  });

  it("a corrupt chunk in decodeMany on worker threads fails with the codec id, in order", async () => {
    const p = new CodecPipeline([await registry.resolve({ id: "blosc", cname: "zstd", clevel: 3, shuffle: 1 })], ctx);
    expect(p.prefersWorkers("decode")).toBe(true);
    const chunks: Uint8Array[] = [];
    for await (const c of p.encodeMany([randomWalk(N, 1), randomWalk(N, 2), randomWalk(N, 3)])) chunks.push(c);
    chunks[1] = chunks[1]!.subarray(0, 40);
    const got: Uint8Array[] = [];
    const err = await (async () => { for await (const d of p.decodeMany(chunks)) got.push(d); })().catch((e: unknown) => e);
    expect(got.length).toBe(1);
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).codecId).toBe("blosc");
  });
});
