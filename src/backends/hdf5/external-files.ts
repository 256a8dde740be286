/**
 * Files reached through external links: opened read-only on first use, relative names resolved
 * against the linking file's directory (as HDF5 does by default; for a file at a URL, against its
 * URL), cached, and closed with the IO.
 */
import { dirname, isAbsolute, resolve } from "node:path";
import { openRemote, type OpenedRemote, type RemoteAccess } from "./remote-access.js";
import type { DatasetBuilder, GroupBuilder } from "../../schema/builders.js";
import type { H5File, Hdf5Core } from "./core.js";
import { Hdf5Dataset, type FileContext } from "./dataset.js";
import { fileRefCodec } from "./refs.js";
import { TreeReader } from "./read-tree.js";

interface Opened { readonly ctx: FileContext; readonly datasets: Hdf5Dataset[]; readonly mounted?: OpenedRemote }

export class ExternalFiles {
  readonly #core: Hdf5Core;
  readonly #from: string;
  readonly #concurrency: number;
  /** Shared by every view (one per linking file), so each file opens once. */
  readonly #open: Map<string, Promise<Opened>>;
  readonly #remote: RemoteAccess | undefined;

  /** `file::path` of the external links being followed to get here (cycle guard). */
  readonly chain: readonly string[];
  /** Keep external links whose target cannot be read as plain (dangling) links instead of failing. */
  readonly allowBrokenLinks: boolean;

  constructor(core: Hdf5Core, fromFile: string, concurrency: number, cache = new Map<string, Promise<Opened>>(), chain: readonly string[] = [], allowBrokenLinks = false, remote?: RemoteAccess) {
    this.#remote = remote;
    this.#core = core;
    this.#from = fromFile;
    this.#concurrency = concurrency;
    this.#open = cache;
    this.chain = chain;
    this.allowBrokenLinks = allowBrokenLinks;
  }

  /** Absolute path of an external link's file name. */
  resolveName(fileName: string): string {
    if (this.#remote?.isRemote(this.#from)) return this.#remote.resolve(this.#from, fileName);
    return isAbsolute(fileName) ? fileName : resolve(dirname(resolve(this.#from)), fileName);
  }

  #get(fileName: string): Promise<Opened> {
    const abs = this.resolveName(fileName);
    let o = this.#open.get(abs);
    if (!o) {
      o = (async () => {
        const mounted = this.#remote?.isRemote(abs) ? await openRemote(this.#remote, abs) : undefined;
        let file: H5File;
        try {
          file = this.#core.openFile(mounted ? mounted.path : abs, "r");
        } catch (e) {
          await mounted?.close();
          throw e;
        }
        const ctx: FileContext = {
          core: this.#core, file, source: abs, refs: fileRefCodec(this.#core, file, abs),
          concurrency: this.#concurrency, bufferBytes: 0, ...(mounted ? { remote: mounted.remote } : {}),
        };
        return { ctx, datasets: [], ...(mounted ? { mounted } : {}) };
      })();
      this.#open.set(abs, o);
    }
    return o;
  }

  /** The builder (lazy datasets) of `objectPath` in the linked file. */
  async read(fileName: string, objectPath: string): Promise<GroupBuilder | DatasetBuilder> {
    const key = `${this.resolveName(fileName)}::${objectPath}`;
    if (this.chain.includes(key)) throw new LinkCycle(`external link cycle: ${[...this.chain, key].join(" -> ")}`);
    const o = await this.#get(fileName);
    const next = new ExternalFiles(this.#core, o.ctx.source, this.#concurrency, this.#open, [...this.chain, key], this.allowBrokenLinks, this.#remote);
    return new TreeReader(o.ctx, next, o.datasets).read(objectPath);
  }

  /** A dataset handle in the linked file (for `dataset(path)` through an external link). */
  async dataset(fileName: string, objectPath: string): Promise<Hdf5Dataset> {
    const o = await this.#get(fileName);
    const ds = await Hdf5Dataset.open(o.ctx, this.#core.open(o.ctx.file, objectPath), objectPath);
    o.datasets.push(ds);
    return ds;
  }

  async close(): Promise<void> {
    const all = [...this.#open.values()];
    this.#open.clear();
    for (const r of await Promise.allSettled(all)) {
      if (r.status !== "fulfilled") continue;
      try {
        this.#core.closeFile(r.value.ctx.file);
      } finally {
        await r.value.mounted?.close();
      }
    }
  }
}

/** Raised by read() when following a link would loop; the reader keeps such a link unresolved. */
export class LinkCycle extends Error {}
