/**
 * ZarrIO: HDMFIO over any Store, in the hdmf-zarr 0.6 layout (Zarr v2, default) or the same
 * tree in Zarr v3 (optionally sharded). Modes as hdmf: r, r+ (must exist), w (truncate),
 * w- (fail if anything is there), a (create if absent). Metadata is consolidated on flush
 * and close; opening uses consolidated metadata when present (one request for the tree).
 */
import { availableParallelism } from "node:os";
import { InvalidInputError, ModeError, NotFoundError } from "../../errors.js";
import { HDMFIO, type DatasetHandle, type IOOptions, type OpenMode, type WriteOptions } from "../io.js";
import type { CodecConfig } from "../../data/codec-config.js";
import type { GroupBuilder } from "../../schema/builders.js";
import { openStore, type OpenStoreOptions } from "../../stores/open-store.js";
import type { Store, StoreKey } from "../../stores/store.js";
import { mapLimit } from "../../data/queue.js";
import { FsStore } from "../../stores/fs-store.js";
import type { ArrayContext } from "./array.js";
import { ZarrArray } from "./array.js";
import { defaultCodecResolver, ZARR_DEFAULT_COMPRESSOR, type CodecResolver } from "./codec-bridge.js";
import { PLAIN_MAPPER } from "../engine/chunk-codec.js";
import { checkShardOptions, type ShardOptions } from "./shard-layout.js";
import { ZarrDatasetHandle } from "./dataset-handle.js";
import { Hierarchy } from "./hierarchy.js";
import { normalizePath, type ZarrFormat } from "./keys.js";
import { arrayMetaOf, TreeReader } from "./read.js";
import { plainRefContext, referenceMapper } from "./references.js";
import { readCachedSpecs, writeCachedSpecs, type CachedSpecEntry } from "./spec-cache.js";
import { TreeWriter } from "./write.js";

/** Options of the Zarr backend (ZarrIO): format, sharding, codecs, concurrency, consolidation, store settings. */
export interface ZarrIOOptions<C = unknown> extends IOOptions<C> {
  /** Format of a new store (default 2 = hdmf-zarr layout). Existing stores keep theirs. */
  zarrFormat?: ZarrFormat;
  /** v3 only: the default sharding of datasets whose ZarrDataIO says nothing (sharding_indexed). */
  shards?: ShardOptions;
  /** Compressor when a dataset names none (default Blosc lz4, as zarr-python); null = none. */
  defaultCompressor?: CodecConfig | null;
  /** Codec lookup (default: the library registry). */
  codecs?: CodecResolver;
  /** Chunk requests in flight per read (default 16). */
  concurrency?: number;
  /** Chunks being encoded/stored at once per dataset write (default cores + 1): bounds write memory. */
  writeConcurrency?: number;
  /** Planner buffer per dataset in bytes (default 64 MiB). */
  bufferBytes?: number;
  /** Write consolidated metadata on flush/close (default true). */
  consolidate?: boolean;
  /** Cached specs to write when `cacheSpec` (schema layer's `cacheSpecs(catalog)`). */
  specs?: readonly CachedSpecEntry[];
  /** Settings for stores opened from a path or URL (S3 endpoint, credentials, ...). */
  storeOptions?: Omit<OpenStoreOptions, "mode">;
  /** readBuilder reads scalar datasets eagerly, as hdmf-zarr does (default true; false = lazy 0-d handles). */
  eagerScalars?: boolean;
  /** The name recorded as builders' source when given a Store instance. */
  sourceName?: string;
}

export class ZarrIO<C = unknown> extends HDMFIO<C> {
  readonly #target: string | Store;
  readonly #options: ZarrIOOptions<C>;
  #store: Store | undefined;
  #ownsStore = false;
  #h: Hierarchy | undefined;
  #opened = false;

  constructor(target: string | Store, mode: OpenMode = "r", options: ZarrIOOptions<C> = {}) {
    super(typeof target === "string" ? target : (options.sourceName ?? (target instanceof FsStore ? target.root : "<store>")), mode, options);
    if (options.zarrFormat !== undefined && options.zarrFormat !== 2 && options.zarrFormat !== 3) {
      throw new InvalidInputError(`zarrFormat must be 2 or 3, got ${String(options.zarrFormat)}`, { option: "zarrFormat" });
    }
    checkShardOptions(options.shards);
    this.#target = target;
    this.#options = options;
  }

  override get store(): Store {
    if (!this.#store) throw new ModeError(`${this.source} is not open`, { mode: this.mode, path: this.source });
    return this.#store;
  }

  get zarrFormat(): ZarrFormat {
    return this.#hier().format;
  }

  get format(): "zarr" | "zarr3" {
    return this.zarrFormat === 3 ? "zarr3" : "zarr";
  }

  #hier(): Hierarchy {
    this.assertOpen();
    if (!this.#h) throw new ModeError(`${this.source} is not open: call open() first`, { mode: this.mode, path: this.source });
    return this.#h;
  }

  #ctx(): ArrayContext {
    return {
      store: this.store,
      resolver: this.#options.codecs ?? defaultCodecResolver(),
      mapper: PLAIN_MAPPER,
      concurrency: this.#options.concurrency ?? 16,
      source: this.source,
    };
  }

  #writeConcurrency(): number {
    return this.#options.writeConcurrency ?? Math.max(2, availableParallelism() + 1);
  }

  async open(): Promise<void> {
    if (this.#opened) return;
    this.assertOpen();
    const mode = this.mode;
    if (typeof this.#target === "string") {
      this.#store = await openStore(this.#target, { ...this.#options.storeOptions, mode: mode === "r" ? "r" : mode === "w" ? "w" : "a" });
      this.#ownsStore = true;
    } else {
      this.#store = this.#target;
      if (mode !== "r" && this.#store.readOnly) throw new ModeError(`mode "${mode}" needs a writable store; ${this.source} is read-only`, { mode, path: this.source });
    }
    const store = this.#store;
    const existing = await Hierarchy.open(store);
    const format = this.#options.zarrFormat ?? 2;
    if (mode === "r" || mode === "r+") {
      if (!existing) throw new NotFoundError(`no Zarr hierarchy at ${this.source}`, { path: this.source });
      this.#h = existing;
    } else if (mode === "w-") {
      if (existing || (await firstKey(store)) !== undefined) {
        throw new ModeError(`${this.source} already exists (mode "w-" never overwrites)`, { mode, path: this.source });
      }
      this.#h = Hierarchy.create(store, format);
      this.#h.setGroup("/");
    } else if (mode === "w") {
      const keys: StoreKey[] = [];
      for await (const key of store.list("/")) keys.push(key); // list first: deleting while paging is unsafe
      await mapLimit(keys, 16, (k) => store.delete(k));
      this.#h = Hierarchy.create(store, format);
      this.#h.setGroup("/");
    } else {
      this.#h = existing ?? Hierarchy.create(store, format);
      if (!existing) this.#h.setGroup("/");
    }
    this.#opened = true;
  }

  async readBuilder(): Promise<GroupBuilder> {
    return new TreeReader(this.#hier(), this.#ctx(), this.#options.eagerScalars ?? true, this.#options.openExternal).readRoot();
  }

  protected async writeBuilder(root: GroupBuilder, options: Required<Omit<WriteOptions, "signal">> & WriteOptions): Promise<void> {
    const h = this.#hier();
    const writer = new TreeWriter(h, { ...this.#ctx(), concurrency: this.#writeConcurrency() }, {
      format: h.format,
      defaultCompressor: this.#options.defaultCompressor === undefined ? ZARR_DEFAULT_COMPRESSOR : this.#options.defaultCompressor,
      shards: this.#options.shards,
      bufferBytes: this.#options.bufferBytes ?? 64 * 1024 * 1024,
      selfSource: this.source,
      linkData: options.linkData,
      exhaustDci: options.exhaustDci,
      signal: options.signal,
    }, root);
    await writer.writeRoot(root);
    if (options.cacheSpec && this.#options.specs?.length) {
      await writeCachedSpecs(h, { ...this.#ctx(), mapper: referenceMapper(writer.refContext, "/specifications") }, h.format, this.#options.specs);
    }
    await this.flush();
  }

  /** Open a stored dataset for region reads/writes; NotFoundError if absent. */
  async dataset(path: string): Promise<DatasetHandle> {
    const h = this.#hier();
    const p = normalizePath(path);
    const rec = await h.node(p);
    if (!rec || rec.kind !== "array") throw new NotFoundError(`no dataset at ${p} in ${this.source}`, { path: p });
    const meta = arrayMetaOf(h, p, rec);
    const ctx = { ...this.#ctx(), mapper: referenceMapper(plainRefContext(meta.convention), p) };
    const array = await ZarrArray.open(ctx, meta, { onMetaChange: (m) => h.updateArray(p, m.doc), writeConcurrency: this.#writeConcurrency() });
    return new ZarrDatasetHandle(array, (what) => this.assertWritable(what, p), () => this.assertOpen());
  }

  /** Cache spec entries under `/specifications` (hdmf-zarr layout) and point `.specloc` at them. */
  async writeCachedSpecs(entries: readonly CachedSpecEntry[]): Promise<void> {
    this.assertWritable("cache specs");
    const h = this.#hier();
    await writeCachedSpecs(h, this.#ctx(), h.format, entries);
  }

  /** The specs cached in the store (`.specloc`), as the schema layer's CachedSpecEntry list. */
  async readCachedSpecs(): Promise<CachedSpecEntry[]> {
    return readCachedSpecs(this.#hier(), this.#ctx());
  }

  async flush(): Promise<void> {
    const h = this.#hier();
    if (!this.writable) return;
    await h.flush({ consolidate: this.#options.consolidate ?? true, concurrency: this.#options.concurrency ?? 16 });
    await this.store.flush();
  }

  protected async closeImpl(): Promise<void> {
    if (!this.#opened || !this.#store) return;
    try {
      if (this.writable && this.#h) {
        await this.#h.flush({ consolidate: this.#options.consolidate ?? true, concurrency: this.#options.concurrency ?? 16 });
        await this.#store.flush();
      }
    } finally {
      if (this.#ownsStore) await this.#store.close();
    }
  }
}

async function firstKey(store: Store): Promise<string | undefined> {
  for await (const key of store.list("/")) return key;
  return undefined;
}

/** Open a Zarr store for HDMF I/O (the factory's entry point for `*.zarr`, `s3://…`, memory). */
export async function openZarr<C = unknown>(target: string | Store, mode: OpenMode = "r", options: ZarrIOOptions<C> = {}): Promise<ZarrIO<C>> {
  const io = new ZarrIO<C>(target, mode, options);
  try {
    await io.open();
  } catch (e) {
    await io.close().catch(() => undefined);
    throw e;
  }
  return io;
}
