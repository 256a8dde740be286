import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openIO, GroupBuilder, DatasetBuilder, H5DataIO, NdArray, dtypes } from "../../src/index.js";
import { py } from "../helpers/hdf5-py.js";

const dir = await mkdtemp(join(tmpdir(), "zarr-plugins-"));
afterAll(() => rm(dir, { recursive: true, force: true }));

// The tutorial's dynamically loaded filters, given to Zarr by HDF5 filter id: the store must
// name the numcodecs codec, so zarr-python reads it.
describe("HDF5 plugin filter ids on Zarr", () => {
  it.each([
    ["blosc", 32001, [0, 0, 0, 0, 5, 1, 5], "blosc"],
    ["zstd", 32015, [3], "zstd"],
    ["bz2", 307, [9], "bz2"],
    ["lz4", 32004, [0], "lz4"],
    ["bitshuffle-lz4", 32008, [0, 2], "blosc"],
  ] as const)("%s (filter %i) reads in zarr-python", async (name, id, opts, codecId) => {
    const data = new NdArray(Float64Array.from({ length: 4000 }, (_, i) => (i % 97) * 0.5), [1000, 4], dtypes.float64);
    const loc = join(dir, `${name}.zarr`);
    const io = await openIO(loc, "w");
    const root = new GroupBuilder("root");
    root.add(new DatasetBuilder("d", new H5DataIO({ data, compression: id, compressionOpts: [...opts], allowPlugins: true, chunks: [250, 4] })));
    await io.write(root);
    await io.close();
    const got = py<{ id: string; ok: boolean }>(
      "import zarr, numpy as np\n" +
      "z = zarr.open(ARGS['loc'], 'r')['d']\n" +
      "exp = ((np.arange(4000) % 97) * 0.5).reshape(1000, 4)\n" +
      "print(json.dumps({'id': z.compressor.codec_id, 'ok': bool(np.array_equal(z[:], exp))}))",
      { loc },
    );
    expect(got).toEqual({ id: codecId, ok: true });
  });
});
