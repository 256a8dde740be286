/**
 * Malformed Zarr inputs for the reliability matrix: a valid store written by ZarrIO, then
 * one thing broken in its raw files. Each case's action opens and reads everything.
 */
import { readFile, writeFile, rm, mkdir } from "node:fs/promises";
import path from "node:path";
import { openZarr } from "../../src/backends/zarr/index.js";
import { DataIO } from "../../src/data/data-io.js";
import { isStoredDataset } from "../../src/data/data-source.js";
import { array, NdArray } from "../../src/data/ndarray.js";
import { dtypes } from "../../src/data/dtype.js";
import { ObjectReference } from "../../src/data/reference.js";
import type { HdmfErrorKind } from "../../src/errors.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder } from "../../src/schema/builders.js";

export interface MalformedCase {
  readonly name: string;
  /** Build the bad input under `dir`; returns the action that must fail. */
  make(dir: string): Promise<() => Promise<unknown>>;
  /** Error kinds accepted (default: any typed HdmfError). */
  readonly kinds?: readonly HdmfErrorKind[];
  /** A path the error must name (field or message). */
  readonly names: string;
  /**
   * Policy cases: the input is legitimate, so the action must succeed (it checks what it read
   * and throws if that is wrong); the text says why. The matrix counts these as OK.
   */
  readonly succeeds?: string;
}

const enc = (s: string) => new TextEncoder().encode(s);

/** The valid store every Zarr case starts from (uncompressed chunks so bytes are easy to break). */
export async function validZarr(dir: string, zarrFormat: 2 | 3 = 2, shards = false): Promise<string> {
  const p = path.join(dir, "store.zarr");
  const io = await openZarr(p, "w", { zarrFormat, defaultCompressor: null, shards: shards ? { chunksPerShard: 4 } : undefined });
  const root = new GroupBuilder("root");
  const g = root.group("g");
  g.setAttribute("a", "value", "text");
  const x = root.add(new DatasetBuilder("x", new DataIO({ data: new NdArray(Int16Array.from({ length: 100 }, (_, i) => i), [100], dtypes.int16), chunks: [10] })));
  root.add(new DatasetBuilder("z", new DataIO({ data: array(Float64Array.from([1, 2, 3, 4])), chunks: [2], compression: "gzip" })));
  g.add(new LinkBuilder("l", x));
  g.setAttribute("r", new ObjectReference("/x", undefined, undefined, x));
  await io.write(root, { cacheSpec: false });
  await io.close();
  return p;
}

/** Open read-only, read the tree and every dataset's values. */
export async function readEverything(target: string): Promise<void> {
  const io = await openZarr(target, "r");
  try {
    const root = await io.readBuilder();
    for (const b of root.walk()) if (b instanceof DatasetBuilder && isStoredDataset(b.data)) await b.data.read();
  } finally {
    await io.close();
  }
}

async function editJson(file: string, edit: (doc: Record<string, unknown>) => void): Promise<void> {
  const doc = JSON.parse(await readFile(file, "utf8")) as Record<string, unknown>;
  edit(doc);
  await writeFile(file, JSON.stringify(doc));
}

/** Read everything, then open what `path` points to through the IO (links and references are followed here). */
export async function readAndFollow(target: string, path: string): Promise<void> {
  await readEverything(target);
  const io = await openZarr(target, "r");
  try {
    const root = await io.readBuilder();
    const node = root.find(path);
    const follow = node instanceof LinkBuilder ? node.targetPath : path;
    await io.dataset(follow);
  } finally {
    await io.close();
  }
}

/** A v2 case: break the valid store, then read everything (consolidated metadata removed unless asked). */
function v2(name: string, names: string, breakIt: (store: string) => Promise<void>, options: { keepConsolidated?: boolean; kinds?: HdmfErrorKind[]; follow?: string } = {}): MalformedCase {
  return {
    name: `zarr v2: ${name}`, names, kinds: options.kinds,
    async make(dir) {
      const store = await validZarr(dir);
      if (!options.keepConsolidated) await rm(path.join(store, ".zmetadata"), { force: true });
      await breakIt(store);
      return options.follow ? () => readAndFollow(store, options.follow!) : () => readEverything(store);
    },
  };
}

function v3(name: string, names: string, breakIt: (store: string) => Promise<void>, shards = false): MalformedCase {
  return {
    name: `zarr v3${shards ? " sharded" : ""}: ${name}`, names,
    async make(dir) {
      const store = await validZarr(dir, 3, shards);
      await editJson(path.join(store, "zarr.json"), (d) => { delete d.consolidated_metadata; });
      await breakIt(store);
      return () => readEverything(store);
    },
  };
}

/**
 * Policy: an absolute external source is legitimate (h5py/HDF5 allow absolute external links,
 * hdmf-zarr resolves `source` with os.path.join, which keeps absolute paths). Reading gives a
 * LinkBuilder with that absolute target; nothing is opened until export resolves it.
 */
function absoluteSourceLink(): MalformedCase {
  return {
    name: "zarr v2: link to an absolute file source", names: "/g",
    succeeds: "absolute external sources are legitimate (h5py, hdmf-zarr); read as a LinkBuilder to /etc/passwd:/x, nothing opened",
    async make(dir) {
      const store = await validZarr(dir);
      await rm(path.join(store, ".zmetadata"), { force: true });
      await editJson(zattrs(store), (d) => { d.zarr_link = [{ name: "l", source: "/etc/passwd", path: "/x", object_id: null, source_object_id: null }]; });
      return async () => {
        await readEverything(store);
        const io = await openZarr(store, "r");
        try {
          const link = (await io.readBuilder()).find("/g/l");
          if (!(link instanceof LinkBuilder) || link.targetSource !== "/etc/passwd" || link.targetPath !== "/x") {
            throw new Error(`expected /g/l to be a LinkBuilder to /etc/passwd:/x, got ${link instanceof LinkBuilder ? `${link.targetSource}:${link.targetPath}` : String(link)}`);
          }
        } finally {
          await io.close();
        }
      };
    },
  };
}

const zarray = (s: string, n = "x") => path.join(s, n, ".zarray");
const zattrs = (s: string, n = "g") => path.join(s, n, ".zattrs");

export const ZARR_CASES: MalformedCase[] = [
  v2("bad JSON in .zarray", "/x", (s) => writeFile(zarray(s), "{ not json")),
  v2("bad JSON in .zattrs", "/g", (s) => writeFile(zattrs(s), "[1, 2,")),
  v2("bad JSON in .zgroup", "/g", (s) => writeFile(path.join(s, "g", ".zgroup"), "\u0000\u0001")),
  v2("bad JSON in .zmetadata", ".zmetadata", (s) => writeFile(path.join(s, ".zmetadata"), "{\"metadata\": "), { keepConsolidated: true }),
  v2(".zmetadata metadata is not an object", ".zmetadata", (s) => editJson(path.join(s, ".zmetadata"), (d) => { d.metadata = 42; }), { keepConsolidated: true }),
  v2("dtype disagrees with chunk bytes (<f8 for int16 chunks)", "/x", (s) => editJson(zarray(s), (d) => { d.dtype = "<f8"; })),
  v2("shape disagrees with chunks present (shape 5, chunk 9 present)", "/x", (s) => editJson(zarray(s), (d) => { d.shape = [5]; d.chunks = [1]; })),
  v2("negative shape", "/x", (s) => editJson(zarray(s), (d) => { d.shape = [-5]; })),
  v2("huge shape (2^60)", "/x", (s) => editJson(zarray(s), (d) => { d.shape = [2 ** 60]; })),
  v2("non-integer shape", "/x", (s) => editJson(zarray(s), (d) => { d.shape = [1.5]; })),
  v2("zero chunk size", "/x", (s) => editJson(zarray(s), (d) => { d.chunks = [0]; })),
  v2("missing shape field", "/x", (s) => editJson(zarray(s), (d) => { delete d.shape; })),
  v2("unknown zarr_format", "/x", (s) => editJson(zarray(s), (d) => { d.zarr_format = 99; })),
  v2("unknown dtype", "/x", (s) => editJson(zarray(s), (d) => { d.dtype = "<q17"; })),
  v2("unknown compressor id", "/x", (s) => editJson(zarray(s), (d) => { d.compressor = { id: "no-such-codec" }; })),
  v2("bad order", "/x", (s) => editJson(zarray(s), (d) => { d.order = "X"; })),
  v2("dimension_separator with '..'", "/x", (s) => editJson(zarray(s), (d) => { d.dimension_separator = "/../"; })),
  v2("fill_value of the wrong type", "/x", (s) => editJson(zarray(s), (d) => { d.fill_value = { evil: true }; })),
  v2("short chunk (truncated to 7 bytes)", "/x", async (s) => { const f = path.join(s, "x", "3"); await writeFile(f, (await readFile(f)).subarray(0, 7)); }),
  v2("oversized chunk (+1 MiB)", "/x", async (s) => { const f = path.join(s, "x", "3"); await writeFile(f, Buffer.concat([await readFile(f), Buffer.alloc(1 << 20)])); }),
  v2("corrupt gzip chunk", "/z", async (s) => { const f = path.join(s, "z", "1"); const b = await readFile(f); b.fill(0x5a, 2); await writeFile(f, b); }),
  v2("truncated gzip chunk", "/z", async (s) => { const f = path.join(s, "z", "0"); await writeFile(f, (await readFile(f)).subarray(0, 5)); }),
  v2("link target with '..'", "/g", (s) => editJson(zattrs(s), (d) => { d.zarr_link = [{ name: "l", source: ".", path: "/../../etc/passwd", object_id: null, source_object_id: null }]; })),
  absoluteSourceLink(),
  v2("link target with NUL", "/g", (s) => editJson(zattrs(s), (d) => { d.zarr_link = [{ name: "l", source: ".", path: "/x\u0000y", object_id: null, source_object_id: null }]; })),
  v2("link name with '/' and '..'", "/g", (s) => editJson(zattrs(s), (d) => { d.zarr_link = [{ name: "../../escape", source: ".", path: "/x", object_id: null, source_object_id: null }]; })),
  v2("link cycle (g/l -> g/m -> g/l), followed", "/g/", (s) => editJson(zattrs(s), (d) => {
    d.zarr_link = [{ name: "l", source: ".", path: "/g/m", object_id: null, source_object_id: null }, { name: "m", source: ".", path: "/g/l", object_id: null, source_object_id: null }];
  }), { follow: "/g/l" }),
  v2("link to a missing object, followed", "/nope", (s) => editJson(zattrs(s), (d) => { d.zarr_link = [{ name: "l", source: ".", path: "/nope", object_id: null, source_object_id: null }]; }), { follow: "/g/l" }),
  v2("zarr_link is not a list", "/g", (s) => editJson(zattrs(s), (d) => { d.zarr_link = "oops"; })),
  v2("reference attribute to a missing object, dereferenced", "/nope/deeper", (s) => editJson(zattrs(s), (d) => { d.r = { zarr_dtype: "object", value: { source: ".", path: "/nope/deeper", object_id: null, source_object_id: null } }; }), { follow: "/nope/deeper" }),
  v2("reference attribute with '..'", "/g", (s) => editJson(zattrs(s), (d) => { d.r = { zarr_dtype: "object", value: { source: ".", path: "/../x", object_id: null, source_object_id: null } }; })),
  v2("unknown attribute zarr_dtype", "/g", (s) => editJson(zattrs(s), (d) => { d.r = { zarr_dtype: "exec", value: "rm -rf /" }; })),
  v3("bad JSON in zarr.json", "/x", (s) => writeFile(path.join(s, "x", "zarr.json"), "{{")),
  v3("unknown data_type", "/x", (s) => editJson(path.join(s, "x", "zarr.json"), (d) => { d.data_type = "int256"; })),
  v3("unknown codec", "/x", (s) => editJson(path.join(s, "x", "zarr.json"), (d) => { d.codecs = [{ name: "bytes", configuration: { endian: "little" } }, { name: "exec-codec" }]; })),
  v3("node_type bogus", "/x", (s) => editJson(path.join(s, "x", "zarr.json"), (d) => { d.node_type = "table"; })),
  v3("chunk_key_encoding separator '..'", "/x", (s) => editJson(path.join(s, "x", "zarr.json"), (d) => { d.chunk_key_encoding = { name: "default", configuration: { separator: ".." } }; })),
  v3("truncated shard (index cut off)", "/x", async (s) => {
    const f = path.join(s, "x", "c", "0");
    await writeFile(f, (await readFile(f)).subarray(0, 9));
  }, true),
  v3("shard index pointing past the end", "/x", async (s) => {
    const f = path.join(s, "x", "c", "0");
    const b = await readFile(f);
    b.writeBigUInt64LE(1n << 40n, b.length - 4 - 16 * 4); // first entry's offset, before the crc32c
    await writeFile(f, b);
  }, true),
];

/** Pickled object arrays (hdmf-zarr's legacy object codec): the restricted decoder must refuse anything but plain data. */
export function pickleCase(name: string, filters: Array<Record<string, unknown>>, payload: Uint8Array): MalformedCase {
  return {
    name: `zarr v2 pickle: ${name}`, names: "/p",
    async make(dir) {
      const store = path.join(dir, "store.zarr");
      await mkdir(path.join(store, "p"), { recursive: true });
      await writeFile(path.join(store, ".zgroup"), JSON.stringify({ zarr_format: 2 }));
      await writeFile(path.join(store, ".zattrs"), "{}");
      await writeFile(path.join(store, "p", ".zarray"), JSON.stringify({ zarr_format: 2, shape: [1], chunks: [1], dtype: "|O", compressor: null, fill_value: 0, order: "C", filters }));
      await writeFile(path.join(store, "p", ".zattrs"), JSON.stringify({ zarr_dtype: "object" }));
      await writeFile(path.join(store, "p", "0"), payload);
      return () => readEverything(store);
    },
  };
}

/** Protocol-2 pickle: GLOBAL posix.system, a string argument, REDUCE (what `pickle.dumps(os.system('...'))`-style payloads do). */
export function systemPickle(cmd: string): Uint8Array {
  return new Uint8Array([0x80, 0x02, ...enc("cposix\nsystem\n"), 0x58, ...u32(cmd.length), ...enc(cmd), 0x85, 0x52, 0x2e]);
}

function u32(n: number): number[] {
  return [n & 0xff, (n >> 8) & 0xff, (n >> 16) & 0xff, (n >> 24) & 0xff];
}

export const PICKLE_CASES = (sentinelFile: string): MalformedCase[] => [
  pickleCase("GLOBAL posix.system REDUCE", [{ id: "pickle", protocol: 2 }], systemPickle(`touch ${sentinelFile}`)),
  pickleCase("harmless codec listed before pickle (hdmf-zarr #385)", [{ id: "json2", encoding: "utf-8" }, { id: "pickle" }], systemPickle(`touch ${sentinelFile}`)),
  pickleCase("GLOBAL builtins.eval", [{ id: "pickle" }], new Uint8Array([0x80, 0x02, ...enc("cbuiltins\neval\n"), 0x58, ...u32(4), ...enc("1+1 "), 0x85, 0x52, 0x2e])),
  pickleCase("truncated pickle stream", [{ id: "pickle" }], new Uint8Array([0x80, 0x02, 0x5d, 0x71])),
];
