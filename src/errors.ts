/**
 * One error hierarchy for the whole library. Every failure a caller can see is an
 * `HdmfError` subclass carrying the fields a caller needs to react (the object path,
 * the option, the codec id, the store key) and the underlying `cause`.
 *
 * Each subclass has a literal `kind` so errors can be told apart across module copies
 * (instanceof breaks when two copies of the package are loaded; `kind` does not).
 */

/** The `kind` tag of each HdmfError subclass, for telling errors apart without instanceof. */
export type HdmfErrorKind =
  | "invalid-input"
  | "not-found"
  | "unsupported"
  | "link"
  | "codec"
  | "store"
  | "mode"
  | "format"
  | "limit";

/** What every HdmfError constructor takes besides its message. */
export interface HdmfErrorOptions {
  /** The error this one wraps (a Node system error, an HDF5 failure, a fetch rejection). */
  cause?: unknown;
  /** The underlying library's own diagnostic (e.g. the HDF5 error stack), kept out of the one-line message. */
  detail?: string;
}

/** The base of every error hdmf-ts throws: a one-line message, a `kind` tag, `cause` and `detail`. */
export abstract class HdmfError extends Error {
  abstract readonly kind: HdmfErrorKind;
  /** Multi-line diagnostic from below (the HDF5 error stack); the CLI prints it with --debug. */
  readonly detail?: string;
  constructor(message: string, options: HdmfErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    if (options.detail !== undefined) this.detail = options.detail;
  }
}

/** A bad argument: wrong shape, bad option combination, value out of range. */
export class InvalidInputError extends HdmfError {
  readonly kind = "invalid-input" as const;
  readonly option?: string;
  readonly path?: string;
  constructor(message: string, options: HdmfErrorOptions & { option?: string; path?: string } = {}) {
    super(message, options);
    this.option = options.option;
    this.path = options.path;
  }
}

/** An absent group, dataset, attribute or key where presence was required. */
export class NotFoundError extends HdmfError {
  readonly kind = "not-found" as const;
  readonly path: string;
  constructor(message: string, options: HdmfErrorOptions & { path: string }) {
    super(message, options);
    this.path = options.path;
  }
}

/** A feature this backend, store or build cannot provide. */
export class UnsupportedError extends HdmfError {
  readonly kind = "unsupported" as const;
  readonly feature: string;
  readonly path?: string;
  constructor(message: string, options: HdmfErrorOptions & { feature: string; path?: string }) {
    super(message, options);
    this.feature = options.feature;
    this.path = options.path;
  }
}

/** A broken, cyclic or disallowed link. */
export class LinkError extends HdmfError {
  readonly kind = "link" as const;
  readonly path: string;
  readonly target: string;
  constructor(message: string, options: HdmfErrorOptions & { path: string; target: string }) {
    super(message, options);
    this.path = options.path;
    this.target = options.target;
  }
}

/** Which way a codec was running when it failed. */
export type CodecDirection = "encode" | "decode";

/** An unknown codec id, a bad codec configuration, or an encode/decode failure. */
export class CodecError extends HdmfError {
  readonly kind = "codec" as const;
  readonly codecId: string;
  readonly direction?: CodecDirection;
  readonly path?: string;
  constructor(
    message: string,
    options: HdmfErrorOptions & { codecId: string; direction?: CodecDirection; path?: string },
  ) {
    super(message, options);
    this.codecId = options.codecId;
    this.direction = options.direction;
    this.path = options.path;
  }
}

/** The store operation a StoreError happened in. */
export type StoreOp = "get" | "set" | "delete" | "list" | "open" | "close" | "flush";

/** An I/O failure below the backend (file system, object store, HDF5 library). */
export class StoreError extends HdmfError {
  readonly kind = "store" as const;
  readonly key?: string;
  readonly op: StoreOp;
  constructor(message: string, options: HdmfErrorOptions & { key?: string; op: StoreOp }) {
    super(message, options);
    this.key = options.key;
    this.op = options.op;
  }
}

/**
 * Waiting ran out of time (a barrier whose ranks never arrived). A StoreError, since the wait
 * is on storage, with the ranks that were missing so a launcher script can report them.
 */
export class TimeoutError extends StoreError {
  readonly waitedMs: number;
  readonly missing: readonly number[];
  constructor(message: string, options: HdmfErrorOptions & { key?: string; waitedMs: number; missing?: readonly number[] }) {
    super(message, { ...options, op: "get" });
    this.waitedMs = options.waitedMs;
    this.missing = options.missing ?? [];
  }
}

/** An operation the open mode forbids: a write in "r", a create in "w-" over an existing file. */
export class ModeError extends HdmfError {
  readonly kind = "mode" as const;
  readonly mode: string;
  readonly path?: string;
  constructor(message: string, options: HdmfErrorOptions & { mode: string; path?: string }) {
    super(message, options);
    this.mode = options.mode;
    this.path = options.path;
  }
}

/** Stored data that does not follow its format: bad metadata JSON, a chunk of the wrong size. */
export class FormatError extends HdmfError {
  readonly kind = "format" as const;
  readonly path?: string;
  constructor(message: string, options: HdmfErrorOptions & { path?: string } = {}) {
    super(message, options);
    this.path = options.path;
  }
}

/**
 * Work refused because it would be out of proportion to the request: a dataset whose values
 * are far larger than a command's per-dataset bound (manifest checksums, validate's value
 * scans). Names the dataset, its size, the bound and the option that lifts it.
 */
export class LimitError extends HdmfError {
  readonly kind = "limit" as const;
  readonly path: string;
  readonly bytes: number;
  readonly limit: number;
  readonly option: string;
  constructor(message: string, options: HdmfErrorOptions & { path: string; bytes: number; limit: number; option: string }) {
    super(message, options);
    this.path = options.path;
    this.bytes = options.bytes;
    this.limit = options.limit;
    this.option = options.option;
  }
}

/** True for an HdmfError of any subclass (instanceof: across two loaded copies of the package, test `kind` instead). */
export function isHdmfError(value: unknown): value is HdmfError {
  return value instanceof HdmfError;
}
