/**
 * Malformed inputs beyond raw Zarr metadata: HDF5 files (made by h5py, then broken), mode
 * violations, bad paths, wrong neurodata_type, and spec YAML with unknown keys or bad types.
 */
import { execFileSync } from "node:child_process";
import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { openHdf5 } from "../../src/backends/hdf5/index.js";
import { openZarr } from "../../src/backends/zarr/index.js";
import { isStoredDataset } from "../../src/data/data-source.js";
import { array } from "../../src/data/ndarray.js";
import { createNwbBuildManager } from "../../src/nwb/index.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import { loadNamespaceFile } from "../../src/schema/spec/load.js";
import type { MalformedCase } from "./malformed-zarr.js";
import { validZarr } from "./malformed-zarr.js";

const PY = "/usr/bin/python3";

/** h5py writes the valid file; returns chunk byte offsets so a case can break one chunk. */
function validHdf5(file: string): { gzipChunk: number; fletcherChunk: number } {
  const script = `
import h5py, numpy as np, sys, json
with h5py.File(sys.argv[1], "w") as f:
    f.create_dataset("gz", data=np.arange(1000, dtype="<i4"), chunks=(250,), compression="gzip")
    f.create_dataset("fl", data=np.arange(1000, dtype="<f8"), chunks=(250,), fletcher32=True)
    g = f.create_group("g"); g.attrs["a"] = "value"
with h5py.File(sys.argv[1], "r") as f:
    print(json.dumps({"gz": f["gz"].id.get_chunk_info(1).byte_offset, "fl": f["fl"].id.get_chunk_info(2).byte_offset}))
`;
  const out = JSON.parse(execFileSync(PY, ["-c", script, file], { encoding: "utf8" })) as { gz: number; fl: number };
  return { gzipChunk: out.gz, fletcherChunk: out.fl };
}

async function readHdf5(file: string): Promise<void> {
  const io = await openHdf5(file, "r");
  try {
    const root = await io.readBuilder();
    for (const b of root.walk()) if (b instanceof DatasetBuilder && isStoredDataset(b.data)) await b.data.read();
  } finally {
    await io.close();
  }
}

async function patch(file: string, offset: number, bytes: number[]): Promise<void> {
  const b = await readFile(file);
  bytes.forEach((v, i) => { b[offset + i] = v; });
  await writeFile(file, b);
}

function h5(name: string, names: string | ((dir: string) => string), breakIt: (file: string, o: { gzipChunk: number; fletcherChunk: number }) => Promise<void>): MalformedCase & { hdf5: true } {
  let resolvedName = typeof names === "string" ? names : "";
  return {
    hdf5: true, name: `hdf5: ${name}`,
    get names() { return resolvedName; },
    async make(dir) {
      const file = path.join(dir, "bad.h5");
      const o = validHdf5(file);
      if (typeof names === "function") resolvedName = names(dir);
      await breakIt(file, o);
      return () => readHdf5(file);
    },
  };
}

export const HDF5_CASES: Array<MalformedCase & { hdf5: true }> = [
  h5("truncated file (first 1 KiB)", "bad.h5", async (f) => { await writeFile(f, (await readFile(f)).subarray(0, 1024)); }),
  h5("truncated file (half)", "bad.h5", async (f) => { const b = await readFile(f); await writeFile(f, b.subarray(0, b.length >> 1)); }),
  h5("zero-byte file", "bad.h5", (f) => writeFile(f, new Uint8Array(0))),
  h5("corrupt superblock signature", "bad.h5", (f) => patch(f, 0, [0x00, 0x42, 0x41, 0x44])),
  h5("corrupt superblock version/addresses", "bad.h5", (f) => patch(f, 8, Array.from({ length: 40 }, () => 0xff))),
  h5("corrupt gzip chunk", "/gz", (f, o) => patch(f, o.gzipChunk + 4, Array.from({ length: 32 }, () => 0xa5))),
  h5("wrong fletcher32 checksum", "/fl", (f, o) => patch(f, o.fletcherChunk + 10, [0x12, 0x34])),
];

function zarrCase(name: string, names: string, action: (store: string) => Promise<unknown>, kinds?: MalformedCase["kinds"]): MalformedCase {
  return {
    name, names, kinds,
    async make(dir) {
      const store = await validZarr(dir);
      return () => action(store);
    },
  };
}

const tiny = () => {
  const r = new GroupBuilder("root");
  r.add(new DatasetBuilder("new", array([1], { dtype: "int8" })));
  return r;
};

export const MODE_AND_PATH_CASES: MalformedCase[] = [
  zarrCase("mode violation: write in r", "store.zarr", async (s) => { const io = await openZarr(s, "r"); try { await io.write(tiny()); } finally { await io.close(); } }, ["mode"]),
  zarrCase("mode violation: region write in r", "/x", async (s) => { const io = await openZarr(s, "r"); try { await (await io.dataset("/x")).write([[0, 1]], 1); } finally { await io.close(); } }, ["mode"]),
  zarrCase("mode violation: create in w- over an existing store", "store.zarr", async (s) => (await openZarr(s, "w-")).close(), ["mode"]),
  zarrCase("mode violation: r+ on a missing store", "missing.zarr", async (s) => (await openZarr(path.join(path.dirname(s), "missing.zarr"), "r+")).close(), ["not-found"]),
  zarrCase("dataset path with '..'", "/../x", async (s) => { const io = await openZarr(s, "r"); try { await io.dataset("/../x"); } finally { await io.close(); } }),
  zarrCase("dataset path with NUL", "/x\u0000", async (s) => { const io = await openZarr(s, "r"); try { await io.dataset("/x\u0000"); } finally { await io.close(); } }),
  zarrCase("builder name with '..' on write", "..", async (s) => {
    const io = await openZarr(s, "a");
    try { const r = new GroupBuilder("root"); r.add(new GroupBuilder("..")); await io.write(r); } finally { await io.close(); }
  }),
  zarrCase("wrong neurodata_type (no such type) on construct", "/g", async (s) => {
    const io = await openZarr(s, "r+");
    try {
      const r = await io.readBuilder();
      r.setAttribute("neurodata_type", "NWBFile", "text").setAttribute("namespace", "core", "text");
      r.groups.get("g")!.setAttribute("neurodata_type", "NoSuchType", "text").setAttribute("namespace", "core", "text");
      (await createNwbBuildManager()).construct(r);
    } finally { await io.close(); }
  }),
];

function specCase(name: string, names: string, nsYaml: string, sourceYaml: string): MalformedCase {
  return {
    name: `spec YAML: ${name}`, names,
    async make(dir) {
      const ns = path.join(dir, "ns.yaml");
      await writeFile(ns, nsYaml);
      await writeFile(path.join(dir, "types.yaml"), sourceYaml);
      return () => loadNamespaceFile(ns);
    },
  };
}

const NS = "namespaces:\n- name: lab\n  version: 0.1.0\n  doc: test\n  schema:\n  - namespace: core\n  - source: types.yaml\n";
const NS_ONLY_SOURCE = "namespaces:\n- name: lab\n  version: 0.1.0\n  doc: test\n  schema:\n  - source: types.yaml\n";

export const SPEC_CASES: MalformedCase[] = [
  specCase("unknown key in a group spec", "types.yaml", NS_ONLY_SOURCE, "groups:\n- neurodata_type_def: Probe\n  doc: x\n  colour: red\n"),
  specCase("dtype of the wrong type", "types.yaml", NS_ONLY_SOURCE, "datasets:\n- data_type_def: Bad\n  doc: x\n  dtype: 42\n"),
  specCase("YAML syntax error", "types.yaml", NS_ONLY_SOURCE, "groups: [\n- {data_type_def: X\n"),
  specCase("namespace entry missing name", "ns.yaml", "namespaces:\n- version: 1\n  doc: x\n  schema: []\n", ""),
  specCase("quantity that is not a number or ?/*/+", "types.yaml", NS_ONLY_SOURCE, "groups:\n- data_type_def: Y\n  doc: x\n  groups:\n  - name: child\n    doc: c\n    quantity: lots\n"),
  specCase("schema source that does not exist", "missing.yaml", NS.replace("types.yaml", "missing.yaml"), ""),
];
