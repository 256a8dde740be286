/**
 * When FsStore's files reach the disk, seen in the system calls (strace): by default every file
 * written since the last flush and each directory holding them is fsynced at flush(), not one
 * fsync per key; "each" fsyncs per key before the rename; false never.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, describe, expect, it } from "vitest";
import { FsStore } from "../../src/stores/fs-store.js";
import { InvalidInputError } from "../../src/errors.js";

const CHILD = fileURLToPath(new URL("./children/fs-sync.ts", import.meta.url));
const strace = spawnSync("strace", ["-V"]).status === 0;
const dir = mkdtempSync(join(tmpdir(), "fs-sync-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** fsync calls before, during and after the flush of a child that sets 6 keys in 2 directories. */
function fsyncs(mode: string): { before: number; during: number; after: number } {
  const root = join(dir, mode), trace = join(dir, `${mode}.trace`);
  const r = spawnSync("strace", ["-f", "-qq", "-e", "trace=fsync,fdatasync,write", "-o", trace, process.execPath, "--import", "tsx", CHILD, root, mode, "6"], { encoding: "utf8", timeout: 60_000 });
  expect(r.status, r.stderr.slice(-1000)).toBe(0);
  const counts = { before: 0, during: 0, after: 0 };
  let phase: keyof typeof counts = "before";
  for (const line of readFileSync(trace, "utf8").split("\n")) {
    if (line.includes("MARK-FLUSH-BEGIN")) phase = "during";
    else if (line.includes("MARK-FLUSH-END")) phase = "after";
    else if (/\b(?:fsync|fdatasync)\(/.test(line)) counts[phase]++; // a call's first line (complete or "<unfinished ...>")
  }
  return counts;
}

describe.skipIf(!strace)("FsStore durability (strace)", () => {
  it("default: one fsync per file and per directory, all at flush", () => {
    expect(fsyncs("default")).toEqual({ before: 0, during: 8, after: 0 }); // 6 files, directories a and b
  }, 90_000);

  it('"each": one fsync per key before its rename; false: none', () => {
    expect(fsyncs("each")).toEqual({ before: 6, during: 0, after: 0 });
    expect(fsyncs("false")).toEqual({ before: 0, during: 0, after: 0 });
  }, 90_000);
});

describe("FsStore flush", () => {
  it("a flush after a deleted key still succeeds, and the values are there", async () => {
    const s = new FsStore(join(dir, "plain"));
    await s.set("/x/a", Uint8Array.of(1));
    await s.set("/x/b", Uint8Array.of(2));
    await s.delete("/x/a");
    await s.flush();
    expect(await s.get("/x/a")).toBeUndefined();
    expect(Array.from((await s.get("/x/b"))!)).toEqual([2]);
  });

  it("an unknown fsync mode is a one-line InvalidInputError naming the option", () => {
    const err = (() => { try { new FsStore(join(dir, "bad"), { fsync: "sometimes" as "each" }); } catch (e) { return e; } })();
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).option).toBe("fsync");
    expect((err as Error).message).toMatch(/^FsStore option fsync must be "flush", "each", true or false, not "sometimes"$/);
  });
});
