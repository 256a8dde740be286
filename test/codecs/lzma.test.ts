/**
 * numcodecs LZMA: every container and filter chain numcodecs 0.11 (Debian bookworm) and 0.17 (sid
 * chroot) encode decodes here to the same bytes, and what hdmf-ts encodes with each config decodes
 * in numcodecs. Bad payloads and bad configs are CodecErrors.
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { createDefaultRegistry } from "../../src/codecs/default-registry.js";
import { pyDumps, pyParse, toPlainJson } from "../../src/data/py-json.js";
import { CodecError } from "../../src/errors.js";
import { sidPython } from "../helpers/sid.js";
import type { CodecConfig } from "../../src/codecs/codec.js";

const SCRIPT = resolve(import.meta.dirname, "py/lzma_vectors.py");
interface Case { config: CodecConfig; encoded: string }
interface Vectors { numcodecs: string; data: string; cases: Case[] }
const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "base64"));
const b64 = (u: Uint8Array): string => Buffer.from(u).toString("base64");
/** Python's JSON as the Zarr metadata reader parses it: FILTER_LZMA1 (2^62 + 1) stays exact. */
const parse = (text: string): Vectors => toPlainJson(pyParse(text, "lzma_vectors")) as Vectors;
const xzWithFilters = (c: CodecConfig): boolean => c.format === 1 && Array.isArray(c.filters);

describe("numcodecs LZMA", () => {
  const runs: Array<[string, (args: string[], input?: string) => string]> = [
    ["numcodecs 0.11", (args, input) => execFileSync("/usr/bin/python3", [SCRIPT, ...args], { encoding: "utf8", input })],
    ["numcodecs 0.17", (args, input) => sidPython([SCRIPT, ...args], { input })],
  ];
  for (const [label, py] of runs) {
    it(`${label}: each config's chunks decode here; ours decode in numcodecs`, async () => {
      const v = parse(py(["encode"]));
      expect(v.cases.length).toBe(15);
      const registry = createDefaultRegistry();
      const ours: Case[] = [];
      for (const { config, encoded } of v.cases) {
        const codec = await registry.resolve(config);
        const what = JSON.stringify(config, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x));
        expect(b64(await codec.decode(b(encoded))), what).toBe(v.data);
        ours.push({ config, encoded: b64(await codec.encode(b(v.data))) });
      }
      const back = JSON.parse(py(["decode"], pyDumps({ data: v.data, cases: ours }))) as Array<true | string>;
      back.forEach((ok, i) => {
        // numcodecs itself cannot decode xz with `filters` set (Python: "Cannot specify filters except with FORMAT_RAW")
        if (xzWithFilters(ours[i]!.config)) expect(ok === true || /filters/.test(String(ok))).toBe(true);
        else expect(ok, JSON.stringify(ours[i]!.config, (_k, x: unknown) => (typeof x === "bigint" ? `${x}n` : x))).toBe(true);
      });
    }, 120_000);
  }

  it("xz at the default preset encodes byte for byte as numcodecs 0.11 does (the same liblzma)", async () => {
    const v = parse(execFileSync("/usr/bin/python3", [SCRIPT, "encode"], { encoding: "utf8" }));
    const codec = await createDefaultRegistry().resolve({ id: "lzma", format: 1, check: -1, preset: null, filters: null });
    expect(b64(await codec.encode(b(v.data)))).toBe(v.cases[0]!.encoded);
  });

  it("FILTER_LZMA1 read by a parser that rounds it to 2^62 still names LZMA1", async () => {
    const codec = await createDefaultRegistry().resolve({ id: "lzma", format: 3, check: -1, preset: null, filters: [{ id: 2 ** 62, preset: 6 }] });
    const data = new Uint8Array(5000).map((_, i) => i % 17);
    expect(Buffer.from(await codec.decode(await codec.encode(data))).equals(Buffer.from(data))).toBe(true);
  });

  it("a corrupt, truncated or foreign payload is a CodecError naming lzma and decode", async () => {
    const registry = createDefaultRegistry();
    const xz = await registry.resolve({ id: "lzma" });
    const good = await xz.encode(new Uint8Array(4096).map((_, i) => i % 7));
    const flipped = good.slice();
    flipped[flipped.length >> 1] ^= 0xff;
    for (const bad of [new TextEncoder().encode("not lzma at all"), good.subarray(0, good.length - 9), flipped, new Uint8Array(0)]) {
      const e = await xz.decode(bad).then(() => undefined, (x: unknown) => x);
      expect(e).toBeInstanceOf(CodecError);
      expect(e).toMatchObject({ codecId: "lzma", direction: "decode" });
    }
    const raw = await registry.resolve({ id: "lzma", format: 3, filters: [{ id: 33 }] });
    await expect(raw.decode(new Uint8Array([0xff, 1, 2, 3]))).rejects.toBeInstanceOf(CodecError);
  });

  it("configs liblzma cannot take are CodecErrors when the codec is made", async () => {
    const registry = createDefaultRegistry();
    for (const c of [
      { id: "lzma", format: 3, filters: null }, { id: "lzma", format: 7 }, { id: "lzma", format: 3, filters: [{ id: 99 }] },
      { id: "lzma", format: 3, filters: [{ id: 4, start_offset: 16 }, { id: 33 }] }, { id: "lzma", format: 3, filters: [{ id: 33, dict_size: -1 }] },
    ]) await expect(registry.resolve(c as unknown as CodecConfig), JSON.stringify(c)).rejects.toBeInstanceOf(CodecError);
    // encode-only limits apply when hdmf-ts encodes, not when it decodes
    await expect((await registry.resolve({ id: "lzma", preset: 12 })).encode(new Uint8Array(8))).rejects.toBeInstanceOf(CodecError);
    await expect((await registry.resolve({ id: "lzma", format: 0 })).encode(new Uint8Array(8))).rejects.toBeInstanceOf(CodecError);
  });
});
