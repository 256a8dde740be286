/**
 * The package as users install it: `npm run build`, `npm pack`, then `npm install <tarball>
 * --omit=dev` into a fresh project outside the repository (no vitest, no typescript, no tsx
 * there), and everything a user does with it: the CLI through npm's bin link (`npx hdmf-ts`),
 * the library from plain ESM JavaScript, a strict TypeScript consumer against the shipped .d.ts,
 * `runConformance` on a user-written Store (a correct one passes, a broken one fails), and the
 * tarball's file list. The dependencies come from the npm registry (the local npm cache first);
 * nothing else leaves the machine. Build and pack run once per test run
 * (test/helpers/packed-package.ts, shared with test/docs/readme.test.ts), install once here.
 */
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { compare, FIXTURES, oraclePython } from "../export/helpers.js";
import { installTarball, ok, packedPackage, ROOT, run } from "../helpers/packed-package.js";

const CONSUMER = join(ROOT, "test/package/consumer");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")) as { name: string; version: string };

let tmp: string;
let project: string;
let files: readonly { path: string; size: number }[] = [];
let tarballBytes = 0;
const FIXTURE = join(FIXTURES, "a_h5dataio.nwb");

beforeAll(async () => {
  oraclePython();
  tmp = mkdtempSync(join(tmpdir(), "hdmf-installed-"));
  project = join(tmp, "project");
  mkdirSync(project);
  const packed = await packedPackage();
  files = packed.files;
  tarballBytes = packed.size;
  writeFileSync(join(project, "package.json"), JSON.stringify({ name: "consumer", version: "1.0.0", private: true, type: "module" }));
  installTarball(project, packed.tarball);
  for (const f of readdirSync(CONSUMER)) copyFileSync(join(CONSUMER, f), join(project, f));
}, 480_000);

afterAll(() => {
  if (!tmp) return;
  mkdirSync(".cache/figures", { recursive: true });
  writeFileSync(".cache/figures/package.txt", `package: ${pkg.name}-${pkg.version}.tgz ${(tarballBytes / 1e6).toFixed(2)} MB packed, ${files.length} files, ${(files.reduce((s, f) => s + f.size, 0) / 1e6).toFixed(2)} MB unpacked\n`);
  rmSync(tmp, { recursive: true, force: true });
});

describe("the tarball", () => {
  it("holds the wasm module, the licences and the built code, and no tests, caches, benchmarks or sources", () => {
    const paths = files.map((f) => f.path);
    console.log(`${pkg.name}-${pkg.version}.tgz: ${(tarballBytes / 1e6).toFixed(2)} MB, ${paths.length} files`);
    for (const p of [
      "package.json", "README.md", "LICENSE", "dist/index.js", "dist/index.d.ts", "dist/cli/bin.js",
      "dist/conformance/index.js", "dist/conformance/vitest.js",
      "dist/backends/hdf5/wasm/hdf5core.wasm", "dist/backends/hdf5/wasm/hdf5core.cjs",
      "dist/backends/hdf5/wasm/LICENSE-HDF5.txt", "dist/backends/hdf5/wasm/LICENSE-zlib.txt",
      "dist/codecs/wasm/codecs.wasm", "dist/codecs/wasm/codecs.cjs", "dist/codecs/wasm/LICENSE-blosc.txt",
      "dist/codecs/wasm/LICENSE-lz4.txt", "dist/codecs/wasm/LICENSE-zstd.txt", "dist/codecs/wasm/LICENSE-zlib.txt",
      "dist/schema/bundled/nwb-core/2.7.0/license.txt", "dist/schema/bundled/hdmf-common/1.8.0/license.txt",
    ]) expect(paths, p).toContain(p);
    const wasm = files.find((f) => f.path.endsWith("hdf5core.wasm"))!;
    expect(wasm.size).toBeGreaterThan(1_000_000);
    const unwanted = paths.filter((p) => /(^|\/)(test|tests|bench|\.cache|node_modules|native|src|examples|coverage)\//.test(p) || /\.test\.[jt]s$/.test(p) || /\.tgz$/.test(p));
    expect(unwanted).toEqual([]);
    expect(tarballBytes).toBeLessThan(5_000_000);
  });

  it("installs without dev dependencies: no vitest, typescript or tsx in the project", () => {
    for (const dev of ["vitest", "typescript", "tsx", "h5wasm"]) expect(existsSync(join(project, "node_modules", dev)), dev).toBe(false);
    expect(existsSync(join(project, "node_modules/.bin/hdmf-ts"))).toBe(true);
  });
});

describe("the CLI through npm's bin link", () => {
  it("npx hdmf-ts --help lists every command; --version is the package's", () => {
    const help = ok(run("npx", ["--no-install", "hdmf-ts", "--help"], project), "npx hdmf-ts --help");
    for (const c of ["tour", "ls", "manifest", "export", "validate", "conformance"]) expect(help).toMatch(new RegExp(`^  ${c} `, "m"));
    expect(ok(run("npx", ["--no-install", "hdmf-ts", "--version"], project), "--version").trim()).toBe(pkg.version);
  });

  it("npx hdmf-ts ls shows the tree; a missing file is a one-line error and exit 2", () => {
    const out = ok(run("npx", ["--no-install", "hdmf-ts", "ls", FIXTURE], project), "ls");
    expect(out).toMatch(/^\/ {2}NWBFile/m);
    expect(out).toMatch(/test_gzipped_timeseries\/\s+TimeSeries/);
    const missing = run("npx", ["--no-install", "hdmf-ts", "ls", join(tmp, "missing.nwb")], project);
    expect(missing.code).toBe(2);
    expect(missing.err.trim().split("\n")).toHaveLength(1);
    expect(missing.err).toContain("missing.nwb");
  });

  it("./node_modules/.bin/hdmf-ts validate says valid", () => {
    expect(ok(run(join(project, "node_modules/.bin/hdmf-ts"), ["validate", FIXTURE], project), "validate")).toContain(": valid");
  });

  it("npx hdmf-ts export HDF5 -> Zarr: the oracle's compare.py finds the result equal to the source", () => {
    const dst = join(tmp, "a.nwb.zarr");
    const r = run("npx", ["--no-install", "hdmf-ts", "export", FIXTURE, dst], project);
    ok(r, "export");
    expect(r.err).toMatch(/^exported .* -> .*a\.nwb\.zarr/m); // the summary goes to stderr, as progress does
    expect(existsSync(join(dst, ".zmetadata"))).toBe(true);
    expect(compare(FIXTURE, dst)).toEqual([]);
  });

  it("npx hdmf-ts tour runs the whole tutorial and checks it", () => {
    const out = ok(run("npx", ["--no-install", "hdmf-ts", "tour", "--mb", "1", "--out", join(tmp, "tour")], project), "tour");
    expect(out).toContain("every dataset was read back and compared with what was written");
    expect(out).toMatch(/9 export zarr->hdf5/);
  });
});

describe("the library", () => {
  it("imports from plain ESM JavaScript (.mjs) on Node and reads a file", () => {
    const doc = JSON.parse(ok(run("node", ["library.mjs", FIXTURE], project), "node library.mjs")) as { identifier: string; acquisition: string[]; shape: number[] };
    expect(doc.identifier).toBe("NWB-A-H5DATAIO");
    expect(doc.acquisition).toContain("test_gzipped_timeseries");
    expect(doc.shape).toEqual([1000, 10]);
  });

  it("a TypeScript consumer compiles with tsc --noEmit --strict against the shipped .d.ts (skipLibCheck off)", () => {
    // @types/node as the user has it; everything else resolves from the installed package.
    const tsconfig = JSON.parse(readFileSync(join(project, "tsconfig.json"), "utf8")) as { compilerOptions: Record<string, unknown> };
    tsconfig.compilerOptions.typeRoots = [join(ROOT, "node_modules/@types")];
    writeFileSync(join(project, "tsconfig.json"), JSON.stringify(tsconfig));
    ok(run("node", [TSC, "-p", "tsconfig.json", "--noEmit", "--strict"], project), "tsc");
  });

  it("hdmf-ts/conformance/vitest names vitest as what is missing (an optional peer); hdmf-ts/conformance loads without it", () => {
    const r = run("node", ["--input-type=module", "-e", 'await import("hdmf-ts/conformance"); await import("hdmf-ts/conformance/vitest")'], project);
    expect(r.code).not.toBe(0);
    expect(r.err).toMatch(/Cannot find package 'vitest'/);
  });

  it("runConformance (no test framework installed): a correct user-written Store passes, one ignoring byte ranges fails", () => {
    const lines = ok(run("node", ["conformance.mjs"], project, 180_000), "node conformance.mjs").trim().split("\n")
      .map((l) => JSON.parse(l) as { store: string; passed: number; failed: number; failures: string[] });
    const [good, broken] = lines;
    expect(good!.store).toBe("MapStore");
    expect(good!.failures).toEqual([]);
    expect(good!.passed).toBeGreaterThanOrEqual(60);
    expect(broken!.store).toBe("IgnoresRanges");
    expect(broken!.failures).toContain("store.ranges");
  });
});
