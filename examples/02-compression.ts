/**
 * Tutorial section "Compressing data with H5DataIO" and the tips (shuffle, Fletcher-32, lzf),
 * on HDF5 and Zarr (and S3 with --s3).
 *
 *   npx tsx examples/02-compression.ts [OUTDIR] [--s3 s3://bucket/prefix --endpoint URL]
 *
 * HDF5 takes h5py's built-in filters as they are. Zarr stores take numcodecs codecs, as
 * hdmf-zarr's ZarrDataIO does; zarr-python with numcodecs 0.11 has no Fletcher-32 and no LZF,
 * so on Zarr the checksum is numcodecs CRC32 and LZF becomes LZ4 (the same "fast, light" slot).
 */
import { H5DataIO, TimeSeries, ZarrDataIO, array, type DataIO, type NWBFile } from "../src/index.js";
import { exampleArgs, expectEqual, report, writeThenRead, run, targets, tutorialNwbFile, type Backend } from "./common.js";

/** A smooth signal compresses like a real recording; np.arange would flatter every codec. */
function recording(rows: number, cols: number): Float64Array {
  return Float64Array.from({ length: rows * cols }, (_, i) => Math.round(1000 * Math.sin(Math.floor(i / cols) / 50 + (i % cols))) / 4);
}

function wrapped(backend: Backend, data: ReturnType<typeof array>): Array<[string, DataIO]> {
  if (backend === "hdf5") {
    return [
      // wrapped_data = H5DataIO(data=data, compression="gzip", compression_opts=4)
      ["test_gzipped_timeseries", new H5DataIO({ data, compression: "gzip", compressionOpts: 4 })],
      // H5DataIO(data=data, compression="gzip", compression_opts=4, shuffle=True, fletcher32=True)
      ["test_gzip_shuffle_fletcher32_timeseries", new H5DataIO({ data, compression: "gzip", compressionOpts: 4, shuffle: true, fletcher32: true })],
      // H5DataIO(data=data, compression="lzf")
      ["test_lzf_timeseries", new H5DataIO({ data, compression: "lzf" })],
    ];
  }
  return [
    // The same H5DataIO works on Zarr: gzip level 4 becomes numcodecs Zlib(level=4).
    ["test_gzipped_timeseries", new H5DataIO({ data, compression: "gzip", compressionOpts: 4 })],
    // ZarrDataIO(data=data, filters=[Shuffle(elementsize=8), CRC32()], compressor=Zlib(level=4))
    ["test_gzip_shuffle_fletcher32_timeseries", new ZarrDataIO({ data, filters: [{ id: "shuffle", elementsize: 8 }, { id: "crc32" }], compressor: { id: "zlib", level: 4 } })],
    // ZarrDataIO(data=data, compressor=LZ4(acceleration=1))
    ["test_lzf_timeseries", new ZarrDataIO({ data, compressor: { id: "lz4", acceleration: 1 } })],
  ];
}

run(async () => {
  const args = exampleArgs("02-compression");
  const rows = args.small ? 1000 : 100_000;
  const values = recording(rows, 10);
  const data = array(values, { shape: [rows, 10] });
  for (const { backend, location } of targets(args, "02-compression")) {
    const nwbfile = tutorialNwbFile();
    const series = wrapped(backend, data);
    for (const [name, dataio] of series) {
      // test_ts = TimeSeries(name=..., data=wrapped_data, unit="SIunit", starting_time=0.0, rate=10.0)
      nwbfile.addAcquisition(new TimeSeries({ name, data: dataio, unit: "SIunit", startingTime: 0.0, rate: 10.0 }));
    }
    const opened = await writeThenRead(args, { backend, location }, nwbfile);
    await using io = opened.io;
    const back: NWBFile = opened.back;
    for (const [name] of series) {
      const got = await report(io, `/acquisition/${name}/data`, [[rows - 1, rows]]);
      expectEqual(got?.toArray(), Array.from(values.subarray((rows - 1) * 10)), `${location} ${name}`);
    }
  }
});
