/**
 * Containers: the typed objects users work with (hdmf's AbstractContainer / Container / Data).
 *
 * Every container keeps its values in `fields`, keyed by spec path: an attribute of the type
 * is "description", an attribute of a sub-dataset is "data/unit", a dataset inside an untyped
 * group is "general/session_id". Typed children without a fixed name live in a list under
 * "<group path>/*" ("*" at the top). That one convention lets a single spec-driven mapper turn
 * any container into builders and back; hand-written classes only add typed accessors.
 */
import { randomUUID } from "node:crypto";
import { InvalidInputError } from "../../errors.js";
import type { Dtype } from "../../data/dtype.js";
import type { NdArray, CompoundRecord } from "../../data/ndarray.js";
import type { DatasetSource } from "../../data/data-source.js";
import type { Builder } from "../builders.js";

/** A dataset or attribute elsewhere in the same file (a soft link to it). */
export class DatasetLink {
  constructor(readonly container: Container, readonly key: string) {}
}

/** A link to an object in another file, kept as read so it is written back unchanged. */
export class ExternalLink {
  constructor(readonly name: string, readonly path: string, readonly source: string | undefined) {}
}

/** A compound row whose fields may hold containers (references) as well as scalars. */
export type CompoundRow = Readonly<Record<string, string | number | bigint | boolean | Container | null>>;

/** A scalar field value: text, a number (a Python float or int), a bigint (int64) or a boolean. */
export type FieldScalar = string | number | bigint | boolean;
/**
 * What a container field can hold: scalars and Dates, arrays (plain or NdArray), data to
 * stream or stored data, child or referenced containers, links, compound rows, or a raw
 * builder kept from a read for a name the spec does not know.
 */
export type FieldValue =
  | FieldScalar
  | Date
  | NdArray
  | DatasetSource
  | Container
  | DatasetLink
  | ExternalLink
  | Builder
  | ReadonlyArray<FieldScalar>
  | ReadonlyArray<Container | ExternalLink>
  | ReadonlyArray<CompoundRow | CompoundRecord>
  | ReadonlyArray<ReadonlyArray<FieldScalar>>;

/** The last segment of a field key that lists unnamed typed children ("acquisition/*"). */
export const STAR = "*";

/** The list key for unnamed typed children of the group at `groupPath` ("" = the container). */
export function starKey(groupPath: string): string {
  return groupPath === "" ? STAR : `${groupPath}/${STAR}`;
}

/** What every container constructor takes. */
export interface ContainerOptions {
  /** The object's name in its parent group. */
  name: string;
  /** The `object_id` attribute; a new random UUID when omitted. */
  objectId?: string;
}

/**
 * Base of all containers (hdmf AbstractContainer): a named, typed object whose values live in
 * `fields` under their spec paths. BuildManager turns containers into builders and back using
 * the spec of `dataType` in `namespace`.
 */
export abstract class AbstractContainer {
  /** Overridden by each hand-written class. */
  static readonly dataType: string = "Container";
  /** The namespace defining `dataType`; overridden by each hand-written class. */
  static readonly namespace: string = "hdmf-common";

  /** The object's name in its parent group. */
  name: string;
  /** The container holding this one; set when it is added as a child or read from a file. */
  parent: AbstractContainer | undefined;
  /** The `object_id` attribute (a UUID string). */
  objectId: string;
  /** The file this container was read from (undefined for a new one). */
  source: string | undefined;
  /** Its path inside `source`. */
  locationPath: string | undefined;
  /** The values by spec path ("description", "data/unit", "acquisition/*"). */
  readonly fields = new Map<string, FieldValue>();
  /** Stored dtypes of values read from a file, reused when the container is written again. */
  readonly storedDtypes = new Map<string, Dtype>();

  constructor(options: ContainerOptions) {
    this.name = options.name;
    this.objectId = options.objectId ?? randomUUID();
  }

  /** The container's data type (the class's static `dataType`). */
  get dataType(): string {
    return (this.constructor as typeof AbstractContainer).dataType;
  }
  /** The namespace of its data type (the class's static `namespace`). */
  get namespace(): string {
    return (this.constructor as typeof AbstractContainer).namespace;
  }

  /** The field at spec path `key` ("description", "data/unit"), or undefined when unset. */
  get(key: string): FieldValue | undefined {
    return this.fields.get(key);
  }

  /** Set a field; undefined/null removes it. Containers set as values become children if unparented. */
  set(key: string, value: FieldValue | undefined | null): this {
    if (value === undefined || value === null) {
      this.fields.delete(key);
      return this;
    }
    if (value instanceof AbstractContainer) this.adopt(value);
    this.fields.set(key, value);
    return this;
  }

  /** Add a typed child to the list at `key` (default: the "*" list of this container). */
  addChild<T extends AbstractContainer>(child: T, key: string = STAR): T {
    const list = [...this.childList(key)];
    if (list.some((c) => c.name === child.name && c !== child)) {
      throw new InvalidInputError(`"${child.name}" already exists in ${this.name}`, { option: "name", path: key });
    }
    if (!list.includes(child)) list.push(child);
    this.adopt(child);
    this.fields.set(key, list);
    return child;
  }

  /** The containers in the child list at `key` (default: the "*" list of this container); [] when there is none. */
  childList(key: string = STAR): AbstractContainer[] {
    const v = this.fields.get(key);
    return Array.isArray(v) ? (v.filter((c) => c instanceof AbstractContainer) as AbstractContainer[]) : [];
  }

  /** Every container held directly in a field (children and linked containers). */
  *containers(): Iterable<AbstractContainer> {
    for (const v of this.fields.values()) {
      if (v instanceof AbstractContainer) yield v;
      else if (Array.isArray(v)) for (const c of v) if (c instanceof AbstractContainer) yield c;
    }
  }

  /** Make this container the parent of `child` unless it already has one (a second holder only links to it). */
  protected adopt(child: AbstractContainer): void {
    if (child.parent === undefined && child !== this) child.parent = this;
  }

  /** Called by the mapper before building: derived fields (colnames, ...) are set here. */
  prepareForBuild(): void {}

  /** Called by the mapper after constructing from builders. */
  afterConstruct(): void {}
}

/** A group type. */
export class Container extends AbstractContainer {}

/** A dataset type: its own value is `data`. */
export class Data extends AbstractContainer {
  static override readonly dataType: string = "Data";
  data: FieldValue | undefined;
  constructor(options: ContainerOptions & { data?: FieldValue }) {
    super(options);
    this.data = options.data;
    if (options.data instanceof AbstractContainer) this.adopt(options.data);
  }
}

/** Any group type without a hand-written class (extensions, less common core types). */
export class GenericContainer extends Container {
  readonly #dataType: string;
  readonly #namespace: string;
  constructor(options: ContainerOptions & { dataType: string; namespace: string }) {
    super(options);
    this.#dataType = options.dataType;
    this.#namespace = options.namespace;
  }
  override get dataType(): string {
    return this.#dataType;
  }
  override get namespace(): string {
    return this.#namespace;
  }
}

/** Any dataset type without a hand-written class. */
export class GenericData extends Data {
  readonly #dataType: string;
  readonly #namespace: string;
  constructor(options: ContainerOptions & { dataType: string; namespace: string; data?: FieldValue }) {
    super(options);
    this.#dataType = options.dataType;
    this.#namespace = options.namespace;
  }
  override get dataType(): string {
    return this.#dataType;
  }
  override get namespace(): string {
    return this.#namespace;
  }
}
