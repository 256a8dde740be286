/**
 * The pynwb/h5py-written fixtures, read through the core and compared with h5py: every link,
 * attribute name, dataset layout and filter pipeline, the raw bytes and filter mask of every
 * stored chunk (incl. Blosc/LZ4/BZip2/LZF, which only direct chunk reads can fetch here), and
 * the values of every dataset HDF5 can decode inside the wasm.
 */
import { createHash } from "node:crypto";
import { readdirSync } from "node:fs";
import { beforeAll, describe, expect, it } from "vitest";

import { initHdf5, type H5File, type Hdf5Core } from "../../src/backends/hdf5/core.js";
import { toNumpyTypestr } from "../../src/data/dtype.js";
import { py } from "./core-h5py.js";

const DIR = "/work/shared/fixtures";
const FILES = readdirSync(DIR).filter((n) => n.endsWith(".nwb"));
const STUBS = new Set([307, 32000, 32001, 32004, 32008, 32015]);

interface Entry {
  link: string; kind?: string; target?: string; file?: string; attrs?: string[]; dup?: boolean;
  shape?: number[]; maxshape?: (number | null)[]; chunks?: number[] | null; dtype?: string;
  filters?: Array<[number, number, number[]]>; stored?: Array<[number[], number, number, string]>; sha?: string | null;
}

const H5PY_WALK = `
F = h5py.File(sys.argv[1], "r")
out = {}; seen = set()
def sha(b): return hashlib.sha256(b).hexdigest()
def walk(g, prefix):
    for name in g:
        p = prefix + name
        l = g.get(name, getlink=True)
        if isinstance(l, h5py.SoftLink): out[p] = {"link": "soft", "target": l.path}; continue
        if isinstance(l, h5py.ExternalLink): out[p] = {"link": "external", "file": l.filename, "target": l.path}; continue
        o = g[name]; addr = h5py.h5o.get_info(o.id).addr
        e = {"link": "hard", "kind": "group" if isinstance(o, h5py.Group) else "dataset", "attrs": sorted(o.attrs.keys())}
        out[p] = e
        if addr in seen: e["dup"] = True; continue
        seen.add(addr)
        if isinstance(o, h5py.Group): walk(o, p + "/"); continue
        d = describe(o)
        e.update({k: d[k] for k in ("shape", "maxshape", "chunks", "dtype", "filters")})
        if o.chunks:
            e["stored"] = []
            for i in range(o.id.get_num_chunks()):
                info = o.id.get_chunk_info(i)
                mask, data = o.id.read_direct_chunk(info.chunk_offset)
                e["stored"].append([list(info.chunk_offset), mask, info.size, sha(data)])
        plugin = any(f[0] in (307, 32000, 32001, 32004, 32008, 32015) for f in d["filters"])
        e["sha"] = sha(np.ascontiguousarray(o[()]).tobytes()) if (o.dtype.kind in "biufcS" and not plugin) else None
walk(F, "/")
print(json.dumps(out))
`;

function walkCore(core: Hdf5Core, f: H5File): Record<string, Entry> {
  const out: Record<string, Entry> = {};
  const seen = new Set<number>();
  const sha = (b: Uint8Array) => createHash("sha256").update(b).digest("hex");
  const visit = (path: string) => {
    for (const l of core.list(f, path)) {
      const p = path === "/" ? `/${l.name}` : `${path}/${l.name}`;
      if (l.link === "soft") { out[p] = { link: "soft", target: l.target }; continue; }
      if (l.link === "external") { out[p] = { link: "external", file: l.file, target: l.target }; continue; }
      if (l.link !== "hard") throw new Error(`unexpected link ${JSON.stringify(l)}`);
      const obj = core.open(f, p);
      const e: Entry = { link: "hard", kind: l.kind, attrs: core.attributeNames(obj).sort() };
      out[p] = e;
      if (seen.has(l.addr)) { e.dup = true; core.close(obj); continue; }
      seen.add(l.addr);
      if (l.kind === "group") { core.close(obj); visit(p); continue; }
      const info = core.datasetInfo(obj);
      Object.assign(e, {
        shape: info.shape, maxshape: info.maxshape, chunks: info.chunks,
        filters: info.filters.map((x) => [x.id, x.flags, x.cdValues]),
      });
      const d = info.dtype;
      if (d && (d.kind === "numeric" || (d.kind === "string" && d.length !== null))) e.dtype = toNumpyTypestr(d);
      if (info.chunks) {
        e.stored = core.listChunks(obj).map((c) => {
          const raw = core.readChunk(obj, c.offset)!;
          return [c.offset as number[], raw.filterMask, c.size, sha(raw.data)];
        });
      }
      const plugin = info.filters.some((x) => STUBS.has(x.id));
      e.sha = e.dtype && !plugin ? sha(core.readRaw(obj)) : null;
      core.close(obj);
    }
  };
  visit("/");
  return out;
}

let core: Hdf5Core;
beforeAll(async () => { core = await initHdf5(); });

describe("fixtures read through the core agree with h5py", () => {
  it.each(FILES)("%s", (name) => {
    const path = `${DIR}/${name}`;
    expect(core.isHdf5(path)).toBe(true);
    const theirs = py<Record<string, Entry>>(H5PY_WALK, path);
    const f = core.openFile(path, "r");
    try {
      const ours = walkCore(core, f);
      expect(Object.keys(ours)).toEqual(Object.keys(theirs));
      for (const [p, e] of Object.entries(theirs)) {
        const o = ours[p]!;
        if (o.dtype === undefined) delete e.dtype; // vlen strings, references, compounds: compared elsewhere
        expect(o, p).toEqual(e);
      }
      expect(core.openObjectCount(f)).toBe(1); // nothing leaked by the walk
    } finally {
      core.closeFile(f);
    }
  });

  it("plugin-filtered chunks come back with h5py's filter mask and size", () => {
    const f = core.openFile(`${DIR}/a_h5dataio.nwb`, "r");
    try {
      const want: Record<string, number> = {
        test_blosc_lz4_bitshuffle_timeseries: 32001, test_blosc_zstd_timeseries: 32001,
        test_lz4_timeseries: 32004, test_bzip2_timeseries: 307, test_lzf_timeseries: 32000,
      };
      for (const [ts, id] of Object.entries(want)) {
        const ds = core.open(f, `/acquisition/${ts}/data`);
        const info = core.datasetInfo(ds);
        expect(info.filters.map((x) => x.id)).toEqual([id]);
        const first = core.readChunk(ds, info.shape.map(() => 0))!;
        expect(first.filterMask).toBe(0);
        expect(first.data.byteLength).toBe(core.chunkInfo(ds, info.shape.map(() => 0))!.size);
        // HDF5 cannot decode these in the wasm: a clear error, never compressed bytes as values
        expect(() => core.readRaw(ds)).toThrow(/filter|pipeline/i);
        core.close(ds);
      }
    } finally {
      core.closeFile(f);
    }
  });
});
