/**
 * `hdmf-ts validate` finds what would break a reader, in files broken by h5py / zarr-python
 * (test/schema/fixtures/broken_files.py, run with the oracle's Python, from copies of the shared
 * fixtures): dangling soft / external links and zarr_links (the hdmf-zarr export bug), missing
 * reference targets (dataset values and attributes), DynamicTableRegion values out of range,
 * VectorIndex values not monotonic or past their data, a cached spec that does not parse. Each
 * exits 1 with one error line naming the object's path. Every shared fixture stays valid.
 */
import { spawnSync } from "node:child_process";
import { rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { validateFile } from "../../src/nwb-io.js";
import { FIXTURES, oraclePython, tempDir } from "../export/helpers.js";

const CLI = resolve("src/cli/bin.ts");
const TSX = resolve("node_modules/.bin/tsx");
const VALID = ["a_h5dataio.nwb", "b_datachunkiterator.nwb", "c_link_container.nwb", "c_link_copy.nwb", "c_link_source.nwb", "e_zarr_direct.nwb.zarr", "f_tables_refs.nwb"];

interface Case { name: string; path: string }
let dir: string;
let cases: Case[] = [];
beforeAll(() => {
  dir = tempDir("broken");
  const r = spawnSync(oraclePython(), [resolve("test/schema/fixtures/broken_files.py"), FIXTURES, dir], { encoding: "utf8", timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  cases = r.stdout.trim().split("\n").map((l) => JSON.parse(l) as Case);
}, 180_000);
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

const EXPECT: Record<string, RegExp> = {
  "h5_dangling_soft.nwb": /link to \/acquisition\/gone\/timestamps: .*does not exist/,
  "h5_dangling_external.nwb": /external link to .*missing_file\.nwb::\/acquisition\/x: .*cannot be opened/,
  "zarr_dangling_link.nwb.zarr": /link to \/acquisition\/gone\/timestamps: .*does not exist/,
  "zarr_dangling_external.nwb.zarr": /external link to .*missing_store\.nwb\.zarr::\/acquisition\/x: .*cannot be opened/,
  "h5_missing_ref.nwb": /reference does not point to an object/,
  "zarr_missing_ref.nwb.zarr": /reference to \/general\/extracellular_ephys\/shank9: .*does not exist/,
  "zarr_missing_attr_ref.nwb.zarr": /attribute table: reference to \/general\/extracellular_ephys\/no_table: .*does not exist/,
  "h5_region_out_of_range.nwb": /DynamicTableRegion value 6 at \[2\] is out of range: .* 6 rows/,
  "zarr_region_out_of_range.nwb.zarr": /DynamicTableRegion value -1 at \[0\] is out of range/,
  "h5_index_not_monotonic.nwb": /VectorIndex is not monotonic/,
  "zarr_index_past_data.nwb.zarr": /VectorIndex value 17 at \[3\] points past the end of \/units\/spike_times \(length 16\)/,
  "h5_bad_spec.nwb": /^\/specifications\/hdmf-common\/[\d.]+\/table: cached spec does not parse: /,
  "zarr_bad_spec.nwb.zarr": /^\/specifications\/hdmf-common\/[\d.]+\/table: cached spec does not parse: /,
};

describe("validate rejects files that would break a reader", () => {
  it("builds every case", () => {
    expect(cases.map((c) => c.name).sort()).toEqual(Object.keys(EXPECT).sort());
  });

  it.each(Object.keys(EXPECT))("%s: exit 1, one line naming the path", (name) => {
    const c = cases.find((x) => x.name === name)!;
    const r = spawnSync(TSX, [CLI, "validate", join(dir, name)], { encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(1);
    const lines = r.stdout.trim().split("\n");
    expect(lines.at(-1)).toBe(`${join(dir, name)}: 1 error(s)`);
    expect(lines).toHaveLength(2);
    expect(lines[0]!.startsWith(`${c.path}`), lines[0]).toBe(true);
    expect(lines[0]).toMatch(EXPECT[name]!);
  });
});

describe("validate passes every valid fixture", () => {
  it.each(VALID)("%s", async (name) => {
    expect(await validateFile(join(FIXTURES, name))).toEqual([]);
  });
});
