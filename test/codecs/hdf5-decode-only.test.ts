/** HDF5 scale-offset (6) and N-bit (5): chunks h5py wrote, decoded here, compared with h5py's values. */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { createDefaultRegistry, pipelineFromHdf5Filters, type Hdf5Filter } from "../../src/codecs/index.js";
import { b64, py, pythonAvailable, unb64 } from "./python.js";

interface DatasetInfo { filters: Hdf5Filter[]; dtype: string; itemsize: number; chunks: number[]; chunk_data: Array<{ offset: number[]; mask: number; raw: string; values: string }> }

const available = pythonAvailable();
const dir = mkdtempSync(join(tmpdir(), "hdmf-codecs-so-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const registry = createDefaultRegistry();

describe.skipIf(!available)("HDF5 decode-only filters", () => {
  const file = join(dir, "so.h5");
  const sets = ["so_int", "so_int_fill", "so_u16_bits", "so_f8", "so_f4", "so_be_i4", "nbit_u32", "nbit_i16p14"];
  const info = available ? (py("h5make", { file }), py<Record<string, DatasetInfo>>("h5chunks", { file, datasets: sets })) : {};

  const decode = async (name: string) => {
    const d = info[name]!;
    const ctx = { dtype: d.dtype, itemsize: d.itemsize, chunkShape: d.chunks };
    const p = await pipelineFromHdf5Filters(d.filters, ctx, registry);
    return Promise.all(d.chunk_data.map(async (c) => ({ got: await p.decodeChunkHdf5(unb64(c.raw), c.mask, ctx), want: unb64(c.values) })));
  };

  for (const name of ["so_int", "so_int_fill", "so_u16_bits", "so_f8", "so_f4"]) {
    it(`scale-offset ${name} decodes to h5py's values`, async () => {
      const chunks = await decode(name);
      expect(chunks.length).toBe(2);
      for (const { got, want } of chunks) expect(b64(got) === b64(want)).toBe(true);
    });
  }

  it("scale-offset on a big-endian int32 gives big-endian stored bytes", async () => {
    for (const { got, want } of await decode("so_be_i4")) {
      const be = new DataView(got.buffer, got.byteOffset, got.byteLength);
      const le = new DataView(want.buffer, want.byteOffset, want.byteLength);
      for (let i = 0; i < got.length / 4; i++) expect(be.getInt32(4 * i, false)).toBe(le.getInt32(4 * i, true));
    }
  });

  it("N-bit: a 12-bit field at offset 4 of a uint32, and a 14-bit int16 (sign left to the type conversion)", async () => {
    for (const { got, want } of await decode("nbit_u32")) {
      const g = new Uint32Array(got.slice().buffer), w = new Uint32Array(want.slice().buffer);
      expect(Array.from(g, (v) => v >>> 4)).toEqual(Array.from(w));
      expect(g.every((v) => (v & 0xf) === 0)).toBe(true);
    }
    for (const { got, want } of await decode("nbit_i16p14")) {
      const g = new Int16Array(got.slice().buffer), w = new Int16Array(want.slice().buffer);
      expect(Array.from(g, (v) => (v << 18) >> 18)).toEqual(Array.from(w));
    }
  });
});
