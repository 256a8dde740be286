/**
 * `manifest URL` equals the local file's manifest, for every HDF5 and Zarr fixture, over HTTP
 * (the range server, a separate process on 127.0.0.1) and over S3 (moto), through the CLI for
 * one file of each kind and through the library for all. External links of c_link_container
 * resolve relative to its URL (the manifest names the target as the file stores it).
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, readFileSync, rmSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifest } from "../../src/inspect/manifest.js";
import { openIO } from "../../src/backends/factory.js";
import { startRangeServer, type RangeServer } from "../helpers/range-server.js";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type Moto } from "../helpers/moto.js";
import { FIXTURES, HDF5_FIXTURES, upload, ZARR_FIXTURES } from "./helpers.js";

let srv: RangeServer;
let moto: Moto | undefined;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };
const s3 = (): { endpoint: string; region: string; forcePathStyle: boolean } => ({ endpoint: moto!.endpoint, region: MOTO_REGION, forcePathStyle: true });

beforeAll(async () => {
  srv = await startRangeServer(FIXTURES);
  moto = await startMoto();
  process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
  for (const name of [...HDF5_FIXTURES, ...ZARR_FIXTURES]) await upload(moto.client, moto.bucket, "fx", name);
}, 120_000);

afterAll(async () => {
  await srv?.stop();
  await moto?.stop();
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID; else process.env.AWS_ACCESS_KEY_ID = saved.id;
  if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY; else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
});

describe.each(HDF5_FIXTURES)("HDF5 %s", (name) => {
  it("over HTTP equals the local manifest (objects, size, file count)", async () => {
    const local = await manifest(join(FIXTURES, name));
    expect(await manifest(srv.url("ok", name))).toEqual(local);
  });
  it("over HTTP from a server that gzips on the fly for clients that accept it (we ask for identity)", async () => {
    expect(await manifest(srv.url("gzip", name))).toEqual(await manifest(join(FIXTURES, name)));
  });
  it("over S3 equals the local manifest", async () => {
    const local = await manifest(join(FIXTURES, name));
    expect(await manifest(`s3://${moto!.bucket}/fx/${name}`, { s3: s3() })).toEqual(local);
  });
});

describe.each(ZARR_FIXTURES)("Zarr %s", (name) => {
  it("over HTTP equals the local manifest (objects, size, file count: the directory index lists the keys)", async () => {
    const local = await manifest(join(FIXTURES, name));
    // the oracle's count of the folder (manifest.json, written by Python) is the witness for the totals
    const oracle = (JSON.parse(readFileSync(join(FIXTURES, "manifest.json"), "utf8")) as { files: Record<string, { size_bytes: number; n_files: number }> }).files[name]!;
    expect([local.size_bytes, local.n_files]).toEqual([oracle.size_bytes, oracle.n_files]);
    expect(await manifest(srv.url("ok", name))).toEqual(local);
  });
  it("over HTTP from a server that gzips on the fly for clients that accept it (we ask for identity)", async () => {
    expect(await manifest(srv.url("gzip", name))).toEqual(await manifest(join(FIXTURES, name)));
  });
  it("over S3 equals the local manifest (ListObjectsV2 gives the sizes)", async () => {
    const local = await manifest(join(FIXTURES, name));
    expect(await manifest(`s3://${moto!.bucket}/fx/${name}`, { s3: s3() })).toEqual(local);
  });
  it("over HTTP without a directory index: size and file count are null (unknown), never a short count", async () => {
    const local = await manifest(join(FIXTURES, name));
    const remote = await manifest(srv.url("noindex", name));
    expect(remote.size_bytes).toBeNull();
    expect(remote.n_files).toBeNull();
    // the arrays the consolidated metadata names are all there; hdmf-zarr's cached specs are not
    const outsideSpecs = (m: typeof local) => m.objects.filter((o) => !o.path.startsWith("/specifications"));
    expect(outsideSpecs(remote)).toEqual(outsideSpecs(local));
  });
});

describe("a zipped Zarr store over HTTP", () => {
  it("equals the local zip's manifest: one file of the zip's size (made by Python's zipfile, as zarr-python's ZipStore lays it out)", async () => {
    const dir = mkdtempSync(join(tmpdir(), "hdmf-remote-zip-"));
    const zipSrv = await startRangeServer(dir).catch((e: unknown) => { rmSync(dir, { recursive: true, force: true }); throw e; });
    try {
      const zip = join(dir, "e.nwb.zarr.zip");
      const py = spawnSync("/usr/bin/python3", ["-c", "import shutil, sys; shutil.make_archive(sys.argv[1][:-4], 'zip', sys.argv[2])", zip, join(FIXTURES, "e_zarr_direct.nwb.zarr")], { encoding: "utf8" });
      expect(py.status, py.stderr).toBe(0);
      const local = await manifest(zip);
      expect([local.size_bytes, local.n_files]).toEqual([statSync(zip).size, 1]);
      expect(local.objects.length).toBeGreaterThan(10);
      expect(await manifest(zipSrv.url("ok", "e.nwb.zarr.zip"))).toEqual(local);
    } finally {
      await zipSrv.stop();
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("hdmf-ts manifest URL (the CLI)", () => {
  const cli = (args: string[]) => spawnSync(resolve("node_modules/.bin/tsx"), [resolve("src/cli/bin.ts"), ...args], { encoding: "utf8", timeout: 120_000 });
  it.each(["f_tables_refs.nwb", "e_zarr_direct.nwb.zarr"])("%s over HTTP prints the local file's manifest", async (name) => {
    const r = cli(["manifest", srv.url("ok", name)]);
    expect(r.status, r.stderr).toBe(0);
    const local = await manifest(join(FIXTURES, name));
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(local)));
  });
  it("an HDF5 file on S3 (--endpoint) prints the local file's manifest", async () => {
    const name = "c_link_source.nwb";
    const r = cli(["manifest", `s3://${moto!.bucket}/fx/${name}`, "--endpoint", moto!.endpoint]);
    expect(r.status, r.stderr).toBe(0);
    expect(JSON.parse(r.stdout)).toEqual(JSON.parse(JSON.stringify(await manifest(join(FIXTURES, name)))));
  });
});

describe("reading through the contract", () => {
  it("external links of a remote file resolve against its URL", async () => {
    const io = await openIO(srv.url("ok", "c_link_container.nwb"), "r");
    try {
      const root = await io.readBuilder();
      const links: string[] = [];
      const walk = (g: typeof root): void => {
        for (const c of g.children()) {
          const src = (c as { targetSource?: string }).targetSource;
          if (src) links.push(src);
          if ("children" in c && typeof c.children === "function") walk(c as typeof root);
        }
      };
      walk(root);
      expect(links.length).toBeGreaterThan(0);
      for (const l of links) expect(l).toBe(srv.url("ok", "c_link_source.nwb"));
    } finally {
      await io.close();
    }
  });

  it("writes are refused: remote HDF5 in \"r+\" and an HTTP store in \"a\" are UnsupportedErrors naming the URL", async () => {
    const h5 = srv.url("ok", "f_tables_refs.nwb");
    await expect(openIO(h5, "r+")).rejects.toMatchObject({ kind: "unsupported", message: expect.stringContaining(h5) });
    const z = srv.url("ok", "e_zarr_direct.nwb.zarr");
    await expect(openIO(z, "a")).rejects.toMatchObject({ kind: "unsupported", message: expect.stringContaining(z) });
  });
});

describe("validate, openNWB and the CLI's --header over URLs", () => {
  it("validateFile(URL) finds what it finds locally (a valid file: nothing)", async () => {
    const { validateFile } = await import("../../src/nwb-io.js");
    for (const name of ["f_tables_refs.nwb", "e_zarr_direct.nwb.zarr"]) {
      const local = await validateFile(join(FIXTURES, name));
      expect(await validateFile(srv.url("ok", name))).toEqual(local);
    }
  });

  it("openNWB(URL, \"r\") reads the NWBFile", async () => {
    const { openNWB } = await import("../../src/nwb-io.js");
    const io = await openNWB(srv.url("ok", "f_tables_refs.nwb"), "r");
    try {
      const nwb = await io.read();
      expect((nwb as { identifier?: unknown }).identifier).toBeDefined();
    } finally {
      await io.close();
    }
  });

  it("hdmf-ts ls URL --header sends credentials", () => {
    const run = (args: string[]) => spawnSync(resolve("node_modules/.bin/tsx"), [resolve("src/cli/bin.ts"), ...args], { encoding: "utf8", timeout: 120_000 });
    const ok = run(["ls", srv.url("auth", "c_link_source.nwb"), "--header", "Authorization: Bearer test-token"]);
    expect(ok.status, ok.stderr).toBe(0);
    expect(ok.stdout).toContain("NWBFile");
    const denied = run(["ls", srv.url("auth", "c_link_source.nwb")]);
    expect(denied.status).not.toBe(0);
    expect(denied.stderr).toMatch(/HTTP 401/);
  });

  it("an HDF5 file missing from S3 is a NotFoundError naming the URL", async () => {
    const url = `s3://${moto!.bucket}/fx/none.nwb`;
    await expect(openIO(url, "r", { s3: s3() })).rejects.toMatchObject({ kind: "not-found", message: expect.stringContaining(url) });
  });
});
