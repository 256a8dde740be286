import { spawn, type ChildProcess } from "node:child_process";
import { mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, describe, expect, it } from "vitest";
import { InvalidInputError, StoreError } from "../../src/errors.js";
import { MemoryStore } from "../../src/stores/memory-store.js";
import { StoreBarrier } from "../../src/parallel/barrier.js";

const world = (rank: number, size: number, runId = "run-1") => ({ rank, size, runId });
const fast = { pollMs: 2, maxPollMs: 10 };

async function rejection(p: Promise<unknown>): Promise<Error> {
  try { await p; } catch (e) { return e as Error; }
  throw new Error("expected a rejection");
}

describe("StoreBarrier in one process", () => {
  it("releases everyone once all ranks arrived", async () => {
    const store = new MemoryStore();
    const order: string[] = [];
    await Promise.all([0, 1, 2].map(async (r) => {
      const b = new StoreBarrier(store, world(r, 3), fast);
      await new Promise((res) => setTimeout(res, r * 15));
      order.push(`arrive ${r}`);
      await b.sync("phase");
      order.push(`leave ${r}`);
    }));
    // Nobody leaves before the last one arrived.
    expect(order.slice(0, 3).every((s) => s.startsWith("arrive"))).toBe(true);
    expect([...store.map.keys()].sort()).toEqual(["/.barrier/phase/0", "/.barrier/phase/1", "/.barrier/phase/2"]);
  });

  it("ignores markers a previous run left behind", async () => {
    const store = new MemoryStore();
    await new StoreBarrier(store, world(1, 2, "old-run"), fast).arrive("x");
    const b0 = new StoreBarrier(store, world(0, 2, "new-run"), { ...fast, timeoutMs: 60 });
    const err = await rejection(b0.wait("x", [1]));
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toContain("rank 1 of 2 never arrived");
    expect(err.message).toContain('rank 1 has a marker of run "old-run"');
    await new StoreBarrier(store, world(1, 2, "new-run"), fast).arrive("x");
    await b0.wait("x", [1]);
  });

  it("times out naming every missing rank, with the first missing marker as key", async () => {
    const store = new MemoryStore();
    await new StoreBarrier(store, world(2, 4), fast).arrive("w");
    const err = await rejection(new StoreBarrier(store, world(0, 4), { ...fast, timeoutMs: 50 }).sync("w"));
    expect(err).toBeInstanceOf(StoreError);
    expect((err as StoreError).op).toBe("get");
    expect((err as StoreError).key).toBe("/.barrier/w/1");
    expect(err.message).toMatch(/ranks 1, 3 of 4 never arrived/);
  });

  it("stops at once when a rank posts a failure, naming it and its error", async () => {
    const store = new MemoryStore({});
    const b1 = new StoreBarrier(store, world(1, 2), fast);
    await b1.fail("w", new InvalidInputError("region out of bounds"));
    const err = await rejection(new StoreBarrier(store, world(0, 2), { ...fast, timeoutMs: 600_000 }).wait("w"));
    expect(err).toBeInstanceOf(StoreError);
    expect(err.message).toMatch(/rank 1 .* failed: InvalidInputError: region out of bounds/);
  });

  it("catches ranks that disagree on the world size", async () => {
    const store = new MemoryStore();
    await new StoreBarrier(store, world(1, 3), fast).arrive("w");
    const err = await rejection(new StoreBarrier(store, world(0, 2), { ...fast, timeoutMs: 1000 }).wait("w", [1]));
    expect(err).toBeInstanceOf(InvalidInputError);
    expect(err.message).toContain("disagree on the world size");
  });

  it("a multi-rank barrier needs a run id; prefixes and names are checked", () => {
    const store = new MemoryStore();
    expect(() => new StoreBarrier(store, { rank: 0, size: 2, runId: undefined })).toThrow(/HDMF_TS_RUN_ID/);
    expect(new StoreBarrier(store, { rank: 0, size: 1, runId: undefined }).runId).toMatch(/^single-/);
    const b = new StoreBarrier(store, world(0, 1), { prefix: "/a/b/" });
    expect(b.markerKey("x", 0)).toBe("/a/b/.barrier/x/0");
    expect(() => b.markerKey("../x", 0)).toThrow(InvalidInputError);
    expect(() => new StoreBarrier(store, world(0, 1), { timeoutMs: 0 })).toThrow(InvalidInputError);
  });
});

describe("StoreBarrier across processes", () => {
  const CHILD = fileURLToPath(new URL("./helpers/barrier-child.ts", import.meta.url));
  const children: ChildProcess[] = [];
  let dir = "";
  afterEach(async () => {
    for (const c of children) if (c.exitCode === null && c.signalCode === null) c.kill("SIGKILL");
    children.length = 0;
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  it("a rank killed mid-write makes the others fail with a timeout naming it, not hang", async () => {
    dir = await mkdtemp(path.join(tmpdir(), "hdmf-barrier-"));
    const go = path.join(dir, "go");
    const results = [0, 1, 2].map((rank) => {
      const child = spawn(process.execPath, ["--import", "tsx", CHILD, path.join(dir, "store")], {
        env: {
          ...process.env, HDMF_TS_RANK: String(rank), HDMF_TS_WORLD_SIZE: "3", HDMF_TS_RUN_ID: "kill-test",
          HANG_RANK: "1", GO_FILE: go, BARRIER_TIMEOUT_MS: "1500",
        },
        stdio: ["ignore", "pipe", "pipe"],
      });
      children.push(child);
      let out = "";
      let err = "";
      child.stdout!.on("data", (d: Buffer) => { out += d.toString(); });
      child.stderr!.on("data", (d: Buffer) => { err += d.toString(); });
      const ready = new Promise<void>((res) => child.stdout!.on("data", () => { if (out.includes("ready")) res(); }));
      const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null; out: string; err: string }>((res) =>
        child.once("exit", (code, signal) => res({ code, signal, out, err })));
      return { child, ready, exit };
    });
    await Promise.all(results.map((r) => r.ready));
    results[1]!.child.kill("SIGKILL");
    await writeFile(go, "");
    const [r0, r1, r2] = await Promise.all(results.map((r) => r.exit));
    expect(r1!.signal).toBe("SIGKILL");
    for (const r of [r0!, r2!]) {
      expect(r.code).toBe(3);
      const e = JSON.parse(r.err.trim().split("\n").pop()!);
      expect(e).toMatchObject({ name: "TimeoutError", kind: "store", op: "get", key: "/.barrier/done/1", missing: [1] });
      expect(e.message).toMatch(/barrier "done" timed out .*rank 1 of 3 never arrived/);
    }
  });
});
