/**
 * Export straight from an HTTP-served HDF5 NWB file to s3:// Zarr (moto), with no local copy:
 * the result equals a local export of the same file (manifests of both S3 stores) and, exported
 * back to a local HDF5 file, compare.py finds it equal to the source; pynwb/hdmf-zarr validate
 * a byte copy of the S3 store and the file exported back (check_nwb.py; the oracle reads neither
 * HTTP nor S3).
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTo } from "../../src/backends/export-target.js";
import type { OpenIOOptions } from "../../src/backends/factory.js";
import { manifest } from "../../src/inspect/manifest.js";
import { compare, oracle, oraclePython, tempDir } from "../export/helpers.js";
import { startRangeServer, type RangeServer } from "../helpers/range-server.js";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type Moto } from "../helpers/moto.js";
import { FIXTURES } from "./helpers.js";
import { openStore } from "../../src/stores/open-store.js";

/** Copy every key of an S3 store into a local folder (the oracle reads local Zarr only). */
async function download(url: string, dir: string): Promise<void> {
  const src = await openStore(url, { s3: open.s3 });
  const dst = await openStore(dir, { mode: "w" });
  for await (const k of src.list("/")) await dst.set(k, (await src.get(k))!);
  await dst.close();
  await src.close();
}

let srv: RangeServer;
let moto: Moto | undefined;
let out: string;
let open: OpenIOOptions<unknown>;
const saved = { id: process.env.AWS_ACCESS_KEY_ID, secret: process.env.AWS_SECRET_ACCESS_KEY };

beforeAll(async () => {
  oraclePython();
  out = tempDir("remote");
  srv = await startRangeServer(FIXTURES);
  moto = await startMoto();
  process.env.AWS_ACCESS_KEY_ID = MOTO_CREDENTIALS.accessKeyId;
  process.env.AWS_SECRET_ACCESS_KEY = MOTO_CREDENTIALS.secretAccessKey;
  open = { s3: { endpoint: moto.endpoint, region: MOTO_REGION, forcePathStyle: true } };
}, 120_000);
afterAll(async () => {
  await srv?.stop();
  await moto?.stop();
  if (out) rmSync(out, { recursive: true, force: true });
  if (saved.id === undefined) delete process.env.AWS_ACCESS_KEY_ID; else process.env.AWS_ACCESS_KEY_ID = saved.id;
  if (saved.secret === undefined) delete process.env.AWS_SECRET_ACCESS_KEY; else process.env.AWS_SECRET_ACCESS_KEY = saved.secret;
});

// c_link_container's external links point into c_link_source.nwb: preserved, they would name the
// URL in one export and the local path in the other (and the oracle cannot follow a URL), so that
// file is exported with links resolved (its content copied in), in both exports alike.
describe.each(["f_tables_refs.nwb", "a_h5dataio.nwb", "b_datachunkiterator.nwb", "c_link_container.nwb"])("%s: HTTP HDF5 -> s3:// Zarr", (name) => {
  it("equals the export of the local file; back to HDF5 it equals the source and pynwb validates", async () => {
    const fromHttp = `s3://${moto!.bucket}/remote/${name}.http.zarr`;
    const fromLocal = `s3://${moto!.bucket}/remote/${name}.local.zarr`;
    const links = name.startsWith("c_link") ? { links: "resolve" as const } : {};
    const report = await exportTo(srv.url("ok", name), fromHttp, { openOptions: open, ...links });
    expect(report.chunks).toBeGreaterThan(0);
    await exportTo(join(FIXTURES, name), fromLocal, { openOptions: open, ...links });
    const a = await manifest(fromHttp, open);
    const b = await manifest(fromLocal, open);
    expect(a.objects).toEqual(b.objects);
    // hdmf-zarr / pynwb read and validate the exported Zarr itself (a byte copy of the S3 store)
    const copy = join(out, `${name}.copy.zarr`);
    await download(fromHttp, copy);
    const zcheck = oracle("check_nwb.py", [copy]);
    expect(zcheck.code, zcheck.out).toBe(0);
    const back = join(out, `${name}.back.nwb`);
    await exportTo(fromHttp, back, { openOptions: open });
    expect(compare(join(FIXTURES, name), back, name.startsWith("c_link"))).toEqual([]);
    const check = oracle("check_nwb.py", [back]);
    expect(check.code, check.out).toBe(0);
  });
});
