import { describe, expect, it } from "vitest";
import { DataIO, H5DataIO, ZarrDataIO } from "../../src/data/data-io.js";
import { array } from "../../src/data/ndarray.js";
import { InvalidInputError } from "../../src/errors.js";
import { guessChunks, ZARR_LIMITS } from "../../src/backends/chunk-guess.js";

const data = array(Array.from({ length: 100 }, (_, i) => [i, i]), { dtype: "<f8" });

describe("DataIO", () => {
  it("maps h5py's gzip + shuffle + fletcher32 to an ordered pipeline", () => {
    const io = new H5DataIO({ data, compression: "gzip", compressionOpts: 4, shuffle: true, fletcher32: true, fillvalue: NaN, maxshape: [null, 2] });
    expect(io.storage()).toEqual({
      chunks: "auto", maxshape: [null, 2], fillvalue: NaN,
      codecs: [{ id: "shuffle" }, { id: "zlib", level: 4 }, { id: "fletcher32" }],
    });
  });

  it("allocates without data from shape + dtype", () => {
    const io = new DataIO({ shape: [0, 10], maxshape: [null, 10], dtype: "<f8", chunks: [100, 10] });
    expect(io.shape).toEqual([0, 10]);
    expect(io.storage().chunks).toEqual([100, 10]);
  });

  it("takes plugin filters by id only with allowPlugins", () => {
    expect(() => new H5DataIO({ data, compression: 32001, compressionOpts: [2, 2, 8, 0, 5, 1, 1] })).toThrow(/allowPlugins/);
    const ok = new H5DataIO({ data, compression: 32001, compressionOpts: [0, 0, 0, 0, 5, 1, 1], allowPlugins: true });
    expect(ok.storage().codecs).toEqual([{ id: "hdf5-filter", filter_id: 32001, cd_values: [0, 0, 0, 0, 5, 1, 1] }]);
  });

  it.each([
    [{ data, chunks: [200, 2], maxshape: [150, 2] }, "chunks"],
    [{ data, compression: "gzip", chunks: false }, "chunks"],
    [{ data, compression: 40000 }, "compression"],
    [{ data, compression: "snappy" }, "compression"],
    [{ data, maxshape: [50, 2] }, "maxshape"],
    [{ data, maxshape: [null] }, "maxshape"],
    [{ data, compression: "gzip", compressionOpts: 12 }, "compressionOpts"],
    [{ data, compressionOpts: 3 }, "compressionOpts"],
    [{ data, chunks: [0, 2] }, "chunks"],
    [{ shape: [3] }, "dtype"],
    [{}, "data"],
  ] as const)("rejects bad options at construction (%#: %s)", (opts, option) => {
    let err: unknown;
    try { new DataIO(opts as never); } catch (e) { err = e; }
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).option).toBe(option);
  });

  it("ZarrDataIO takes numcodecs filters and compressor", () => {
    const io = new ZarrDataIO({ data, filters: [{ id: "delta", dtype: "<f8" }], compressor: { id: "blosc", cname: "zstd", clevel: 3, shuffle: 1 } });
    expect(io.storage().codecs).toEqual([{ id: "delta", dtype: "<f8" }, { id: "blosc", cname: "zstd", clevel: 3, shuffle: 1 }]);
    expect(() => new ZarrDataIO({ data, compression: "gzip", compressor: { id: "zlib" } })).toThrow(InvalidInputError);
  });
});

describe("chunk guesses", () => {
  // expected values printed by h5py 3.7 `guess_chunk` and zarr 2.13 `guess_chunks` for the same inputs
  it("matches h5py", () => {
    expect(guessChunks([1000, 10], 8)).toEqual([250, 5]);
    expect(guessChunks([0, 10], 8)).toEqual([256, 5]);
    expect(guessChunks([100000, 64], 8)).toEqual([3125, 2]);
    expect(guessChunks([7], 4)).toEqual([7]);
  });
  it("matches zarr-python", () => {
    expect(guessChunks([1000, 10], 8, ZARR_LIMITS)).toEqual([1000, 10]);
    expect(guessChunks([100000, 64], 8, ZARR_LIMITS)).toEqual([12500, 8]);
  });
});

describe("DataIO with iterators", () => {
  it("uses the iterator's recommended chunk shape, as hdmf does, even with compression", async () => {
    const { GenericDataChunkIterator } = await import("../../src/data/iterators.js");
    const { dtypes } = await import("../../src/data/dtype.js");
    const { NdArray } = await import("../../src/data/ndarray.js");
    class It extends GenericDataChunkIterator {
      protected getDtype() { return dtypes.float32; }
      protected getMaxshape() { return [4000, 16]; }
      protected getData() { return new NdArray(new Float32Array(0), [0, 16], dtypes.float32); }
    }
    const io = new H5DataIO({ data: new It({ chunkShape: [1000, 16], bufferShape: [2000, 16] }), compression: "gzip" });
    expect(io.storage().chunks).toEqual([1000, 16]);
    const explicit = new H5DataIO({ data: new It({ chunkShape: [1000, 16], bufferShape: [2000, 16] }), compression: "gzip", chunks: true });
    expect(explicit.storage().chunks).toBe("auto");
  });
});
