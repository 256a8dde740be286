/**
 * The contract every storage backend implements (hdmf's HDMFIO). A backend maps builder
 * trees to its storage and back, and gives region access to stored datasets; everything
 * shared (mode checks, container <-> builder through the BuildManager, dispose) lives here.
 */
import { InvalidInputError, ModeError } from "../errors.js";
import type { StoredDataset } from "../data/data-source.js";
import type { Hdf5Filter } from "../data/codec-config.js";
import type { CachedSpecEntry } from "../schema/spec/cache.js";
import type { Store } from "../stores/store.js";
import type { NdArray } from "../data/ndarray.js";
import type { Selection } from "../data/selection.js";
import type { GroupBuilder } from "../schema/builders.js";
import { loadReferenceData } from "../schema/build/load-references.js";
import { primeIterators } from "../schema/build/prime.js";

/**
 * h5py's file modes: "r" read-only, "r+" read/write an existing file, "w" create or truncate,
 * "w-" create and fail if it exists, "a" read/write, created if absent.
 */
export type OpenMode = "r" | "r+" | "w" | "w-" | "a";

/** What an IO reads and writes: an HDF5 file, hdmf-zarr's Zarr v2 layout, or Zarr v3. */
export type StorageFormat = "hdf5" | "zarr" | "zarr3";
/** Every OpenMode, for validating a mode given at run time. */
export const OPEN_MODES: readonly OpenMode[] = ["r", "r+", "w", "w-", "a"];

/** Options of {@link HDMFIO.write}: hdmf's write arguments in camelCase. */
export interface WriteOptions {
  /** hdmf link_data: data read from another file is linked (true, default) or copied (false). */
  linkData?: boolean;
  /** hdmf exhaust_dci: drain chunk iterators during write (default true). */
  exhaustDci?: boolean;
  /** Write the namespaces' specs into the file (pynwb cache_spec, default true). */
  cacheSpec?: boolean;
  /** Abort the write between chunks (the store keeps what was written so far). */
  signal?: AbortSignal;
}

/** A stored dataset opened for region reads and writes (the tutorial's user-defined write). */
export interface DatasetHandle extends StoredDataset {
  /** Write `data` into `selection` (h5py `dset[sel] = data`). Scalars broadcast. */
  write(selection: Selection, data: NdArray | number | bigint | boolean | string): Promise<void>;
  /** Change the extent within maxshape (h5py `resize`); UnsupportedError if not chunked. */
  resize(shape: readonly number[]): Promise<void>;
  /** Largest extent per axis (null = unlimited). */
  readonly maxshape: readonly (number | null)[];
  /** The HDF5 filter pipeline as the file records it (h5py `dset._filters`); [] for Zarr. */
  readonly filters: readonly Hdf5Filter[];
  /**
   * Store one chunk already encoded with this dataset's pipeline (export's raw copy). `coords`
   * are grid coordinates; `filterMask` as HDF5 records it (0 = every filter ran). A layout that
   * cannot take raw chunks (contiguous HDF5, sharded Zarr) is an UnsupportedError.
   */
  writeRawChunk(coords: readonly number[], bytes: Uint8Array, filterMask?: number): Promise<void>;
  /** How many chunks are stored (allocated); 0 for unchunked layouts. */
  storedChunkCount(): Promise<number>;
  /** Release the handle (the IO also closes every handle it gave out). */
  close(): void;
}

/** What the backends need from the schema layer; the BuildManager implements it. */
export interface BuildManagerLike<C = unknown> {
  /** Turn a container (an NWBFile, a DynamicTable, ...) into a builder tree for writing. */
  build(container: C, options?: { source?: string; linkData?: boolean }): GroupBuilder;
  /** Turn a builder tree read from storage into containers. */
  construct(root: GroupBuilder): C;
}

/** Reads the tree of another file or store (absolute location), for following external links. */
export type OpenExternal = (location: string) => Promise<GroupBuilder>;

/** Options every backend constructor takes (backends add their own). */
export interface IOOptions<C = unknown> {
  /** Turns containers into builders and back; shared between IOs for multi-file writes. */
  manager?: BuildManagerLike<C>;
  /**
   * How to open the target of an external link while reading. The factory supplies one that
   * opens any backend read-only (cached, closed with this IO); without it, external links stay
   * unresolved `{path, source}` targets.
   */
  openExternal?: OpenExternal;
}

/**
 * The backend contract (hdmf's HDMFIO): a backend maps builder trees to its file or store and
 * opens stored datasets for region I/O; `read`, `write`, mode checks and `close` live here, once.
 * Get one from `openIO`; `await using` closes it.
 */
export abstract class HDMFIO<C = unknown> implements AsyncDisposable {
  readonly source: string;
  readonly mode: OpenMode;
  readonly manager: BuildManagerLike<C> | undefined;
  #closed = false;
  readonly #closeHooks: Array<() => Promise<void>> = [];

  constructor(source: string, mode: OpenMode, options: IOOptions<C> = {}) {
    if (!OPEN_MODES.includes(mode)) {
      throw new InvalidInputError(`unknown mode "${mode}": use one of ${OPEN_MODES.join(", ")}`, { option: "mode" });
    }
    this.source = source;
    this.mode = mode;
    this.manager = options.manager;
  }

  /** Open the file/store; must be called once before anything else (factories do it). */
  abstract open(): Promise<void>;
  /** Release everything; safe to call twice. */
  protected abstract closeImpl(): Promise<void>;
  /** Read the whole stored tree as builders (datasets stay lazy StoredDatasets where the backend can). */
  abstract readBuilder(): Promise<GroupBuilder>;
  /** Store a builder tree; `write` has checked the mode and filled in the defaults. */
  protected abstract writeBuilder(root: GroupBuilder, options: Required<Omit<WriteOptions, "signal">> & WriteOptions): Promise<void>;
  /** Open a stored dataset for region I/O; NotFoundError if absent. */
  abstract dataset(path: string): Promise<DatasetHandle>;
  /** Persist what was written so far (HDF5 flush; Zarr metadata). */
  abstract flush(): Promise<void>;
  /** What this IO reads and writes. */
  abstract get format(): StorageFormat;
  /** The spec entries cached in the file or store ([] when none): feed to `loadCachedSpecs`. */
  abstract readCachedSpecs(): Promise<CachedSpecEntry[]>;
  /** Cache spec entries in the file or store (pynwb / hdmf-zarr layout, `.specloc` on the root). */
  abstract writeCachedSpecs(entries: readonly CachedSpecEntry[]): Promise<void>;
  /** The key-value store a Zarr IO sits on; undefined for a file backend (HDF5). */
  get store(): Store | undefined {
    return undefined;
  }

  /** True once `close()` has been called. */
  get closed(): boolean {
    return this.#closed;
  }

  /** False in mode "r". */
  get writable(): boolean {
    return this.mode !== "r";
  }

  /** Close the file/store, then run the `onClose` hooks; a second call does nothing. */
  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.closeImpl();
    } finally {
      for (const hook of this.#closeHooks.splice(0)) await hook();
    }
  }

  /** Run `hook` after this IO closes (files opened on its behalf, e.g. external link targets). */
  onClose(hook: () => Promise<void>): void {
    this.#closeHooks.push(hook);
  }

  /** Read the whole tree as builders, then as containers when a manager is set. */
  async read(): Promise<C> {
    this.assertOpen();
    const root = await this.readBuilder();
    if (!this.manager) {
      throw new InvalidInputError("read() needs a BuildManager (pass `manager`); use readBuilder() for builders", { option: "manager" });
    }
    await loadReferenceData(root);
    return this.manager.construct(root);
  }

  /** Write a container (through the manager) or a builder tree. */
  async write(data: C | GroupBuilder, options: WriteOptions = {}): Promise<void> {
    this.assertWritable("write");
    const linkData = options.linkData ?? true;
    if (!isGroupBuilder(data)) await primeIterators(data); // a generator's dtype comes from its first element
    const root = isGroupBuilder(data) ? data : this.#build(data, linkData);
    await this.writeBuilder(root, { linkData, exhaustDci: options.exhaustDci ?? true, cacheSpec: options.cacheSpec ?? true, signal: options.signal });
  }

  #build(container: C, linkData: boolean): GroupBuilder {
    if (!this.manager) throw new InvalidInputError("writing a container needs a BuildManager (pass `manager`)", { option: "manager" });
    return this.manager.build(container, { source: this.source, linkData });
  }

  /** Throw a ModeError if this IO is closed. */
  protected assertOpen(): void {
    if (this.#closed) throw new ModeError(`${this.source} is closed`, { mode: this.mode, path: this.source });
  }

  /** Throw a ModeError if this IO is closed or open read-only; `what` and `path` go in the message. */
  protected assertWritable(what: string, path?: string): void {
    this.assertOpen();
    if (!this.writable) {
      throw new ModeError(`cannot ${what}${path ? ` ${path}` : ""}: ${this.source} is open read-only (mode "r")`, { mode: this.mode, path: path ?? this.source });
    }
  }

  /** `close()`, for `await using`. */
  async [Symbol.asyncDispose](): Promise<void> {
    await this.close();
  }
}

function isGroupBuilder(value: unknown): value is GroupBuilder {
  return typeof value === "object" && value !== null && "groups" in value && "datasets" in value && "links" in value;
}
