/**
 * Tutorial section "Chunking data with H5DataIO", on HDF5 and Zarr (and S3 with --s3).
 *
 *   npx tsx examples/01-chunking.ts [OUTDIR] [--s3 s3://bucket/prefix --endpoint URL]
 *
 * Writes 01-chunking.nwb / 01-chunking.nwb.zarr with three TimeSeries over the tutorial's
 * np.arange(10000).reshape((1000, 10)): chunks=True + maxshape=(None, 10) (the tutorial's
 * code), explicit chunks (100, 10), and contiguous (no chunking) for comparison.
 */
import { H5DataIO, TimeSeries, array, type NWBFile } from "../src/index.js";
import { exampleArgs, expectEqual, nwbIO, report, run, targets, tutorialNwbFile } from "./common.js";

run(async () => {
  const args = exampleArgs("01-chunking");
  for (const { backend, location } of targets(args, "01-chunking")) {
    // nwbfile = NWBFile(session_description=..., identifier="NWB123", session_start_time=...)
    const nwbfile = tutorialNwbFile();

    // data = np.arange(10000).reshape((1000, 10))
    const data = array(BigInt64Array.from({ length: 10000 }, (_, i) => BigInt(i)), { shape: [1000, 10] });

    // wrapped_data = H5DataIO(data=data, chunks=True, maxshape=(None, 10))
    const wrappedData = new H5DataIO({
      data,
      chunks: true, // <---- Enable chunking (the backend guesses the chunk shape, as h5py does)
      maxshape: [null, 10], // <---- Make the time dimension unlimited and hence resizable
    });
    // test_ts = TimeSeries(name="test_chunked_timeseries", data=wrapped_data, unit="SIunit",
    //                      starting_time=0.0, rate=10.0)
    // nwbfile.add_acquisition(test_ts)
    nwbfile.addAcquisition(new TimeSeries({
      name: "test_chunked_timeseries", data: wrappedData, unit: "SIunit", startingTime: 0.0, rate: 10.0,
    }));
    // Not in the slides: an explicit chunk shape, and the contiguous default.
    nwbfile.addAcquisition(new TimeSeries({
      name: "explicit_chunks_timeseries", data: new H5DataIO({ data, chunks: [100, 10], maxshape: [null, 10] }),
      unit: "SIunit", startingTime: 0.0, rate: 10.0,
    }));
    nwbfile.addAcquisition(new TimeSeries({ name: "contiguous_timeseries", data, unit: "SIunit", startingTime: 0.0, rate: 10.0 }));

    // with NWBHDF5IO("advanced_io_example.nwb", "w") as io:   (NWBZarrIO for Zarr)
    //     io.write(nwbfile)
    {
      await using io = await nwbIO(args, location, "w");
      await io.write(nwbfile);
    }
    process.stdout.write(`wrote ${location} [${backend}]\n`);

    // Read the data as usual.
    await using io = await nwbIO(args, location, "r");
    const back: NWBFile = await io.read();
    for (const name of ["test_chunked_timeseries", "explicit_chunks_timeseries", "contiguous_timeseries"]) {
      const ts = back.acquisition.get(name) as TimeSeries; // nwbfile.acquisition[name]
      process.stdout.write(`  ${ts.name}: unit ${ts.unit}, rate ${ts.rate} Hz\n`);
      const values = await report(io, `/acquisition/${name}/data`, [[998, 1000]]);
      expectEqual(values?.toArray(), Array.from({ length: 20 }, (_, i) => 9980 + i), `${location} ${name}`);
    }
  }
});
