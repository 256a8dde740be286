/**
 * numcodecs MsgPack (`msgpack2`, every config key; legacy `msgpack`) and Base64 against numcodecs
 * 0.11 (Debian bookworm, msgpack 1.0) and 0.17 (sid chroot, msgpack 1.1), both ways; an order-"F"
 * chunk through a memory-order object codec (vlen-utf8) and a logical one (msgpack2).
 */
import { describe, expect, it } from "vitest";
import { execFileSync } from "node:child_process";
import { resolve } from "node:path";
import { createDefaultRegistry } from "../../src/codecs/default-registry.js";
import { isObjectCodec, type CodecConfig, type ObjectCodec, type ObjectValue } from "../../src/codecs/codec.js";
import { pyDumps, pyParse, toPlainJson } from "../../src/data/py-json.js";
import { CodecError } from "../../src/errors.js";
import { sidPython } from "../helpers/sid.js";

const SCRIPT = resolve(import.meta.dirname, "py/object_vectors.py");
interface Case { config: CodecConfig; shape: number[]; values: unknown[]; encoded: string }
interface Vectors { numcodecs: string; cases: Case[]; legacy: { values: string[]; encoded: string }; base64: { data: string; encoded: string } }
const b = (s: string): Uint8Array => new Uint8Array(Buffer.from(s, "base64"));
const b64 = (u: Uint8Array): string => Buffer.from(u).toString("base64");

/** Python's tagged JSON values ({"$bytes": base64}) as object values, and back. */
function untag(v: unknown): ObjectValue {
  if (Array.isArray(v)) return v.map(untag);
  if (v !== null && typeof v === "object" && !(v instanceof Uint8Array)) {
    const o = v as Record<string, unknown>;
    if (Object.keys(o).length === 1 && typeof o.$bytes === "string") return b(o.$bytes);
    return Object.fromEntries(Object.entries(o).map(([k, x]) => [k, untag(x)]));
  }
  return v as ObjectValue;
}
function tag(v: ObjectValue): unknown {
  if (v instanceof Uint8Array) return { $bytes: b64(v) };
  if (Array.isArray(v)) return v.map(tag);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, tag(x)]));
  return v;
}

async function objectCodec(config: CodecConfig): Promise<ObjectCodec> {
  const c = await createDefaultRegistry().resolve(config);
  if (!isObjectCodec(c)) throw new Error(`${config.id} is not an object codec`);
  return c;
}

describe("numcodecs MsgPack and Base64", () => {
  const runs: Array<[string, (args: string[], input?: string) => string]> = [
    ["numcodecs 0.11", (args, input) => execFileSync("/usr/bin/python3", [SCRIPT, ...args], { encoding: "utf8", input, cwd: "/tmp" })],
    ["numcodecs 0.17", (args, input) => sidPython([SCRIPT, ...args], { input })],
  ];
  for (const [label, py] of runs) {
    it(`${label}: its msgpack2 chunks decode here to its values (big integers exact, bytes as bytes); ours decode there`, async () => {
      const v = toPlainJson(pyParse(py(["encode"]), "object_vectors")) as unknown as Vectors;
      expect(v.cases.length).toBe(5);
      const ours: Array<{ config: CodecConfig; shape: number[]; encoded: string }> = [];
      for (const c of v.cases) {
        const codec = await objectCodec(c.config);
        expect(tag(await codec.decodeObjects(b(c.encoded))), JSON.stringify(c.config)).toEqual(c.values);
        const enc = await codec.encodeObjects(untag(c.values) as ObjectValue[], { chunkShape: c.shape, dtype: "|O" });
        ours.push({ config: c.config, shape: c.shape, encoded: b64(enc) });
      }
      const legacy = await objectCodec({ id: "msgpack", encoding: "utf-8" });
      expect(await legacy.decodeObjects(b(v.legacy.encoded))).toEqual(v.legacy.values);
      await expect(legacy.encodeObjects(["a"])).rejects.toThrow(/decode-only/);

      const base64 = await createDefaultRegistry().resolve({ id: "base64" });
      expect(b64(await base64.decode(b(v.base64.encoded)))).toBe(v.base64.data);
      expect(b64(await base64.encode(b(v.base64.data)))).toBe(v.base64.encoded);

      const back = toPlainJson(pyParse(py(["decode"], pyDumps({ cases: ours, base64: v.base64 })), "decoded")) as unknown[];
      v.cases.forEach((c, i) => expect(back[i], JSON.stringify(c.config)).toEqual({ shape: c.shape, values: c.values }));
      expect(back[v.cases.length]).toBe(true);
    }, 120_000);
  }

  it("bad msgpack2 and base64 payloads are CodecErrors naming the codec", async () => {
    const mp = await objectCodec({ id: "msgpack2" });
    const good = await mp.encodeObjects(["a", "b", "c"], { chunkShape: [3] });
    for (const bad of [new Uint8Array([0xc1]), good.subarray(0, good.length - 2), new Uint8Array([0x92, 0xa2, 0x7c, 0x4f, 0x92, 0x05]), new Uint8Array([0xa1, 0x61])]) {
      await expect(mp.decodeObjects(bad)).rejects.toMatchObject({ codecId: "msgpack2", direction: "decode" });
    }
    // timestamps are a msgpack extension type, not an object value
    await expect(mp.decodeObjects(new Uint8Array([0x93, 0xd6, 0xff, 0, 0, 0, 1, 0xa2, 0x7c, 0x4f, 0x91, 0x01]))).rejects.toBeInstanceOf(CodecError);
    const base64 = await createDefaultRegistry().resolve({ id: "base64" });
    for (const bad of ["QUJD=", "QQ", "QQ=A"]) await expect(base64.decode(new TextEncoder().encode(bad)), bad).rejects.toBeInstanceOf(CodecError);
    expect(new TextDecoder().decode(await base64.decode(new TextEncoder().encode("QU\nJD")))).toBe("ABC"); // as Python: other characters skipped
  });

  it("order F: vlen-utf8 items are in Fortran order, msgpack2's in C order; both give the chunk in C order", async () => {
    const values = ["a", "b", "c", "d", "e", "f"]; // C order of a [2, 3] chunk
    const ctx = { chunkShape: [2, 3], order: "F" as const };
    const vlen = await objectCodec({ id: "vlen-utf8" });
    const fortran = await vlen.encodeObjects(values, ctx);
    expect(await (await objectCodec({ id: "vlen-utf8" })).decodeObjects(fortran)).toEqual(["a", "d", "b", "e", "c", "f"]);
    expect(await vlen.decodeObjects(fortran, ctx)).toEqual(values);
    const mp = await objectCodec({ id: "msgpack2" });
    const logical = await mp.encodeObjects(values, ctx);
    expect(await mp.decodeObjects(logical)).toEqual(values);
    expect(await mp.decodeObjects(logical, ctx)).toEqual(values);
  });
});
