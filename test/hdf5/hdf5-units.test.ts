/**
 * The pure parts of HDF5IO (no wasm needed): DataIO -> h5py's dcpl, the engine's chunk codec
 * with HDF5 filter masks (codecs from the registry), the bounded ordered map, stored-byte conversions.
 */
import { describe, expect, it } from "vitest";
import { fillBytes, planCreate, requestFor } from "../../src/backends/hdf5/dcpl.js";
import { ChunkCodec } from "../../src/backends/engine/chunk-codec.js";
import { CodecPipeline } from "../../src/codecs/pipeline.js";
import { defaultRegistry } from "../../src/codecs/default-registry.js";
import type { Hdf5Filter } from "../../src/data/codec-config.js";
import { mapOrdered } from "../../src/data/queue.js";
import { decodeElements as decodeValues, encodeElements as encodeValues } from "../../src/data/element-bytes.js";
import { DataIO } from "../../src/data/data-io.js";
import { compound, dtypes, numeric } from "../../src/data/dtype.js";
import { array, NdArray } from "../../src/data/ndarray.js";
import { InvalidInputError } from "../../src/errors.js";

const data = array(Float64Array.from({ length: 10000 }, (_, i) => i), { shape: [1000, 10] });

/** An HDF5 chunk codec for `filters`, as Hdf5Dataset builds it, over raw bytes (uint8 chunks). */
async function hdf5Codec(filters: Hdf5Filter[], itemsize: number, n: number, path = "/x"): Promise<ChunkCodec> {
  const ctx = { itemsize, chunkShape: [n] };
  const pipeline = new CodecPipeline(await Promise.all(filters.map((f) => defaultRegistry().resolveHdf5(f, ctx))), ctx);
  return new ChunkCodec({ dtype: itemsize === 8 ? dtypes.float64 : dtypes.uint8, chunkShape: [n], pipeline, hdf5: true, path });
}

describe("dcpl: DataIO -> what h5py creates", () => {
  it("gzip + shuffle + fletcher32 + fill -> [2, 1, 3] with h5py's flags and cd_values, fill_time alloc", async () => {
    const dio = new DataIO({ data, compression: "gzip", compressionOpts: 4, shuffle: true, fletcher32: true, fillvalue: -1, chunks: [100, 10], maxshape: [null, 10] });
    const plan = await planCreate("/x", dio.dtype, dio.shape!, requestFor(dio));
    expect(plan.filters.map((f) => [f.id, f.flags, [...f.cdValues]])).toEqual([[2, 1, [8]], [1, 1, [4]], [3, 0, []]]);
    expect(plan.spec.fillTime).toBe("alloc");
    expect(Array.from(new Float64Array(plan.spec.fillvalue!.buffer))).toEqual([-1]);
    expect(plan.spec.maxshape).toEqual([null, 10]);
  });

  it("chunks: true and a bare maxshape guess like h5py; lzf / blosc get set_local's cd_values", async () => {
    const a = new DataIO({ data: array(new BigInt64Array(10000), { shape: [1000, 10] }), chunks: true, maxshape: [null, 10] });
    expect((await planCreate("/a", a.dtype, a.shape!, requestFor(a))).spec.chunks).toEqual([250, 5]);
    const fixed = new DataIO({ data, maxshape: [2000, 10] });
    expect((await planCreate("/f", fixed.dtype, fixed.shape!, requestFor(fixed))).spec.layout).toBe("chunked");
    const lzf = new DataIO({ data: array(new Int32Array(2000), { shape: [500, 4] }), compression: "lzf", chunks: [50, 4] });
    expect((await planCreate("/l", lzf.dtype, lzf.shape!, requestFor(lzf))).filters[0]).toMatchObject({ id: 32000, flags: 1, cdValues: [4, 261, 800] });
    const blosc = new DataIO({ data: array(new Float32Array(3200), { shape: [400, 8] }), compression: 32001, compressionOpts: [0, 0, 0, 0, 5, 2, 1], allowPlugins: true, chunks: [100, 8] });
    expect((await planCreate("/b", blosc.dtype, blosc.shape!, requestFor(blosc))).filters[0]).toMatchObject({ id: 32001, flags: 1, cdValues: [2, 2, 4, 3200, 5, 2, 1] });
  });

  it("plain arrays are contiguous; scalars refuse chunk options; shape/maxshape mismatch is an InvalidInputError with the path", async () => {
    expect((await planCreate("/p", dtypes.float64, [1000, 10], requestFor(data))).spec.layout).toBe("contiguous");
    await expect(planCreate("/s", dtypes.float64, [], { chunks: [1], maxshape: undefined, codecs: [], fillvalue: undefined })).rejects.toThrow(InvalidInputError);
    try {
      await planCreate("/m", dtypes.float64, [20], { chunks: [5], maxshape: [10], codecs: [], fillvalue: undefined });
      expect.unreachable();
    } catch (e) {
      expect(e).toBeInstanceOf(InvalidInputError);
      expect((e as InvalidInputError).path).toBe("/m");
    }
  });
});

describe("HDF5 chunk codec (engine + registry)", () => {
  it("round-trips shuffle + deflate + fletcher32 and rejects a flipped byte", async () => {
    const p = await hdf5Codec([{ id: 2, flags: 1, cdValues: [8] }, { id: 1, flags: 1, cdValues: [4] }, { id: 3, flags: 0, cdValues: [] }], 8, 1000);
    const values = new NdArray(Float64Array.from({ length: 1000 }, (_, i) => i), [1000], dtypes.float64);
    const enc = await p.encode(values);
    expect(enc.filterMask).toBe(0);
    expect(Array.from((await p.decode(enc, "[0]")).data as Float64Array)).toEqual(Array.from(values.data as Float64Array));
    const bad = enc.bytes.slice();
    bad[3] = bad[3]! ^ 0xff;
    await expect(p.decode({ bytes: bad, filterMask: 0 }, "[0]")).rejects.toMatchObject({ kind: "codec" });
  });

  it("an OPTIONAL lzf that cannot shrink a chunk sets its bit in the filter mask", async () => {
    const p = await hdf5Codec([{ id: 32000, flags: 1, cdValues: [4, 261, 64] }], 1, 64);
    const noise = Uint8Array.from({ length: 64 }, (_, i) => (i * 2654435761) >>> 24);
    const enc = await p.encode(new NdArray(noise, [64], dtypes.uint8));
    expect(enc.filterMask).toBe(1);
    expect(enc.bytes).toEqual(noise);
    expect((await p.decode(enc, "[0]")).data).toEqual(noise);
  });

  it("mapOrdered keeps input order with a bounded number in flight", async () => {
    let inFlight = 0;
    let peak = 0;
    const out: number[] = [];
    for await (const r of mapOrdered([5, 1, 4, 2, 3, 0], async (x) => {
      inFlight++;
      peak = Math.max(peak, inFlight);
      await new Promise((res) => setTimeout(res, x));
      inFlight--;
      return x * 10;
    }, 2)) out.push(r);
    expect(out).toEqual([50, 10, 40, 20, 30, 0]);
    expect(peak).toBeLessThanOrEqual(2);
  });
});

describe("stored bytes", () => {
  it("big-endian, float16, bool and compounds round-trip", () => {
    const be = numeric("float64", ">");
    const a = new NdArray(Float64Array.from([1.5, -2]), [2], be);
    const bytes = encodeValues(a, be);
    expect(bytes[0]).toBe(0x3f);
    expect(Array.from(decodeValues(bytes, be, [2]).data as Float64Array)).toEqual([1.5, -2]);
    const c = compound([{ name: "a", dtype: dtypes.int32 }, { name: "b", dtype: dtypes.float16 }, { name: "c", dtype: dtypes.bool }]);
    const rows = new NdArray([{ a: 1, b: 0.5, c: true }, { a: -2, b: 2, c: false }], [2], c);
    expect(decodeValues(encodeValues(rows, c), c, [2]).toArray()).toEqual([{ a: 1, b: 0.5, c: true }, { a: -2, b: 2, c: false }]);
    expect(fillBytes(dtypes.float64, Number.NaN)!.length).toBe(8);
  });
});
