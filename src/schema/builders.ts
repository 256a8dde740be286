/**
 * Builders: the plain-data tree between containers and backends (hdmf's builders).
 * A backend writes a GroupBuilder tree and reads one back; it knows nothing else.
 */
import { InvalidInputError } from "../errors.js";
import { guessDtype, parseDtype, type Dtype } from "../data/dtype.js";
import { NdArray } from "../data/ndarray.js";
import { ObjectReference, type Reference } from "../data/reference.js";
import type { DatasetSource } from "../data/data-source.js";

/** An attribute value as stored: a scalar, a string, a reference, or an array. */
export type AttributeScalar = string | number | bigint | boolean | Reference;
export type AttributeValue = AttributeScalar | NdArray | null;

export interface Attribute {
  readonly value: AttributeValue;
  /** The stored dtype. When omitted on write it is guessed (number → float64, bigint → int64). */
  readonly dtype: Dtype;
}

export abstract class Builder {
  readonly name: string;
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

  setAttribute(name: string, value: AttributeValue, dtype?: string | Dtype): this {
    const resolved = dtype !== undefined ? parseDtype(dtype) : guessAttributeDtype(value);
    this.attributes.set(name, { value, dtype: resolved });
    return this;
  }

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

export class DatasetBuilder extends Builder {
  data: DatasetData;
  dtype: Dtype;
  /** Written as a scalar (0-d) dataset. */
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

  get targetPath(): string {
    return this.target instanceof Builder ? this.target.locationPath ?? this.target.path : this.target.path;
  }

  /** The file the target lives in, or undefined when it is in the same file as the link. */
  get targetSource(): string | undefined {
    return this.target instanceof Builder ? this.target.source : this.target.source;
  }
}

export type ChildBuilder = GroupBuilder | DatasetBuilder | LinkBuilder;

export class GroupBuilder extends Builder {
  readonly groups = new Map<string, GroupBuilder>();
  readonly datasets = new Map<string, DatasetBuilder>();
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

  group(name: string): GroupBuilder {
    const existing = this.groups.get(name);
    return existing ?? this.add(new GroupBuilder(name, { source: this.source }));
  }

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

  get root(): GroupBuilder {
    let g: GroupBuilder = this;
    while (g.parent) g = g.parent;
    return g;
  }

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
