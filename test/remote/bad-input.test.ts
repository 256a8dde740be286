/**
 * Remote HDF5 (and Zarr) with bad answers: each one a typed StoreError / NotFoundError /
 * FormatError naming the URL after bounded retries; never a hang or a partial value. Also:
 * retries and redirects succeed with the right values (checked against h5py-written data read
 * locally), and a file cut short on the server is HDF5's own truncation error.
 */
import { spawnSync } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openIO, type OpenIOOptions } from "../../src/backends/factory.js";
import { manifest } from "../../src/inspect/manifest.js";
import { startRangeServer, type RangeServer, type ServeMode } from "../helpers/range-server.js";
import { FIXTURES } from "./helpers.js";

const FAST: OpenIOOptions<unknown> = { http: { retry: { maxAttempts: 3, baseDelayMs: 5, maxDelayMs: 20 }, timeoutMs: 1500 } };
let dir: string;
let srv: RangeServer;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hdmf-remote-bad-"));
  copyFileSync(join(FIXTURES, "f_tables_refs.nwb"), join(dir, "f.nwb"));
  const whole = readFileSync(join(FIXTURES, "f_tables_refs.nwb"));
  writeFileSync(join(dir, "half.nwb"), whole.subarray(0, whole.length >> 1));
  writeFileSync(join(dir, "page.nwb"), "<!DOCTYPE html><html><body>Not found, but 200 anyway</body></html>\n".repeat(100));
  srv = await startRangeServer(dir);
});
afterAll(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

async function failure(url: string): Promise<{ kind?: string; message: string }> {
  const r = await (async () => {
    const io = await openIO(url, "r", FAST);
    try {
      await io.readBuilder();
      await manifest(url, FAST); // every dataset's values
    } finally {
      await io.close();
    }
  })().then(() => undefined, (e: unknown) => e as { kind?: string; message: string });
  if (!r) throw new Error(`${url} opened and read without an error`);
  return r;
}

describe("each bad answer is a typed error naming the URL", () => {
  it.each([
    ["404", "ok", "missing.nwb", "not-found", /no such file \(404\)/],
    ["server without Range support", "norange", "f.nwb", "store", /ignored the Range header/],
    ["truncated body", "truncate", "f.nwb", "store", /after 3 attempts/],
    ["wrong Content-Range", "badrange", "f.nwb", "store", /Content-Range .* does not match/],
    ["an HTML page in place of HDF5", "ok", "page.nwb", "format", /not an HDF5 file \(the server sent an HTML page\)/],
    ["an HTML page for every URL", "html", "f.nwb", "format", /not an HDF5 file/],
    ["a server that never answers", "hang", "f.nwb", "store", /after 3 attempts/],
    ["a file cut short on the server", "ok", "half.nwb", "format", /truncated/],
  ] as const)("%s", async (_what, mode: ServeMode, file, kind, why) => {
    const url = srv.url(mode, file);
    const e = await failure(url);
    expect(e.kind, e.message).toBe(kind);
    expect(e.message).toContain(url);
    expect(e.message).toMatch(why);
    expect(e.message).not.toContain(".hdmf-remote"); // the virtual device path never leaks
  });
});

describe("a server that fails after the file is open", () => {
  it("a metadata read through the device: StoreError naming the URL", async () => {
    const url = srv.url("dies", "f.nwb");
    // a small readahead, so opening and reading the tree need the device (synchronous reads in the worker)
    const e = await (async () => {
      const io = await openIO(url, "r", { ...FAST, remoteCache: { blockSize: 4096, readahead: 4096 } });
      try { await io.readBuilder(); } finally { await io.close(); }
    })().then(() => undefined, (x: unknown) => x as { kind?: string; message: string });
    expect(e?.kind, e?.message).toBe("store");
    expect(e!.message).toContain(url);
    expect(e!.message).toMatch(/after 3 attempts: HTTP 500/);
  });
});

describe("answers that need care still give the right values", () => {
  it.each(["flaky", "redirect"] as const)("%s: the manifest equals the local file's", async (mode) => {
    const local = await manifest(join(dir, "f.nwb"));
    expect(await manifest(srv.url(mode, "f.nwb"), FAST)).toEqual(local);
  });
});

describe("Zarr over HTTP", () => {
  it("a store that is not there: NotFoundError naming the URL", async () => {
    const url = srv.url("ok", "none.zarr");
    await expect(openIO(url, "r", FAST)).rejects.toMatchObject({ kind: "not-found", message: expect.stringContaining(url) });
  });
});

describe("finding the format and the file", () => {
  it("an HDF5 file whose URL has no extension is recognised by its signature", async () => {
    copyFileSync(join(dir, "f.nwb"), join(dir, "noext"));
    const io = await openIO(srv.url("ok", "noext"), "r", FAST);
    try {
      expect(io.format).toBe("hdf5");
    } finally {
      await io.close();
    }
  });
});

describe("the CLI exits on bad input (never hangs)", () => {
  it.each([["html", "f.nwb", /not an HDF5 file/], ["ok", "missing.nwb", /no such file \(404\)/], ["norange", "f.nwb", /ignored the Range header/]] as const)(
    "hdmf-ts ls on %s/%s: a one-line error and a non-zero exit", (mode, file, why) => {
      const r = spawnSync(resolve("node_modules/.bin/tsx"), [resolve("src/cli/bin.ts"), "ls", srv.url(mode, file)], { encoding: "utf8", timeout: 60_000 });
      expect(r.signal).toBeNull(); // not killed by the timeout
      expect(r.status).not.toBe(0);
      expect(r.stderr.trim().split("\n")).toHaveLength(1);
      expect(r.stderr).toMatch(why);
    });
});
