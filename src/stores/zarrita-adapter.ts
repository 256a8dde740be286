/**
 * Lets zarrita read and write through our stores. zarrita's store interface
 * (`@zarrita/storage` types.ts) is `get(key, opts)`, optional `getRange(key, range, opts)`
 * with `{offset, length} | {suffixLength}`, and `set(key, value)`; keys are the same
 * `/${string}` shape as ours, so only the range type needs translating.
 */
import type { AbsolutePath, AsyncMutable, AsyncReadable, RangeQuery } from "zarrita";
import { checkKey, type ByteRange, type Store } from "./store.js";

/** zarrita's store get options (its top-level `GetOptions` export is the indexing one). */
type StoreGetOptions = Parameters<AsyncReadable["get"]>[1];

export interface ZarritaStore extends AsyncMutable {
  getRange(key: AbsolutePath, range: RangeQuery, opts?: StoreGetOptions): Promise<Uint8Array | undefined>;
  /** The hdmf-ts store underneath. */
  readonly store: Store;
}

export function toByteRange(range: RangeQuery): ByteRange {
  if ("suffixLength" in range) return { suffix: range.suffixLength };
  return { start: range.offset, end: range.offset + range.length };
}

/** Wrap a Store for zarrita (`zarr.open(toZarrita(store))`, `zarr.create(...)`). */
export function toZarrita(store: Store): ZarritaStore {
  return {
    store,
    get: (key, opts) => store.get(checkKey(key), undefined, opts),
    getRange: (key, range, opts) => store.get(checkKey(key), toByteRange(range), opts),
    set: (key, value) => store.set(checkKey(key), value),
  };
}
