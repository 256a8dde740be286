/**
 * The restricted pickle decoder: hostile pickles are refused with a CodecError naming the global
 * and nothing runs (a side-effect file is never created); hdmf-zarr 0.6's pickled reference arrays
 * in e_zarr_direct.nwb.zarr decode to the manifest's values (sha256 rule of the oracle README).
 */
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CodecError, UnsupportedError } from "../../src/errors.js";
import { createDefaultRegistry, pipelineFromZarrV2, type ObjectCodec, type ObjectValue } from "../../src/codecs/index.js";
import { py, pythonAvailable, unb64 } from "./python.js";

const registry = createDefaultRegistry();
const pickleCodec = async () => (await registry.resolve({ id: "pickle", protocol: 5 })) as ObjectCodec;
const dir = mkdtempSync(join(tmpdir(), "hdmf-pickle-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** Assemble a pickle from opcodes (never produced by Python, so it tests the parser alone). */
function pk(...parts: Array<number | string>): Uint8Array {
  const out: number[] = [0x80, 4];
  for (const p of parts) {
    if (typeof p === "number") out.push(p);
    else { const b = new TextEncoder().encode(p); out.push(0x8c, b.length, ...b); }
  }
  out.push(0x2e);
  return Uint8Array.from(out);
}

async function refusal(bytes: Uint8Array): Promise<CodecError> {
  const err = await (await pickleCodec()).decodeObjects(bytes).catch((e: unknown) => e);
  expect(err).toBeInstanceOf(CodecError);
  expect((err as CodecError).codecId).toBe("pickle");
  return err as CodecError;
}

describe("restricted pickle decoder", () => {
  it("refuses os.system via STACK_GLOBAL + REDUCE, naming the global", async () => {
    const e = await refusal(pk("os", "system", 0x93, "touch /tmp/x", 0x85, 0x52));
    expect(e.message).toContain("os.system");
  });

  it("refuses builtins.eval via GLOBAL (protocol 0 text form)", async () => {
    const bytes = Uint8Array.from([0x80, 2, ...new TextEncoder().encode("cbuiltins\neval\n(S'1+1'\ntR."), 0x2e]);
    expect((await refusal(bytes)).message).toContain("builtins.eval");
  });

  it("refuses INST and OBJ, BUILD on plain data, and a nested BUILD inside an allowed array", async () => {
    const inst = Uint8Array.from([0x80, 2, 0x28, ...new TextEncoder().encode("ios\nsystem\n"), 0x2e]);
    expect((await refusal(inst)).message).toContain("os.system");
    // BUILD on a dict (would call __setstate__ on a real object)
    expect((await refusal(pk(0x7d, 0x7d, 0x62))).message).toContain("BUILD");
    // an allowed ndarray whose data contains a dict that gets BUILD with a state: refused
    const nested = pk("numpy.core.multiarray", "_reconstruct", 0x93, "numpy", "ndarray", 0x93, 0x4b, 0, 0x85, 0x43, 1, 0x62, 0x87, 0x52,
      0x28, 0x4b, 1, 0x4b, 1, 0x85, "numpy", "dtype", 0x93, "O8", 0x89, 0x88, 0x87, 0x52, 0x89, 0x5d, 0x7d, 0x7d, 0x62, 0x61, 0x74, 0x62);
    expect((await refusal(nested)).message).toContain("BUILD");
  });

  it("refuses NEWOBJ of anything but hdmf_zarr's ZarrReference", async () => {
    expect((await refusal(pk("numpy", "ndarray", 0x93, 0x29, 0x81))).message).toContain("numpy.ndarray");
  });

  it("is decode-only", async () => {
    const err = await (await pickleCodec()).encodeObjects(["x"]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(UnsupportedError);
  });

  it("rejects truncated and garbage input with a CodecError", async () => {
    await refusal(pk("numpy", "ndarray").subarray(0, 9));
    await refusal(Uint8Array.from([0x80, 5, 0xff, 0xfe]));
    await refusal(Uint8Array.from([0x80, 4, 0x58, 0xff, 0xff, 0xff, 0x7f]));
  });

  it.skipIf(!pythonAvailable())("never runs pickles Python builds with __reduce__ (os.system, eval, inside an object array)", async () => {
    const res = py<{ marker: string; pickles: Record<string, string> }>("pickles", { dir });
    expect(Object.keys(res.pickles).length).toBe(12);
    for (const [name, b] of Object.entries(res.pickles)) {
      const e = await refusal(unb64(b));
      expect(e.message, name).toMatch(/"(posix\.system|os\.system|builtins\.eval|__builtin__\.eval)"/);
    }
    expect(existsSync(res.marker)).toBe(false);
  });
});

describe("pickled references in e_zarr_direct.nwb.zarr", () => {
  const base = "/work/shared/fixtures/e_zarr_direct.nwb.zarr";
  const manifest = JSON.parse(readFileSync("/work/shared/fixtures/manifest.json", "utf8")) as {
    files: Record<string, { objects: Array<{ path: string; sha256?: string; field_sha256?: Record<string, string> }> }>;
  };
  const objects = manifest.files["e_zarr_direct.nwb.zarr"]!.objects;
  const sha = (s: string) => createHash("sha256").update(s, "utf8").digest("hex");
  const refText = (v: ObjectValue): string => {
    const r = v as Record<string, ObjectValue>;
    const source = r.source as string | undefined;
    const path = String(r.path);
    return !source || source === "." ? (path.startsWith("/") ? path : `/${path}`) : `${source}::${path}`;
  };
  const read = async (path: string) => {
    const z = JSON.parse(readFileSync(`${base}/${path}/.zarray`, "utf8"));
    const p = await pipelineFromZarrV2(z.filters, z.compressor, registry, { dtype: "|O", chunkShape: z.chunks });
    return p.decodeObjects(new Uint8Array(readFileSync(`${base}/${path}/0`)));
  };

  for (const path of ["units/electrode_group", "general/extracellular_ephys/electrodes/group"]) {
    it(`/${path} decodes to the manifest's references`, async () => {
      const values = await read(path);
      const want = objects.find((o) => o.path === `/${path}`)!;
      expect(sha(values.map(refText).join("\n"))).toBe(want.sha256);
    });
  }

  it("/intervals/trials/timeseries (compound with a reference field) matches every field checksum", async () => {
    const values = (await read("intervals/trials/timeseries")) as Array<Record<string, ObjectValue>>;
    const want = objects.find((o) => o.path === "/intervals/trials/timeseries")!;
    const i32 = (k: string) => createHash("sha256").update(Buffer.from(Int32Array.from(values.map((v) => Number(v[k]))).buffer)).digest("hex");
    const fields = { idx_start: i32("idx_start"), count: i32("count"), timeseries: sha(values.map((v) => refText(v.timeseries!)).join("\n")) };
    expect(fields).toEqual(want.field_sha256);
    expect(sha(Object.entries(fields).map(([k, v]) => `${k}=${v}`).join("\n"))).toBe(want.sha256);
  });
});
