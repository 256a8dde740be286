/**
 * Cross-checks with numcodecs 0.11 (Debian python3): vectors are made during the run.
 * Python encodes → we decode; we encode → Python decodes; deterministic codecs must match byte for byte.
 */
import { describe, expect, it } from "vitest";
import { createDefaultRegistry, isObjectCodec, type CodecConfig, type ObjectCodec, type ObjectValue } from "../../src/codecs/index.js";
import { b64, py, pythonAvailable, randomWalk, rng, unb64 } from "./python.js";
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { sidPython } from "../helpers/sid.js";

interface Case { config: CodecConfig; dtype: string; n: number; exact?: boolean }
interface ObjCase { config: CodecConfig; objects: unknown[]; item_dtype?: string; exact?: boolean }

function data(dtype: string, n: number, seed: number): Uint8Array {
  const r = rng(seed);
  switch (dtype) {
    case "<f8": return randomWalk(n, seed);
    case "<f4": return new Uint8Array(Float32Array.from({ length: n }, (_, i) => Math.sin(i / 7) * 100 + r()).buffer);
    case "<i8": return new Uint8Array(BigInt64Array.from({ length: n }, (_, i) => BigInt(i * 1000 + Math.floor(r() * 50)) - 12345678901n).buffer);
    case "<i4": return new Uint8Array(Int32Array.from({ length: n }, (_, i) => i * 3 + Math.floor(r() * 10) - 500).buffer);
    case "<i2": return new Uint8Array(Int16Array.from({ length: n }, () => Math.floor(r() * 60000) - 30000).buffer);
    case "<u2": return new Uint8Array(Uint16Array.from({ length: n }, (_, i) => (i * 7 + Math.floor(r() * 5)) & 0xffff).buffer);
    case "|u1": case "|b1": return Uint8Array.from({ length: n }, () => (r() < 0.3 ? 1 : 0));
    default: throw new Error(dtype);
  }
}

const itemsize = (dtype: string) => Number(dtype.slice(2));

const CASES: Case[] = [
  { config: { id: "zlib", level: 1 }, dtype: "<f8", n: 5000 },
  { config: { id: "zlib", level: 9 }, dtype: "<i4", n: 3000 },
  { config: { id: "gzip", level: 1 }, dtype: "<f8", n: 5000 },
  { config: { id: "gzip", level: 6 }, dtype: "<u2", n: 4000 },
  { config: { id: "zstd", level: 1 }, dtype: "<f8", n: 5000, exact: true },
  { config: { id: "zstd", level: 9 }, dtype: "<i2", n: 5000, exact: true },
  // above 256 KiB zstd encodes natively (@mongodb-js/zstd) and the frame is rewritten to carry its size
  { config: { id: "zstd", level: 3 }, dtype: "<f8", n: 131072 + 7, exact: true },
  { config: { id: "zstd", level: 3 }, dtype: "<i2", n: 300000, exact: true },
  { config: { id: "lz4", acceleration: 1 }, dtype: "<f8", n: 5000, exact: true },
  { config: { id: "lz4", acceleration: 5 }, dtype: "<i4", n: 777, exact: true },
  { config: { id: "lz4", acceleration: 1 }, dtype: "<f8", n: 131072, exact: true },
  { config: { id: "bz2", level: 1 }, dtype: "<f8", n: 5000 },
  { config: { id: "bz2", level: 9 }, dtype: "<u2", n: 3333 },
  ...(["lz4", "lz4hc", "zstd", "zlib", "blosclz"] as const).flatMap((cname) => [0, 1, 2, -1].map((shuffle) => (
    { config: { id: "blosc", cname, clevel: 5, shuffle, blocksize: 0 }, dtype: cname === "zlib" ? "<i2" : "<f8", n: 20000 + 3 }))),
  { config: { id: "blosc", cname: "zstd", clevel: 1, shuffle: 2, blocksize: 4096 }, dtype: "<f4", n: 50001 },
  { config: { id: "blosc", cname: "lz4", clevel: 9, shuffle: 1, blocksize: 0 }, dtype: "<f8", n: 10 },
  { config: { id: "blosc", cname: "lz4", clevel: 0, shuffle: 1, blocksize: 0 }, dtype: "<f8", n: 1000 },
  { config: { id: "shuffle", elementsize: 8 }, dtype: "<f8", n: 1001, exact: true },
  { config: { id: "shuffle", elementsize: 2 }, dtype: "<u2", n: 999, exact: true },
  { config: { id: "crc32" }, dtype: "<f8", n: 1000, exact: true },
  { config: { id: "adler32" }, dtype: "<i4", n: 100000, exact: true },
  { config: { id: "delta", dtype: "<i8", astype: "<i8" }, dtype: "<i8", n: 1000, exact: true },
  { config: { id: "delta", dtype: "<i4", astype: "<i2" }, dtype: "<i4", n: 1000, exact: true },
  { config: { id: "delta", dtype: "<f4", astype: "<f4" }, dtype: "<f4", n: 1000, exact: true },
  { config: { id: "fixedscaleoffset", offset: 1000, scale: 10, dtype: "<f8", astype: "<i4" }, dtype: "<f8", n: 1000, exact: true },
  { config: { id: "fixedscaleoffset", offset: -2.5, scale: 4, dtype: "<f4", astype: "<i2" }, dtype: "<f4", n: 1000, exact: true },
  { config: { id: "astype", encode_dtype: "<f4", decode_dtype: "<f8" }, dtype: "<f8", n: 1000, exact: true },
  { config: { id: "astype", encode_dtype: "<i2", decode_dtype: "<i4" }, dtype: "<i4", n: 1000, exact: true },
  { config: { id: "quantize", digits: 3, dtype: "<f8", astype: "<f8" }, dtype: "<f8", n: 1000, exact: true },
  { config: { id: "quantize", digits: 2, dtype: "<f4", astype: "<f4" }, dtype: "<f4", n: 1000, exact: true },
  { config: { id: "bitround", keepbits: 10 }, dtype: "<f4", n: 1000, exact: true },
  { config: { id: "bitround", keepbits: 20 }, dtype: "<f8", n: 1000, exact: true },
  { config: { id: "packbits" }, dtype: "|b1", n: 1003, exact: true },
];

const OBJ_CASES: ObjCase[] = [
  { config: { id: "vlen-utf8" }, objects: ["", "a", "héllo wörld", "日本語", "x".repeat(300)], exact: true },
  { config: { id: "vlen-bytes" }, objects: [{ $bytes: b64(Uint8Array.of(0, 1, 2, 255)) }, { $bytes: "" }, { $bytes: b64(new TextEncoder().encode("abc")) }], exact: true },
  { config: { id: "vlen-array", dtype: "<i4" }, item_dtype: "<i4", objects: [[1, 2, 3], [], [-5, 70000]], exact: true },
  { config: { id: "json2", encoding: "utf-8", skipkeys: false, ensure_ascii: true, check_circular: true, allow_nan: true, sort_keys: true, indent: null, separators: [",", ":"], strict: true },
    objects: ["text", 3, 2.5, null, true, { b: 1, a: [1, "x"] }, "ünïcode"] },
];

const available = pythonAvailable();
const registry = createDefaultRegistry();

function normalize(v: ObjectValue): unknown {
  if (v instanceof Uint8Array) return { $bytes: b64(v) };
  if (typeof v === "bigint") return Number(v);
  if (Array.isArray(v)) return v.map(normalize);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, normalize(x)]));
  return v;
}

function denormalize(v: unknown): ObjectValue {
  if (Array.isArray(v)) return v.map(denormalize);
  if (v !== null && typeof v === "object") {
    const o = v as Record<string, unknown>;
    if (typeof o.$bytes === "string") return unb64(o.$bytes);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, denormalize(x)]));
  }
  return v as ObjectValue;
}

describe.skipIf(!available)("numcodecs 0.11 compatibility", () => {
  const inputs = CASES.map((c, i) => data(c.dtype, c.n, i + 1));
  const ctxOf = (c: Case) => ({ dtype: c.dtype, itemsize: itemsize(c.dtype), chunkShape: [c.n] });
  const label = (c: { config: CodecConfig }) => JSON.stringify(c.config);

  it("decodes what numcodecs encodes, for every numeric codec", async () => {
    const ref = py<Array<{ enc?: string; dec?: string; error?: string }>>("encode", {
      cases: CASES.map((c, i) => ({ config: c.config, dtype: c.dtype, shape: [c.n], data: b64(inputs[i]!) })),
    });
    for (const [i, c] of CASES.entries()) {
      const r = ref[i]!;
      expect(r.error, label(c)).toBeUndefined();
      const codec = await registry.resolve(c.config);
      const got = await codec.decode(unb64(r.enc!), ctxOf(c));
      expect(b64(got) === r.dec, `decode ${label(c)}`).toBe(true);
      if (c.exact) expect(b64(await codec.encode(inputs[i]!, ctxOf(c))) === r.enc, `encode bytes ${label(c)}`).toBe(true);
    }
  });

  it("encodes what numcodecs decodes, for every numeric codec", async () => {
    const ours: string[] = [];
    for (const [i, c] of CASES.entries()) {
      const codec = await registry.resolve(c.config);
      ours.push(b64(await codec.encode(inputs[i]!, ctxOf(c))));
    }
    const ref = py<Array<{ enc?: string; dec?: string; error?: string }>>("encode", {
      cases: CASES.map((c, i) => ({ config: c.config, dtype: c.dtype, shape: [c.n], data: b64(inputs[i]!) })),
    });
    const back = py<Array<{ dec?: string; error?: string }>>("decode", {
      cases: CASES.map((c, i) => ({ config: c.config, dtype: c.dtype, shape: [c.n], enc: ours[i] })),
    });
    for (const [i, c] of CASES.entries()) {
      expect(back[i]!.error, label(c)).toBeUndefined();
      expect(back[i]!.dec === ref[i]!.dec, `python decode of ours ${label(c)}`).toBe(true);
    }
  });

  it("round-trips object codecs both ways (json2, vlen-utf8, vlen-bytes, vlen-array)", async () => {
    const ref = py<Array<{ enc?: string; objects?: unknown[]; error?: string }>>("encode", {
      cases: OBJ_CASES.map((c) => ({ config: c.config, objects: c.objects, item_dtype: c.item_dtype, shape: [c.objects.length] })),
    });
    const ours: string[] = [];
    for (const [i, c] of OBJ_CASES.entries()) {
      expect(ref[i]!.error, label(c)).toBeUndefined();
      const codec = await registry.resolve(c.config);
      expect(isObjectCodec(codec)).toBe(true);
      const oc = codec as ObjectCodec;
      const decoded = await oc.decodeObjects(unb64(ref[i]!.enc!));
      expect(normalize(decoded), `decode ${label(c)}`).toEqual(ref[i]!.objects);
      const enc = await oc.encodeObjects(c.objects.map(denormalize), { dtype: "|O", chunkShape: [c.objects.length] });
      ours.push(b64(enc));
      if (c.exact) expect(b64(enc), `encode bytes ${label(c)}`).toBe(ref[i]!.enc);
    }
    const back = py<Array<{ objects?: unknown[]; error?: string }>>("decode", {
      cases: OBJ_CASES.map((c, i) => ({ config: c.config, enc: ours[i], dtype: "|O", shape: [c.objects.length] })),
    });
    OBJ_CASES.forEach((c, i) => {
      expect(back[i]!.error, label(c)).toBeUndefined();
      expect(back[i]!.objects, `python decode of ours ${label(c)}`).toEqual(ref[i]!.objects);
    });
  });

  it("decodes numcodecs Pickle of object arrays (protocols 2–5)", async () => {
    const objects = ["a", 1, 2.5, null, { k: [1, 2] }, { $bytes: b64(Uint8Array.of(1, 2)) }];
    const cases = [2, 3, 4, 5].map((protocol) => ({ config: { id: "pickle", protocol }, objects, shape: [objects.length] }));
    const ref = py<Array<{ enc?: string; objects?: unknown[]; error?: string }>>("encode", { cases });
    for (const [i, c] of cases.entries()) {
      expect(ref[i]!.error).toBeUndefined();
      const oc = (await registry.resolve(c.config)) as ObjectCodec;
      expect(normalize(await oc.decodeObjects(unb64(ref[i]!.enc!))), `protocol ${c.config.protocol}`).toEqual(ref[i]!.objects);
    }
  });
});

describe("numcodecs 0.17 (Debian sid witness): 1 MiB chunks both ways", () => {
  it("LZ4 blocks are its own byte for byte; LZ4, Zstd and Blosc decode each other's", async () => {
    const dir = mkdtempSync(join(tmpdir(), "nc17-"));
    try {
      const raw = randomWalk(131072, 11); // 1 MiB: over LZ4's 64 KiB small-input table
      writeFileSync(join(dir, "raw.bin"), raw);
      const configs = { lz4: { id: "lz4", acceleration: 1 }, zstd: { id: "zstd", level: 3 }, blosc: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 } } as const;
      for (const [name, config] of Object.entries(configs)) {
        writeFileSync(join(dir, `${name}.ours`), await (await registry.resolve(config)).encode(raw, { dtype: "<f8", itemsize: 8 }));
      }
      const out = JSON.parse(sidPython(["-c", `
import sys, json, numcodecs, numpy as np
d = sys.argv[1]
raw = open(d + "/raw.bin", "rb").read()
arr = np.frombuffer(raw, "<f8")
codecs = {"lz4": numcodecs.LZ4(1), "zstd": numcodecs.Zstd(3), "blosc": numcodecs.Blosc("lz4", 5, numcodecs.Blosc.SHUFFLE)}
res = {"version": numcodecs.__version__}
for name, c in codecs.items():
    theirs = bytes(c.encode(arr))
    open(d + "/" + name + ".theirs", "wb").write(theirs)
    ours = open(d + "/" + name + ".ours", "rb").read()
    res[name] = {"same": theirs == ours, "decodes_ours": bytes(c.decode(ours)) == raw}
print(json.dumps(res))
`, dir], { binds: [dir] })) as Record<string, { same: boolean; decodes_ours: boolean }> & { version: string };
      expect(out.version.startsWith("0.1")).toBe(true);
      expect(out.lz4.same, "lz4 bytes").toBe(true);
      for (const [name, config] of Object.entries(configs)) {
        expect(out[name]!.decodes_ours, `numcodecs ${out.version} decodes our ${name}`).toBe(true);
        const back = await (await registry.resolve(config)).decode(readFileSync(join(dir, `${name}.theirs`)), { dtype: "<f8", itemsize: 8 });
        expect(Buffer.compare(Buffer.from(back), Buffer.from(raw)), `we decode numcodecs ${out.version}'s ${name}`).toBe(0);
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  }, 120_000);
});
