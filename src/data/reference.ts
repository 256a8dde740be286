/**
 * Object and region references as plain values, independent of any backend.
 *
 * A reference names its target by absolute path inside `source` (the file or store it lives
 * in; undefined = the same file). Builders may also hold a reference whose `target` is a
 * builder: the backend resolves it to a path at write time (hdmf's ReferenceBuilder).
 */
export interface ReferenceTarget {
  /** Absolute path of the target once placed in a tree. */
  readonly path: string;
}

/** A reference to a group or dataset by path (HDF5 object reference, hdmf-zarr `object` reference). */
export class ObjectReference {
  readonly kind = "object" as const;
  constructor(
    /** Absolute path of the target ("/acquisition/ts"), or "" for a null reference. */
    readonly path: string,
    /** The file/store holding the target, relative to the referencing file; undefined = same. */
    readonly source?: string,
    /** The target's object_id, when known (hdmf-zarr stores it). */
    readonly objectId?: string,
    /** A builder the reference was made from; wins over `path` when set. */
    readonly target?: ReferenceTarget,
  ) {}

  /** The target's path: the builder's once placed, else `path`. */
  get resolvedPath(): string {
    return this.target?.path ?? this.path;
  }

  /** True for a null reference (no target), which HDF5 stores for unset references. */
  get isNull(): boolean {
    return this.resolvedPath === "";
  }

  /** `path`, or `source::path` for a reference into another file. */
  toString(): string {
    return this.source ? `${this.source}::${this.resolvedPath}` : this.resolvedPath;
  }
}

/** A region reference (read only in NWB; region refs are deprecated). */
export class RegionReference {
  readonly kind = "region" as const;
  constructor(
    readonly path: string,
    /** Selected hyperslab or points, as the backend reported them. */
    readonly region: ReadonlyArray<readonly [number, number]> | undefined,
    readonly source?: string,
  ) {}

  /** The target path with a `#region` suffix (the region itself is not spelled out). */
  toString(): string {
    return `${this.path}#region`;
  }
}

/** Any reference value an NdArray of a reference dtype holds. */
export type Reference = ObjectReference | RegionReference;

/** True for ObjectReference and RegionReference instances. */
export function isReference(value: unknown): value is Reference {
  return value instanceof ObjectReference || value instanceof RegionReference;
}

/**
 * An object reference to a path, or to a builder whose path is filled in when the tree is
 * written (how a container points at another one before either is stored).
 */
export function ref(target: ReferenceTarget | string, source?: string): ObjectReference {
  return typeof target === "string" ? new ObjectReference(target, source) : new ObjectReference(target.path, source, undefined, target);
}
