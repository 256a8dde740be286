/**
 * Builders: the plain-data tree between containers and backends (hdmf's builders).
 * A backend writes a GroupBuilder tree and reads one back; it knows nothing else.
 */
import { InvalidInputError } from "../errors.js";
import { guessDtype, parseDtype, type Dtype } from "../data/dtype.js";
import { NdArray } from "../data/ndarray.js";
import { ObjectReference, type Reference } from "../data/reference.js";
import type { DatasetSource } from "../data/data-source.js";

/** One element of an attribute value: a number, bigint, boolean, string or object/region reference. */
export type AttributeScalar = string | number | bigint | boolean | Reference;
/** An attribute value as stored: a scalar, a string, a reference, an array (NdArray), or null (no value). */
export type AttributeValue = AttributeScalar | NdArray | null;

/** An attribute on a builder: its value with the dtype it is (or will be) stored with. */
export interface Attribute {
  /** The value; null is an attribute without one (an HDF5 attribute with a null dataspace reads as null). */
  readonly value: AttributeValue;
  /** The stored dtype. When omitted on write it is guessed (number → float64, bigint → int64). */
  readonly dtype: Dtype;
}

/**
 * Base of the builder tree (hdmf's Builder): a named node with attributes, a parent group, and
 * the source file or store it came from. Backends write and read builders, never containers.
 */
export abstract class Builder {
  /** The object's name within its parent ("root" or "/" for a file's root group). */
  readonly name: string;
  /** The group holding this builder; undefined for a root or an unplaced builder. */
  parent: GroupBuilder | undefined;
  /** The file or store this builder was read from (undefined for a new builder). */
  source: string | undefined;
  readonly attributes = new Map<string, Attribute>();
  /** Set by a backend on read: the location the object had in its source. */
  locationPath: string | undefined;

  constructor(name: string, options: { parent?: GroupBuilder; source?: string } = {}) {
    if (name.includes("/") && name !== "/") throw new InvalidInputError(`builder name "${name}" may not contain "/"`, { option: "name" });
    this.name = name;
    this.parent = options.parent;
    this.source = options.source;
  }

  /** Absolute path in the tree ("/" for the root). */
  get path(): string {
    if (!this.parent) return this.name === "" || this.name === "root" || this.name === "/" ? "/" : `/${this.name}`;
    const p = this.parent.path;
    return p === "/" ? `/${this.name}` : `${p}/${this.name}`;
  }

  /**
   * Set attribute `name` (replacing any earlier value). Without `dtype` the dtype is guessed:
   * a number is float64, a bigint int64, a string utf-8, an NdArray keeps its own dtype.
   */
  setAttribute(name: string, value: AttributeValue, dtype?: string | Dtype): this {
    const resolved = dtype !== undefined ? parseDtype(dtype) : guessAttributeDtype(value);
    this.attributes.set(name, { value, dtype: resolved });
    return this;
  }

  /** The value of attribute `name` (without its dtype; see `attributes`), or undefined when absent. */
  getAttribute(name: string): AttributeValue | undefined {
    return this.attributes.get(name)?.value;
  }
}

function guessAttributeDtype(value: AttributeValue): Dtype {
  if (value === null) return parseDtype("text");
  if (value instanceof NdArray) return value.dtype;
  if (value instanceof ObjectReference) return { kind: "reference", refType: "object" };
  if (typeof value === "object") return { kind: "reference", refType: "region" };
  if (typeof value === "number") return parseDtype("float64");
  return guessDtype(value);
}

/** What a DatasetBuilder holds: values in memory, a lazy handle to stored data, or a stream. */
export type DatasetData = NdArray | DatasetSource;

/**
 * A dataset in the builder tree (hdmf's DatasetBuilder): its data and the dtype it is stored
 * with. A 0-d NdArray is a scalar dataset.
 */
export class DatasetBuilder extends Builder {
  /** The values, a handle to stored data, or a DataIO / chunk iterator to stream on write. */
  data: DatasetData;
  /** The stored dtype (may differ from `data.dtype` when the spec asks for another). */
  dtype: Dtype;
  /** `options.dtype` defaults to the dtype of `data`. */
  constructor(
    name: string,
    data: DatasetData,
    options: { parent?: GroupBuilder; source?: string; dtype?: string | Dtype } = {},
  ) {
    super(name, options);
    this.data = data;
    this.dtype = options.dtype !== undefined ? parseDtype(options.dtype) : data.dtype;
  }
}

/** A soft or external link. `target` is a builder (resolved at write) or a path in `targetSource`. */
export class LinkBuilder extends Builder {
  constructor(
    name: string,
    readonly target: GroupBuilder | DatasetBuilder | { path: string; source?: string },
    options: { parent?: GroupBuilder; source?: string } = {},
  ) {
    super(name, options);
  }

  /** Path of the target inside its file: where a read builder was found, else its tree path. */
  get targetPath(): string {
    return this.target instanceof Builder ? this.target.locationPath ?? this.target.path : this.target.path;
  }

  /** The file the target lives in, or undefined when it is in the same file as the link. */
  get targetSource(): string | undefined {
    return this.target instanceof Builder ? this.target.source : this.target.source;
  }
}

/** What a GroupBuilder can hold: a sub-group, a dataset or a link. */
export type ChildBuilder = GroupBuilder | DatasetBuilder | LinkBuilder;

/**
 * A group in the builder tree (hdmf's GroupBuilder): attributes plus sub-groups, datasets and
 * links by name. The root GroupBuilder of a file is what `HDMFIO.writeBuilder` writes and
 * `readBuilder` returns.
 */
export class GroupBuilder extends Builder {
  /** Sub-groups by name. */
  readonly groups = new Map<string, GroupBuilder>();
  /** Datasets by name. */
  readonly datasets = new Map<string, DatasetBuilder>();
  /** Soft and external links by name. */
  readonly links = new Map<string, LinkBuilder>();

  /** Add a child; names are unique across groups, datasets and links (as in HDF5). */
  add<T extends ChildBuilder>(child: T): T {
    if (this.get(child.name)) {
      throw new InvalidInputError(`"${child.name}" already exists in ${this.path}`, { path: `${this.path}/${child.name}` });
    }
    child.parent = this;
    if (child instanceof GroupBuilder) this.groups.set(child.name, child);
    else if (child instanceof DatasetBuilder) this.datasets.set(child.name, child);
    else this.links.set(child.name, child);
    return child;
  }

  /** The sub-group `name`, created (with this group's source) when it does not exist yet. */
  group(name: string): GroupBuilder {
    const existing = this.groups.get(name);
    return existing ?? this.add(new GroupBuilder(name, { source: this.source }));
  }

  /** The direct child called `name` (group, dataset or link), or undefined. */
  get(name: string): ChildBuilder | undefined {
    return this.groups.get(name) ?? this.datasets.get(name) ?? this.links.get(name);
  }

  /** Look up a relative or absolute path ("acquisition/ts/data"). Links are not followed. */
  find(path: string): ChildBuilder | GroupBuilder | undefined {
    let node: ChildBuilder | GroupBuilder | undefined = path.startsWith("/") ? this.root : this;
    for (const part of path.split("/").filter((p) => p !== "")) {
      if (!(node instanceof GroupBuilder)) return undefined;
      node = node.get(part);
    }
    return node;
  }

  /** The top of the tree this group is in (itself when it has no parent). */
  get root(): GroupBuilder {
    let g: GroupBuilder = this;
    while (g.parent) g = g.parent;
    return g;
  }

  /** The direct children: groups first, then datasets, then links, each in insertion order. */
  *children(): Iterable<ChildBuilder> {
    yield* this.groups.values();
    yield* this.datasets.values();
    yield* this.links.values();
  }

  /** Depth-first walk over every builder below (and including) this group. */
  *walk(): Iterable<Builder> {
    yield this;
    for (const c of this.children()) {
      if (c instanceof GroupBuilder) yield* c.walk();
      else yield c;
    }
  }
}
