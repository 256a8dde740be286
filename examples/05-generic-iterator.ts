/**
 * Tutorial section "Iterating over data arrays": a hand-written AbstractDataChunkIterator
 * (you say which block goes where) and a GenericDataChunkIterator subclass (you say how to
 * read a box; it picks buffers that are whole chunks). HDF5 and Zarr (and S3 with --s3).
 *
 *   npx tsx examples/05-generic-iterator.ts [OUTDIR] [--small] [--s3 s3://bucket/prefix --endpoint URL]
 */
import { closeSync, openSync, readSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import {
  AbstractDataChunkIterator, DataIO, GenericDataChunkIterator, NdArray, TimeSeries, dtypes,
  type DataChunk, type Dtype, type NWBFile, type SliceSpec,
} from "../src/index.js";
import { exampleArgs, expectEqual, report, writeThenRead, run, targets, tutorialNwbFile } from "./common.js";

/**
 * AbstractDataChunkIterator: __next__ returns DataChunk(data, selection). Here: the blocks
 * of a (rows x cols) float64 matrix, `block` rows at a time, generated on the fly.
 */
class BlockIterator extends AbstractDataChunkIterator {
  readonly dtype = dtypes.float64;
  readonly maxshape: readonly number[];
  constructor(readonly rows: number, readonly cols: number, readonly block: number) {
    super();
    this.maxshape = [rows, cols];
  }
  recommendedChunkShape(): readonly number[] { return [this.block, this.cols]; }
  recommendedDataShape(): readonly number[] { return this.maxshape; }
  async *[Symbol.asyncIterator](): AsyncIterator<DataChunk> {
    for (let r = 0; r < this.rows; r += this.block) {
      const n = Math.min(this.block, this.rows - r);
      const values = Float64Array.from({ length: n * this.cols }, (_, i) => (r + Math.floor(i / this.cols)) * 1000 + (i % this.cols));
      yield { data: new NdArray(values, [n, this.cols], dtypes.float64), selection: [[r, r + n, 1], [0, this.cols, 1]] };
    }
  }
}

/**
 * GenericDataChunkIterator over a raw int16 file (a memmap-like source):
 *   class MemmapIterator(GenericDataChunkIterator):
 *       def _get_data(self, selection): return self.mm[selection]
 *       def _get_maxshape(self): return self.mm.shape
 *       def _get_dtype(self): return self.mm.dtype
 * Only the buffer asked for is read (positioned reads of each row's slice).
 */
class RawFileIterator extends GenericDataChunkIterator {
  constructor(readonly filename: string, readonly shape: readonly [number, number], chunkShape: readonly number[], bufferShape: readonly number[]) {
    super({ chunkShape, bufferShape, displayProgress: false });
  }
  protected getDtype(): Dtype { return dtypes.int16; }
  protected getMaxshape(): readonly number[] { return this.shape; }
  protected getData(selection: readonly SliceSpec[]): NdArray {
    const [[r0, r1], [c0, c1]] = selection as [[number, number], [number, number]];
    const out = new Int16Array((r1 - r0) * (c1 - c0));
    const fd = openSync(this.filename, "r");
    try {
      for (let r = r0; r < r1; r++) {
        readSync(fd, new Uint8Array(out.buffer, (r - r0) * (c1 - c0) * 2, (c1 - c0) * 2), 0, (c1 - c0) * 2, (r * this.shape[1] + c0) * 2);
      }
    } finally {
      closeSync(fd);
    }
    return new NdArray(out, [r1 - r0, c1 - c0], dtypes.int16);
  }
}

run(async () => {
  const args = exampleArgs("05-generic-iterator");
  const shape = [args.small ? 4000 : 400_000, 32] as const;
  const filename = join(args.out, "recording_int16.bin");
  const raw = Int16Array.from({ length: shape[0] * shape[1] }, (_, i) => Math.round(800 * Math.sin(Math.floor(i / 32) / 30 + (i % 32))));
  writeFileSync(filename, new Uint8Array(raw.buffer));
  process.stdout.write(`wrote ${filename}: ${shape.join(" x ")} int16, ${raw.byteLength} B\n`);
  const blockRows = args.small ? 40 : 400;

  for (const { backend, location } of targets(args, "05-generic-iterator")) {
    const nwbfile = tutorialNwbFile();
    nwbfile.addAcquisition(new TimeSeries({
      name: "abstract_iterator_timeseries", data: new BlockIterator(blockRows * 3, 60, blockRows), unit: "SIunit", rate: 10.0,
    }));
    // chunks (1000, 32) rows x channels; buffers of 8 chunks along time, all channels
    const it = new RawFileIterator(filename, shape, [Math.min(1000, shape[0]), 16], [Math.min(8000, shape[0]), 32]);
    process.stdout.write(`  GenericDataChunkIterator: chunk shape [${it.chunkShape.join(", ")}], buffer shape [${it.bufferShape.join(", ")}], ${it.numBuffers} buffers\n`);
    nwbfile.addAcquisition(new TimeSeries({
      name: "generic_iterator_timeseries", data: new DataIO({ data: it, compression: "gzip", compressionOpts: 4, shuffle: true }),
      unit: "uV", conversion: 1e-6, rate: 30000.0,
    }));
    const opened = await writeThenRead(args, { backend, location }, nwbfile);
    await using io = opened.io;
    const back: NWBFile = opened.back;
    const a = await report(io, "/acquisition/abstract_iterator_timeseries/data", [[blockRows * 3 - 1, blockRows * 3], [0, 3]]);
    expectEqual(a?.toArray(), [0, 1, 2].map((c) => (blockRows * 3 - 1) * 1000 + c), `${location} abstract iterator`);
    const g = await report(io, "/acquisition/generic_iterator_timeseries/data", [[shape[0] - 1, shape[0]], [0, 4]]);
    expectEqual(g?.toArray(), Array.from(raw.subarray((shape[0] - 1) * 32, (shape[0] - 1) * 32 + 4)), `${location} generic iterator`);
  }
});
