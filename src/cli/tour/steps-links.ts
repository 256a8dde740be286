/**
 * Tour sections 8 and 9: a file that links the recording from section 5 (shared BuildManager),
 * a copy made with linkData false, and exports that resolve the links, HDF5 -> Zarr and
 * Zarr -> HDF5, so each result stands alone.
 */
import { DataIO } from "../../data/data-io.js";
import { exportFile } from "../../backends/export.js";
import { createNwbBuildManager, TimeSeries, type NWBFile } from "../../nwb/index.js";
import { isStoredDataset } from "../../data/data-source.js";
import { InvalidInputError } from "../../errors.js";
import { expectValues, type TourBackend, type TourContext } from "./context.js";
import { CHANNELS, sampleAt } from "./data.js";
import { tutorialFile } from "./steps-write.js";

const RECORDING = "/acquisition/recording/data";

/** Returns the location of the file that links to the recording. */
export async function multiFile(ctx: TourContext, backend: TourBackend, recording: string): Promise<string> {
  const links = ctx.location(backend, "08-links");
  const copy = ctx.location(backend, "08-copy");
  // manager = get_manager(); io1 = NWBHDF5IO(filename1, "r", manager=manager); ts = io1.read().get_acquisition(...)
  const manager = await createNwbBuildManager({ catalog: ctx.manager.catalog });
  const io1 = await ctx.nwb(recording, "r", manager);
  try {
    const nwbfile1: NWBFile = await io1.read();
    const ts = nwbfile1.acquisition.get("recording") as TimeSeries;
    if (!isStoredDataset(ts.data)) throw new InvalidInputError(`${recording}: the recording was not read lazily`, { path: RECORDING });
    // nwbfile3.add_acquisition(timeseries_1); NWBHDF5IO(filename3, "w", manager=manager).write(nwbfile3)
    const nwbfile3 = tutorialFile("tour-08-links");
    nwbfile3.addAcquisition(ts);
    ctx.progress(`8 multi-file: writing ${links} (links to ${recording})`);
    await ctx.write(links, nwbfile3, { manager });
    // A new TimeSeries on the same data, copied: io4.write(nwbfile4, link_data=False)
    const nwbfile4 = tutorialFile("tour-08-copy");
    nwbfile4.addAcquisition(new TimeSeries({ name: "recording", data: new DataIO({ data: ts.data, linkData: false }), unit: "SIunit", rate: 30000.0 }));
    ctx.progress(`8 multi-file: writing ${copy} (linkData false: a copy)`);
    const seconds = await ctx.write(copy, nwbfile4, { linkData: false });
    await ctx.record("8 multi-file copy", ctx.backendLabel(backend), copy, RECORDING, seconds);
  } finally {
    await io1.close();
  }
  return links;
}

/** NWBHDF5IO.export / NWBZarrIO.export with external links resolved. */
export async function exportResolved(ctx: TourContext, from: TourBackend, source: string, rows: number): Promise<void> {
  const to: TourBackend = from === "hdf5" ? "zarr" : "hdf5";
  const dest = ctx.location(to, `09-export-from-${from}`);
  ctx.progress(`9 export: ${source} -> ${dest} (links resolved)`);
  const t0 = performance.now();
  const src = await ctx.nwb(source, "r");
  try {
    const dst = await ctx.nwb(dest, "w");
    try {
      const report = await exportFile(src, dst, { links: "resolve", openOptions: { s3: ctx.s3 } });
      if (report.links.resolved < 1) throw new InvalidInputError(`export of ${source} resolved no link`, { path: source });
    } finally {
      await dst.close();
    }
  } finally {
    await src.close();
  }
  const ds = await ctx.record(`9 export ${from}->${to}`, ctx.backendLabel(to), dest, RECORDING, (performance.now() - t0) / 1000);
  const io = await ctx.raw(dest);
  try {
    const last = (await (await io.dataset(RECORDING)).read([[rows - 1, rows]])).toArray();
    expectValues(last, Array.from({ length: CHANNELS }, (_, c) => sampleAt(rows - 1, c)), `${dest}${RECORDING}`, RECORDING);
    if (ds.shape[0] !== rows) throw new InvalidInputError(`${dest}: ${ds.shape[0]} rows, expected ${rows}`, { path: RECORDING });
  } finally {
    await io.close();
  }
}
