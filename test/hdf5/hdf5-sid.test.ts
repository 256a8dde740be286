/**
 * Files written by current HDF5 (Debian sid's h5py 3.16 on HDF5 2.2, scripts/sid-chroot.sh) must
 * read in hdmf-ts exactly as that h5py reads them: `hdmf-ts manifest` of each file equals
 * ../shared/oracle/manifest.py run by the same h5py. The files (test/hdf5/sid-h5py-files.py) cover
 * every libver low bound, every chunk index (single chunk, implicit, fixed array, extensible
 * array, v2 B-tree, v1 B-tree), SWMR appends, paged file space, dense attributes, dense link
 * storage, a creation-ordered group and a virtual dataset; plus h5py.Empty (null dataspace).
 *
 * The core is HDF5 1.14.6: formats only HDF5 2.x writes (libver v200, which is "latest" in 2.2) are
 * a one-line FormatError naming the object, never a crash; the last test pins that limit, so it
 * fails, and must move into the equal list, once the core is on HDF5 2.x.
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { FormatError } from "../../src/errors.js";
import { manifest } from "../../src/inspect/manifest.js";
import { ORACLE_DIR } from "../export/helpers.js";
import { sidPython, sidVersions } from "../helpers/sid.js";

const LIBVER_READABLE = ["earliest", "v108", "v110", "v112", "v114"].map((l) => `libver-${l}.h5`);
const OTHER_READABLE = ["chunk-index.h5", "chunk-index-earliest.h5", "swmr.h5", "paged.h5", "empty.h5"];
/** Written with HDF5 2.x formats (datatype message v5, layout message v5): not readable by 1.14. */
const NEEDS_HDF5_2 = ["libver-v200.h5", "libver-latest.h5", "chunk-index-latest.h5"];

let dir: string;
let expected: Record<string, { backend: string; objects: unknown[] }>;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), "hdf5-sid-"));
  sidPython([resolve(import.meta.dirname, "sid-h5py-files.py"), dir], { binds: [dir] });
  sidPython(["-c", `
import sys, h5py
with h5py.File(sys.argv[1], "w") as f:
    f.attrs["empty"] = h5py.Empty("f4")
    f.attrs["n"] = 1
    f.create_dataset("empty", data=h5py.Empty("i8"))
    f["empty"].attrs["empty_str"] = h5py.Empty(h5py.string_dtype())
    f.create_dataset("x", data=[1, 2])
`, join(dir, "empty.h5")], { binds: [dir] });
  const files = [...LIBVER_READABLE, ...OTHER_READABLE, ...NEEDS_HDF5_2];
  // manifest.py's own describe(), in one sid python for all files
  expected = JSON.parse(sidPython(["-c", `
import json, os, sys
sys.path.insert(0, sys.argv[1])
import manifest
print(json.dumps({f: manifest.describe(os.path.join(sys.argv[2], f)) for f in sys.argv[3:]}))
`, ORACLE_DIR, dir, ...files], { binds: [dir, ORACLE_DIR], timeout: 300_000 })) as typeof expected;
}, 600_000);
afterAll(() => { if (dir) rmSync(dir, { recursive: true, force: true }); });

describe("files from h5py 3.16 / HDF5 2.2 (Debian sid)", () => {
  it("the witness is h5py 3.16 on HDF5 2.x", () => {
    const v = sidVersions();
    expect(v.h5py).toMatch(/^3\.(1[6-9]|[2-9]\d)/);
    expect(v.hdf5).toMatch(/^2\./);
  });

  it.each([...LIBVER_READABLE, ...OTHER_READABLE])("%s: manifest equals h5py's", async (name) => {
    const m = await manifest(join(dir, name));
    expect(m.backend).toBe("hdf5");
    expect(m.objects).toEqual(expected[name]!.objects);
  });

  it("hdmf-ts manifest (the CLI) prints h5py's manifest for the SWMR file", () => {
    const r = spawnSync(resolve("node_modules/.bin/tsx"), [resolve("src/cli/bin.ts"), "manifest", join(dir, "swmr.h5")], { encoding: "utf8", timeout: 120_000 });
    expect(r.status, r.stderr).toBe(0);
    expect((JSON.parse(r.stdout) as { objects: unknown[] }).objects).toEqual(expected["swmr.h5"]!.objects);
  });

  it("the files cover what they claim: dense attributes, 40 links, creation order, a virtual dataset, the chunk indices", () => {
    const objs = (name: string) => expected[name]!.objects as Array<{ path: string; kind: string; layout?: string; attrs?: Record<string, unknown>; chunks?: number[] | null; maxshape?: Array<number | null> | null }>;
    const v110 = objs("libver-v110.h5");
    expect(Object.keys(v110.find((o) => o.path === "/grp/data")!.attrs!)).toHaveLength(22);
    expect(v110.filter((o) => o.path.startsWith("/many/d"))).toHaveLength(40);
    expect(v110.find((o) => o.path === "/virtual")!.layout).toBe("other");
    const ci = objs("chunk-index.h5");
    expect(ci.find((o) => o.path === "/btree2")!.maxshape).toEqual([null, null]);
    expect(ci.find((o) => o.path === "/ext_array")!.maxshape).toEqual([null]);
    expect(ci.find((o) => o.path === "/single")!.chunks).toEqual([4, 5]);
    expect(objs("empty.h5").find((o) => o.path === "/empty")).toMatchObject({ shape: null, maxshape: null });
  });

  it.each(NEEDS_HDF5_2)("%s (HDF5 2.x formats): a one-line FormatError naming the object, not a crash", async (name) => {
    const e = await manifest(join(dir, name)).then(() => undefined, (x: unknown) => x as FormatError);
    expect(e).toBeInstanceOf(FormatError);
    expect(e!.message.split("\n")).toHaveLength(1);
    expect(e!.message).toMatch(new RegExp(`^${join(dir, name)}:/\\w+: cannot open: bad version number for (datatype|layout) message$`));
    expect(e!.detail).toMatch(/HDF5 error stack/);
  });
});
