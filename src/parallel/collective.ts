/**
 * The tutorial's MPI write pattern over shared storage, with a store barrier in place of
 * MPI_Barrier:
 *
 *   rank 0: open(dest, "w"), create the file and its datasets, close  → post "created"
 *   others: wait for rank 0's "created"
 *   every rank: open(dest, "a"), write its own chunk-aligned region, close → post "written"
 *   rank 0: wait for every "written", consolidate metadata            → post "consolidated"
 *   others: wait for "consolidated" (so reads that follow see the final metadata)
 *
 * A rank that throws posts a "failed" marker at the barrier it would have reached, so the
 * others stop at once with an error naming it; a rank that dies silently is named by the
 * timeout. Backend-neutral: the caller passes the opener (ZarrIO for a directory or S3).
 * A single HDF5 file cannot take concurrent writers (no MPI-IO in WebAssembly):
 * `assertParallelWritable` refuses it and names the route that works.
 */
import { parseLocation } from "../location.js";
import { InvalidInputError, UnsupportedError } from "../errors.js";
import type { HDMFIO, OpenMode } from "../backends/io.js";
import type { Store } from "../stores/store.js";
import { StoreBarrier, type BarrierOptions } from "./barrier.js";
import { regionFor, type Region } from "./regions.js";
import type { World } from "./rank.js";

/** Options of {@link collectiveWrite}: the world, the shared store, and the steps each rank runs. */
export interface CollectiveWriteOptions<IO extends HDMFIO> {
  /** This process's rank and size (from `detectWorld`). */
  world: World;
  /** The destination's path or URL: checked by `assertParallelWritable` before anything runs. */
  dest?: string;
  /** Where the barrier markers go: the store the data goes to (any shared Store works). */
  store: Store;
  /** Opens the destination; called with "w" once on rank 0, then with "a" on every rank. */
  open(mode: OpenMode): Promise<IO>;
  /** Rank 0: create the file and allocate its datasets (no region data needed). */
  create(io: IO): Promise<void>;
  /** Every rank: write this rank's regions (see `regionFor`). */
  write(io: IO, world: World): Promise<void>;
  /** Rank 0 after every rank wrote: consolidate metadata (Zarr v2 `.zmetadata`). */
  consolidate?(): Promise<void>;
  /** Non-zero ranks wait until rank 0 consolidated before returning (default true). */
  waitForConsolidation?: boolean;
  /** Distinguishes several collective writes in one run (barrier names; default "write"). */
  name?: string;
  /** Barrier settings (timeout, polling, run id). */
  barrier?: BarrierOptions;
}

/** What one rank did in a collective write, with the time spent in each phase. */
export interface CollectiveResult {
  /** This rank. */
  readonly rank: number;
  /** Number of ranks. */
  readonly size: number;
  /** The run id the barriers used. */
  readonly runId: string;
  /** Milliseconds in each phase on this rank. */
  readonly timings: { readonly create: number; readonly waitCreated: number; readonly write: number; readonly waitWritten: number; readonly consolidate: number };
}

/** Run the collective pattern on this rank. Every rank of the run calls it with the same options. */
export async function collectiveWrite<IO extends HDMFIO>(options: CollectiveWriteOptions<IO>): Promise<CollectiveResult> {
  const { world } = options;
  if (options.dest !== undefined) assertParallelWritable(options.dest, world);
  const base = options.name ?? "write";
  const barrier = new StoreBarrier(options.store, world, options.barrier);
  const [created, written, consolidated] = [`${base}-created`, `${base}-written`, `${base}-consolidated`];
  const t = { create: 0, waitCreated: 0, write: 0, waitWritten: 0, consolidate: 0 };
  const timed = async (k: keyof typeof t, f: () => Promise<void>): Promise<void> => {
    const t0 = performance.now();
    await f();
    t[k] += performance.now() - t0;
  };
  const step = async (name: string, f: () => Promise<void>): Promise<void> => {
    try {
      await f();
    } catch (e) {
      await barrier.fail(name, e).catch(() => undefined); // the original error matters more
      throw e;
    }
    await barrier.arrive(name);
  };

  // Each phase posts its marker, or a "failed" marker when anything in it throws (waiting
  // included), so a failure anywhere reaches every rank that waits on this one.
  if (world.rank === 0) {
    await step(created, () => timed("create", () => withIO(options.open("w"), (io) => options.create(io))));
  }
  await step(written, async () => {
    if (world.rank !== 0) await timed("waitCreated", () => barrier.wait(created, [0]));
    await timed("write", () => withIO(options.open("a"), (io) => options.write(io, world)));
  });
  if (world.rank === 0) {
    await step(consolidated, async () => {
      await timed("waitWritten", () => barrier.wait(written));
      await timed("consolidate", async () => { await options.consolidate?.(); });
    });
  } else if (options.waitForConsolidation ?? true) {
    await timed("waitWritten", () => barrier.wait(consolidated, [0]));
  }
  return { rank: world.rank, size: world.size, runId: barrier.runId, timings: t };
}

async function withIO<IO extends HDMFIO>(opening: Promise<IO>, f: (io: IO) => Promise<void>): Promise<void> {
  const io = await opening;
  try {
    await f(io);
  } finally {
    await io.close();
  }
}

/** This rank's region of a dataset of `shape` stored in `chunks` (chunk-aligned along axis 0). */
export function myRegion(world: Pick<World, "rank" | "size">, shape: readonly number[], chunks: readonly number[]): Region {
  return regionFor(shape, chunks, world.rank, world.size);
}

/** Whether a destination names an HDF5 file (by extension, as the backend factory decides). */
export function isHdf5Destination(dest: string): boolean {
  const l = parseLocation(dest);
  return l.scheme !== "s3" && l.formatGuess === "hdf5";
}

/**
 * Refuse a collective write into one HDF5 file from more than one rank: HDF5 here runs in
 * WebAssembly without MPI-IO, and two processes writing one HDF5 file corrupt it.
 */
export function assertParallelWritable(dest: string, world: Pick<World, "rank" | "size">): void {
  if (typeof dest !== "string" || dest === "") throw new InvalidInputError("destination must be a non-empty path or URL", { option: "dest" });
  if (world.size > 1 && isHdf5Destination(dest)) {
    throw new UnsupportedError(
      `rank ${world.rank} of ${world.size} cannot open the HDF5 file ${dest} for writing: one HDF5 file takes one writer ` +
        "(no MPI-IO in WebAssembly). Write to a Zarr store instead (a directory such as out.nwb.zarr, or s3://bucket/key), " +
        "or let each rank write its own part file and have rank 0 link the parts into one HDF5 file with external links " +
        "(examples/parallel-hdf5-route.ts)",
      { feature: "parallel HDF5 write", path: dest },
    );
  }
}
