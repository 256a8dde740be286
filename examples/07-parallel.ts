/**
 * Tutorial section "Parallel I/O using MPI". The real thing is examples/parallel-write.ts
 * (run it under mpirun / srun / a Kubernetes indexed Job); this example launches it the way
 * a launcher would — N processes, each told its rank through the environment — so it runs
 * anywhere, then reads every rank's element back. Zarr (and S3 with --s3): many writers on
 * disjoint chunks need no locking there. HDF5 gets the tutorial's pattern with one writer at
 * a time in append mode (the wasm HDF5 core has no MPI-IO; see docs/notes/tour.md).
 *
 *   npx tsx examples/07-parallel.ts [OUTDIR] [--ranks N] [--s3 s3://bucket/prefix --endpoint URL]
 *   mpirun -np 4 npx tsx examples/parallel-write.ts OUT.nwb.zarr      # what it stands for
 */
import { spawn } from "node:child_process";
import { randomUUID } from "node:crypto";
import { fileURLToPath } from "node:url";
import { openIO } from "../src/index.js";
import { createFile, layout, TS, writeRegions } from "./parallel-nwb.js";
import { exampleArgs, expectEqual, nwbIO, rawIO, run, targets, type ExampleArgs } from "./common.js";

const script = fileURLToPath(new URL("./parallel-write.ts", import.meta.url));

/** `mpirun -np N npx tsx examples/parallel-write.ts DEST`, with HDMF_TS_RANK as the launcher. */
function launch(args: ExampleArgs, dest: string): Promise<void> {
  const ranks = args.ranks;
  const runId = randomUUID();
  const endpoint = args.s3Options.endpoint ? ["--endpoint", args.s3Options.endpoint] : [];
  const children = Array.from({ length: ranks }, (_, rank) => new Promise<void>((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", script, dest, ...endpoint], {
      env: { ...process.env, HDMF_TS_RANK: String(rank), HDMF_TS_WORLD_SIZE: String(ranks), HDMF_TS_RUN_ID: runId },
      stdio: ["ignore", "pipe", "inherit"],
    });
    let out = "";
    child.stdout.on("data", (b: Buffer) => { out += b.toString(); });
    child.on("error", reject);
    child.on("exit", (code) => {
      for (const line of out.split("\n")) if (line.startsWith("rank ")) process.stdout.write(`  ${line}\n`);
      if (code === 0) resolve(); else reject(new Error(`rank ${rank} exited with ${String(code)}`));
    });
  }));
  return Promise.all(children).then(() => undefined);
}

run(async () => {
  const args = exampleArgs("07-parallel");
  const ranks = args.ranks;
  for (const { backend, location } of targets(args, "07-parallel")) {
    const t0 = performance.now();
    const l = layout(ranks, 0);
    if (backend === "hdf5") {
      // if rank == 0: create the file with H5DataIO(shape=(4,), maxshape=(4,), dtype=int) ... io.write(nwbfile)
      {
        await using io = await nwbIO(args, location, "w");
        await createFile(io, l, "hdf5");
      }
      // with NWBHDF5IO(fname, "a", comm=MPI.COMM_WORLD) as io: nwbfile.acquisition["ts_name"].data[rank] = rank
      for (let rank = 0; rank < ranks; rank++) {
        await using io = await openIO(location, "a");
        await writeRegions(io, l, { rank, size: ranks });
      }
    } else {
      await launch(args, location);
    }
    process.stdout.write(`wrote ${location} [${backend}] with ${ranks} ranks in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
    // with NWBHDF5IO(fname, "r", comm=MPI.COMM_WORLD) as io: print(io.read().acquisition["ts_name"].data[rank])
    await using io = await rawIO(args, location, "r");
    const values = (await (await io.dataset(TS)).read()).toArray();
    process.stdout.write(`  ${TS}: ${JSON.stringify(values.map(Number))}\n`);
    expectEqual(values, Array.from({ length: ranks }, (_, i) => i), `${location} ts_name`);
  }
});
