/**
 * The HDMF specification language: attribute and link specs and the storage-spec base (dataset
 * specs in dataset-spec.ts, group specs in group-spec.ts). Each spec keeps its keys in the order hdmf's constructors insert them
 * (hdmf/spec/spec.py), because the cached spec in a file is that dict serialised as JSON.
 *
 * Inheritance (`data_type_inc` with `data_type_def`) is resolved as hdmf does: inherited
 * attributes are appended, own ones override, and the spec remembers which are new and which
 * are overridden (the cache writes only those).
 */
import { InvalidInputError } from "../../errors.js";
import { PyFloat, type PyJson } from "./pyjson.js";

/** A spec's key dict (hdmf's spec is a dict subclass): key -> value, in hdmf's insertion order. */
export type SpecRecord = Record<string, unknown>;

/** Keys a namespace uses for type definitions: NWB uses neurodata_type_*, hdmf data_type_*. */
export interface TypeKeys {
  /** The key that defines a new type ("data_type_def" or "neurodata_type_def"). */
  readonly def: string;
  /** The key that includes (extends or uses) a type ("data_type_inc" or "neurodata_type_inc"). */
  readonly inc: string;
}
/** The type keys of hdmf-common and hdmf-experimental: `data_type_def` / `data_type_inc`. */
export const HDMF_KEYS: TypeKeys = { def: "data_type_def", inc: "data_type_inc" };
/** The type keys of NWB (namespace "core" and its extensions): `neurodata_type_def` / `neurodata_type_inc`. */
export const NWB_KEYS: TypeKeys = { def: "neurodata_type_def", inc: "neurodata_type_inc" };

/** A reference dtype (hdmf RefSpec): an object or region reference to an object of `target_type`. */
export interface RefSpec {
  /** The data type the reference must point to. */
  readonly target_type: string;
  /** "object" for an object reference, "region" for a region reference. */
  readonly reftype: "object" | "region";
}
/** One field of a compound dtype (hdmf DtypeSpec): its name, doc and dtype. */
export interface DtypeSpec {
  readonly doc: string;
  readonly name: string;
  readonly dtype: SpecDtype;
}
/** A primary dtype name ("float32", "text", "isodatetime"...), a reference, or compound fields. */
export type SpecDtype = string | RefSpec | readonly DtypeSpec[];
/** A spec shape: one size per axis (null = any size), or a list of such shapes as alternatives. */
export type Shape = ReadonlyArray<number | null> | ReadonlyArray<ReadonlyArray<number | null>>;
/** Axis names matching a `Shape`: one name per axis, or one list per alternative shape. */
export type Dims = ReadonlyArray<string> | ReadonlyArray<ReadonlyArray<string>>;
/**
 * How many instances a spec allows, as written in the spec: a count, "?", "*", "+", or
 * hdmf's long spellings "zero_or_one", "zero_or_many", "one_or_many" (see normalizeQuantity).
 */
export type Quantity = number | string;

/** Quantity "?": optional, at most one. */
export const ZERO_OR_ONE = "?";
/** Quantity "*": any number, none included. */
export const ZERO_OR_MANY = "*";
/** Quantity "+": at least one. */
export const ONE_OR_MANY = "+";
const QUANTITY_FLAGS: Record<string, string> = { zero_or_one: "?", zero_or_many: "*", one_or_many: "+" };

/** hdmf: "?" and "*" are optional, everything else is required. */
export function quantityRequired(q: number | "?" | "*" | "+"): boolean {
  return q !== "?" && q !== "*";
}

/** hdmf: more than one instance may exist unless the quantity is 1 or "?". */
export function quantityIsMany(q: number | "?" | "*" | "+"): boolean {
  return q !== 1 && q !== "?";
}

/**
 * A quantity as '?', '*', '+' or a count; hdmf's long spellings map to the short ones and a
 * numeric string to its number. Anything else is an InvalidInputError.
 */
export function normalizeQuantity(q: Quantity): number | "?" | "*" | "+" {
  if (typeof q === "number") return q;
  const s = QUANTITY_FLAGS[q] ?? q;
  if (s === "?" || s === "*" || s === "+") return s;
  const n = Number(s);
  if (Number.isInteger(n)) return n;
  throw new InvalidInputError(`bad quantity "${q}"`, { option: "quantity" });
}

/** Is a spec dtype a reference (a mapping with `target_type`)? */
export function isRefSpec(d: unknown): d is RefSpec {
  return typeof d === "object" && d !== null && !Array.isArray(d) && "target_type" in d;
}

/** Is a spec dtype compound (a list of DtypeSpec fields)? */
export function isCompound(d: SpecDtype | undefined): d is readonly DtypeSpec[] {
  return Array.isArray(d);
}

/** Common base: `doc`, optional `name`, `required` (stored only when false). */
export abstract class Spec {
  /** The spec's keys in hdmf's order; the cached spec in a file is this dict as JSON. */
  readonly d: SpecRecord = {};
  /** The spec this one is nested in (undefined for a top-level type or a free spec). */
  parent: Spec | undefined;

  /** The `doc` text. */
  get doc(): string {
    return this.d.doc as string;
  }
  /** The fixed `name`, if the spec gives one. */
  get name(): string | undefined {
    return this.d.name as string | undefined;
  }
  /** The key dict, so JSON.stringify and pyJsonDumps write the spec as hdmf's dict. */
  toJSON(): SpecRecord {
    return this.d;
  }
  /** Slash-joined names (or types) from the top-level spec, as hdmf's Spec.path. */
  get path(): string {
    const parts: string[] = [];
    for (let s: Spec | undefined = this; s; s = s.parent) {
      const storage = s as Spec & { dataTypeDef?: string; dataTypeInc?: string };
      parts.push(s.name ?? storage.dataTypeDef ?? storage.dataTypeInc ?? "?");
    }
    return parts.reverse().join("/");
  }
}

/** Constructor arguments of AttributeSpec, under the spec language's key names. */
export interface AttributeSpecInit {
  name: string;
  doc: string;
  /** A primary dtype or a reference; an attribute cannot be compound. */
  dtype: string | RefSpec;
  shape?: Shape;
  dims?: Dims;
  required?: boolean;
  /** A fixed value: the attribute always has it (cannot be combined with `default_value`). */
  value?: PyJson;
  /** Written when the container has no value; makes the attribute optional. */
  default_value?: PyJson;
}

/**
 * An attribute spec (hdmf AttributeSpec): name, doc, dtype, optional shape/dims, and either a
 * fixed `value` or a `default_value`.
 */
export class AttributeSpec extends Spec {
  constructor(init: AttributeSpecInit) {
    super();
    this.d.doc = init.doc;
    this.d.name = init.name;
    if (init.required === false) this.d.required = false;
    this.d.dtype = init.dtype;
    if (init.value !== undefined && init.value !== null) {
      delete this.d.required;
      this.d.value = init.value;
    }
    if (init.default_value !== undefined && init.default_value !== null) {
      if (this.d.value !== undefined) throw new InvalidInputError(`attribute ${init.name}: cannot specify 'value' and 'default_value'`, { option: "default_value" });
      this.d.default_value = init.default_value;
      this.d.required = false;
    }
    if (init.shape) this.d.shape = init.shape;
    if (init.dims) {
      this.d.dims = init.dims;
      if (!init.shape) this.d.shape = init.dims.map(() => null);
    }
  }
  /** The attribute's name (always given for an attribute). */
  override get name(): string {
    return this.d.name as string;
  }
  /** The primary dtype name or the reference spec. */
  get dtype(): string | RefSpec {
    return this.d.dtype as string | RefSpec;
  }
  /** The allowed shape(s); undefined for a scalar attribute. */
  get shape(): Shape | undefined {
    return this.d.shape as Shape | undefined;
  }
  /** The axis names, if the spec gives them. */
  get dims(): Dims | undefined {
    return this.d.dims as Dims | undefined;
  }
  /** The fixed value, if any. */
  get value(): PyJson | undefined {
    return this.d.value as PyJson | undefined;
  }
  /** The default value, if any. */
  get defaultValue(): PyJson | undefined {
    return this.d.default_value as PyJson | undefined;
  }
  /** false when the spec says `required: false` or gives a `default_value`; true otherwise. */
  get required(): boolean {
    return (this.d.required as boolean | undefined) ?? true;
  }
  /** A copy with the same keys and no parent (used when a spec is placed under a second parent). */
  clone(): AttributeSpec {
    return new AttributeSpec({ ...(this.d as unknown as AttributeSpecInit) });
  }
}

/**
 * Constructor arguments shared by group and dataset specs. `def` and `inc` are the values of
 * the namespace's type keys (`data_type_def`/`_inc` or `neurodata_type_def`/`_inc`).
 */
export interface StorageSpecInit {
  doc: string;
  /** A fixed name; not allowed with a quantity of "*" or "+". */
  name?: string;
  /** The name to use when the user gives none (only without a fixed `name`). */
  default_name?: string;
  attributes?: AttributeSpec[];
  /** false: the object must be stored in place, never as a link (default true). */
  linkable?: boolean;
  /** How many may exist (default 1). */
  quantity?: Quantity;
  /** The new type this spec defines. */
  def?: string;
  /** The type this spec extends (with `def`) or uses (alone). */
  inc?: string;
}

/** The StorageSpecInit of a group or dataset spec's key dict, its attribute specs cloned (for clone()). @internal */
export function storageInitFromRecord(d: SpecRecord, keys: TypeKeys): StorageSpecInit {
  return {
    doc: d.doc as string, name: d.name as string | undefined, default_name: d.default_name as string | undefined,
    attributes: ((d.attributes as AttributeSpec[] | undefined) ?? []).map((a) => a.clone()),
    linkable: d.linkable as boolean | undefined, quantity: d.quantity as Quantity | undefined,
    def: d[keys.def] as string | undefined, inc: d[keys.inc] as string | undefined,
  };
}

/** A spec that can hold attributes: groups and datasets (hdmf BaseStorageSpec). */
export abstract class BaseStorageSpec extends Spec {
  /** The type keys this spec is written with (data_type_* or neurodata_type_*). */
  readonly keys: TypeKeys;
  readonly #attributes = new Map<string, AttributeSpec>();
  /** Names of the attributes this spec adds itself (not inherited from its parent type). */
  newAttributes = new Set<string>();
  /** Names of inherited attributes this spec redefines. */
  readonly overriddenAttributes = new Set<string>();
  /** true once resolveSpec has merged in the parent type. */
  resolved = false;

  constructor(init: StorageSpecInit, keys: TypeKeys) {
    super();
    this.keys = keys;
    if (init.name === undefined && init.def === undefined && init.inc === undefined) {
      throw new InvalidInputError(`a spec without a name needs '${keys.def}' or '${keys.inc}'`, { option: keys.inc });
    }
  }

  /** The second half of hdmf's constructor; subclasses call it after their own leading keys. */
  protected initStorage(init: StorageSpecInit): void {
    this.d.doc = init.doc;
    if (init.name !== undefined) this.d.name = init.name;
    if (init.default_name && init.name === undefined) this.d.default_name = init.default_name;
    const q = init.quantity ?? 1;
    if ((q === "*" || q === "+" || q === "zero_or_many" || q === "one_or_many") && init.name !== undefined) {
      throw new InvalidInputError(`cannot give a name to something that can exist many times: name='${init.name}', quantity='${q}'`, { option: "quantity" });
    }
    if (q !== 1) this.d.quantity = q;
    if (init.linkable === false) this.d.linkable = false;
    if (init.inc !== undefined) this.d[this.keys.inc] = init.inc;
    if (init.def !== undefined) {
      delete this.d.required;
      this.d[this.keys.def] = init.def;
    }
    for (const a of init.attributes ?? []) this.setAttribute(a);
    this.newAttributes = new Set(this.#attributes.keys());
  }

  /** The `default_name`, if any. */
  get defaultName(): string | undefined {
    return this.d.default_name as string | undefined;
  }
  /** The type this spec defines (`data_type_def` / `neurodata_type_def`). */
  get dataTypeDef(): string | undefined {
    return this.d[this.keys.def] as string | undefined;
  }
  /** The type this spec extends or uses (`data_type_inc` / `neurodata_type_inc`). */
  get dataTypeInc(): string | undefined {
    return this.d[this.keys.inc] as string | undefined;
  }
  /** The type an object at this spec has: the defined type, else the included one. */
  get dataType(): string | undefined {
    return this.dataTypeDef ?? this.dataTypeInc;
  }
  /** The quantity as written in the spec (1 when absent). */
  get quantityRaw(): Quantity {
    return (this.d.quantity as Quantity | undefined) ?? 1;
  }
  /** The quantity in short form ('?', '*', '+' or a count). */
  get quantity(): number | "?" | "*" | "+" {
    return normalizeQuantity(this.quantityRaw);
  }
  /** false for quantity '?' or '*', true otherwise. */
  get required(): boolean {
    return quantityRequired(this.quantity);
  }
  /** Whether more than one instance may exist (any quantity but 1 and '?'). */
  isMany(): boolean {
    return quantityIsMany(this.quantity);
  }
  /** Whether the object may be stored as a link to one elsewhere (default true). */
  get linkable(): boolean {
    return (this.d.linkable as boolean | undefined) ?? true;
  }
  /** The attribute specs, own and (after resolveSpec) inherited ones, in hdmf's order. */
  get attributes(): readonly AttributeSpec[] {
    return (this.d.attributes as AttributeSpec[] | undefined) ?? [];
  }
  /** The attribute spec called `name` (own or inherited), or undefined. */
  getAttribute(name: string): AttributeSpec | undefined {
    return this.#attributes.get(name);
  }

  /**
   * Add an attribute spec, replacing one of the same name in place; a spec that already has a
   * parent is cloned first, so specs are never shared between parents.
   */
  setAttribute(spec: AttributeSpec): void {
    const s = spec.parent !== undefined ? spec.clone() : spec;
    const list = (this.d.attributes ??= []) as AttributeSpec[];
    if (this.#attributes.has(s.name)) list[list.findIndex((a) => a.name === s.name)] = s;
    else list.push(s);
    this.#attributes.set(s.name, s);
    s.parent = this;
  }

  /** Merge the parent type's attributes (hdmf BaseStorageSpec.resolve_spec). */
  resolveSpec(inc: BaseStorageSpec): void {
    for (const a of inc.attributes) {
      this.newAttributes.delete(a.name);
      if (this.#attributes.has(a.name)) this.overriddenAttributes.add(a.name);
      else this.setAttribute(a);
    }
    this.resolved = true;
  }

  /** Whether attribute `name` comes from the parent type (overridden ones included), as hdmf's is_inherited_attribute. */
  isInheritedAttribute(name: string): boolean {
    return this.#attributes.has(name) && !this.newAttributes.has(name);
  }
  /** Whether attribute `name` is inherited and redefined by this spec, as hdmf's is_overridden_attribute. */
  isOverriddenAttribute(name: string): boolean {
    return this.overriddenAttributes.has(name);
  }

  /** A fresh copy built from this spec's keys, with nested specs cloned and no parent. */
  abstract clone(): BaseStorageSpec;
}

/** Constructor arguments of LinkSpec. */
export interface LinkSpecInit {
  doc: string;
  target_type: string;
  quantity?: Quantity;
  name?: string;
}

/** A link spec (hdmf LinkSpec): a link to an object of `target_type`, with an optional name and a quantity. */
export class LinkSpec extends Spec {
  constructor(init: LinkSpecInit) {
    super();
    this.d.doc = init.doc;
    if (init.name !== undefined) this.d.name = init.name;
    this.d.target_type = init.target_type;
    if ((init.quantity ?? 1) !== 1) this.d.quantity = init.quantity;
  }
  /** The data type the link must point to. */
  get targetType(): string {
    return this.d.target_type as string;
  }
  /** The quantity as written in the spec (1 when absent). */
  get quantityRaw(): Quantity {
    return (this.d.quantity as Quantity | undefined) ?? 1;
  }
  /** The quantity in short form ('?', '*', '+' or a count). */
  get quantity(): number | "?" | "*" | "+" {
    return normalizeQuantity(this.quantityRaw);
  }
  /** false for quantity '?' or '*', true otherwise. */
  get required(): boolean {
    return quantityRequired(this.quantity);
  }
  /** Whether more than one such link may exist (any quantity but 1 and '?'). */
  isMany(): boolean {
    return quantityIsMany(this.quantity);
  }
  /** A copy with the same keys and no parent. */
  clone(): LinkSpec {
    return new LinkSpec({ ...(this.d as unknown as LinkSpecInit) });
  }
}

export { PyFloat };
