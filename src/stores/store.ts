/**
 * The byte-store contract under ZarrIO: bytes in, bytes out, nothing Zarr-specific.
 * Shaped after zarrita's `@zarrita/storage` types (keys are `/${string}`, a missing key
 * is `undefined`) and zarr-python's `zarr.abc.store.Store` (byte ranges, capability flags,
 * delete/list, read-only). Every store validates keys through `checkKey` so nothing
 * outside a store's root is ever read or written.
 */
import { InvalidInputError } from "../errors.js";

/** A store key: always starts with "/", segments separated by "/". */
export type StoreKey = `/${string}`;

/**
 * A byte range: `[start, end)`, everything from `offset`, or the last `suffix` bytes
 * (zarr-python's RangeByteRequest / OffsetByteRequest / SuffixByteRequest).
 */
export type ByteRange = { start: number; end: number } | { offset: number } | { suffix: number };

/** What a store can do; the conformance suite skips the cases a store cannot take. */
export interface StoreCapabilities {
  /** `set` works (false for read-only stores such as HTTP). */
  readonly writes: boolean;
  /** `delete` works. */
  readonly deletes: boolean;
  /** `list` returns every key (false when the store can only list what the metadata names). */
  readonly listing: boolean;
  /**
   * Every `get` returns a new buffer that the store keeps no reference to (no cache, no view into
   * a shared batch), so a reader may consume it: the chunk engine then hands it to a codec worker
   * instead of copying it. Absent: treated as false.
   */
  readonly freshGets?: boolean;
}

/** Per-request options of {@link Store.get}. */
export interface GetOptions {
  /** Abort the read; the promise rejects with the signal's reason. */
  signal?: AbortSignal;
}

/** What `listDir` yields: direct children of a prefix, keys and "directories". */
export interface DirListing {
  readonly keys: readonly StoreKey[];
  readonly prefixes: readonly StoreKey[];
}

/**
 * A key-value byte store under ZarrIO (memory, local folder, zip, S3, HTTP, or your own):
 * check yours with `runConformance` and the STORE_CASES of `hdmf-ts/conformance`.
 */
export interface Store {
  /** What this store can do. */
  readonly capabilities: StoreCapabilities;
  /** True when opened for reading only: `set` and `delete` fail with a StoreError. */
  readonly readOnly: boolean;
  /** The bytes under `key` (or the part `range` names); `undefined` if the key is absent. */
  get(key: StoreKey, range?: ByteRange, opts?: GetOptions): Promise<Uint8Array | undefined>;
  /** Store `value` under `key`. StoreError { op: "set" } if read-only or the write fails. */
  set(key: StoreKey, value: Uint8Array): Promise<void>;
  /** Remove `key`; a missing key is not an error. */
  delete(key: StoreKey): Promise<void>;
  /** Every key that starts with `prefix` (default "/"), in no particular order. */
  list(prefix?: StoreKey): AsyncIterable<StoreKey>;
  /** Whether `key` is present. */
  exists(key: StoreKey): Promise<boolean>;
  /**
   * Optional: every key under `prefix` (default "/") with the size of its value in bytes, or
   * `undefined` when this store cannot list completely (an HTTP server without a directory
   * index: its listing is what the Zarr metadata names). Manifests count a remote store with it.
   */
  listSizes?(prefix?: StoreKey): Promise<ReadonlyMap<StoreKey, number> | undefined>;
  /** Wait until every accepted write is durable (no-op for synchronous stores). */
  flush(): Promise<void>;
  /** Flush and release resources; idempotent. */
  close(): Promise<void>;
}

export type StoreEntries =
  | Iterable<readonly [StoreKey, Uint8Array]>
  | AsyncIterable<readonly [StoreKey, Uint8Array]>;

/** Stores that write many keys at once with bounded parallelism, pulling entries lazily (S3). */
export interface BatchWritableStore extends Store {
  setMany(entries: StoreEntries): Promise<void>;
}

/**
 * Validate a key: absolute ("/..."), no empty, "." or ".." segments, no backslash, no NUL,
 * no Windows drive letters. Throws InvalidInputError naming the key. "/" alone is the root
 * and is accepted only where `allowRoot` (list prefixes).
 */
export function checkKey(key: string, allowRoot = false): StoreKey {
  const bad = (why: string): never => {
    throw new InvalidInputError(`invalid store key ${JSON.stringify(key)}: ${why}`, { path: key });
  };
  if (typeof key !== "string") bad("not a string");
  if (!key.startsWith("/")) bad("must start with '/'");
  if (key === "/") return allowRoot ? "/" : bad("the root is not a key");
  if (key.includes("\0")) bad("contains NUL");
  if (key.includes("\\")) bad("contains a backslash");
  // A prefix may end in "/" ("/a/b/"); a key may not.
  const body = allowRoot && key.endsWith("/") ? key.slice(1, -1) : key.slice(1);
  for (const seg of body.split("/")) {
    if (seg === "") bad("empty path segment");
    if (seg === "." || seg === "..") bad(`'${seg}' segment`);
    if (/^[A-Za-z]:$/.test(seg)) bad("drive letter segment");
  }
  return key as StoreKey;
}

/** Validate a list prefix: "/" or a key, optionally ending in "/". */
export function checkPrefix(prefix: string | undefined): StoreKey {
  return checkKey(prefix ?? "/", true);
}

/** Resolve a ByteRange against a length into [start, end) clamped to the data. */
export function resolveRange(range: ByteRange, length: number): [number, number] {
  let start: number;
  let end: number;
  if ("suffix" in range) {
    start = Math.max(0, length - range.suffix);
    end = length;
  } else if ("offset" in range) {
    start = range.offset;
    end = length;
  } else {
    start = range.start;
    end = range.end;
  }
  checkRangeNumbers(range);
  start = Math.min(Math.max(0, start), length);
  end = Math.min(Math.max(start, end), length);
  return [start, end];
}

/** Reject negative or non-integer range fields and end < start. */
export function checkRangeNumbers(range: ByteRange): void {
  const nums = "suffix" in range ? [range.suffix] : "offset" in range ? [range.offset] : [range.start, range.end];
  for (const n of nums) {
    if (!Number.isSafeInteger(n) || n < 0) {
      throw new InvalidInputError(`invalid byte range ${JSON.stringify(range)}`, { option: "range" });
    }
  }
  if ("start" in range && range.end < range.start) {
    throw new InvalidInputError(`invalid byte range ${JSON.stringify(range)}: end < start`, { option: "range" });
  }
}

/** Slice bytes by a range (used by stores that hold whole values). */
export function sliceRange(bytes: Uint8Array, range: ByteRange | undefined): Uint8Array {
  if (range === undefined) return bytes;
  const [start, end] = resolveRange(range, bytes.byteLength);
  return bytes.subarray(start, end);
}

/** Whether `key` lies under `prefix` ("/" matches all; "/a" matches "/a" and "/a/...", not "/ab"). */
export function keyHasPrefix(key: StoreKey, prefix: StoreKey): boolean {
  if (prefix === "/") return true;
  const p = prefix.endsWith("/") ? prefix : `${prefix}/`;
  return key === prefix || key.startsWith(p);
}

/** Direct children of `prefix` from a flat key listing (for stores without native listDir). */
export async function listDir(store: Store, prefix: StoreKey = "/"): Promise<DirListing> {
  const base = prefix === "/" ? "/" : prefix.endsWith("/") ? prefix : `${prefix}/`;
  const keys = new Set<StoreKey>();
  const prefixes = new Set<StoreKey>();
  for await (const key of store.list(prefix)) {
    if (!key.startsWith(base)) continue;
    const rest = key.slice(base.length);
    const slash = rest.indexOf("/");
    if (slash < 0) keys.add(key);
    else prefixes.add(`${base}${rest.slice(0, slash)}` as StoreKey);
  }
  return { keys: [...keys].sort(), prefixes: [...prefixes].sort() };
}

/** Throw if the signal was aborted (stores check this before each I/O step). */
export function throwIfAborted(signal: AbortSignal | undefined): void {
  signal?.throwIfAborted();
}
