/**
 * The CLI as users run it (a child process): `manifest` equals the reference manifest.json
 * entry, `ls` shows types/codecs/links, `export` exit codes and one-line errors, an existing
 * destination without --overwrite, an unwritable destination, a SIGKILLed export (only a
 * marked temporary sibling is left, the source is untouched), and S3 (moto) both ways.
 */
import { spawn, spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { manifest } from "../../src/inspect/manifest.js";
import { compare, FALLBACK, FIXTURES, oraclePython, tempDir, treeHash } from "../export/helpers.js";
import { MOTO_CREDENTIALS, MOTO_REGION, startMoto, type Moto } from "../helpers/moto.js";

const CLI = resolve("src/cli/bin.ts");
const TSX = resolve("node_modules/.bin/tsx");

function cli(args: string[], env: NodeJS.ProcessEnv = {}): { code: number; out: string; err: string } {
  const r = spawnSync(TSX, [CLI, ...args], { encoding: "utf8", timeout: 120_000, env: { ...process.env, ...env } });
  return { code: r.status ?? -1, out: r.stdout, err: r.stderr };
}

/** Async variant: the test process keeps running (moto, started by it, logs into a pipe it must drain). */
function cliAsync(args: string[], env: NodeJS.ProcessEnv = {}): Promise<{ code: number; out: string; err: string }> {
  return new Promise((done) => {
    const child = spawn(TSX, [CLI, ...args], { env: { ...process.env, ...env } });
    let out = "", err = "";
    child.stdout.on("data", (d: Buffer) => { out += d.toString(); });
    child.stderr.on("data", (d: Buffer) => { err += d.toString(); });
    const timer = setTimeout(() => child.kill("SIGKILL"), 120_000);
    child.once("close", (code) => { clearTimeout(timer); done({ code: code ?? -1, out, err }); });
  });
}

const reference = JSON.parse(readFileSync(join(FIXTURES, "manifest.json"), "utf8")) as { files: Record<string, { objects: unknown[]; backend: string }> };
let dir: string;
beforeAll(() => { oraclePython(); dir = tempDir("cli"); });
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe("hdmf-ts manifest", () => {
  it("prints the reference entry for a fixture (CLI)", () => {
    const r = cli(["manifest", join(FIXTURES, "c_link_container.nwb")]);
    expect(r.code, r.err).toBe(0);
    const doc = JSON.parse(r.out) as { backend: string; objects: unknown[] };
    expect(doc.backend).toBe("hdf5");
    expect(doc.objects).toEqual(reference.files["c_link_container.nwb"]!.objects);
  });

  it.each(Object.keys(reference.files))("%s equals manifest.json (every object and field but size/versions)", async (name) => {
    const m = await manifest(join(FIXTURES, name));
    expect(m.backend).toBe(reference.files[name]!.backend);
    expect(m.objects).toEqual(reference.files[name]!.objects);
  });
});

describe("hdmf-ts ls / validate", () => {
  it("ls lists types, dtypes, shapes, chunks, codecs and links", () => {
    const r = cli(["ls", join(FIXTURES, "a_h5dataio.nwb")]);
    expect(r.code, r.err).toBe(0);
    expect(r.out).toMatch(/test_gzipped_timeseries\/\s+TimeSeries/);
    expect(r.out).toMatch(/data\s+float64 \[1000, 10\]\s+chunks \[100,10\]\s+shuffle\+zlib\(4\)\+fletcher32/);
    const l = cli(["ls", join(FIXTURES, "c_link_container.nwb")]);
    expect(l.out).toMatch(/test_timeseries1 -> .*c_link_source\.nwb::\/acquisition\/test_timeseries1\s+\(external link\)/);
  });

  it("validate: 0 for a valid file, 2 with one line for a missing one", () => {
    expect(cli(["validate", join(FIXTURES, "f_tables_refs.nwb")]).code).toBe(0);
    const r = cli(["validate", join(dir, "nope.nwb")]);
    expect(r.code).toBe(2);
    expect(r.err.trim().split("\n")).toHaveLength(1);
  });
});

describe("hdmf-ts export", () => {
  it("exit codes: 0 done, 1 unsupported codec with --strict-codecs (one line, no stack), 2 existing destination, --overwrite replaces", () => {
    const src = join(FIXTURES, "a_h5dataio.nwb");
    const dst = join(dir, "a.zarr");
    const bad = cli(["export", src, dst, "--strict-codecs"]);
    expect(bad.code).toBe(1);
    expect(bad.err.trim().split("\n")).toHaveLength(1);
    expect(bad.err).toMatch(/UnsupportedError: .*lzf/);
    expect(existsSync(dst)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes(".incomplete"))).toEqual([]);
    const plain = cli(["export", src, join(dir, "a-default.zarr")]);
    expect(plain.code, plain.err).toBe(0);
    expect(plain.err).toContain(`note: lzf -> blosc-lz4: ${src}:/acquisition/test_lzf_timeseries/data`);
    expect(compare(src, join(dir, "a-default.zarr"))).toEqual([]);
    const ok = cli(["export", src, dst, "--codec", JSON.stringify(FALLBACK)]);
    expect(ok.code, ok.err).toBe(0);
    expect(compare(src, dst)).toEqual([]);
    const again = cli(["export", src, dst, "--codec", JSON.stringify(FALLBACK)]);
    expect(again.code).toBe(2);
    expect(again.err).toMatch(/ModeError: .*already exists.*--overwrite/);
    const debug = cli(["--debug", "export", src, dst, "--strict-codecs"]);
    expect(debug.err).toMatch(/\n\s+at /);
    expect(cli(["export", src, dst, "--overwrite", "--codec", JSON.stringify(FALLBACK), "--format", "hdf5"]).code).toBe(0);
    expect(compare(src, dst)).toEqual([]);
  });

  it("an unwritable destination is a StoreError (exit 1); bad options exit 2", () => {
    const file = join(dir, "plain-file");
    writeFileSync(file, "x");
    const r = cli(["export", join(FIXTURES, "c_link_source.nwb"), join(file, "out.zarr")]);
    expect(r.code).toBe(1);
    expect(r.err).toMatch(/StoreError: cannot write/);
    expect(cli(["export", join(FIXTURES, "c_link_source.nwb"), join(dir, "x.zarr"), "--links", "maybe"]).code).toBe(2);
    expect(cli(["export", join(FIXTURES, "c_link_source.nwb"), join(dir, "x.zarr"), "--codec", "{"]).code).toBe(2);
  });

  it("SIGKILL mid-export leaves no destination, only a marked temporary sibling; the source is untouched", async () => {
    const big = join(dir, "big.nwb");
    const py = spawnSync("/usr/bin/python3", ["-c", `
import h5py, numpy as np
with h5py.File("${big}", "w") as f:
    f.create_dataset("x", data=np.random.default_rng(0).standard_normal((6000, 1000)), chunks=(100, 1000), compression="gzip", compression_opts=1)
`], { encoding: "utf8" });
    expect(py.status, py.stderr).toBe(0);
    const before = treeHash(big);
    const dst = join(dir, "killed.zarr");
    const child = spawn(TSX, [CLI, "export", big, dst, "--format", "zarr3", "--shard", "2"], { stdio: "ignore", detached: true });
    const marked = (): string[] => readdirSync(dir).filter((n) => n.startsWith(".killed.zarr.incomplete-"));
    for (let i = 0; i < 600 && marked().length === 0; i++) await new Promise((r) => setTimeout(r, 50));
    await new Promise((r) => setTimeout(r, 300));
    process.kill(-child.pid!, "SIGKILL");
    await new Promise((r) => child.once("exit", r));
    expect(existsSync(dst)).toBe(false);
    expect(marked().length).toBe(1);
    expect(treeHash(big)).toBe(before);
  });
});

describe("S3 (moto)", () => {
  let moto: Moto | undefined;
  beforeAll(async () => { moto = await startMoto(); }, 120_000);
  afterAll(async () => { await moto?.stop(); });

  it("HDF5 -> s3://bucket/x.zarr -> HDF5, marker removed, equal to the source", async () => {
    const env = { AWS_ACCESS_KEY_ID: MOTO_CREDENTIALS.accessKeyId, AWS_SECRET_ACCESS_KEY: MOTO_CREDENTIALS.secretAccessKey, AWS_REGION: MOTO_REGION };
    const src = join(FIXTURES, "f_tables_refs.nwb");
    const url = `s3://${moto!.bucket}/exports/f.zarr`;
    const up = await cliAsync(["export", src, url, "--endpoint", moto!.endpoint, "--region", MOTO_REGION], env);
    expect(up.code, up.err).toBe(0);
    const m = await cliAsync(["manifest", url, "--endpoint", moto!.endpoint], env);
    expect(m.code, m.err).toBe(0);
    expect(JSON.parse(m.out).objects.some((o: { path: string }) => o.path === "/.incomplete")).toBe(false);
    const again = await cliAsync(["export", src, url, "--endpoint", moto!.endpoint], env);
    expect(again.code).toBe(2);
    const back = join(dir, "f-from-s3.nwb");
    const down = await cliAsync(["export", url, back, "--endpoint", moto!.endpoint], env);
    expect(down.code, down.err).toBe(0);
    expect(compare(src, back)).toEqual([]);
  });
});
