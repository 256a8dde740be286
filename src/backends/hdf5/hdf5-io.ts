/**
 * HDF5IO: the HDMFIO contract over the HDF5 wasm core. Chunk data goes through the shared codec
 * pipeline in TypeScript (dataset.ts); the tree mapping lives in write-tree.ts / read-tree.ts.
 */
import { availableParallelism } from "node:os";
import { InvalidInputError, NotFoundError, UnsupportedError } from "../../errors.js";
import type { GroupBuilder } from "../../schema/builders.js";
import type { CachedSpecEntry } from "../../schema/spec/cache.js";
import { HDMFIO, type IOOptions, type OpenMode, type WriteOptions } from "../io.js";
import { initHdf5, type H5File, type Hdf5Core } from "./core.js";
import { Hdf5Dataset, type FileContext } from "./dataset.js";
import { ExternalFiles } from "./external-files.js";
import { openRemote, type OpenedRemote, type RemoteAccess, type RemoteFileStats } from "./remote-access.js";
import { SPEC_LOC_ATTR, TreeReader } from "./read-tree.js";
import { fileRefCodec } from "./refs.js";
import { readCachedSpecs, writeCachedSpecs } from "./spec-cache.js";
import { TreeWriter } from "./write-tree.js";

/** Options of the HDF5 backend (HDF5IO): parallel chunk work, planner buffer, cached specs, broken links. */
export interface HDF5IOOptions<C = unknown> extends IOOptions<C> {
  /** Chunks encoded / decoded at once (default: 2 × CPUs, at least 4). */
  concurrency?: number;
  /** Most bytes the chunk planner buffers for one dataset (default 64 MiB). */
  bufferBytes?: number;
  /**
   * Spec entries to cache in the file on write (pynwb cache_spec), e.g. `cacheSpecs(catalog)`
   * from src/schema. Written when WriteOptions.cacheSpec is true (the default).
   */
  specs?: readonly CachedSpecEntry[];
  /** Read external links whose target cannot be opened as dangling links instead of failing (export --allow-broken-links). */
  allowBrokenLinks?: boolean;
  /**
   * Reading files at URLs (read-only).
   * @internal The factory supplies it (openIO, openHdf5File); set `s3`/`http`/`remoteCache` there.
   */
  remote?: RemoteAccess;
}

export class HDF5IO<C = unknown> extends HDMFIO<C> {
  readonly #options: HDF5IOOptions<C>;
  #core: Hdf5Core | undefined;
  #file: H5File | undefined;
  #ctx: FileContext | undefined;
  #externals: ExternalFiles | undefined;
  #mounted: OpenedRemote | undefined;
  readonly #datasets: Hdf5Dataset[] = [];

  constructor(source: string, mode: OpenMode = "r", options: HDF5IOOptions<C> = {}) {
    super(source, mode, options);
    this.#options = options;
  }

  async open(): Promise<void> {
    if (this.#file) return;
    this.assertOpen();
    const core = await initHdf5();
    const remote = this.#options.remote?.isRemote(this.source) ?? false;
    if (remote && this.mode !== "r") {
      throw new UnsupportedError(`cannot open ${this.source} in mode "${this.mode}": remote HDF5 files are read-only (export to Zarr to write to object storage)`, { feature: "hdf5 remote write", path: this.source });
    }
    const mounted = remote ? await openRemote(this.#options.remote!, this.source) : undefined;
    let file: H5File;
    try {
      file = core.openFile(mounted ? mounted.path : this.source, this.mode);
    } catch (e) {
      await mounted?.close();
      throw e;
    }
    const concurrency = this.#options.concurrency ?? Math.max(4, 2 * availableParallelism());
    this.#core = core;
    this.#file = file;
    this.#mounted = mounted;
    this.#ctx = {
      core, file, source: this.source, refs: fileRefCodec(core, file, this.source),
      concurrency, bufferBytes: this.#options.bufferBytes ?? 64 * 1024 * 1024,
      ...(mounted ? { remote: mounted.remote } : {}),
    };
    this.#externals = new ExternalFiles(core, this.source, concurrency, undefined, [], this.#options.allowBrokenLinks ?? false, this.#options.remote);
  }

  /** Remote files: requests, bytes and cache hits so far (undefined for a local file). */
  remoteStats(): RemoteFileStats | undefined {
    return this.#mounted?.stats();
  }

  protected async closeImpl(): Promise<void> {
    if (!this.#core || !this.#file) return;
    const core = this.#core;
    const file = this.#file;
    this.#core = undefined;
    this.#file = undefined;
    this.#datasets.length = 0;
    const mounted = this.#mounted;
    this.#mounted = undefined;
    try {
      await this.#externals?.close();
    } finally {
      try {
        core.closeFile(file); // closes every object still open in it
      } finally {
        await mounted?.close();
      }
    }
  }

  /** The open file's context (throws if not open). */
  #context(): FileContext {
    this.assertOpen();
    if (!this.#ctx || !this.#file) throw new InvalidInputError(`${this.source}: call open() first (openHdf5 does it)`, { option: "open" });
    return this.#ctx;
  }

  async readBuilder(): Promise<GroupBuilder> {
    const ctx = this.#context();
    return (await new TreeReader(ctx, this.#externals!, this.#datasets).read("/")) as GroupBuilder;
  }

  protected async writeBuilder(root: GroupBuilder, options: Required<Omit<WriteOptions, "signal">> & WriteOptions): Promise<void> {
    const ctx = this.#context();
    await new TreeWriter(ctx, { linkData: options.linkData, signal: options.signal }).write(root);
    if (options.cacheSpec && this.#options.specs?.length) await this.writeCachedSpecs(this.#options.specs);
  }

  get format(): "hdf5" {
    return "hdf5";
  }

  /** Write spec entries under /specifications and point the root's `.specloc` at it (pynwb layout). */
  async writeCachedSpecs(entries: readonly CachedSpecEntry[]): Promise<void> {
    this.assertWritable("cache specs");
    writeCachedSpecs(this.#context(), entries);
  }

  /** The spec entries cached in the file (empty when none): feed to `loadCachedSpecs`. */
  async readCachedSpecs(): Promise<CachedSpecEntry[]> {
    return readCachedSpecs(this.#context());
  }

  async dataset(path: string): Promise<Hdf5Dataset> {
    const ctx = this.#context();
    const { core, file } = ctx;
    const abs = path.startsWith("/") ? path : `/${path}`;
    if (!core.exists(file, abs)) throw new NotFoundError(`${this.source}:${abs}: no such dataset`, { path: abs });
    const info = core.linkInfo(file, abs);
    if (info.link === "external") return this.#externals!.dataset(info.file, info.target);
    if (info.link === "soft") return this.dataset(info.target);
    if (info.link !== "hard" || info.kind !== "dataset") throw new NotFoundError(`${this.source}:${abs}: not a dataset`, { path: abs });
    const ds = await Hdf5Dataset.open(ctx, core.open(file, abs), abs);
    this.#datasets.push(ds);
    return ds;
  }

  async flush(): Promise<void> {
    const ctx = this.#context();
    this.assertWritable("flush");
    ctx.core.flush(ctx.file);
  }
}

/** Open an HDF5 file as an HDMFIO (what the backend factory calls). */
export async function openHdf5<C = unknown>(path: string, mode: OpenMode = "r", options: HDF5IOOptions<C> = {}): Promise<HDF5IO<C>> {
  const io = new HDF5IO<C>(path, mode, options);
  await io.open();
  return io;
}

export { SPEC_LOC_ATTR };
