/**
 * Tutorial tip "resolve external links to merge data into a single file" (Option 3:
 * NWBHDF5IO.export), in every direction: HDF5 -> HDF5 (what `h5copy -f ext` does), HDF5 -> Zarr
 * and Zarr -> HDF5 (what hdmf-zarr's NWBZarrIO.export does), with links resolved so the result
 * stands alone. (S3 with --s3: the Zarr side is written there.)
 *
 *   npx tsx examples/09-export-links.ts [OUTDIR] [--s3 s3://bucket/prefix --endpoint URL]
 */
import { H5DataIO, TimeSeries, array, createNwbBuildManager, exportFile, type NWBFile } from "../src/index.js";
import { exampleArgs, expectEqual, nwbIO, report, run, targets, tutorialNwbFile, type ExampleArgs, type Target } from "./common.js";

/** A source file with the data, and a file that only links to it (tutorial section 8). */
async function linkedPair(args: ExampleArgs, t: Target): Promise<string> {
  const source = t.location.replace(/\.nwb/, "-source.nwb");
  const linking = t.location.replace(/\.nwb/, "-links.nwb");
  const f1 = tutorialNwbFile("NWB-export-source");
  f1.addAcquisition(new TimeSeries({
    name: "test_timeseries1", unit: "SIunit", rate: 10.0,
    data: new H5DataIO({ data: array(Float64Array.from({ length: 20000 }, (_, i) => i / 4)), compression: "gzip", compressionOpts: 4, chunks: [2000] }),
  }));
  {
    await using io = await nwbIO(args, source, "w");
    await io.write(f1);
  }
  const manager = await createNwbBuildManager();
  await using io1 = await nwbIO(args, source, "r", { manager });
  const ts = (await io1.read()).acquisition.get("test_timeseries1") as TimeSeries;
  const f3 = tutorialNwbFile("NWB-export-links");
  f3.addAcquisition(ts);
  {
    await using io3 = await nwbIO(args, linking, "w", { manager });
    await io3.write(f3);
  }
  process.stdout.write(`wrote ${linking} [${t.backend}]: /acquisition/test_timeseries1 links to ${source}\n`);
  return linking;
}

/**
 * with NWBHDF5IO(linking, "r") as read_io:
 *     with NWBZarrIO(dest, "w") as export_io:
 *         export_io.export(src_io=read_io, write_args=dict(link_data=False))
 */
async function exportResolved(args: ExampleArgs, src: string, dest: string): Promise<void> {
  const t0 = performance.now();
  await using readIO = await nwbIO(args, src, "r");
  await using exportIO = await nwbIO(args, dest, "w");
  const result = await exportFile(readIO, exportIO, { links: "resolve" });
  process.stdout.write(`exported ${src} -> ${dest} in ${((performance.now() - t0) / 1000).toFixed(2)} s; links: ${JSON.stringify(result.links)}\n`);
}

async function check(args: ExampleArgs, location: string): Promise<void> {
  await using io = await nwbIO(args, location, "r");
  const f: NWBFile = await io.read();
  process.stdout.write(`  ${location}: acquisition ${[...f.acquisition.keys()].join(", ")}\n`);
  const got = await report(io, "/acquisition/test_timeseries1/data", [[19998, 20000]]);
  expectEqual(got?.toArray(), [4999.5, 4999.75], `${location} test_timeseries1`);
}

run(async () => {
  const args = exampleArgs("09-export-links");
  const [h5, zarr] = [targets(args, "09-export-links", ["hdf5"])[0]!, targets(args, "09-export-links", args.s3 ? ["s3"] : ["zarr"])[0]!];
  const h5Links = await linkedPair(args, h5);
  const zarrLinks = await linkedPair(args, zarr);
  const outputs: Array<[string, string]> = [
    [h5Links, h5.location.replace(/\.nwb$/, "-hdf5-resolved.nwb")], // h5copy -f ext -i in.nwb -o out.nwb
    [h5Links, zarr.location.replace(/\.nwb\.zarr$/, "-from-hdf5.nwb.zarr")], // HDF5 -> Zarr
    [zarrLinks, h5.location.replace(/\.nwb$/, "-from-zarr.nwb")], // Zarr -> HDF5
  ];
  for (const [src, dest] of outputs) await exportResolved(args, src, dest);
  for (const [, dest] of outputs) await check(args, dest);
});
