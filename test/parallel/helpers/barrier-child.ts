/**
 * One rank for the barrier kill test: argv = store dir. Rank/size/run id from HDMF_TS_* env.
 * Syncs at "ready" (prints "ready <rank>"), then rank HANG_RANK hangs until killed while the
 * others sync at "done" with BARRIER_TIMEOUT_MS; on failure prints the error as JSON on stderr.
 */
import { FsStore } from "../../../src/stores/fs-store.js";
import { StoreBarrier } from "../../../src/parallel/barrier.js";
import { detectWorld } from "../../../src/parallel/rank.js";

const world = detectWorld();
const barrier = new StoreBarrier(new FsStore(process.argv[2]!), world, {
  timeoutMs: Number(process.env.BARRIER_TIMEOUT_MS ?? 60_000), pollMs: 10, maxPollMs: 100,
});
try {
  await barrier.sync("ready");
  process.stdout.write(`ready ${world.rank}\n`);
  if (String(world.rank) === process.env.HANG_RANK) {
    setInterval(() => undefined, 1 << 30); // "dies mid-write": the test SIGKILLs this rank
  } else {
    if (process.env.GO_FILE) {
      // Wait for the test to say "go" (it does so after killing the hanging rank).
      const { existsSync } = await import("node:fs");
      while (!existsSync(process.env.GO_FILE)) await new Promise((r) => setTimeout(r, 10));
    }
    await barrier.sync("done");
    process.stdout.write(`done ${world.rank}\n`);
  }
} catch (e) {
  const err = e as Error & { kind?: string; op?: string; key?: string; missing?: number[] };
  process.stderr.write(JSON.stringify({ name: err.name, kind: err.kind, op: err.op, key: err.key, missing: err.missing, message: err.message }) + "\n");
  process.exit(3);
}
