/**
 * Lenient decode, strict encode: numcodecs configs whose encode-only parameters (levels,
 * acceleration, blosc clevel/shuffle/blocksize) lie outside what hdmf-ts writes still decode,
 * for every config numcodecs 0.11 (Debian bookworm) and 0.17 (sid chroot) encode with; encoding
 * with such a config here is a CodecError.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { createDefaultRegistry } from "../../src/codecs/default-registry.js";
import { CodecError } from "../../src/errors.js";
import { sidPython } from "../helpers/sid.js";
import type { CodecConfig } from "../../src/codecs/codec.js";

const SCRIPT = resolve(import.meta.dirname, "py/lenient_configs.py");
interface Out { numcodecs: string; data: string; encoded: Record<string, string | null> }
const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "base64"));

describe("numcodecs configs decode whatever their encode-only parameters", () => {
  const runs: Array<[string, () => string]> = [
    ["numcodecs 0.11", () => execFileSync("/usr/bin/python3", [SCRIPT], { encoding: "utf8" })],
    ["numcodecs 0.17", () => sidPython([SCRIPT])],
  ];
  for (const [label, run] of runs) {
    it(`${label}: every config it encodes with decodes here to the same bytes`, async () => {
      const out = JSON.parse(run()) as Out;
      const registry = createDefaultRegistry();
      const encodedWith = Object.entries(out.encoded).filter(([, v]) => v !== null);
      expect(encodedWith.length).toBeGreaterThanOrEqual(8);
      for (const [config, bytes] of encodedWith) {
        const codec = await registry.resolve(JSON.parse(config) as CodecConfig);
        expect(Buffer.from(await codec.decode(b(bytes!), { itemsize: 4 })).equals(Buffer.from(b(out.data))), config).toBe(true);
      }
    }, 120_000);
  }

  it("a stored config numcodecs would not encode with (blosc clevel 12, shuffle 7) still decodes: the frame header says how", async () => {
    const registry = createDefaultRegistry();
    const data = Uint8Array.from({ length: 4096 }, (_, i) => i % 13);
    const frame = await (await registry.resolve({ id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 })).encode(data, { itemsize: 4 });
    for (const odd of [{ clevel: 12 }, { clevel: -1 }, { shuffle: 7 }, { blocksize: -5 }]) {
      const codec = await registry.resolve({ id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0, ...odd });
      expect(Buffer.from(await codec.decode(frame, { itemsize: 4 })).equals(Buffer.from(data))).toBe(true);
      await expect(codec.encode(data, { itemsize: 4 })).rejects.toBeInstanceOf(CodecError);
    }
  });

  it("encoding with a level outside hdmf-ts's write range is a CodecError", async () => {
    const registry = createDefaultRegistry();
    for (const c of [{ id: "zstd", level: 100 }, { id: "gzip", level: 12 }, { id: "zlib", level: 10 }, { id: "bz2", level: 0 }]) {
      const codec = await registry.resolve(c);
      await expect(codec.encode(new Uint8Array(64)), JSON.stringify(c)).rejects.toBeInstanceOf(CodecError);
    }
  });
});
