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
import type { HDMFIO, OpenMode } from "../src/backends/io.js";
import { openIO, type S3Options } from "../src/backends/factory.js";
import { openStore } from "../src/stores/open-store.js";
import type { Store } from "../src/stores/store.js";
import { openNWB } from "../src/nwb-io.js";
import { assertParallelWritable, collectiveWrite, consolidateStore, detectWorld } from "../src/parallel/index.js";
import { createFile, layout, TS, writeRegions } from "./parallel-nwb.js";

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
      world, store: barrierStore, open, dest,
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
