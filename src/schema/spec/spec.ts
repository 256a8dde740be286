/**
 * The HDMF specification language: attribute, dataset and link specs (group specs in
 * group-spec.ts). Each spec keeps its keys in the order hdmf's constructors insert them
 * (hdmf/spec/spec.py), because the cached spec in a file is that dict serialised as JSON.
 *
 * Inheritance (`data_type_inc` with `data_type_def`) is resolved as hdmf does: inherited
 * attributes are appended, own ones override, and the spec remembers which are new and which
 * are overridden (the cache writes only those).
 */
import { InvalidInputError } from "../../errors.js";
import { PyFloat, type PyJson } from "./pyjson.js";

export type SpecRecord = Record<string, unknown>;

/** Keys a namespace uses for type definitions: NWB uses neurodata_type_*, hdmf data_type_*. */
export interface TypeKeys {
  readonly def: string;
  readonly inc: string;
}
export const HDMF_KEYS: TypeKeys = { def: "data_type_def", inc: "data_type_inc" };
export const NWB_KEYS: TypeKeys = { def: "neurodata_type_def", inc: "neurodata_type_inc" };

export interface RefSpec {
  readonly target_type: string;
  readonly reftype: "object" | "region";
}
export interface DtypeSpec {
  readonly doc: string;
  readonly name: string;
  readonly dtype: SpecDtype;
}
/** A primary dtype name ("float32", "text", "isodatetime"...), a reference, or compound fields. */
export type SpecDtype = string | RefSpec | readonly DtypeSpec[];
export type Shape = ReadonlyArray<number | null> | ReadonlyArray<ReadonlyArray<number | null>>;
export type Dims = ReadonlyArray<string> | ReadonlyArray<ReadonlyArray<string>>;
export type Quantity = number | string;

export const ZERO_OR_ONE = "?";
export const ZERO_OR_MANY = "*";
export const ONE_OR_MANY = "+";
const QUANTITY_FLAGS: Record<string, string> = { zero_or_one: "?", zero_or_many: "*", one_or_many: "+" };

/** '?', '*', '+' or a count; hdmf's long spellings map to the short ones. */
/** hdmf: "?" and "*" are optional, everything else is required. */
export function quantityRequired(q: number | "?" | "*" | "+"): boolean {
  return q !== "?" && q !== "*";
}

/** hdmf: more than one instance may exist unless the quantity is 1 or "?". */
export function quantityIsMany(q: number | "?" | "*" | "+"): boolean {
  return q !== 1 && q !== "?";
}

export function normalizeQuantity(q: Quantity): number | "?" | "*" | "+" {
  if (typeof q === "number") return q;
  const s = QUANTITY_FLAGS[q] ?? q;
  if (s === "?" || s === "*" || s === "+") return s;
  const n = Number(s);
  if (Number.isInteger(n)) return n;
  throw new InvalidInputError(`bad quantity "${q}"`, { option: "quantity" });
}

export function isRefSpec(d: unknown): d is RefSpec {
  return typeof d === "object" && d !== null && !Array.isArray(d) && "target_type" in d;
}

export function isCompound(d: SpecDtype | undefined): d is readonly DtypeSpec[] {
  return Array.isArray(d);
}

/** Common base: `doc`, optional `name`, `required` (stored only when false). */
export abstract class Spec {
  readonly d: SpecRecord = {};
  parent: Spec | undefined;

  get doc(): string {
    return this.d.doc as string;
  }
  get name(): string | undefined {
    return this.d.name as string | undefined;
  }
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

export interface AttributeSpecInit {
  name: string;
  doc: string;
  dtype: string | RefSpec;
  shape?: Shape;
  dims?: Dims;
  required?: boolean;
  value?: PyJson;
  default_value?: PyJson;
}

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
  override get name(): string {
    return this.d.name as string;
  }
  get dtype(): string | RefSpec {
    return this.d.dtype as string | RefSpec;
  }
  get shape(): Shape | undefined {
    return this.d.shape as Shape | undefined;
  }
  get dims(): Dims | undefined {
    return this.d.dims as Dims | undefined;
  }
  get value(): PyJson | undefined {
    return this.d.value as PyJson | undefined;
  }
  get defaultValue(): PyJson | undefined {
    return this.d.default_value as PyJson | undefined;
  }
  get required(): boolean {
    return (this.d.required as boolean | undefined) ?? true;
  }
  clone(): AttributeSpec {
    return new AttributeSpec({ ...(this.d as unknown as AttributeSpecInit) });
  }
}

export interface StorageSpecInit {
  doc: string;
  name?: string;
  default_name?: string;
  attributes?: AttributeSpec[];
  linkable?: boolean;
  quantity?: Quantity;
  def?: string;
  inc?: string;
}

/** A spec that can hold attributes: groups and datasets (hdmf BaseStorageSpec). */
export abstract class BaseStorageSpec extends Spec {
  readonly keys: TypeKeys;
  readonly #attributes = new Map<string, AttributeSpec>();
  newAttributes = new Set<string>();
  readonly overriddenAttributes = new Set<string>();
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

  get defaultName(): string | undefined {
    return this.d.default_name as string | undefined;
  }
  get dataTypeDef(): string | undefined {
    return this.d[this.keys.def] as string | undefined;
  }
  get dataTypeInc(): string | undefined {
    return this.d[this.keys.inc] as string | undefined;
  }
  get dataType(): string | undefined {
    return this.dataTypeDef ?? this.dataTypeInc;
  }
  get quantityRaw(): Quantity {
    return (this.d.quantity as Quantity | undefined) ?? 1;
  }
  get quantity(): number | "?" | "*" | "+" {
    return normalizeQuantity(this.quantityRaw);
  }
  get required(): boolean {
    return quantityRequired(this.quantity);
  }
  isMany(): boolean {
    return quantityIsMany(this.quantity);
  }
  get linkable(): boolean {
    return (this.d.linkable as boolean | undefined) ?? true;
  }
  get attributes(): readonly AttributeSpec[] {
    return (this.d.attributes as AttributeSpec[] | undefined) ?? [];
  }
  getAttribute(name: string): AttributeSpec | undefined {
    return this.#attributes.get(name);
  }

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

  isInheritedAttribute(name: string): boolean {
    return this.#attributes.has(name) && !this.newAttributes.has(name);
  }
  isOverriddenAttribute(name: string): boolean {
    return this.overriddenAttributes.has(name);
  }

  abstract clone(): BaseStorageSpec;
}

export interface DatasetSpecInit extends StorageSpecInit {
  dtype?: SpecDtype;
  shape?: Shape;
  dims?: Dims;
  default_value?: PyJson;
  value?: PyJson;
}

export class DatasetSpec extends BaseStorageSpec {
  constructor(init: DatasetSpecInit, keys: TypeKeys) {
    super(init, keys);
    if (init.shape) this.d.shape = init.shape;
    if (init.dims) {
      this.d.dims = init.dims;
      if (!init.shape) this.d.shape = init.dims.map((x) => (Array.isArray(x) ? x.map(() => null) : null));
    }
    if (init.dtype !== undefined) this.d.dtype = init.dtype;
    this.initStorage(init);
    if (init.default_value !== undefined && init.default_value !== null) this.d.default_value = init.default_value;
    if (init.value !== undefined && init.value !== null) this.d.value = init.value;
    if (this.name !== undefined && this.isMany()) {
      throw new InvalidInputError(`dataset '${this.name}': quantity ${String(this.quantityRaw)} is invalid with a fixed name`, { option: "quantity" });
    }
  }
  get dtype(): SpecDtype | undefined {
    return this.d.dtype as SpecDtype | undefined;
  }
  get shape(): Shape | undefined {
    return this.d.shape as Shape | undefined;
  }
  get dims(): Dims | undefined {
    return this.d.dims as Dims | undefined;
  }
  get defaultValue(): PyJson | undefined {
    return this.d.default_value as PyJson | undefined;
  }
  get value(): PyJson | undefined {
    return this.d.value as PyJson | undefined;
  }

  override resolveSpec(inc: BaseStorageSpec): void {
    const own = this.dtype;
    if (isCompound(own) && inc instanceof DatasetSpec) {
      const incDtype = inc.dtype;
      if (typeof incDtype === "string") throw new InvalidInputError(`${this.path}: cannot extend a simple dtype to a compound dtype`, { option: "dtype" });
      const order = new Map<string, DtypeSpec>();
      for (const f of (incDtype as readonly DtypeSpec[] | undefined) ?? []) order.set(f.name, f);
      for (const f of own) order.set(f.name, f);
      this.d.dtype = [...order.values()];
    }
    super.resolveSpec(inc);
  }

  clone(): DatasetSpec {
    return datasetFromRecord(this.d, this.keys);
  }
}

export function datasetFromRecord(d: SpecRecord, keys: TypeKeys): DatasetSpec {
  return new DatasetSpec({
    doc: d.doc as string, name: d.name as string | undefined, default_name: d.default_name as string | undefined,
    attributes: ((d.attributes as AttributeSpec[] | undefined) ?? []).map((a) => a.clone()),
    linkable: d.linkable as boolean | undefined, quantity: d.quantity as Quantity | undefined,
    def: d[keys.def] as string | undefined, inc: d[keys.inc] as string | undefined,
    dtype: d.dtype as SpecDtype | undefined, shape: d.shape as Shape | undefined, dims: d.dims as Dims | undefined,
    default_value: d.default_value as PyJson | undefined, value: d.value as PyJson | undefined,
  }, keys);
}

export interface LinkSpecInit {
  doc: string;
  target_type: string;
  quantity?: Quantity;
  name?: string;
}

export class LinkSpec extends Spec {
  constructor(init: LinkSpecInit) {
    super();
    this.d.doc = init.doc;
    if (init.name !== undefined) this.d.name = init.name;
    this.d.target_type = init.target_type;
    if ((init.quantity ?? 1) !== 1) this.d.quantity = init.quantity;
  }
  get targetType(): string {
    return this.d.target_type as string;
  }
  get quantityRaw(): Quantity {
    return (this.d.quantity as Quantity | undefined) ?? 1;
  }
  get quantity(): number | "?" | "*" | "+" {
    return normalizeQuantity(this.quantityRaw);
  }
  get required(): boolean {
    return quantityRequired(this.quantity);
  }
  isMany(): boolean {
    return quantityIsMany(this.quantity);
  }
  clone(): LinkSpec {
    return new LinkSpec({ ...(this.d as unknown as LinkSpecInit) });
  }
}

export { PyFloat };
