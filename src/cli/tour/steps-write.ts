/**
 * Tour sections 1-6 of the tutorial, each written to one NWB file per backend: chunking,
 * compression, plugin filters, DataChunkIterator (raw file + sparse), GenericDataChunkIterator
 * (the big recording) and the user-defined write. Each step writes, measures and reads back.
 */
import { join } from "node:path";
import { DataIO, H5DataIO, ZarrDataIO } from "../../data/data-io.js";
import { DataChunkIterator } from "../../data/iterators.js";
import { NWBFile, TimeSeries } from "../../nwb/index.js";
import {
  CHANNELS, RecordingIterator, iterRawRows, iterSparse, recordingArray, recordingBlock, sampleAt, tutorialArange, writeRawFile,
} from "./data.js";
import { expectValues, type TourBackend, type TourContext } from "./context.js";

export const BACKENDS: readonly TourBackend[] = ["hdf5", "zarr"];

export function tutorialFile(identifier: string): NWBFile {
  return new NWBFile({ sessionDescription: "demonstrate advanced HDF5 I/O features", identifier, sessionStartTime: new Date(2017, 3, 3, 11) });
}

/** One file with the given TimeSeries; one row per TimeSeries; the last row of each read back. */
async function writeSection(ctx: TourContext, section: string, stem: string, backend: TourBackend, series: Array<[string, DataIO | DataChunkIterator | RecordingIterator]>,
  expectLast: (name: string) => ArrayLike<unknown> | undefined): Promise<void> {
  const location = ctx.location(backend, stem);
  const nwbfile = tutorialFile(`tour-${stem}`);
  for (const [name, data] of series) nwbfile.addAcquisition(new TimeSeries({ name, data, unit: "SIunit", startingTime: 0.0, rate: 30000.0 }));
  ctx.progress(`${section}: writing ${location}`);
  const seconds = await ctx.write(location, nwbfile);
  for (const [name] of series) {
    const path = `/acquisition/${name}/data`;
    const ds = await ctx.record(section, ctx.backendLabel(backend), location, path, seconds / series.length);
    const want = expectLast(name);
    if (want && ds.shape[0]! > 0) {
      const io = await ctx.raw(location);
      try {
        const n = ds.shape[0]!;
        expectValues((await (await io.dataset(path)).read([[n - 1, n]])).toArray(), want, `${location}${path}`, path);
      } finally {
        await io.close();
      }
    }
  }
}

const lastRecordingRow = (rows: number): number[] => Array.from({ length: CHANNELS }, (_, c) => sampleAt(rows - 1, c));

export async function chunking(ctx: TourContext, backend: TourBackend): Promise<void> {
  // H5DataIO(data=np.arange(10000).reshape((1000, 10)), chunks=True, maxshape=(None, 10))
  await writeSection(ctx, "1 chunking", "01-chunking", backend, [
    ["test_chunked_timeseries", new H5DataIO({ data: tutorialArange(), chunks: true, maxshape: [null, 10] })],
  ], () => Array.from({ length: 10 }, (_, i) => 9990 + i));
}

export async function compression(ctx: TourContext, backend: TourBackend): Promise<void> {
  const rows = Math.max(1000, Math.round((ctx.mb * 1e6) / 8 / (CHANNELS * 2)));
  const data = recordingArray(rows);
  const chunks = [Math.min(16384, rows), CHANNELS];
  // HDF5: gzip 4 + shuffle + fletcher32, and lzf. Zarr (numcodecs 0.11 has neither fletcher32 nor
  // lzf): shuffle + crc32 + zlib 4, and lz4.
  const series: Array<[string, DataIO]> = backend === "hdf5"
    ? [["gzip_shuffle_fletcher32", new H5DataIO({ data, chunks, compression: "gzip", compressionOpts: 4, shuffle: true, fletcher32: true })],
      ["lzf", new H5DataIO({ data, chunks, compression: "lzf" })]]
    : [["gzip_shuffle_fletcher32", new ZarrDataIO({ data, chunks, filters: [{ id: "shuffle", elementsize: 2 }, { id: "crc32" }], compressor: { id: "zlib", level: 4 } })],
      ["lzf", new ZarrDataIO({ data, chunks, compressor: { id: "lz4", acceleration: 1 } })]];
  await writeSection(ctx, "2 compression", "02-compression", backend, series, () => lastRecordingRow(rows));
}

export async function pluginFilters(ctx: TourContext, backend: TourBackend): Promise<void> {
  const rows = Math.max(1000, Math.round((ctx.mb * 1e6) / 8 / (CHANNELS * 2)));
  const data = recordingArray(rows);
  const chunks = [Math.min(16384, rows), CHANNELS];
  // H5DataIO(data, **hdf5plugin.Blosc(cname="zstd", clevel=3, shuffle=BITSHUFFLE), allow_plugin_filters=True)
  const dataio = backend === "hdf5"
    ? new H5DataIO({ data, chunks, compression: 32001, compressionOpts: [0, 0, 0, 0, 3, 2, 5], allowPlugins: true })
    : new ZarrDataIO({ data, chunks, compressor: { id: "blosc", cname: "zstd", clevel: 3, shuffle: 2, blocksize: 0 } });
  await writeSection(ctx, "3 plugin filters", "03-plugin-filters", backend, [["blosc_zstd_bitshuffle", dataio]], () => lastRecordingRow(rows));
}

export async function dataChunkIterator(ctx: TourContext, backend: TourBackend, rawFile: string, rows: number): Promise<void> {
  // DataChunkIterator(data=iter_largearray(filename, shape=datashape), maxshape=datashape, buffer_size=...)
  const large = new DataChunkIterator(iterRawRows(rawFile, rows), { maxshape: [rows, CHANNELS], bufferSize: 4096, dtype: "int16" });
  const sparseRows = 3000;
  const sparse = new DataChunkIterator(iterSparse(sparseRows), { maxshape: [null, 8], bufferSize: 100, dtype: "float64" });
  await writeSection(ctx, "4 DataChunkIterator", "04-data-chunk-iterator", backend, [
    ["large_array_timeseries", new H5DataIO({ data: large, chunks: [Math.min(16384, rows), CHANNELS], compression: "gzip", compressionOpts: 4 })],
    ["sparse_timeseries", new H5DataIO({ data: sparse, chunks: [100, 8], maxshape: [null, 8], fillvalue: Number.NaN })],
  ], (name) => (name === "sparse_timeseries" ? undefined : lastRecordingRow(rows)));
}

export async function genericIterator(ctx: TourContext, backend: TourBackend, rows: number): Promise<string> {
  // class RecordingIterator(GenericDataChunkIterator): _get_data / _get_maxshape / _get_dtype
  const it = new RecordingIterator(rows, 16384);
  const dataio = new DataIO({ data: it, chunks: [...it.chunkShape], compression: "gzip", compressionOpts: 4, shuffle: true });
  await writeSection(ctx, "5 GenericDataChunkIterator", "05-recording", backend, [["recording", dataio]], () => lastRecordingRow(rows));
  return ctx.location(backend, "05-recording");
}

export async function userDefinedWrite(ctx: TourContext, backend: TourBackend): Promise<void> {
  const location = ctx.location(backend, "06-user-defined-write");
  ctx.progress(`6 user-defined write: writing ${location}`);
  // H5DataIO(shape=(0, 10), dtype=float, maxshape=(None, 10), chunks=(131072, 2), gzip 4, shuffle, fillvalue=nan)
  const dataio = new H5DataIO({
    shape: [0, 10], dtype: "float64", maxshape: [null, 10], chunks: [131072, 2],
    compression: "gzip", compressionOpts: 4, shuffle: true, fillvalue: Number.NaN,
  });
  const nwbfile = tutorialFile("tour-06");
  nwbfile.addAcquisition(new TimeSeries({ name: "synthetic_timeseries", data: dataio, unit: "SIunit", rate: 10.0 }));
  const t0 = performance.now();
  const io = await ctx.nwb(location, "w");
  try {
    await io.write(nwbfile);
    const ds = await io.dataset("/acquisition/synthetic_timeseries/data");
    await ds.resize([8, 10]); //          dataio.dataset.resize((8, 10))
    await ds.write([[0, 3], null], 1); // dataio.dataset[0:3, :] = 1
    await ds.write([[3, 6], null], 2); // dataio.dataset[3:6, :] = 2   (rows 6 and 7 stay unwritten)
  } finally {
    await io.close();
  }
  const path = "/acquisition/synthetic_timeseries/data";
  await ctx.record("6 user-defined write", ctx.backendLabel(backend), location, path, (performance.now() - t0) / 1000);
  const r = await ctx.raw(location);
  try {
    expectValues((await (await r.dataset(path)).read([null, [0, 1]])).toArray(), [1, 1, 1, 2, 2, 2, Number.NaN, Number.NaN], `${location}${path}`, path);
  } finally {
    await r.close();
  }
}

export async function prepareRawFile(ctx: TourContext, rows: number): Promise<string> {
  const file = join(ctx.out, "recording_int16.bin");
  const bytes = await writeRawFile(file, rows);
  ctx.progress(`raw source for section 4: ${file} (${(bytes / 1e6).toFixed(1)} MB int16, ${rows} x ${CHANNELS})`);
  return file;
}

export { recordingBlock };
