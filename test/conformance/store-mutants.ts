/**
 * Deliberately broken variants of the user-written KVStore (examples/custom-store.ts), one bug
 * each, the kinds real stores have had (zarr-python's StoreTests and TensorStore's kvstore
 * tests exist because of them). The conformance suite must fail every one.
 */
import {
  checkKey, checkPrefix, keyHasPrefix, sliceRange, type ByteRange, type Store, type StoreCapabilities, type StoreKey,
} from "hdmf-ts/conformance";
import { KVStore } from "../../examples/custom-store.js";

const lower = (k: StoreKey): StoreKey => k.toLowerCase() as StoreKey;

class IgnoresRanges extends KVStore {
  override get(key: StoreKey): Promise<Uint8Array | undefined> { return super.get(key); }
}
class CaseFolds extends KVStore {
  override get(key: StoreKey, range?: ByteRange) { return super.get(lower(key), range); }
  override set(key: StoreKey, value: Uint8Array) { return super.set(lower(key), value); }
  override delete(key: StoreKey) { return super.delete(lower(key)); }
  override exists(key: StoreKey) { return super.exists(lower(key)); }
  override list(prefix?: StoreKey) { return super.list(prefix === undefined ? undefined : lower(prefix)); }
}
class ExistsAlwaysTrue extends KVStore {
  override async exists(): Promise<boolean> { return true; }
}
class DeleteNoop extends KVStore {
  override async delete(): Promise<void> {}
}
/** A pagination bug: only the first page of 20 keys is listed. */
class ListFirstPage extends KVStore {
  override async *list(prefix?: StoreKey): AsyncIterable<StoreKey> {
    let n = 0;
    for await (const k of super.list(prefix)) if (n++ < 20) yield k;
  }
}
/** list("/g") also yields "/gx/...": a plain string prefix instead of a path prefix. */
class ListStringPrefix extends KVStore {
  override async *list(prefix?: StoreKey): AsyncIterable<StoreKey> {
    const p = checkPrefix(prefix);
    for (const key of [...this.kv.keys()]) if (key.startsWith(p)) yield key as StoreKey;
  }
}
/** set of an existing key is ignored (a "create if absent" write). */
class StaleOverwrite extends KVStore {
  override async set(key: StoreKey, value: Uint8Array): Promise<void> {
    if (!(await super.exists(key))) await super.set(key, value);
  }
}
/** Writes in place without truncating: a shorter value keeps the old tail. */
class OverwriteNoTruncate extends KVStore {
  override async set(key: StoreKey, value: Uint8Array): Promise<void> {
    const old = await super.get(key);
    if (!old || old.byteLength <= value.byteLength) return super.set(key, value);
    const merged = old.slice();
    merged.set(value, 0);
    return super.set(key, merged);
  }
}
class EmptyAsMissing extends KVStore {
  override async get(key: StoreKey, range?: ByteRange): Promise<Uint8Array | undefined> {
    const v = await super.get(key, range);
    return v?.byteLength === 0 ? undefined : v;
  }
}
class SuffixAsOffset extends KVStore {
  override get(key: StoreKey, range?: ByteRange) {
    return super.get(key, range && "suffix" in range ? { offset: range.suffix } : range);
  }
}
/** [start, end] instead of [start, end). */
class InclusiveEnd extends KVStore {
  override get(key: StoreKey, range?: ByteRange) {
    return super.get(key, range && "start" in range ? { start: range.start, end: range.end + 1 } : range);
  }
}
/** Values over 8 MiB are silently cut (a service's object size limit). */
class TruncatesLarge extends KVStore {
  override set(key: StoreKey, value: Uint8Array) { return super.set(key, value.subarray(0, 8 * 1024 * 1024)); }
}
/** No checkKey: "..", empty segments and relative keys go straight to the backing map. */
class NoKeyValidation extends KVStore {
  override async get(key: StoreKey, range?: ByteRange): Promise<Uint8Array | undefined> {
    const text = this.kv.get(key);
    return text === undefined ? undefined : sliceRange(new Uint8Array(Buffer.from(text, "base64")), range);
  }
  override async set(key: StoreKey, value: Uint8Array): Promise<void> { this.kv.set(key, Buffer.from(value).toString("base64")); }
}

/** A binary map that keeps the caller's buffer instead of a copy. */
class AliasesBuffers implements Store {
  readonly readOnly = false;
  readonly capabilities: StoreCapabilities = { writes: true, deletes: true, listing: true };
  protected readonly map = new Map<StoreKey, Uint8Array>();
  async get(key: StoreKey, range?: ByteRange): Promise<Uint8Array | undefined> { const v = this.map.get(checkKey(key)); return v && sliceRange(v, range).slice(); }
  async set(key: StoreKey, value: Uint8Array) { this.map.set(checkKey(key), value); }
  async delete(key: StoreKey) { this.map.delete(checkKey(key)); }
  async exists(key: StoreKey) { return this.map.has(checkKey(key)); }
  async *list(prefix?: StoreKey): AsyncIterable<StoreKey> { const p = checkPrefix(prefix); for (const k of [...this.map.keys()]) if (keyHasPrefix(k, p)) yield k; }
  async flush() {}
  async close() {}
}
/** Copies `value.buffer` whole: a subarray view stores its parent's bytes. */
class StoresViewParent extends AliasesBuffers {
  override async set(key: StoreKey, value: Uint8Array) { this.map.set(checkKey(key), new Uint8Array(value.buffer.slice(0))); }
}
/** get hands out the stored array itself: the caller can change stored bytes. */
class ReturnsInternal extends AliasesBuffers {
  override async get(key: StoreKey, range?: ByteRange) { const v = this.map.get(checkKey(key)); return v && sliceRange(v, range); }
  override async set(key: StoreKey, value: Uint8Array) { this.map.set(checkKey(key), value.slice()); }
}
/** The whole store is one JSON document in one KV entry: read, modify, write back (lost updates). */
class OneDocument extends KVStore {
  override async get(key: StoreKey, range?: ByteRange) {
    const doc = this.#doc();
    checkKey(key);
    return doc[key] === undefined ? undefined : sliceRange(new Uint8Array(Buffer.from(doc[key], "base64")), range);
  }
  override async set(key: StoreKey, value: Uint8Array) {
    checkKey(key);
    const doc = this.#doc();
    await new Promise((r) => setImmediate(r)); // the network round trip between read and write
    doc[key] = Buffer.from(value).toString("base64");
    this.kv.set("doc", JSON.stringify(doc));
  }
  override async delete(key: StoreKey) { const doc = this.#doc(); delete doc[key]; this.kv.set("doc", JSON.stringify(doc)); }
  override async exists(key: StoreKey) { return this.#doc()[key] !== undefined; }
  override async *list(prefix?: StoreKey): AsyncIterable<StoreKey> {
    const p = checkPrefix(prefix);
    for (const k of Object.keys(this.#doc())) if (keyHasPrefix(k as StoreKey, p)) yield k as StoreKey;
  }
  #doc(): Record<string, string> { return JSON.parse(this.kv.get("doc") ?? "{}") as Record<string, string>; }
}

/** name → a fresh broken store. */
export const STORE_MUTANTS: Readonly<Record<string, () => Store & { close(): Promise<void> }>> = {
  "ignores byte ranges": () => new IgnoresRanges(),
  "case-folds keys": () => new CaseFolds(),
  "exists() always true": () => new ExistsAlwaysTrue(),
  "delete is a no-op": () => new DeleteNoop(),
  "list stops after 20 keys": () => new ListFirstPage(),
  "list prefix by string, not path": () => new ListStringPrefix(),
  "overwrite keeps the old value": () => new StaleOverwrite(),
  "overwrite keeps the old tail": () => new OverwriteNoTruncate(),
  "empty value reads as missing": () => new EmptyAsMissing(),
  "suffix range read as offset": () => new SuffixAsOffset(),
  "range end inclusive": () => new InclusiveEnd(),
  "large values truncated at 8 MiB": () => new TruncatesLarge(),
  "keys not validated": () => new NoKeyValidation(),
  "keeps the caller's buffer": () => new AliasesBuffers(),
  "stores a view's whole parent buffer": () => new StoresViewParent(),
  "get returns the stored array": () => new ReturnsInternal(),
  "concurrent sets lose updates": () => new OneDocument(),
};
