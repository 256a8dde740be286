/**
 * The tutorial's "Parallel I/O using MPI" example, without MPI: run it under any launcher
 * (mpirun, srun, a Kubernetes indexed Job) and every process writes its own part of one
 * NWB file in a Zarr store.
 *
 *   mpirun -np 4 npx tsx examples/parallel-write.ts out.nwb.zarr [--mb N]
 *   mpirun -np 4 npx tsx examples/parallel-write.ts s3://bucket/run.nwb.zarr --endpoint http://127.0.0.1:9000
 *   npx tsx examples/parallel-write.ts out.nwb.zarr --serial 4     # the same file from one process
 *
 * Rank 0 creates the file with TimeSeries "ts_name" (data allocated as (size,) int64, one
 * element per chunk) and, with --mb N, a float64 TimeSeries "big" of size*N MB (gzip 4);
 * every rank then writes element `rank` of ts_name and its own chunk-aligned N MB block of
 * big, fed by a GenericDataChunkIterator; rank 0 consolidates the metadata; then every rank
 * reads its element back, as in the tutorial. Rank, size and run id come from the launcher
 * (src/parallel/rank.ts). Each rank prints one line "RESULT {json}" with its timings.
 */
import { parseArgs } from "node:util";
import { dtypes, type Dtype } from "../src/data/dtype.js";
import { ZarrDataIO } from "../src/data/data-io.js";
import { GenericDataChunkIterator } from "../src/data/iterators.js";
import { NdArray } from "../src/data/ndarray.js";
import type { SliceSpec } from "../src/data/selection.js";
import type { HDMFIO, OpenMode } from "../src/backends/io.js";
import { openIO, type S3Options } from "../src/backends/factory.js";
import { openStore } from "../src/backends/zarr/stores/open-store.js";
import type { Store } from "../src/backends/zarr/stores/store.js";
import { openNWB } from "../src/nwb-io.js";
import {
  assertParallelWritable, collectiveWrite, consolidateStore, detectWorld, myRegion, type Region, type World,
} from "../src/parallel/index.js";

const MiB = 1 << 20;
const TS = "/acquisition/ts_name/data";
const BIG = "/acquisition/big/data";

interface Layout {
  readonly size: number;
  /** float64 elements of "big" per rank (0: no "big"). */
  readonly perRank: number;
  /** Chunk length of "big": a power of two that divides perRank, at most 1 MiB of float64. */
  readonly bigChunk: number;
}

function layout(size: number, mb: number): Layout {
  const perRank = Math.round((mb * MiB) / 8);
  let bigChunk = MiB / 8;
  while (perRank > 0 && perRank % bigChunk !== 0) bigChunk /= 2;
  return { size, perRank, bigChunk: Math.max(1, Math.min(bigChunk, perRank || 1)) };
}

/** The value of element i of "big": a quantised sine, like scaled ADC counts. */
function bigValue(i: number): number {
  return Math.round(2000 * Math.sin(i * 0.001)) * 0.25;
}

/** Feeds one rank's block of "big", buffer by buffer (whole chunks each). */
class BlockIterator extends GenericDataChunkIterator {
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
async function createFile(io: HDMFIO, l: Layout): Promise<void> {
  const { NWBFile, TimeSeries } = await import("../src/nwb/index.js");
  const nwbfile = new NWBFile({
    sessionDescription: "aa", identifier: "aa",
    sessionStartTime: "2018-04-25T02:30:03-07:00", fileCreateDate: "2018-04-25T02:30:03-07:00",
  });
  nwbfile.addAcquisition(new TimeSeries({
    name: "ts_name", description: "desc", unit: "m", rate: 100.0,
    data: new ZarrDataIO({ shape: [l.size], maxshape: [l.size], dtype: "int64", chunks: [1] }),
  }));
  if (l.perRank > 0) {
    nwbfile.addAcquisition(new TimeSeries({
      name: "big", description: "float64 written in parallel, one block per rank", unit: "V", rate: 30000.0,
      data: new ZarrDataIO({
        shape: [l.size * l.perRank], maxshape: [l.size * l.perRank], dtype: "float64",
        chunks: [l.bigChunk], compressor: { id: "gzip", level: 4 },
      }),
    }));
  }
  await io.write(nwbfile);
}

/** Every rank: element `rank` of ts_name, and its chunk-aligned block of big. */
async function writeRegions(io: HDMFIO, l: Layout, world: Pick<World, "rank" | "size">): Promise<{ bytes: number; region?: Region }> {
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

function s3Options(endpoint: string | undefined): S3Options {
  return endpoint ? { endpoint, forcePathStyle: true, region: process.env.AWS_REGION ?? "us-east-1" } : {};
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      endpoint: { type: "string" },
      mb: { type: "string", default: "0" },
      serial: { type: "string" },
      timeout: { type: "string", default: "600" },
    },
  });
  const dest = positionals[0];
  const mb = Number(values.mb);
  if (!dest || !(mb >= 0)) {
    process.stderr.write("usage: npx tsx examples/parallel-write.ts DEST [--endpoint URL] [--mb N] [--serial N] [--timeout S]\n");
    process.exit(2);
  }
  const stores: Store[] = [];
  const s3 = s3Options(values.endpoint);
  // Rank 0 writes containers (openNWB: BuildManager + cached spec); the others only need
  // dataset handles, so they skip loading the schemas (about a second per rank).
  const open = async (mode: OpenMode): Promise<HDMFIO> =>
    mode === "w" ? openNWB(dest, "w", { format: "zarr", s3 }) : openIO(dest, mode, { format: "zarr", s3 });
  const t0 = performance.now();
  try {
    if (values.serial !== undefined) {
      // The reference: one process writes what `serial` ranks would, in the same layout.
      const size = Number(values.serial);
      const l = layout(size, mb);
      const io = await open("w");
      await createFile(io, l);
      let bytes = 0;
      for (let rank = 0; rank < size; rank++) bytes += (await writeRegions(io, l, { rank, size })).bytes;
      await io.close();
      const store = await openStore(dest, { s3, mode: "a" });
      stores.push(store);
      await consolidateStore(store);
      process.stdout.write(`RESULT ${JSON.stringify({ rank: 0, size, serial: true, bytes, seconds: (performance.now() - t0) / 1000 })}\n`);
      return;
    }
    const world = detectWorld();
    assertParallelWritable(dest, world);
    const l = layout(world.size, mb);
    const barrierStore = await openStore(dest, { s3, mode: "a" });
    stores.push(barrierStore);
    let bytes = 0;
    const result = await collectiveWrite({
      world, store: barrierStore, open,
      barrier: { timeoutMs: Number(values.timeout) * 1000 },
      create: (io) => createFile(io, l),
      write: async (io, w) => { bytes = (await writeRegions(io, l, w)).bytes; },
      consolidate: async () => { await consolidateStore(barrierStore); },
    });
    // "read from dataset in parallel"
    const io = await open("r");
    const value = (await (await io.dataset(TS)).read([[world.rank, world.rank + 1, 1]])).data[0];
    await io.close();
    process.stdout.write(`rank ${world.rank}: ts_name[${world.rank}] = ${String(value)}\n`);
    process.stdout.write(`RESULT ${JSON.stringify({ ...result, launcher: world.launcher, bytes, seconds: (performance.now() - t0) / 1000 })}\n`);
  } finally {
    await Promise.all(stores.map((s) => s.close()));
  }
}

main().catch((e: unknown) => {
  const err = e as Error;
  process.stderr.write(`${err.name}: ${err.message}\n`);
  process.exit(1);
});
