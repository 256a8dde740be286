/**
 * HDF5 file -> builder tree, as hdmf's HDF5IO.read_builder: groups, datasets (small ones loaded,
 * the rest lazy StoredDataset handles), attributes; soft links and external links as
 * LinkBuilders; a second hard link to an object already seen reads as a link to its first path.
 * The cached spec (`.specloc` and its group) stays out of the tree, as in hdmf.
 */
import { SPEC_LOC_ATTR } from "../../schema/spec/cache.js";
import { LinkError } from "../../errors.js";
import { product } from "../../data/selection.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder } from "../../schema/builders.js";
import { readAttributes } from "./attributes.js";
import { Hdf5Dataset, type FileContext } from "./dataset.js";
import { elementSize } from "../../data/element-bytes.js";
import type { H5Object, LinkInfo } from "./core.js";
import { LinkCycle, type ExternalFiles } from "./external-files.js";

/** Datasets up to this many stored bytes are read into memory with the tree. */
export const EAGER_BYTES = 64 * 1024;

export { SPEC_LOC_ATTR };

export class TreeReader {
  readonly #ctx: FileContext;
  readonly #externals: ExternalFiles;
  readonly #seen = new Map<number, string>();
  readonly #datasets: Hdf5Dataset[];
  #ignore = new Set<string>();

  constructor(ctx: FileContext, externals: ExternalFiles, openDatasets: Hdf5Dataset[]) {
    this.#ctx = ctx;
    this.#externals = externals;
    this.#datasets = openDatasets;
  }

  async read(rootPath = "/"): Promise<GroupBuilder | DatasetBuilder> {
    const { core, file } = this.#ctx;
    if (rootPath === "/") {
      const root = new GroupBuilder("root", { source: this.#ctx.source });
      const specloc = root.attributes; // filled below
      for (const [k, v] of readAttributes(core, file, this.#ctx.refs, "/")) {
        if (k === SPEC_LOC_ATTR) {
          const target = v.value && typeof v.value === "object" && "path" in v.value ? String((v.value as { path: string }).path) : "";
          if (target) this.#ignore.add(target);
          continue;
        }
        specloc.set(k, v);
      }
      root.locationPath = "/";
      await this.#children(root, "/");
      return root;
    }
    const info = core.linkInfo(file, rootPath);
    const name = rootPath.split("/").pop()!;
    return this.#hard(name, rootPath, info) as Promise<GroupBuilder | DatasetBuilder>;
  }

  async #children(g: GroupBuilder, path: string): Promise<void> {
    const { core, file } = this.#ctx;
    for (const info of core.list(file, path)) {
      const p = path === "/" ? `/${info.name}` : `${path}/${info.name}`;
      if (this.#ignore.has(p)) continue;
      if (info.link === "soft") {
        g.add(located(new LinkBuilder(info.name, { path: info.target }, { source: this.#ctx.source }), p));
      } else if (info.link === "external") {
        g.add(located(await this.#external(info.name, p, info.file, info.target), p));
      } else if (info.link === "hard") {
        const child = await this.#hard(info.name, p, info);
        g.add(child);
      }
    }
  }

  async #hard(name: string, path: string, info: LinkInfo): Promise<GroupBuilder | DatasetBuilder | LinkBuilder> {
    const addr = "addr" in info ? info.addr : undefined;
    if (addr !== undefined) {
      const first = this.#seen.get(addr);
      if (first !== undefined) return located(new LinkBuilder(name, { path: first }, { source: this.#ctx.source }), path);
      this.#seen.set(addr, path);
    }
    const kind = "kind" in info ? info.kind : "unknown";
    if (kind === "group") {
      const g = new GroupBuilder(name, { source: this.#ctx.source });
      located(g, path);
      this.#readAttrs(g, path);
      await this.#children(g, path);
      return g;
    }
    return this.#dataset(name, path);
  }

  #readAttrs(b: Builder, path: string, obj?: H5Object): void {
    const { core, file, refs } = this.#ctx;
    const o = obj ?? core.open(file, path);
    try {
      for (const [k, v] of readAttributes(core, o, refs, path)) b.attributes.set(k, v);
    } finally {
      if (!obj) core.close(o);
    }
  }

  async #dataset(name: string, path: string): Promise<DatasetBuilder> {
    const { core, file } = this.#ctx;
    const obj = core.open(file, path);
    const ds = await Hdf5Dataset.open(this.#ctx, obj, path);
    const bytes = product(ds.shape) * (ds.dtype.kind === "string" && ds.dtype.length === null ? 64 : elementSize(ds.dtype));
    let b: DatasetBuilder;
    if (bytes <= EAGER_BYTES) {
      b = new DatasetBuilder(name, await ds.read(), { source: this.#ctx.source, dtype: ds.dtype });
      this.#readAttrs(b, path, obj);
      ds.close();
    } else {
      b = new DatasetBuilder(name, ds, { source: this.#ctx.source, dtype: ds.dtype });
      this.#readAttrs(b, path, obj);
      this.#datasets.push(ds);
    }
    return located(b, path);
  }

  async #external(name: string, path: string, fileName: string, target: string): Promise<LinkBuilder> {
    let builder: GroupBuilder | DatasetBuilder;
    try {
      builder = await this.#externals.read(fileName, target);
    } catch (e) {
      // a cycle (a -> b -> a) or, when asked, a broken target stays a plain link to its absolute location
      if (e instanceof LinkCycle || this.#externals.allowBrokenLinks) {
        return new LinkBuilder(name, { path: target, source: this.#externals.resolveName(fileName) }, { source: this.#ctx.source });
      }
      throw new LinkError(`${this.#ctx.source}:${path}: external link to ${fileName}:${target} cannot be resolved: ${e instanceof Error ? e.message : String(e)}`,
        { path, target: `${fileName}:${target}`, cause: e });
    }
    return new LinkBuilder(name, builder, { source: this.#ctx.source });
  }
}

function located<T extends Builder>(b: T, path: string): T {
  b.locationPath = path;
  return b;
}
