import { describe, expect, it } from "vitest";
import { HDMFIO, type DatasetHandle, type OpenMode } from "../../src/backends/io.js";
import { MemoryStore } from "../../src/stores/memory-store.js";
import type { StoreKey } from "../../src/stores/store.js";
import { InvalidInputError, StoreError, UnsupportedError } from "../../src/errors.js";
import type { GroupBuilder } from "../../src/schema/builders.js";
import { assertParallelWritable, collectiveWrite, isHdf5Destination, myRegion } from "../../src/parallel/collective.js";
import type { World } from "../../src/parallel/rank.js";

/** Just enough of an IO to watch the collective: every event lands in a shared log and the store. */
class LogIO extends HDMFIO {
  constructor(readonly memory: MemoryStore, mode: OpenMode, readonly log: string[], readonly rank: number) { super("memory://", mode); }
  override get store(): MemoryStore { return this.memory; }
  get format(): "zarr" { return "zarr"; }
  async readCachedSpecs(): Promise<[]> { return []; }
  async writeCachedSpecs(): Promise<void> {}
  async open(): Promise<void> { this.log.push(`${this.rank} open ${this.mode}`); }
  protected async closeImpl(): Promise<void> { this.log.push(`${this.rank} close ${this.mode}`); }
  async readBuilder(): Promise<GroupBuilder> { throw new Error("unused"); }
  protected async writeBuilder(): Promise<void> { throw new Error("unused"); }
  async dataset(): Promise<DatasetHandle> { throw new Error("unused"); }
  async flush(): Promise<void> {}
  async put(i: number, value: number): Promise<void> {
    await this.store.set(`/data/${i}` as StoreKey, new Uint8Array([value]));
  }
}

const SHAPE = [10];
const CHUNKS = [2];

function run(store: MemoryStore, log: string[], size: number, failRank = -1) {
  return Array.from({ length: size }, (_, rank) => {
    const world: World = { rank, size, launcher: "explicit", runId: "test-run" };
    return collectiveWrite<LogIO>({
      world, store,
      barrier: { pollMs: 1, maxPollMs: 5, timeoutMs: 5_000 },
      open: async (mode) => { const io = new LogIO(store, mode, log, rank); await io.open(); return io; },
      create: async () => { log.push(`${rank} create`); },
      write: async (io, w) => {
        await new Promise((r) => setTimeout(r, (size - rank) * 3)); // higher ranks finish first
        if (w.rank === failRank) throw new InvalidInputError("disk full (simulated)");
        const region = myRegion(w, SHAPE, CHUNKS);
        for (let i = region.start[0]!; i < region.stop[0]!; i++) await io.put(i, 100 + w.rank);
        log.push(`${rank} wrote`);
      },
      consolidate: async () => { log.push(`${rank} consolidate`); },
    });
  });
}

describe("collectiveWrite", () => {
  it("rank 0 creates before anyone writes; consolidation comes after every write", async () => {
    const store = new MemoryStore();
    const log: string[] = [];
    const results = await Promise.all(run(store, log, 4));
    expect(results.map((r) => r.runId)).toEqual(Array(4).fill("test-run"));
    const at = (e: string) => log.indexOf(e);
    expect(log.filter((e) => e.endsWith("open w"))).toEqual(["0 open w"]);
    for (let r = 0; r < 4; r++) {
      expect(at(`${r} open a`)).toBeGreaterThan(at("0 close w"));
      expect(at(`${r} wrote`)).toBeLessThan(at("0 consolidate"));
    }
    expect(log.filter((e) => e.includes("consolidate"))).toEqual(["0 consolidate"]);
    // Regions: 5 chunks of 2 over 4 ranks -> 2,1,1,1 chunks.
    const owner = [...Array(10).keys()].map((i) => store.map.get(`/data/${i}` as StoreKey)![0]! - 100);
    expect(owner).toEqual([0, 0, 0, 0, 1, 1, 2, 2, 3, 3]);
  });

  it("a rank that fails makes every other rank fail with its error, promptly", async () => {
    const store = new MemoryStore();
    const settled = await Promise.allSettled(run(store, [], 3, 2));
    const reasons = settled.map((s) => (s.status === "rejected" ? (s.reason as Error) : undefined));
    expect(reasons[2]).toBeInstanceOf(InvalidInputError);
    expect(reasons[0]).toBeInstanceOf(StoreError);
    expect(reasons[0]!.message).toMatch(/rank 2 .* failed: InvalidInputError: disk full/);
    // Rank 1 wrote fine and waits for rank 0's consolidation, which never comes: it names rank 0.
    expect(reasons[1]).toBeInstanceOf(StoreError);
    expect(reasons[1]!.message).toMatch(/rank 0 .* failed: StoreError: barrier "write-written": rank 2/);
  });
});

describe("HDF5 destinations", () => {
  it("refuses one HDF5 file for several ranks and names the working route", () => {
    for (const dest of ["out.nwb", "/data/x.h5", "a/b.HDF5"]) {
      expect(isHdf5Destination(dest)).toBe(true);
      let err: unknown;
      try { assertParallelWritable(dest, { rank: 1, size: 4 }); } catch (e) { err = e; }
      expect(err).toBeInstanceOf(UnsupportedError);
      expect((err as UnsupportedError).feature).toBe("parallel HDF5 write");
      expect((err as Error).message).toMatch(/Zarr store .*external links .*parallel-hdf5-route/s);
    }
    assertParallelWritable("out.nwb", { rank: 0, size: 1 }); // one writer is fine
    for (const dest of ["out.nwb.zarr", "out.zarr/", "s3://bucket/run.nwb", "dir"]) {
      expect(isHdf5Destination(dest)).toBe(false);
      assertParallelWritable(dest, { rank: 3, size: 4 });
    }
  });

  it("collectiveWrite checks the destination before opening anything", async () => {
    let opened = 0;
    const world: World = { rank: 1, size: 2, launcher: "explicit", runId: "r" };
    await expect(collectiveWrite<LogIO>({
      world, store: new MemoryStore(), dest: "/shared/out.nwb",
      open: async () => { opened++; throw new Error("unreachable"); },
      create: async () => undefined, write: async () => undefined,
    })).rejects.toBeInstanceOf(UnsupportedError);
    expect(opened).toBe(0);
  });
});
