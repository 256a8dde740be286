/**
 * The content the parallel examples write (examples/parallel-write.ts,
 * examples/parallel-hdf5-route.ts): the tutorial's NWB file with TimeSeries "ts_name" (data
 * allocated as (size,) int64, one element per chunk, rank i writes element i) and, with
 * --mb N, a float64 TimeSeries "big" of size * N MB (gzip 4) where each rank writes its own
 * chunk-aligned N MB block through a GenericDataChunkIterator. A module, not a program.
 */
import { dtypes, type Dtype } from "../src/data/dtype.js";
import { H5DataIO, ZarrDataIO } from "../src/data/data-io.js";
import { GenericDataChunkIterator } from "../src/data/iterators.js";
import { NdArray } from "../src/data/ndarray.js";
import type { SliceSpec } from "../src/data/selection.js";
import type { HDMFIO } from "../src/backends/io.js";
import { myRegion, type Region, type World } from "../src/parallel/index.js";

const MiB = 1 << 20;
export const TS = "/acquisition/ts_name/data";
export const BIG = "/acquisition/big/data";

export interface Layout {
  readonly size: number;
  /** float64 elements of "big" per rank (0: no "big"). */
  readonly perRank: number;
  /** Chunk length of "big": a power of two that divides perRank, at most 1 MiB of float64. */
  readonly bigChunk: number;
}

export function layout(size: number, mb: number): Layout {
  const perRank = Math.round((mb * MiB) / 8);
  let bigChunk = MiB / 8;
  while (perRank > 0 && perRank % bigChunk !== 0) bigChunk /= 2;
  return { size, perRank, bigChunk: Math.max(1, Math.min(bigChunk, perRank || 1)) };
}

/** The value of element i of "big": a quantised sine, like scaled ADC counts. */
export function bigValue(i: number): number {
  return Math.round(2000 * Math.sin(i * 0.001)) * 0.25;
}

/** Feeds one rank's block of "big", buffer by buffer (whole chunks each). */
export class BlockIterator extends GenericDataChunkIterator {
  constructor(readonly start: number, readonly length: number, chunk: number) {
    super({ chunkShape: [chunk], bufferShape: [Math.min(length, chunk * Math.max(1, Math.floor((8 * MiB) / 8 / chunk)))] });
  }
  protected getDtype(): Dtype { return dtypes.float64; }
  protected getMaxshape(): number[] { return [this.length]; }
  protected getData(sel: readonly SliceSpec[]): NdArray {
    const [a, b] = [sel[0]![0]!, sel[0]![1]!];
    const out = new Float64Array(b - a);
    for (let k = 0; k < out.length; k++) out[k] = bigValue(this.start + a + k);
    return new NdArray(out, [out.length], dtypes.float64);
  }
}

/** Rank 0: the NWB file with both datasets allocated, no region data. */
export async function createFile(io: HDMFIO, l: Layout, backend: "zarr" | "hdf5" = "zarr"): Promise<void> {
  const { NWBFile, TimeSeries } = await import("../src/nwb/index.js");
  const nwbfile = new NWBFile({
    sessionDescription: "aa", identifier: "aa",
    sessionStartTime: "2018-04-25T02:30:03-07:00", fileCreateDate: "2018-04-25T02:30:03-07:00",
  });
  nwbfile.addAcquisition(new TimeSeries({
    name: "ts_name", description: "desc", unit: "m", rate: 100.0,
    data: new (backend === "zarr" ? ZarrDataIO : H5DataIO)({ shape: [l.size], maxshape: [l.size], dtype: "int64", chunks: [1] }),
  }));
  if (l.perRank > 0) {
    nwbfile.addAcquisition(new TimeSeries({
      name: "big", description: "float64 written in parallel, one block per rank", unit: "V", rate: 30000.0,
      data: backend === "zarr"
        ? new ZarrDataIO({
          shape: [l.size * l.perRank], maxshape: [l.size * l.perRank], dtype: "float64",
          chunks: [l.bigChunk], compressor: { id: "gzip", level: 4 },
        })
        : new H5DataIO({
          shape: [l.size * l.perRank], maxshape: [l.size * l.perRank], dtype: "float64",
          chunks: [l.bigChunk], compression: "gzip", compressionOpts: 4,
        }),
    }));
  }
  await io.write(nwbfile);
}

/** Every rank: element `rank` of ts_name, and its chunk-aligned block of big. */
export async function writeRegions(io: HDMFIO, l: Layout, world: Pick<World, "rank" | "size">): Promise<{ bytes: number; region?: Region }> {
  const ts = await io.dataset(TS);
  const mine = myRegion(world, [l.size], [1]); // one element per chunk: rank i writes element i
  if (!mine.empty) await ts.write(mine.selection, new NdArray(new BigInt64Array([BigInt(world.rank)]), [1], dtypes.int64));
  if (l.perRank === 0) return { bytes: 8 };
  const big = await io.dataset(BIG);
  const region = myRegion(world, [l.size * l.perRank], [l.bigChunk]);
  if (region.empty) return { bytes: 8, region };
  const start = region.start[0]!;
  for await (const chunk of new BlockIterator(start, region.stop[0]! - start, l.bigChunk)) {
    const [a, b] = [chunk.selection[0]![0]!, chunk.selection[0]![1]!];
    await big.write([[start + a, start + b, 1]], chunk.data);
  }
  return { bytes: 8 + (region.stop[0]! - start) * 8, region };
}
