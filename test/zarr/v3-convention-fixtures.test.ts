/**
 * Acceptance for the unified NWB-Zarr v3 convention (issue 16): every shared fixture (HDF5 files
 * and the legacy hdmf-zarr 0.6 store, pickled references included) exported with
 * `--format zarr3` passes the checker written from hdmf-zarr's storage.rst (no `zarr_link` /
 * `zarr_dtype`, links / references / compound references / scalars in the documented form), and
 * zarr-python 3.4 (Debian sid chroot, the oracle's manifest_v3.py in `--strict --no-legacy` mode:
 * every node must open and read; references are read only as the unified convention spells
 * them) reads every dataset with the checksum the source has in the oracle's manifest.json.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { spawnSync } from "node:child_process";
import { readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { exportTo } from "../../src/backends/export-target.js";
import { checkZarrV3Convention } from "../../src/inspect/zarr-convention.js";
import { FIXTURES, tempDir } from "../export/helpers.js";
import { compareWithSource, sourceLinks, sourceScalars, zarrPython3Manifests, type ManifestEntry } from "./v3-acceptance.js";

const ORACLE = resolve(FIXTURES, "../oracle");
const CLI = resolve("src/cli/bin.ts");
const TSX = resolve("node_modules/.bin/tsx");

const reference = JSON.parse(readFileSync(join(FIXTURES, "manifest.json"), "utf8")) as { files: Record<string, ManifestEntry> };
const NAMES = Object.keys(reference.files);
let dir: string;
const theirs = new Map<string, ManifestEntry>();

beforeAll(async () => {
  dir = tempDir("v3conv");
  for (const name of NAMES) {
    const out = join(dir, `${name.replace(/\.nwb(\.zarr)?$/, "")}.v3.zarr`);
    if (name === "e_zarr_direct.nwb.zarr") {
      // the legacy store through the CLI, as a user converts one
      const r = spawnSync(TSX, [CLI, "export", join(FIXTURES, name), out, "--format", "zarr3", "--quiet"], { encoding: "utf8", timeout: 180_000 });
      if (r.status !== 0) throw new Error(`hdmf-ts export ${name} --format zarr3 failed: ${r.stderr}`);
    } else {
      await exportTo(join(FIXTURES, name), out, { format: "zarr3" });
    }
  }
  for (const [k, v] of zarrPython3Manifests(dir, dir, ORACLE, 400_000)) theirs.set(k, v);
}, 900_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const v3Name = (name: string): string => `${name.replace(/\.nwb(\.zarr)?$/, "")}.v3.zarr`;

describe("every shared fixture exported to Zarr v3 is in the unified convention", () => {
  it.each(NAMES)("%s: the storage.rst checker finds nothing (links, references, compound references, scalars)", async (name) => {
    const report = await checkZarrV3Convention(join(dir, v3Name(name)), { scalars: sourceScalars(reference.files[name]!) });
    expect(report.problems).toEqual([]);
    expect(report.counts.arrays).toBeGreaterThan(0);
    expect(report.counts.scalars).toBeGreaterThan(0);
    // every source link is a _LINKS entry (dataset links kept as links included)
    expect(report.counts.links, name).toBe(sourceLinks(reference.files[name]!).length);
    if (name === "f_tables_refs.nwb" || name === "e_zarr_direct.nwb.zarr") {
      expect(report.counts.referenceArrays).toBeGreaterThan(0);
      expect(report.counts.references).toBeGreaterThan(0);
      expect(report.counts.referenceAttrs).toBeGreaterThan(0);
      expect(report.counts.compoundReferenceFields).toBeGreaterThan(0);
    }
  });

  it.each(NAMES)("%s: zarr-python 3.4 opens every node and reads every dataset equal to the source", (name) => {
    const mine = theirs.get(v3Name(name));
    expect(mine, `manifest_v3.py listed ${[...theirs.keys()].join(", ")}`).toBeDefined();
    const { compared, diffs } = compareWithSource(reference.files[name]!, mine!);
    expect(diffs).toEqual([]);
    expect(compared).toBeGreaterThan(3);
  });
});
