/**
 * Every shared fixture exported to each other backend equals its source (compare.py) and
 * passes check_nwb.py; HDF5 -> Zarr -> HDF5 and Zarr -> HDF5 -> Zarr round trips are lossless;
 * Zarr v3 (which the Python reference cannot read) is checked through a v3 -> HDF5 export that
 * pynwb validates.
 * Exports use the defaults users get: a codec with no counterpart in the destination (LZF into
 * Zarr, Delta into HDF5) is transcoded to its lossless default and listed in the notes; a given
 * fallback codec overrides that default, and `strictCodecs` refuses instead.
 * The sources are hashed before and after: export never modifies them.
 */
import { rmSync } from "node:fs";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTo } from "../../src/backends/export-target.js";
import { compare, FALLBACK, FIXTURES, oracle, oraclePython, tempDir, treeHash } from "./helpers.js";

const HDF5 = ["a_h5dataio.nwb", "b_datachunkiterator.nwb", "c_link_container.nwb", "c_link_copy.nwb", "c_link_source.nwb", "f_tables_refs.nwb"];
const ZARR = ["e_zarr_direct.nwb.zarr"];

let out: string;
const before = new Map<string, string>();

beforeAll(() => {
  oraclePython();
  out = tempDir("matrix");
  for (const f of [...HDF5, ...ZARR]) before.set(f, treeHash(join(FIXTURES, f)));
});
afterAll(() => {
  if (out) rmSync(out, { recursive: true, force: true });
});

describe.each(HDF5)("%s", (name) => {
  const src = join(FIXTURES, name);
  const base = name.replace(/\..*$/, "");

  it("-> Zarr v2: compare.py equal, check_nwb.py passes", async () => {
    const dst = join(out, `${base}.zarr`);
    // hdmf-zarr follows zarr_links into Zarr stores only: check the linking file with links resolved
    const links = name === "c_link_container.nwb" ? "resolve" : "preserve";
    const r = await exportTo(src, dst, { links });
    expect(r.destination).toBe(dst);
    if (name === "a_h5dataio.nwb") expect(r.notes).toContain(`lzf -> blosc-lz4: ${src}:/acquisition/test_lzf_timeseries/data`);
    // compound rows with a reference field (f's /intervals/trials/timeseries) are stored as JSON
    // lists; the oracle types them as compounds, as pynwb reads them: no exception here
    expect(compare(src, dst, links === "resolve")).toEqual([]);
    const check = oracle("check_nwb.py", [dst]);
    expect(check.code, check.out).toBe(0);
  });

  it("-> HDF5: compare.py equal, check_nwb.py passes", async () => {
    const dst = join(out, `${base}.copy.nwb`);
    await exportTo(src, dst);
    expect(compare(src, dst)).toEqual([]);
    const check = oracle("check_nwb.py", [dst]);
    expect(check.code, check.out).toBe(0);
  });

  it("-> Zarr -> HDF5 round trip is lossless", async () => {
    const mid = join(out, `${base}.rt.zarr`);
    const back = join(out, `${base}.rt.nwb`);
    await exportTo(src, mid);
    await exportTo(mid, back);
    expect(compare(src, back)).toEqual([]);
  });

  it("-> Zarr v3 (unified convention) -> HDF5 keeps content, links and references; pynwb validates", async () => {
    const mid = join(out, `${base}.rt3.zarr`);
    const back = join(out, `${base}.rt3.nwb`);
    const links = name === "c_link_container.nwb" ? "resolve" : "preserve";
    // zlib, not v3's zstd default, for LZF: the oracle's hdf5plugin 4.0.1 cannot read filter 32015
    await exportTo(src, mid, { format: "zarr3", links, fallbackCodec: FALLBACK });
    await exportTo(mid, back, { links });
    expect(compare(src, back, links === "resolve")).toEqual([]);
    const check = oracle("check_nwb.py", [back]);
    expect(check.code, check.out).toBe(0);
  });
});

describe("a_h5dataio.nwb -> Zarr v3 (sharded) -> HDF5", () => {
  it("keeps every value", async () => {
    const src = join(FIXTURES, "a_h5dataio.nwb");
    const mid = join(out, "a.v3.zarr");
    const back = join(out, "a.v3.nwb");
    // v3's default zstd would come back as HDF5 filter 32015, which the oracle's hdf5plugin 4.0.1
    // build lacks: transcode LZF to zlib instead (the fallback overrides the default)
    const r = await exportTo(src, mid, { format: "zarr3", shards: 4, fallbackCodec: FALLBACK });
    expect(r.notes).toContain(`lzf -> zlib: ${src}:/acquisition/test_lzf_timeseries/data`);
    await exportTo(mid, back);
    expect(compare(src, back)).toEqual([]);
  });
});

describe("a_h5dataio.nwb -> Zarr v2 with a fallback codec", () => {
  it("re-encodes LZF with the fallback, not the default; strictCodecs refuses", async () => {
    const src = join(FIXTURES, "a_h5dataio.nwb");
    const dst = join(out, "a.bz2.zarr");
    const r = await exportTo(src, dst, { fallbackCodec: { id: "bz2", level: 9 } });
    expect(r.notes).toContain(`lzf -> bz2: ${src}:/acquisition/test_lzf_timeseries/data`);
    expect(compare(src, dst)).toEqual([]);
    await expect(exportTo(src, join(out, "a.strict.zarr"), { strictCodecs: true })).rejects.toMatchObject({ kind: "unsupported", message: expect.stringMatching(/lzf/) });
  });
});

describe.each(ZARR)("%s", (name) => {
  const src = join(FIXTURES, name);

  it("-> HDF5: compare.py equal, check_nwb.py passes (Delta has no HDF5 filter: values re-encoded)", async () => {
    const dst = join(out, "e.nwb");
    const r = await exportTo(src, dst);
    expect(r.notes.some((n) => n.includes("delta dropped"))).toBe(true);
    expect(compare(src, dst)).toEqual([]);
    const check = oracle("check_nwb.py", [dst]);
    expect(check.code, check.out).toBe(0);
  });

  it("-> HDF5 with strictCodecs: UnsupportedError naming the filter", async () => {
    await expect(exportTo(src, join(out, "e-strict.nwb"), { strictCodecs: true })).rejects.toMatchObject({ kind: "unsupported", message: expect.stringMatching(/delta/) });
  });

  it("-> Zarr, and -> HDF5 -> Zarr round trip, equal", async () => {
    const copy = join(out, "e.copy.zarr");
    await exportTo(src, copy);
    expect(compare(src, copy)).toEqual([]);
    const mid = join(out, "e.rt.nwb");
    const back = join(out, "e.rt.zarr");
    await exportTo(src, mid);
    await exportTo(mid, back);
    expect(compare(src, back)).toEqual([]);
  });
});

describe("sources", () => {
  it("are byte-identical after every export", () => {
    for (const [f, h] of before) expect(treeHash(join(FIXTURES, f)), f).toBe(h);
  });
});
