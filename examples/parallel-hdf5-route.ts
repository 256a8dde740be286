/**
 * One HDF5 NWB file from many processes. A single HDF5 file takes one writer here (no MPI-IO
 * in WebAssembly), so the ranks never share it; two routes end in one HDF5 file anyway:
 *
 *   --via zarr            every rank writes its region into a Zarr store beside DEST
 *                         (DEST.zarr, the collective of examples/parallel-write.ts); then
 *                         rank 0 exports the store into DEST: one self-contained HDF5 file,
 *                         chunks copied as they are (same gzip pipeline on both backends).
 *   --via parts (default) every rank writes its own HDF5 file DEST.parts/rank-<i>.nwb
 *                         (TimeSeries "ts_name" = [i], and its block of "big" with --mb);
 *                         rank 0 writes DEST whose acquisition holds external links
 *                         ts_name_<i> / big_<i> to the parts. With --resolve OUT, rank 0
 *                         also exports DEST with links resolved: OUT holds copies, no links.
 *
 *   mpirun -np 4 npx tsx examples/parallel-hdf5-route.ts out.nwb [--via zarr|parts] [--mb N] [--resolve OUT]
 *
 * After rank 0 is done, every rank reads element `rank` of ts_name back from DEST.
 */
import { mkdir } from "node:fs/promises";
import path from "node:path";
import { parseArgs } from "node:util";
import { dtypes } from "../src/data/dtype.js";
import { H5DataIO } from "../src/data/data-io.js";
import { NdArray } from "../src/data/ndarray.js";
import { exportFile } from "../src/backends/export.js";
import { openIO } from "../src/backends/factory.js";
import type { HDMFIO, OpenMode } from "../src/backends/io.js";
import { FsStore } from "../src/stores/fs-store.js";
import { GroupBuilder, LinkBuilder } from "../src/schema/builders.js";
import { openNWB } from "../src/nwb-io.js";
import { collectiveWrite, consolidateStore, detectWorld, myRegion, StoreBarrier, type World } from "../src/parallel/index.js";
import { BlockIterator, createFile, layout, writeRegions, type Layout } from "./parallel-nwb.js";

const SESSION = { sessionDescription: "aa", identifier: "aa", sessionStartTime: "2018-04-25T02:30:03-07:00", fileCreateDate: "2018-04-25T02:30:03-07:00" };

/** Route 1: collective Zarr write, then one export into HDF5 on rank 0. */
async function viaZarr(dest: string, world: World, l: Layout, timeoutMs: number): Promise<StoreBarrier> {
  const work = `${dest}.zarr`;
  const store = new FsStore(work);
  await collectiveWrite({
    world, store, dest: work, barrier: { timeoutMs },
    open: (mode: OpenMode): Promise<HDMFIO> => (mode === "w" ? openNWB(work, "w", { format: "zarr" }) : openIO(work, mode, { format: "zarr" })),
    create: (io) => createFile(io, l),
    write: async (io, w) => { await writeRegions(io, l, w); },
    consolidate: async () => { await consolidateStore(store); },
  });
  const barrier = new StoreBarrier(store, world, { timeoutMs });
  if (world.rank === 0) {
    await step(barrier, "exported", async () => {
      const src = await openNWB(work, "r");
      const dst = await openNWB(dest, "w");
      try {
        await exportFile(src, dst);
      } finally {
        await dst.close();
        await src.close();
      }
    });
  }
  return barrier;
}

/** Route 2: a part file per rank, then a main file of external links on rank 0. */
async function viaParts(dest: string, world: World, l: Layout, timeoutMs: number, resolveTo: string | undefined): Promise<StoreBarrier> {
  const partsDir = `${dest}.parts`;
  await mkdir(partsDir, { recursive: true });
  const barrier = new StoreBarrier(new FsStore(partsDir), world, { timeoutMs });
  const partName = (r: number) => `rank-${r}.nwb`;
  await step(barrier, "part-written", async () => {
    const { NWBFile, TimeSeries } = await import("../src/nwb/index.js");
    const nwbfile = new NWBFile(SESSION);
    nwbfile.addAcquisition(new TimeSeries({
      name: "ts_name", description: `element ${world.rank} of ts_name`, unit: "m", rate: 100.0,
      data: new H5DataIO({ data: new NdArray(new BigInt64Array([BigInt(world.rank)]), [1], dtypes.int64) }),
    }));
    const region = myRegion(world, [l.size * l.perRank], [l.bigChunk]);
    if (l.perRank > 0 && !region.empty) {
      const start = region.start[0]!;
      nwbfile.addAcquisition(new TimeSeries({
        name: "big", description: `elements [${start}, ${region.stop[0]}) of big`, unit: "V", rate: 30000.0, startingTime: start / 30000,
        data: new H5DataIO({ data: new BlockIterator(start, region.stop[0]! - start, l.bigChunk), chunks: [l.bigChunk], compression: "gzip", compressionOpts: 4 }),
      }));
    }
    const io = await openNWB(path.join(partsDir, partName(world.rank)), "w");
    try { await io.write(nwbfile); } finally { await io.close(); }
  });
  if (world.rank !== 0) return barrier;
  await step(barrier, "exported", async () => {
    await barrier.wait("part-written");
    const { NWBFile } = await import("../src/nwb/index.js");
    const io = await openNWB(dest, "w");
    try {
      // Build the file's builders, then hang one external link per part under /acquisition.
      const root = io.manager!.build(new NWBFile(SESSION), { source: path.resolve(dest) });
      const acq = root.groups.get("acquisition") ?? root.add(new GroupBuilder("acquisition"));
      for (let r = 0; r < world.size; r++) {
        const source = path.resolve(partsDir, partName(r));
        acq.add(new LinkBuilder(`ts_name_${r}`, { path: "/acquisition/ts_name", source }));
        if (l.perRank > 0 && !myRegion({ rank: r, size: world.size }, [l.size * l.perRank], [l.bigChunk]).empty) {
          acq.add(new LinkBuilder(`big_${r}`, { path: "/acquisition/big", source }));
        }
      }
      await io.write(root);
    } finally {
      await io.close();
    }
    if (resolveTo) {
      const src = await openNWB(dest, "r");
      const dst = await openNWB(resolveTo, "w");
      try { await exportFile(src, dst, { links: "resolve" }); } finally { await dst.close(); await src.close(); }
    }
  });
  return barrier;
}

/** Run `f`, then post this rank's marker at `name` (or a failure marker, so nobody waits in vain). */
async function step(barrier: StoreBarrier, name: string, f: () => Promise<void>): Promise<void> {
  try {
    await f();
  } catch (e) {
    await barrier.fail(name, e).catch(() => undefined);
    throw e;
  }
  await barrier.arrive(name);
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      via: { type: "string", default: "parts" },
      mb: { type: "string", default: "0" },
      resolve: { type: "string" },
      timeout: { type: "string", default: "600" },
    },
  });
  const dest = positionals[0];
  const mb = Number(values.mb);
  if (!dest || !(mb >= 0) || (values.via !== "zarr" && values.via !== "parts")) {
    process.stderr.write("usage: npx tsx examples/parallel-hdf5-route.ts DEST.nwb [--via zarr|parts] [--mb N] [--resolve OUT.nwb] [--timeout S]\n");
    process.exit(2);
  }
  const world = detectWorld();
  const l = layout(world.size, mb);
  const timeoutMs = Number(values.timeout) * 1000;
  const barrier = values.via === "zarr" ? await viaZarr(dest, world, l, timeoutMs) : await viaParts(dest, world, l, timeoutMs, values.resolve);
  await barrier.wait("exported", [0]);
  // Reading one HDF5 file from many processes is fine once nobody writes it.
  const io = await openIO(dest, "r");
  try {
    const at = values.via === "zarr" ? "/acquisition/ts_name/data" : `/acquisition/ts_name_${world.rank}/data`;
    const sel = values.via === "zarr" ? [[world.rank, world.rank + 1, 1] as const] : [];
    const value = (await (await io.dataset(at)).read(sel)).data[0];
    process.stdout.write(`rank ${world.rank}: ts_name[${world.rank}] = ${String(value)} (from ${dest}${values.via === "parts" ? ` via link ts_name_${world.rank}` : ""})\n`);
  } finally {
    await io.close();
  }
}

main().catch((e: unknown) => {
  const err = e as Error;
  process.stderr.write(`${err.name}: ${err.message}\n`);
  process.exit(1);
});
