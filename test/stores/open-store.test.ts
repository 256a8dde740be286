import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { pathToFileURL } from "node:url";
import { describe, expect, it } from "vitest";
import { InvalidInputError, UnsupportedError } from "../../src/errors.js";
import { FsStore } from "../../src/stores/fs-store.js";
import { MemoryStore } from "../../src/stores/memory-store.js";
import { openStore } from "../../src/stores/open-store.js";
import { parseS3Url } from "../../src/stores/s3-store.js";
import { ZipStore } from "../../src/stores/zip-store.js";
import { startMoto } from "../helpers/moto.js";

describe("openStore", () => {
  it("picks memory, directory, file:// and zip stores; mode r is read-only", async () => {
    const dir = await mkdtemp(path.join(tmpdir(), "hdmf-open-store-"));
    try {
      expect(await openStore("memory://", { mode: "w" })).toBeInstanceOf(MemoryStore);
      const fsw = await openStore(path.join(dir, "d.zarr"), { mode: "w" });
      expect(fsw).toBeInstanceOf(FsStore);
      await fsw.set("/.zgroup", Uint8Array.of(1));
      const fsr = await openStore(pathToFileURL(path.join(dir, "d.zarr")).href);
      expect(fsr.readOnly).toBe(true);
      expect(await fsr.get("/.zgroup")).toEqual(Uint8Array.of(1));
      const z = await openStore(path.join(dir, "s.zip"), { mode: "w" });
      expect(z).toBeInstanceOf(ZipStore);
      await z.set("/k", Uint8Array.of(2));
      await z.close();
      const zr = await openStore(path.join(dir, "s.zip"));
      expect(await zr.get("/k")).toEqual(Uint8Array.of(2));
      await zr.close();
    } finally {
      await rm(dir, { recursive: true, force: true });
    }
  });

  it("rejects unknown schemes, bad modes and bad s3 URLs with typed errors", async () => {
    await expect(openStore("gs://bucket/x")).rejects.toBeInstanceOf(UnsupportedError);
    await expect(openStore("memory://", { mode: "x" as "r" })).rejects.toBeInstanceOf(InvalidInputError);
    await expect(openStore("s3://b/x.zip", { mode: "w" })).rejects.toBeInstanceOf(UnsupportedError);
    expect(() => parseS3Url("s3:///nobucket")).toThrow(InvalidInputError);
    expect(parseS3Url("s3://bucket/a/b/")).toEqual({ bucket: "bucket", prefix: "a/b" });
    expect(parseS3Url("s3://bucket")).toEqual({ bucket: "bucket", prefix: "" });
  });
});

describe("moto helper", () => {
  it("stop() ends the server process (and its group)", async () => {
    const moto = await startMoto();
    const alive = (pid: number) => { try { process.kill(pid, 0); return true; } catch { return false; } };
    expect(alive(moto.pid)).toBe(true);
    await moto.stop();
    expect(alive(moto.pid)).toBe(false);
    await moto.stop(); // idempotent
  });
});
