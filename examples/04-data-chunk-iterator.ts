/**
 * Tutorial section "Iterative write of large binary file" plus the sparse-array example:
 * a DataChunkIterator over a generator that reads a large raw file row by row (what the
 * tutorial does with np.memmap), and a sparse generator whose gaps are never written.
 * HDF5 and Zarr (and S3 with --s3).
 *
 *   npx tsx examples/04-data-chunk-iterator.ts [OUTDIR] [--small] [--s3 s3://bucket/prefix --endpoint URL]
 *
 * The raw file (float64, C order, no header) is written first into OUTDIR: 100000 x 10 rows
 * (8 MB), 2000 rows with --small. Memory stays flat however large it is: one buffer of rows
 * at a time goes through the writer.
 */
import { closeSync, openSync, readSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { DataChunkIterator, H5DataIO, TimeSeries, type NWBFile } from "../src/index.js";
import { exampleArgs, expectEqual, report, writeThenRead, run, targets, tutorialNwbFile } from "./common.js";

/**
 * def iter_largearray(filename, shape, dtype="float64"):
 *     for i in range(shape[0]):
 *         newfp = np.memmap(filename, dtype=dtype, mode="r", shape=shape)
 *         curr_data = newfp[i : (i + 1), ...][0]
 *         del newfp  # Reopen the file in each iterator to prevent accumulation of data in memory
 *         yield curr_data
 *
 * A positioned read (pread) of one row is what the memmap slice does, and nothing accumulates,
 * so the file is opened once, not once per row.
 */
function* iterLargeArray(filename: string, shape: readonly [number, number]): Generator<Float64Array> {
  const fd = openSync(filename, "r");
  try {
    const rowBytes = shape[1] * 8;
    for (let i = 0; i < shape[0]; i++) {
      const row = new Float64Array(shape[1]);
      readSync(fd, new Uint8Array(row.buffer), 0, rowBytes, i * rowBytes);
      yield row;
    }
  } finally {
    closeSync(fd);
  }
}

/**
 * A sparse signal (hdmf's sparse iterative-write example): rows that fall in a gap yield
 * null (Python: None), so they are never written; chunks covering only gaps are never stored
 * and read back as the fill value.
 */
function* iterSparse(rows: number, cols: number, block: number): Generator<Float64Array | null> {
  for (let i = 0; i < rows; i++) {
    if (Math.floor(i / block) % 3 !== 0) { yield null; continue; }
    yield Float64Array.from({ length: cols }, (_, j) => Math.sin(i / 10 + j));
  }
}

run(async () => {
  const args = exampleArgs("04-data-chunk-iterator");
  const datashape = [args.small ? 2000 : 100_000, 10] as const;
  const filename = join(args.out, "basic_sparse_iterwrite_testdata.bin");
  // np.save(filename, arrdata): a test array to stream from
  const arr = Float64Array.from({ length: datashape[0] * datashape[1] }, (_, i) => i / 10);
  writeFileSync(filename, new Uint8Array(arr.buffer));
  process.stdout.write(`wrote ${filename}: ${datashape.join(" x ")} float64, ${arr.byteLength} B\n`);
  const sparseRows = args.small ? 300 : 3000;

  for (const { backend, location } of targets(args, "04-data-chunk-iterator")) {
    const nwbfile = tutorialNwbFile();
    // data = DataChunkIterator(data=iter_largearray(filename=..., shape=datashape),
    //                          maxshape=datashape, buffer_size=10)  # Buffer 10 elements into a chunk
    const data = new DataChunkIterator(iterLargeArray(filename, datashape), { maxshape: datashape, bufferSize: 10, dtype: "float64" });
    // Chunks of 10 rows are what buffer_size=10 gives; larger chunks + gzip keep the file small
    // (the tutorial's tip: "don't make many tiny chunks").
    nwbfile.addAcquisition(new TimeSeries({
      name: "large_array_timeseries", data: new H5DataIO({ data, chunks: [Math.min(10_000, datashape[0]), 10], compression: "gzip", compressionOpts: 4 }),
      unit: "SIunit", startingTime: 0.0, rate: 10.0,
    }));
    // The sparse generator: chunks (10, 10), NaN fill for the rows never written.
    const sparse = new DataChunkIterator(iterSparse(sparseRows, 10, 10), { maxshape: [null, 10], bufferSize: 10, dtype: "float64" });
    nwbfile.addAcquisition(new TimeSeries({
      name: "sparse_timeseries", data: new H5DataIO({ data: sparse, chunks: [10, 10], maxshape: [null, 10], fillvalue: Number.NaN }),
      unit: "SIunit", startingTime: 0.0, rate: 10.0,
    }));
    // 3. Write the data as usual
    const opened = await writeThenRead(args, { backend, location }, nwbfile);
    await using io = opened.io;
    const back: NWBFile = opened.back;
    const last = await report(io, "/acquisition/large_array_timeseries/data", [[datashape[0] - 1, datashape[0]]]);
    expectEqual(last?.toArray(), Array.from(arr.subarray(arr.length - 10)), `${location} large array`);
    const sparseData = await io.dataset("/acquisition/sparse_timeseries/data");
    await report(io, "/acquisition/sparse_timeseries/data", [[8, 12], [0, 2]]);
    let stored = 0;
    for await (const _chunk of sparseData.rawChunks?.() ?? []) stored++;
    const total = Math.ceil(sparseData.shape[0]! / 10);
    process.stdout.write(`  sparse_timeseries: ${stored} of ${total} chunks stored (gaps never written)\n`);
    if (stored >= total) throw new Error(`${location}: every chunk of the sparse dataset is stored`);
    const gap = await sparseData.read([[10, 11], [0, 1]]);
    if (!Number.isNaN(gap.toArray()[0])) throw new Error(`${location}: a gap row reads ${String(gap.toArray()[0])}, expected NaN`);
  }
});
