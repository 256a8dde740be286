/**
 * Read results over a SharedArrayBuffer (worker-decoded reads, `full(..., shared)`) are collected
 * like ordinary arrays. V8 does not count shared backing stores towards the memory that schedules
 * a collection: before each carried an ArrayBuffer of its size, 24 dropped 64 MiB results took a
 * process 1.5 GB above where it started (a 256 MB array read ten times in blocks: 1.7 GB RSS).
 */
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const CHILD = fileURLToPath(new URL("./children/shared-results.ts", import.meta.url));

describe("shared read results", () => {
  it("24 dropped 64 MiB shared results keep the peak RSS within 640 MiB of the start", () => {
    const r = spawnSync(process.execPath, ["--import", "tsx", CHILD, "24"], { encoding: "utf8", timeout: 60_000 });
    expect(r.status, r.stderr.slice(-1500)).toBe(0);
    const { shared, growthMiB } = JSON.parse(r.stdout.trim().split("\n").pop()!) as { shared: boolean; growthMiB: number };
    expect(shared).toBe(true);
    expect(growthMiB).toBeLessThan(640);
  }, 90_000);
});
