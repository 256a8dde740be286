/**
 * Bad input: every failure is a typed HdmfError naming the path; nothing outside the store
 * root is ever read or written.
 */
import { mkdtemp, mkdir, readdir, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { FormatError, InvalidInputError, ModeError, NotFoundError } from "../../src/errors.js";
import { MemoryStore } from "../../src/stores/memory-store.js";
import { openZarr } from "../../src/backends/zarr/index.js";
import { array } from "../../src/data/ndarray.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder } from "../../src/schema/builders.js";
import { valueOf } from "./sample-tree.js";
import { crc32c } from "../../src/codecs/crc32c.js";
import { DataIO } from "../../src/data/data-io.js";

const enc = (s: string): Uint8Array => new TextEncoder().encode(s);

async function smallStore(): Promise<MemoryStore> {
  const store = new MemoryStore();
  const io = await openZarr(store, "w", { defaultCompressor: null });
  const root = new GroupBuilder("root");
  root.group("g").add(new DatasetBuilder("d", array(Float64Array.from([1, 2, 3, 4]))));
  root.add(new DatasetBuilder("s", array(["a", "b"])));
  await io.write(root);
  await io.close();
  return store;
}

async function readAll(store: MemoryStore): Promise<void> {
  const io = await openZarr(store, "r");
  try {
    const root = await io.readBuilder();
    for (const b of root.walk()) if (b instanceof DatasetBuilder) await valueOf(b);
  } finally {
    await io.close();
  }
}

describe("typed errors for bad stores", () => {
  it("corrupt .zarray JSON -> FormatError naming the array", async () => {
    const store = await smallStore();
    await store.delete("/.zmetadata");
    await store.set("/g/d/.zarray", enc('{"chunks": [4], "shape": [4'));
    const e = await readAll(store).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FormatError);
    expect((e as FormatError).path).toBe("/g/d/.zarray");
  });

  it("a .zarray missing a required field -> FormatError with the path", async () => {
    const store = await smallStore();
    await store.delete("/.zmetadata");
    await store.set("/g/d/.zarray", enc('{"chunks": [4], "shape": [4], "dtype": "<f8", "zarr_format": 2, "order": "C", "filters": null}'));
    await expect(readAll(store)).rejects.toMatchObject({ kind: "format", path: "/g/d", message: expect.stringContaining('"compressor"') });
  });

  it("corrupt consolidated metadata -> FormatError naming .zmetadata", async () => {
    const store = await smallStore();
    await store.set("/.zmetadata", enc("{not json"));
    await expect(openZarr(store, "r")).rejects.toMatchObject({ kind: "format", path: "/.zmetadata" });
  });

  it("a chunk of the wrong size -> FormatError naming the chunk key", async () => {
    const store = await smallStore();
    await store.set("/g/d/0", new Uint8Array(24));
    const e = await readAll(store).catch((x: unknown) => x);
    expect(e).toBeInstanceOf(FormatError);
    expect((e as FormatError).path).toBe("/g/d/0");
    expect((e as Error).message).toMatch(/24 bytes, expected 32/);
  });

  it("an object array without hdmf-zarr's zarr_dtype reads as zarr-python reads it; an unknown object codec is a CodecError naming it", async () => {
    const store = await smallStore();
    await store.delete("/.zmetadata");
    await store.set("/s/.zattrs", enc("{}"));
    const io = await openZarr(store, "r");
    const s = await (await io.dataset("/s")).read();
    expect(s.dtype).toMatchObject({ kind: "string" });
    expect(s.toArray()).toEqual(["a", "b"]);
    await io.close();
    const meta = JSON.parse(new TextDecoder().decode(await store.get("/s/.zarray")));
    await store.set("/s/.zarray", enc(JSON.stringify({ ...meta, filters: [{ id: "no-such-object-codec" }] })));
    await expect(readAll(store)).rejects.toMatchObject({ path: "/s" });
  });

  it("a shard index pointing past the shard (valid checksum) -> FormatError naming the shard, never a wrong value", async () => {
    const store = new MemoryStore();
    const io = await openZarr(store, "w", { zarrFormat: 3, shards: { chunksPerShard: 2 } });
    const root = new GroupBuilder("root");
    root.add(new DatasetBuilder("d", new DataIO({ data: array(Float64Array.from({ length: 8 }, (_, i) => i)), chunks: [2] })));
    await io.write(root);
    await io.close();
    const keys: string[] = [];
    for await (const k of store.list("/d")) if (k.includes("/c/")) keys.push(k);
    const key = keys.sort()[0] as `/${string}`;
    for (const off of [2n ** 40n, 2n ** 62n]) {
      const shard = (await store.get(key))!.slice();
      const idx = shard.byteLength - (2 * 16 + 4);
      const view = new DataView(shard.buffer);
      view.setBigUint64(idx + 16, off, true); // inner chunk 1 now starts far past the shard's end
      view.setUint32(idx + 32, crc32c(shard.subarray(idx, idx + 32)), true);
      await store.set(key, shard);
      const r = await openZarr(store, "r");
      const err = await (await r.dataset("/d")).read().catch((e: unknown) => e);
      expect(err).toBeInstanceOf(FormatError);
      expect((err as FormatError).message).toMatch(new RegExp(`shard ${key}: inner chunk 1`));
      await r.close();
    }
  });

  it("keys with '..' or absolute paths are refused: dataset paths, builder names, link targets", async () => {
    const store = await smallStore();
    const io = await openZarr(store, "r+");
    await expect(io.dataset("/g/../../etc/passwd")).rejects.toBeInstanceOf(InvalidInputError);
    await expect(io.dataset("/g/d/..")).rejects.toBeInstanceOf(InvalidInputError);
    const bad = new GroupBuilder("root");
    bad.add(new DatasetBuilder("..", array([1])));
    await expect(io.write(bad)).rejects.toBeInstanceOf(InvalidInputError);
    await io.close();
    const rec = JSON.parse(new TextDecoder().decode(await store.get("/g/.zattrs") ?? enc("{}")));
    await store.delete("/.zmetadata");
    await store.set("/g/.zattrs", enc(JSON.stringify({ ...rec, zarr_link: [{ name: "x", source: ".", path: "/../../outside" }] })));
    await expect(readAll(store)).rejects.toBeInstanceOf(InvalidInputError);
    await expect(store.get("/../x" as `/${string}`)).rejects.toBeInstanceOf(InvalidInputError);
  });

  it("missing paths are NotFoundError; modes are enforced with ModeError", async () => {
    const store = await smallStore();
    const io = await openZarr(store, "r");
    await expect(io.dataset("/nope")).rejects.toBeInstanceOf(NotFoundError);
    const d = await io.dataset("/g/d");
    await expect(d.write([[0, 1]], 5)).rejects.toBeInstanceOf(ModeError);
    await expect(io.write(new GroupBuilder("root"))).rejects.toBeInstanceOf(ModeError);
    await io.close();
    await expect(openZarr(store, "w-")).rejects.toBeInstanceOf(ModeError);
    await expect(openZarr(new MemoryStore(), "r")).rejects.toBeInstanceOf(NotFoundError);
    await expect(openZarr(new MemoryStore(), "r+")).rejects.toBeInstanceOf(NotFoundError);
    await expect(openZarr(new MemoryStore({ readOnly: true }), "a")).rejects.toBeInstanceOf(ModeError);
  });
});

describe("nothing outside the store root", () => {
  let dir: string;
  beforeEach(async () => { dir = await mkdtemp(join(tmpdir(), "zarr-root-")); });
  afterEach(async () => { await rm(dir, { recursive: true, force: true }); });

  it("writes with external links and odd names stay inside the root; a sibling is untouched", async () => {
    await mkdir(join(dir, "sibling"));
    await writeFile(join(dir, "sibling", "secret"), "x");
    const root = new GroupBuilder("root");
    root.add(new LinkBuilder("ext", { path: "/acquisition/ts", source: join(dir, "sibling") }));
    root.group("a").add(new DatasetBuilder("b", array([1, 2, 3])));
    const io = await openZarr(join(dir, "store.zarr"), "w", { defaultCompressor: null });
    await io.write(root);
    await io.close();
    expect(await readdir(dir)).toEqual(["sibling", "store.zarr"]);
    expect(await readdir(join(dir, "sibling"))).toEqual(["secret"]);
    const r = await openZarr(join(dir, "store.zarr"), "r");
    const tree = await r.readBuilder();
    const link = tree.find("/ext") as LinkBuilder;
    // stored relative to the store (hdmf-zarr relpath); read back relative or resolved, pointing at the sibling
    expect(JSON.parse(await readFile(join(dir, "store.zarr", ".zattrs"), "utf8")).zarr_link[0].source).toBe("../sibling");
    expect(resolve(join(dir, "store.zarr"), link.targetSource!)).toBe(join(dir, "sibling"));
    expect(link.targetPath).toBe("/acquisition/ts");
    await r.close();
  });
});
