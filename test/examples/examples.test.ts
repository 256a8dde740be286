/**
 * Issue 12 acceptance: every tutorial example runs (child process, --small, temp folder), its
 * files pass ../shared/oracle/check_nwb.py (pynwb / hdmf-zarr read + validate) and read
 * completely in h5py / zarr-python; `hdmf-ts tour` runs and prints its table.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { basename, join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import {
  CHECK_NWB_DIR, ORACLE_PYTHON, ORACLE_VENV, PLAIN_PYTHON, nwbOutputs, oracleAvailable, parsePlain, pool, runProcess,
  type PlainRead, type RunResult,
} from "./helpers.js";

const EXAMPLES = [
  "01-chunking", "02-compression", "03-plugin-filters", "04-data-chunk-iterator", "05-generic-iterator",
  "06-user-defined-write", "07-parallel", "08-multi-file", "09-export-links",
] as const;
/** Filters Debian's h5py has no plugin for: only the tutorial's standalone Zstd and Bitshuffle. */
const NO_DEBIAN_PLUGIN = new Set([32015, 32008]);

let dir: string;
const runs = new Map<string, RunResult>();
let tour: RunResult;
let oracle: RunResult | undefined;
let plain: PlainRead[] = [];

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hdmf-ts-examples-"));
  const jobs = [
    ...EXAMPLES.map((name) => async () => {
      const extra = name === "07-parallel" ? ["--ranks", "2"] : [];
      runs.set(name, await runProcess(process.execPath, ["--import", "tsx", `examples/${name}.ts`, join(dir, name), "--small", ...extra]));
    }),
    async () => {
      tour = await runProcess(process.execPath, ["--import", "tsx", "src/cli/bin.ts", "tour", "--out", join(dir, "tour"), "--mb", "2"]);
    },
  ];
  await pool(jobs, 2);
  const outputs = EXAMPLES.flatMap((name) => (runs.get(name)?.code === 0 ? nwbOutputs(join(dir, name)) : []));
  const [o, p] = await Promise.all([
    oracleAvailable() ? runProcess(ORACLE_PYTHON, ["test/examples/py/oracle_many.py", CHECK_NWB_DIR, ...outputs], { timeoutMs: 300_000 }) : Promise.resolve(undefined),
    runProcess(PLAIN_PYTHON, ["test/examples/py/read_plain.py", ...outputs]),
  ]);
  oracle = o;
  plain = parsePlain(p.stdout);
  const took = [...runs].map(([n, r]) => `${n} ${r.seconds.toFixed(0)}s`).join(", ");
  process.stderr.write(`examples: ${took}; tour ${tour.seconds.toFixed(0)}s; oracle ${o?.seconds.toFixed(0) ?? "-"}s; h5py/zarr ${p.seconds.toFixed(0)}s\n`);
  if (p.code !== 0) throw new Error(`read_plain.py failed:\n${p.stderr.slice(-2000)}`);
}, 400_000); // idle 2-core CI: about 1 minute; generous because a shared machine can be 5x slower

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe.each(EXAMPLES)("examples/%s.ts", (name) => {
  it("runs to the end, reads back what it wrote and writes HDF5 and Zarr", () => {
    const r = runs.get(name)!;
    expect(r.code, `${name} stderr:\n${r.stderr.slice(-3000)}`).toBe(0);
    expect(r.stdout).toMatch(/\ndone\n$/);
    const outs = nwbOutputs(join(dir, name)).map((p) => basename(p));
    expect(outs.some((o) => o.endsWith(".nwb")), outs.join(", ")).toBe(true);
    expect(outs.some((o) => o.endsWith(".nwb.zarr")), outs.join(", ")).toBe(true);
  });

  it("its files pass the oracle's check_nwb.py (pynwb / hdmf-zarr read + validate)", () => {
    if (!oracleAvailable()) {
      throw new Error(`oracle venv missing at ${ORACLE_VENV}: run ORACLE_VENV=${ORACLE_VENV} bash /work/shared/oracle/setup.sh (or set ORACLE_VENV)`);
    }
    const lines = oracle!.stdout.split("\n");
    for (const path of nwbOutputs(join(dir, name))) {
      const line = lines.find((l) => l.includes(` ${path} [`));
      const undecodable = plain.find((x) => x.path === path)?.undecodable ?? [];
      if (undecodable.length > 0) {
        // pynwb cannot decode a filter Debian ships no plugin for; h5py saw the filter ids (below).
        expect(line, path).toMatch(/^(OK|FAIL)/);
        continue;
      }
      expect(line, `${path}: ${oracle!.stderr.slice(-1500)}`).toMatch(/^OK /);
    }
  });

  it("its files read completely in h5py / zarr-python", () => {
    for (const path of nwbOutputs(join(dir, name))) {
      const r = plain.find((x) => x.path === path);
      expect(r, path).toBeDefined();
      expect(r!.datasets + r!.undecodable.length, path).toBeGreaterThan(0);
      for (const [ds, ids] of r!.undecodable) {
        expect(ids.some((i) => NO_DEBIAN_PLUGIN.has(i)), `${path}:${ds} filters ${ids.join(",")}`).toBe(true);
      }
    }
  });
});

describe("what the examples show, seen from Python", () => {
  it("08: linkData true writes an HDF5 ExternalLink / zarr_link, false a copy", () => {
    const get = (n: string): PlainRead => plain.find((x) => x.path.endsWith(`/08-multi-file/${n}`))!;
    expect(get("08-multi-file-3.nwb").external_links).toEqual(["/acquisition/test_timeseries1", "/acquisition/test_timeseries2"]);
    expect(get("08-multi-file-4.nwb").external_links).toEqual(["/acquisition/linked_data_timeseries/data"]);
    expect(get("08-multi-file-5.nwb").external_links).toEqual([]);
    expect(get("08-multi-file-4.nwb.zarr").external_links).toEqual(["/acquisition/linked_data_timeseries/data"]);
    expect(get("08-multi-file-5.nwb.zarr").external_links).toEqual([]);
  });

  it("09: resolved exports hold no external link", () => {
    for (const n of ["09-export-links-hdf5-resolved.nwb", "09-export-links-from-hdf5.nwb.zarr", "09-export-links-from-zarr.nwb"]) {
      const r = plain.find((x) => x.path.endsWith(`/09-export-links/${n}`));
      expect(r, n).toBeDefined();
      expect(r!.external_links, n).toEqual([]);
    }
  });
});

describe("hdmf-ts tour", () => {
  it("runs the tutorial on both backends, exports both ways and prints the summary table", () => {
    expect(tour.code, tour.stderr.slice(-3000)).toBe(0);
    expect(tour.stdout).toMatch(/^section\s+dataset\s+backend\s+MB raw\s+stored bytes\s+ratio\s+write MB\/s$/m);
    for (const section of ["1 chunking", "2 compression", "3 plugin filters", "4 DataChunkIterator", "5 GenericDataChunkIterator",
      "6 user-defined write", "8 multi-file copy", "9 export hdf5->zarr", "9 export zarr->hdf5"]) {
      expect(tour.stdout, section).toContain(section);
    }
    expect(tour.stdout).toMatch(/^5 GenericDataChunkIterator\s+recording\s+hdf5\s+2\.00\s+\d+/m);
    expect(tour.stdout).toContain(`files in ${join(dir, "tour")}`);
    expect(tour.stderr).toMatch(/\[tour [\d.]+s\] 9 export/);
  });
});
