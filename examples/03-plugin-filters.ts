/**
 * Tutorial section "Using dynamically loaded filters with H5DataIO" (hdf5plugin): Blosc, Zstd,
 * LZ4, BZip2, Bitshuffle, on HDF5 and Zarr (and S3 with --s3). hdmf-ts needs no plugin
 * install: every codec runs in TypeScript/WebAssembly on both backends.
 *
 *   npx tsx examples/03-plugin-filters.ts [OUTDIR] [--s3 s3://bucket/prefix --endpoint URL]
 *
 * Files: 03-plugin-filters.nwb(.zarr) hold Blosc(zstd)+bitshuffle, Blosc(lz4)+shuffle, LZ4 and
 * BZip2, which Debian's h5py reads through its filter plugins; 03-plugin-filters-extra.nwb holds
 * the tutorial's standalone Zstd (32015) and standalone Bitshuffle (32008), which need
 * `pip install hdf5plugin` on the Python side (Debian ships no plugin for them).
 */
import { H5DataIO, InvalidInputError, TimeSeries, ZarrDataIO, array, type DataIO, type NdArray, type NWBFile } from "../src/index.js";
import { exampleArgs, expectEqual, nwbIO, report, run, targets, tutorialNwbFile, type ExampleArgs, type Target } from "./common.js";

/** hdf5plugin's helpers return compression= and compression_opts=; these are the same pairs. */
const hdf5plugin = {
  // hdf5plugin.Blosc(cname, clevel, shuffle): cd_values (0, 0, 0, 0, clevel, shuffle, compressor code)
  Blosc: (cname: "lz4" | "zstd", clevel: number, shuffle: 0 | 1 | 2) =>
    ({ compression: 32001, compressionOpts: [0, 0, 0, 0, clevel, shuffle, cname === "lz4" ? 1 : 5] }),
  Zstd: (clevel: number) => ({ compression: 32015, compressionOpts: [clevel] }),
  LZ4: (nbytes = 0) => ({ compression: 32004, compressionOpts: [nbytes] }),
  BZip2: (blocksize = 9) => ({ compression: 307, compressionOpts: [blocksize] }),
  // hdf5plugin.Bitshuffle(nelems=0, cname="lz4"): cd_values (0, 2)
  Bitshuffle: () => ({ compression: 32008, compressionOpts: [0, 2] }),
};

function recording(rows: number): Float32Array {
  return Float32Array.from({ length: rows * 10 }, (_, i) => Math.round(500 * Math.sin(Math.floor(i / 10) / 40 + (i % 10))) / 8);
}

function hdf5Series(data: NdArray): Array<[string, DataIO]> {
  return [
    // wrapped_data = H5DataIO(data=data, **hdf5plugin.Blosc(cname="zstd", clevel=3, shuffle=hdf5plugin.Blosc.BITSHUFFLE),
    //                         allow_plugin_filters=True)
    ["blosc_zstd_bitshuffle", new H5DataIO({ data, ...hdf5plugin.Blosc("zstd", 3, 2), allowPlugins: true })],
    ["blosc_lz4_shuffle", new H5DataIO({ data, ...hdf5plugin.Blosc("lz4", 5, 1), allowPlugins: true })],
    ["lz4", new H5DataIO({ data, ...hdf5plugin.LZ4(), allowPlugins: true })],
    ["bzip2", new H5DataIO({ data, ...hdf5plugin.BZip2(9), allowPlugins: true })],
  ];
}

function zarrSeries(data: NdArray): Array<[string, DataIO]> {
  // hdmf-zarr: ZarrDataIO(data=data, compressor=numcodecs.Blosc(cname="zstd", clevel=3, shuffle=Blosc.BITSHUFFLE))
  return [
    ["blosc_zstd_bitshuffle", new ZarrDataIO({ data, compressor: { id: "blosc", cname: "zstd", clevel: 3, shuffle: 2, blocksize: 0 } })],
    ["blosc_lz4_shuffle", new ZarrDataIO({ data, compressor: { id: "blosc", cname: "lz4", clevel: 5, shuffle: 1, blocksize: 0 } })],
    ["lz4", new ZarrDataIO({ data, compressor: { id: "lz4", acceleration: 1 } })],
    ["bzip2", new ZarrDataIO({ data, compressor: { id: "bz2", level: 9 } })],
    // Zarr's counterpart of the tutorial's standalone Zstd: numcodecs.Zstd(level=3)
    ["zstd", new ZarrDataIO({ data, compressor: { id: "zstd", level: 3 } })],
  ];
}

async function writeAndCheck(args: ExampleArgs, t: Target, series: Array<[string, DataIO]>, values: Float32Array, rows: number): Promise<void> {
  const nwbfile = tutorialNwbFile();
  for (const [name, dataio] of series) {
    // test_ts = TimeSeries(name=..., data=wrapped_data, unit="SIunit", starting_time=0.0, rate=10.0)
    nwbfile.addAcquisition(new TimeSeries({ name, data: dataio, unit: "SIunit", startingTime: 0.0, rate: 10.0 }));
  }
  {
    await using io = await nwbIO(args, t.location, "w");
    await io.write(nwbfile);
  }
  process.stdout.write(`wrote ${t.location} [${t.backend}]\n`);
  await using io = await nwbIO(args, t.location, "r");
  const back: NWBFile = await io.read();
  process.stdout.write(`  acquisition: ${[...back.acquisition.keys()].join(", ")}\n`);
  for (const [name] of series) {
    const got = await report(io, `/acquisition/${name}/data`, [[rows - 1, rows]]);
    expectEqual(got?.toArray(), Array.from(values.subarray((rows - 1) * 10)), `${t.location} ${name}`);
  }
}

run(async () => {
  const args = exampleArgs("03-plugin-filters");
  const rows = args.small ? 1000 : 100_000;
  const values = recording(rows);
  const data = array(values, { shape: [rows, 10] });

  // hdmf refuses plugin filters unless asked (allow_plugin_filters=True): so does hdmf-ts.
  try {
    new H5DataIO({ data, ...hdf5plugin.Zstd(3) });
  } catch (e) {
    if (!(e instanceof InvalidInputError)) throw e;
    process.stdout.write(`without allowPlugins: ${e.message}\n`);
  }

  for (const t of targets(args, "03-plugin-filters")) {
    await writeAndCheck(args, t, t.backend === "hdf5" ? hdf5Series(data) : zarrSeries(data), values, rows);
  }
  // The tutorial's own snippet: H5DataIO(data=data, **hdf5plugin.Zstd(clevel=3), allow_plugin_filters=True)
  for (const t of targets(args, "03-plugin-filters-extra", ["hdf5"])) {
    await writeAndCheck(args, t, [
      ["zstd", new H5DataIO({ data, ...hdf5plugin.Zstd(3), allowPlugins: true })],
      ["bitshuffle_lz4", new H5DataIO({ data, ...hdf5plugin.Bitshuffle(), allowPlugins: true })],
    ], values, rows);
  }
});
