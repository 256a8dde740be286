import { spawn } from "node:child_process";
import { mkdir, mkdtemp, readdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { FsStore, TEMP_SUFFIX } from "../../src/stores/fs-store.js";
import type { StoreKey } from "../../src/stores/store.js";
import { BAD_KEYS } from "./store-suite.js";

const CHILD = fileURLToPath(new URL("../helpers/fs-writer-child.ts", import.meta.url));
const SIZE = 64 << 20;

/**
 * Run the writer child; once value 1 is done, watch the directory and SIGKILL the child the
 * moment a temp file appears (a write in progress). Resolves with the child's stdout lines.
 */
function writeThenKill(root: string): Promise<string[]> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ["--import", "tsx", CHILD, root, "/arr/0.0", String(SIZE), "20"], {
      stdio: ["ignore", "pipe", "inherit"],
    });
    const lines: string[] = [];
    let buf = "";
    let poll: NodeJS.Timeout | undefined;
    child.stdout.on("data", (d: Buffer) => {
      buf += d.toString();
      let nl;
      while ((nl = buf.indexOf("\n")) >= 0) {
        lines.push(buf.slice(0, nl));
        buf = buf.slice(nl + 1);
      }
      if (!poll && lines.includes("done 1")) {
        poll = setInterval(() => {
          readdir(path.join(root, "arr")).then((names) => {
            if (names.some((n) => n.endsWith(TEMP_SUFFIX))) child.kill("SIGKILL");
          }, () => undefined);
        }, 1);
      }
    });
    child.on("error", reject);
    child.on("exit", () => { clearInterval(poll); resolve(lines); });
  });
}

describe("FsStore safety", () => {
  let outer: string;
  let root: string;
  beforeEach(async () => {
    outer = await mkdtemp(path.join(tmpdir(), "hdmf-fs-safety-"));
    root = path.join(outer, "store");
  });
  afterEach(async () => { await rm(outer, { recursive: true, force: true }); });

  it("SIGKILL mid-write never leaves a half value at the key", async () => {
    // Repeat until a kill lands while a temp file exists (i.e. truly mid-write); each run must be whole.
    let caughtMidWrite = 0;
    for (let attempt = 0; attempt < 5 && caughtMidWrite === 0; attempt++) {
      await rm(root, { recursive: true, force: true });
      const lines = await writeThenKill(root);
      expect(lines).toContain("done 1");
      const dir = path.join(root, "arr");
      const names = await readdir(dir);
      if (names.some((n) => n.endsWith(TEMP_SUFFIX))) caughtMidWrite++;
      const value = await new FsStore(root).get("/arr/0.0");
      expect(value?.length).toBe(SIZE);
      const first = value![0];
      expect(first).toBeGreaterThan(0);
      expect(value!.every((b) => b === first)).toBe(true);
      const keys: StoreKey[] = [];
      for await (const k of new FsStore(root).list()) keys.push(k);
      expect(keys).toEqual(["/arr/0.0"]); // the stray temp file is not a key
    }
    expect(caughtMidWrite).toBeGreaterThan(0);
  });

  it("escaping keys are rejected and nothing appears outside the root", async () => {
    await mkdir(root);
    await writeFile(path.join(outer, "secret"), "do not touch");
    const store = new FsStore(root);
    const attempts = [...BAD_KEYS, "/../secret", "/../../etc/passwd", "/a/../../secret"];
    for (const key of attempts) {
      for (const op of [
        () => store.set(key as StoreKey, Uint8Array.of(1)),
        () => store.get(key as StoreKey),
        () => store.delete(key as StoreKey),
      ]) {
        const err = await op().then(() => undefined, (e: unknown) => e);
        expect(err, key).toBeInstanceOf(InvalidInputError);
        expect((err as InvalidInputError).path).toBe(key);
      }
    }
    expect((await readdir(outer)).sort()).toEqual(["secret", "store"]);
    expect(await readdir(root)).toEqual([]);
    expect(await readFile(path.join(outer, "secret"), "utf8")).toBe("do not touch");
  });

  it("set replaces a symlink at the key instead of writing through it", async () => {
    await mkdir(root);
    const target = path.join(outer, "target");
    await writeFile(target, "outside");
    await symlink(target, path.join(root, "link"));
    await new FsStore(root).set("/link", Uint8Array.of(7));
    expect(await readFile(target, "utf8")).toBe("outside");
    expect(new Uint8Array(await readFile(path.join(root, "link")))).toEqual(Uint8Array.of(7));
  });
});
