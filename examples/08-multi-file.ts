/**
 * Tutorial section "Storing data across multiple files": a shared BuildManager links whole
 * TimeSeries from two files into a third; a new TimeSeries takes another file's dataset as its
 * data and either links it (linkData true, the default) or copies it (false). HDF5 files link
 * to HDF5 files (ExternalLink), Zarr stores to Zarr stores (hdmf-zarr `zarr_link` with source).
 *
 *   npx tsx examples/08-multi-file.ts [OUTDIR] [--s3 s3://bucket/prefix --endpoint URL]
 */
import { DataIO, H5DataIO, TimeSeries, array, createNwbBuildManager, NotFoundError, type NWBFile } from "../src/index.js";
import { exampleArgs, expectEqual, nwbIO, report, run, targets, tutorialNwbFile, type Target } from "./common.js";

function fileName(t: Target, n: number): string {
  return t.location.replace(/08-multi-file\.nwb/, `08-multi-file-${n}.nwb`);
}

run(async () => {
  const args = exampleArgs("08-multi-file");
  for (const t of targets(args, "08-multi-file")) {
    const [filename1, filename2, filename3, filename4, filename5] = [1, 2, 3, 4, 5].map((n) => fileName(t, n)) as [string, string, string, string, string];
    // Two source files, one TimeSeries each.
    const sources: Array<[string, string, () => TimeSeries]> = [
      [filename1, "test_timeseries1", () => new TimeSeries({
        name: "test_timeseries1", unit: "SIunit", rate: 10.0,
        // 20000 values: HDF5IO reads datasets under 64 KB into memory, and those can only be copied
        data: new H5DataIO({ data: array(Float64Array.from({ length: 20000 }, (_, i) => i / 2)), compression: "gzip", chunks: [1000] }),
      })],
      [filename2, "test_timeseries2", () => new TimeSeries({
        name: "test_timeseries2", unit: "SIunit",
        data: array(Int32Array.from({ length: 100 }, (_, i) => i * 3)), timestamps: array(Float64Array.from({ length: 100 }, (_, i) => i / 10)),
      })],
    ];
    for (const [file, , make] of sources) {
      const f = tutorialNwbFile(`NWB-${file.split("/").pop()}`);
      f.addAcquisition(make());
      await using io = await nwbIO(args, file, "w");
      await io.write(f);
    }

    // manager = get_manager()
    const manager = await createNwbBuildManager();
    // io1 = NWBHDF5IO(filename1, 'r', manager=manager); nwbfile1 = io1.read()
    // timeseries_1 = nwbfile1.get_acquisition('test_timeseries1')
    await using io1 = await nwbIO(args, filename1, "r", { manager });
    const nwbfile1: NWBFile = await io1.read();
    const timeseries1 = nwbfile1.acquisition.get("test_timeseries1") as TimeSeries;
    // io2 = NWBHDF5IO(filename2, 'r', manager=manager); ... timeseries_2 = nwbfile2.get_acquisition('test_timeseries2')
    await using io2 = await nwbIO(args, filename2, "r", { manager });
    const nwbfile2: NWBFile = await io2.read();
    const timeseries2 = nwbfile2.acquisition.get("test_timeseries2") as TimeSeries;

    // nwbfile3 = NWBFile(...); nwbfile3.add_acquisition(timeseries_1); nwbfile3.add_acquisition(timeseries_2)
    const nwbfile3 = tutorialNwbFile("NWB-links");
    nwbfile3.addAcquisition(timeseries1);
    nwbfile3.addAcquisition(timeseries2);
    // io3 = NWBHDF5IO(filename3, 'w', manager=manager); io3.write(nwbfile3); io3.close()
    {
      await using io3 = await nwbIO(args, filename3, "w", { manager });
      await io3.write(nwbfile3);
    }
    process.stdout.write(`wrote ${filename3} [${t.backend}]: links to whole TimeSeries in two files\n`);

    // nwbfile4 = NWBFile(...); timeseries_1_data = timeseries_1.data
    // nwbfile4.add_acquisition(TimeSeries(name='linked_data_timeseries', data=timeseries_1_data, ...))
    // io4 = NWBHDF5IO(filename4, 'w'); io4.write(nwbfile4, link_data=True)
    for (const [file, linkData] of [[filename4, true], [filename5, false]] as const) {
      const nwbfile4 = tutorialNwbFile(`NWB-link-data-${String(linkData)}`);
      nwbfile4.addAcquisition(new TimeSeries({
        name: "linked_data_timeseries", unit: "SIunit", rate: 10.0,
        // DataIO(data=..., link_data=False) decides per dataset; io.write(..., link_data=...) for all
        data: new DataIO({ data: timeseries1.data as NonNullable<DataIO["data"]>, linkData }),
      }));
      await using io4 = await nwbIO(args, file, "w");
      await io4.write(nwbfile4, { linkData });
      process.stdout.write(`wrote ${file} [${t.backend}]: test_timeseries1 data ${linkData ? "linked (link_data=True)" : "copied (link_data=False)"}\n`);
    }

    // Read back: the links resolve to the other files' data.
    for (const file of [filename3, filename4, filename5]) {
      await using io = await nwbIO(args, file, "r");
      const f: NWBFile = await io.read();
      process.stdout.write(`  ${file.split("/").pop()}: acquisition ${[...f.acquisition.keys()].join(", ")}\n`);
      const path = file === filename3 ? "/acquisition/test_timeseries1/data" : "/acquisition/linked_data_timeseries/data";
      const ts = f.acquisition.get(path.split("/")[2]!) as TimeSeries | undefined;
      if (!ts || ts.data === undefined) {
        // Known gap (docs/notes/tour.md): ZarrIO does not yet follow a group zarr_link into another
        // store when reading containers; hdmf-zarr does (the test checks this store with it).
        process.stdout.write(`  KNOWN GAP: ${path} is reached through a zarr_link to another store, which ZarrIO's read does not follow yet\n`);
        continue;
      }
      const got = await report(io, path, [[998, 1000]], ts.data).catch((e: unknown) => {
        if (t.backend === "hdf5" || !(e instanceof NotFoundError)) throw e;
        process.stdout.write(`  KNOWN GAP: ${path} is a zarr_link to a dataset in another store, which ZarrIO's read does not follow yet\n`);
        return null;
      });
      if (got === null) continue;
      expectEqual(got?.toArray(), [499, 499.5], `${file} ${path}`);
      if (file === filename3) {
        const ts2 = await report(io, "/acquisition/test_timeseries2/data", [[99, 100]], (f.acquisition.get("test_timeseries2") as TimeSeries).data);
        expectEqual(ts2?.toArray(), [297], `${file} test_timeseries2`);
      }
    }
  }
});
