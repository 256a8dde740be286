/**
 * Tutorial section "User-defined Dataset Write": allocate an empty (0, 10) dataset, keep the
 * IO open, resize it, assign slices, leave rows 6-7 unwritten, close. HDF5 and Zarr (and S3).
 *
 *   npx tsx examples/06-user-defined-write.ts [OUTDIR] [--s3 s3://bucket/prefix --endpoint URL]
 */
import { H5DataIO, TimeSeries, type NWBFile } from "../src/index.js";
import { exampleArgs, expectEqual, formatValues, nwbIO, report, run, targets, tutorialNwbFile } from "./common.js";

run(async () => {
  const args = exampleArgs("06-user-defined-write");
  for (const { backend, location } of targets(args, "06-user-defined-write")) {
    // 1. Initially allocate the data as empty
    // dataio = H5DataIO(shape=(0, 10), dtype=np.dtype("float"), maxshape=(None, 10), chunks=(131072, 2),
    //                   compression="gzip", compression_opts=4, shuffle=True, fillvalue=np.nan)
    const dataio = new H5DataIO({
      shape: [0, 10], // Initial shape. If the shape is known then set to full shape
      dtype: "float64", // dtype of the dataset
      maxshape: [null, 10], // Make the time dimension resizable
      chunks: [131072, 2], // Use 2MB chunks
      compression: "gzip", // Enable GZip compression
      compressionOpts: 4, // GZip aggression
      shuffle: true, // Enable shuffle filter
      fillvalue: Number.NaN, // Use NAN as fillvalue
    });
    const nwbfile = tutorialNwbFile();
    nwbfile.addAcquisition(new TimeSeries({ name: "synthetic_timeseries", data: dataio, unit: "SIunit", rate: 10.0 }));

    // 2. Write the data as usual but keep the I/O object open so that we can modify the data
    // io = write_test_file(filename="basic_alternative_custom_write.nwb", data=dataio, close_io=False)
    const io = await nwbIO(args, location, "w");
    await io.write(nwbfile);

    // 3. Update the dataset (pynwb: dataio.dataset is the h5py.Dataset; here: io.dataset(path))
    const dataset = await io.dataset("/acquisition/synthetic_timeseries/data");
    // dataio.dataset.resize((8, 10))   # Allocate space. Only needed if we didn't set the initial shape large enough
    await dataset.resize([8, 10]);
    // dataio.dataset[0:3, :] = 1       # Write 1s in timesteps 0-2
    await dataset.write([[0, 3], null], 1);
    // dataio.dataset[3:6, :] = 2       # Write 2s in timesteps 3-5
    await dataset.write([[3, 6], null], 2);
    // NOTE: timesteps 6 and 7 are not being initialized

    // 4. Close the I/O
    // io.close()
    await io.close();
    process.stdout.write(`wrote ${location} [${backend}]\n`);

    await using r = await nwbIO(args, location, "r");
    const back: NWBFile = await r.read();
    process.stdout.write(`  acquisition: ${[...back.acquisition.keys()].join(", ")}\n`);
    const all = await report(r, "/acquisition/synthetic_timeseries/data", [null, [0, 1]]);
    process.stdout.write(`  column 0, rows 0-7: ${all ? formatValues(all) : "-"}\n`);
    expectEqual(all?.toArray().map((v) => (Number.isNaN(v) ? "NaN" : v)), [1, 1, 1, 2, 2, 2, "NaN", "NaN"], `${location} user-defined write`);
  }
});
