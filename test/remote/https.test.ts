/**
 * HTTPS: the range server with a self-signed certificate for 127.0.0.1 (made with openssl), and
 * the CLI as users run it, trusting that certificate through NODE_EXTRA_CA_CERTS (read once per
 * process, so it covers the HDF5 device's worker too). `manifest URL` equals the local file's
 * manifest, sizes and file counts included; without the trust it is a one-line StoreError naming the URL, and no hang.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifest } from "../../src/inspect/manifest.js";
import { startRangeServer, type RangeServer } from "../helpers/range-server.js";
import { FIXTURES } from "./helpers.js";

let dir: string;
let srv: RangeServer;
let cert: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hdmf-https-"));
  cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  const r = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", cert, "-days", "1",
    "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1"], { encoding: "utf8" });
  if (r.status !== 0) throw new Error(`openssl failed (scripts/test.sh installs it): ${r.stderr}`);
  srv = await startRangeServer(FIXTURES, { tls: { cert, key } });
});
afterAll(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const cli = (args: string[], env: NodeJS.ProcessEnv = {}) =>
  spawnSync(resolve("node_modules/.bin/tsx"), [resolve("src/cli/bin.ts"), ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } });

describe("hdmf-ts manifest https://…", () => {
  it.each(["c_link_container.nwb", "e_zarr_direct.nwb.zarr"])("%s equals the local file's manifest (objects, size, file count)", async (name) => {
    const url = srv.url("ok", name);
    expect(url.startsWith("https://")).toBe(true);
    const r = cli(["manifest", url], { NODE_EXTRA_CA_CERTS: cert });
    expect(r.status, r.stderr).toBe(0);
    const local = JSON.parse(JSON.stringify(await manifest(join(FIXTURES, name)))) as { size_bytes: unknown };
    expect(local.size_bytes).toEqual(expect.any(Number));
    expect(JSON.parse(r.stdout)).toEqual(local);
  });

  it("an untrusted certificate: a one-line StoreError naming the URL, exit 1, no retry storm", () => {
    const url = srv.url("ok", "f_tables_refs.nwb");
    const r = cli(["manifest", url], { NODE_EXTRA_CA_CERTS: "" });
    expect(r.signal).toBeNull();
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toContain(url);
    expect(r.stderr).toMatch(/StoreError.*(certificate|self.signed)/i);
  });
});
