/**
 * Deliberately broken backends: each wraps a working HDMFIO and breaks one promise, so the
 * tests can show the suite fails them with a message that says what went wrong.
 */
import type { CachedSpecEntry } from "../../src/schema/spec/cache.js";
import { HDMFIO, type DatasetHandle, type OpenMode, type StorageFormat, type WriteOptions } from "../../src/backends/io.js";
import { isStoredDataset, type StoredDataset } from "../../src/data/data-source.js";
import { full, type NdArray } from "../../src/data/ndarray.js";
import type { Selection } from "../../src/data/selection.js";
import { DatasetBuilder, GroupBuilder, type Builder } from "../../src/schema/builders.js";

export type Breakage = "drop-attributes" | "fill-for-written-chunks" | "ignore-read-only";

function fillOf(d: StoredDataset): NdArray {
  const f = d.storage.fillvalue;
  return full(d.dtype, d.shape, typeof f === "number" || typeof f === "bigint" || typeof f === "string" || typeof f === "boolean" ? f : null);
}

/** A stored dataset that claims every chunk holds the fill value. */
function fillOnly<T extends StoredDataset>(d: T): T {
  return new Proxy(d, {
    get(target, prop, receiver) {
      if (prop === "read") return async (sel?: Selection) => fillOf(target).get(sel ?? []);
      return Reflect.get(target, prop, receiver) as unknown;
    },
  });
}

function stripAttributes(b: Builder): void {
  b.attributes.clear();
  if (b instanceof GroupBuilder) for (const c of b.children()) stripAttributes(c);
}

export class BrokenIO extends HDMFIO {
  /** `reportedMode`: the mode this IO claims (ignore-read-only opens the inner IO in r+ and claims r). */
  constructor(readonly inner: HDMFIO, readonly breakage: Breakage, reportedMode: OpenMode = inner.mode) {
    super(inner.source, reportedMode);
  }

  async open(): Promise<void> { /* the inner IO is open already */ }
  get format(): StorageFormat { return this.inner.format; }
  readCachedSpecs(): Promise<CachedSpecEntry[]> { return this.inner.readCachedSpecs(); }
  writeCachedSpecs(entries: readonly CachedSpecEntry[]): Promise<void> { return this.inner.writeCachedSpecs(entries); }
  protected async closeImpl(): Promise<void> { await this.inner.close(); }
  async flush(): Promise<void> { await this.inner.flush(); }

  protected async writeBuilder(root: GroupBuilder, options: WriteOptions): Promise<void> {
    if (this.breakage === "drop-attributes") stripAttributes(root);
    await this.inner.write(root, options);
  }

  override get writable(): boolean {
    return this.breakage === "ignore-read-only" ? true : super.writable;
  }

  protected override assertWritable(what: string, path?: string): void {
    if (this.breakage !== "ignore-read-only") super.assertWritable(what, path);
  }

  async readBuilder(): Promise<GroupBuilder> {
    const root = await this.inner.readBuilder();
    if (this.breakage === "fill-for-written-chunks") {
      for (const b of root.walk()) if (b instanceof DatasetBuilder && isStoredDataset(b.data)) b.data = fillOnly(b.data);
    }
    return root;
  }

  async dataset(path: string): Promise<DatasetHandle> {
    const h = await this.inner.dataset(path);
    if (this.breakage === "fill-for-written-chunks") return fillOnly(h);
    return h;
  }
}
