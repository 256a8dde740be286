/** A store in a Map: for tests, scratch data and small in-process files. */
import { StoreError } from "../errors.js";
import {
  checkKey, checkPrefix, keyHasPrefix, sliceRange, throwIfAborted,
  type ByteRange, type GetOptions, type Store, type StoreCapabilities, type StoreKey,
} from "./store.js";

/** Options of {@link MemoryStore}. */
export interface MemoryStoreOptions {
  /** Refuse writes and deletes. */
  readOnly?: boolean;
  /** Start with these entries (copied). */
  entries?: Iterable<readonly [StoreKey, Uint8Array]>;
}

/** A Store held in a Map in this process (`memory://` locations); values are copied in and out. */
export class MemoryStore implements Store {
  readonly readOnly: boolean;
  readonly capabilities: StoreCapabilities;
  readonly #data = new Map<StoreKey, Uint8Array>();
  #closed = false;

  constructor(options: MemoryStoreOptions = {}) {
    this.readOnly = options.readOnly ?? false;
    this.capabilities = { writes: !this.readOnly, deletes: !this.readOnly, listing: true };
    for (const [k, v] of options.entries ?? []) this.#data.set(checkKey(k), v.slice());
  }

  /** The live map (a backdoor for tests and for zero-copy hand-off). */
  get map(): ReadonlyMap<StoreKey, Uint8Array> {
    return this.#data;
  }

  async get(key: StoreKey, range?: ByteRange, opts?: GetOptions): Promise<Uint8Array | undefined> {
    checkKey(key);
    throwIfAborted(opts?.signal);
    const value = this.#data.get(key);
    // Copy out so a caller mutating the result cannot change the stored bytes.
    return value === undefined ? undefined : sliceRange(value, range).slice();
  }

  async set(key: StoreKey, value: Uint8Array): Promise<void> {
    checkKey(key);
    this.#writable(key, "set");
    this.#data.set(key, value.slice());
  }

  async delete(key: StoreKey): Promise<void> {
    checkKey(key);
    this.#writable(key, "delete");
    this.#data.delete(key);
  }

  async exists(key: StoreKey): Promise<boolean> {
    return this.#data.has(checkKey(key));
  }

  async *list(prefix?: StoreKey): AsyncIterable<StoreKey> {
    const p = checkPrefix(prefix);
    for (const key of [...this.#data.keys()]) if (keyHasPrefix(key, p)) yield key;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
  }

  #writable(key: StoreKey, op: "set" | "delete"): void {
    if (this.readOnly) throw new StoreError(`memory store is read-only: cannot ${op} ${key}`, { key, op });
    if (this.#closed) throw new StoreError(`memory store is closed: cannot ${op} ${key}`, { key, op });
  }
}
