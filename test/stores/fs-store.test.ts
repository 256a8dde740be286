import { mkdtemp, mkdir, readFile, readdir, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { FsStore } from "../../src/stores/fs-store.js";
import type { StoreKey } from "../../src/stores/store.js";
import { describeStoreSuite, type Entries } from "./store-suite.js";

async function writeSeed(root: string, seed: Entries | undefined): Promise<void> {
  for (const [k, v] of seed ?? []) {
    const file = path.join(root, ...k.slice(1).split("/"));
    await mkdir(path.dirname(file), { recursive: true });
    await writeFile(file, v);
  }
}

async function walk(dir: string, rel = ""): Promise<StoreKey[]> {
  const out: StoreKey[] = [];
  for (const e of await readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const r = `${rel}/${e.name}`;
    if (e.isDirectory()) out.push(...(await walk(path.join(dir, e.name), r)));
    else out.push(r as StoreKey);
  }
  return out.sort();
}

describeStoreSuite("FsStore", async () => {
  // The store root is a child of `outer`, so peekKeys sees anything written beside the root too.
  const outer = await mkdtemp(path.join(tmpdir(), "hdmf-fs-store-"));
  const root = path.join(outer, "store");
  return {
    async open(seed?: Entries) { await writeSeed(root, seed); return new FsStore(root); },
    async openReadOnly(seed: Entries) { await writeSeed(root, seed); return new FsStore(root, { readOnly: true }); },
    async peek(key: StoreKey) {
      return readFile(path.join(root, ...key.slice(1).split("/"))).then((b) => new Uint8Array(b), () => undefined);
    },
    async peekKeys() {
      return (await walk(outer)).map((k) => (k.startsWith("/store/") ? k.slice("/store".length) : `/OUTSIDE${k}`) as StoreKey);
    },
    async dispose() { await rm(outer, { recursive: true, force: true }); },
  };
});
