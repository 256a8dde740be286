/**
 * Group specs: sub-groups, datasets and links, by name and by data type, with hdmf's rules for
 * inheriting them from a parent type (hdmf/spec/spec.py GroupSpec.resolve_spec).
 */
import { InvalidInputError } from "../../errors.js";
import { BaseStorageSpec, LinkSpec, storageInitFromRecord, type Spec, type SpecRecord, type StorageSpecInit, type TypeKeys } from "./spec.js";
import { DatasetSpec } from "./dataset-spec.js";
import type { TypeSpec } from "./namespace.js";

/** Constructor arguments of GroupSpec: the storage keys plus nested group, dataset and link specs. */
export interface GroupSpecInit extends StorageSpecInit {
  groups?: GroupSpec[];
  datasets?: DatasetSpec[];
  links?: LinkSpec[];
}

/**
 * A group spec (hdmf GroupSpec): attributes plus nested group, dataset and link specs, found by
 * name or by data type. resolveSpec merges in the parent type as hdmf does and records which
 * children are new or overridden (isInheritedSpec / isOverriddenSpec; the spec cache uses them).
 */
export class GroupSpec extends BaseStorageSpec {
  readonly #dataTypes = new Map<string, TypeSpec | TypeSpec[]>();
  readonly #targetTypes = new Map<string, LinkSpec | LinkSpec[]>();
  readonly #groups = new Map<string, GroupSpec>();
  readonly #datasets = new Map<string, DatasetSpec>();
  readonly #links = new Map<string, LinkSpec>();
  readonly #newDataTypes: Set<string>;
  readonly #newTargetTypes: Set<string>;
  readonly #newDatasets: Set<string>;
  readonly #newGroups: Set<string>;
  readonly #newLinks: Set<string>;
  readonly #overriddenDatasets = new Set<string>();
  readonly #overriddenGroups = new Set<string>();
  readonly #overriddenLinks = new Set<string>();

  constructor(init: GroupSpecInit, keys: TypeKeys) {
    super(init, keys);
    for (const g of init.groups ?? []) this.setGroup(g);
    for (const d of init.datasets ?? []) this.setDataset(d);
    for (const l of init.links ?? []) this.setLink(l);
    this.#newDataTypes = new Set(this.#dataTypes.keys());
    this.#newTargetTypes = new Set(this.#targetTypes.keys());
    this.#newDatasets = new Set(this.#datasets.keys());
    this.#newLinks = new Set(this.#links.keys());
    this.#newGroups = new Set(this.#groups.keys());
    this.initStorage(init);
  }

  /** The nested group specs, own and (after resolveSpec) inherited. */
  get groups(): readonly GroupSpec[] {
    return (this.d.groups as GroupSpec[] | undefined) ?? [];
  }
  /** The nested dataset specs, own and (after resolveSpec) inherited. */
  get datasets(): readonly DatasetSpec[] {
    return (this.d.datasets as DatasetSpec[] | undefined) ?? [];
  }
  /** The link specs, own and (after resolveSpec) inherited. */
  get links(): readonly LinkSpec[] {
    return (this.d.links as LinkSpec[] | undefined) ?? [];
  }
  /** The sub-group spec with the fixed name `name`, or undefined. */
  getGroup(name: string): GroupSpec | undefined {
    return this.#groups.get(name);
  }
  /** The dataset spec with the fixed name `name`, or undefined. */
  getDataset(name: string): DatasetSpec | undefined {
    return this.#datasets.get(name);
  }
  /** The link spec with the fixed name `name`, or undefined. */
  getLink(name: string): LinkSpec | undefined {
    return this.#links.get(name);
  }
  /** The spec for a data type: the unnamed one when there is one, else the named one(s). */
  getDataType(dt: string): TypeSpec | TypeSpec[] | undefined {
    return this.#dataTypes.get(dt);
  }
  /** The link spec(s) whose target type is `dt`: the unnamed one when there is one, else the named one(s). */
  getTargetType(dt: string): LinkSpec | LinkSpec[] | undefined {
    return this.#targetTypes.get(dt);
  }

  #addDataType(spec: TypeSpec): void {
    const dt = spec.dataTypeDef ?? spec.dataTypeInc;
    if (!dt) throw new InvalidInputError(`spec has no '${this.keys.def}' or '${this.keys.inc}'`, { option: this.keys.inc });
    addTyped(this.#dataTypes, dt, spec, "groups/datasets");
  }

  /** Add a sub-group spec (indexed by name and data type); a spec that already has a parent is cloned first. */
  setGroup(spec: GroupSpec): void {
    const s = spec.parent !== undefined ? spec.clone() : spec;
    if (s.dataType !== undefined) this.#addDataType(s);
    if (s.name !== undefined) this.#groups.set(s.name, s);
    ((this.d.groups ??= []) as GroupSpec[]).push(s);
    s.parent = this;
  }

  /** Add a dataset spec (indexed by name and data type); a spec that already has a parent is cloned first. */
  setDataset(spec: DatasetSpec): void {
    const s = spec.parent !== undefined ? spec.clone() : spec;
    if (s.dataType !== undefined) this.#addDataType(s);
    if (s.name !== undefined) this.#datasets.set(s.name, s);
    ((this.d.datasets ??= []) as DatasetSpec[]).push(s);
    s.parent = this;
  }

  /** Add a link spec (indexed by name and target type); a spec that already has a parent is cloned first. */
  setLink(spec: LinkSpec): void {
    const s = spec.parent !== undefined ? spec.clone() : spec;
    addTyped(this.#targetTypes, s.targetType, s, "links");
    if (s.name !== undefined) this.#links.set(s.name, s);
    ((this.d.links ??= []) as LinkSpec[]).push(s);
    s.parent = this;
  }

  /**
   * Merge the parent type `inc` (hdmf GroupSpec.resolve_spec): a named sub-group or dataset this
   * spec redefines is resolved against the parent's, one of the same name (or a named link) it
   * lacks is added; unnamed typed children and links are added unless this spec already has an
   * unnamed one of that type. Then the attributes merge as in BaseStorageSpec.resolveSpec.
   */
  override resolveSpec(inc: BaseStorageSpec): void {
    if (!(inc instanceof GroupSpec)) throw new InvalidInputError(`${this.path}: a group cannot extend a dataset type`, { option: this.keys.inc });
    const dataTypes: TypeSpec[] = [];
    const targetTypes: LinkSpec[] = [];
    for (const ds of inc.datasets) {
      if (ds.name === undefined) { dataTypes.push(ds); continue; }
      this.#newDatasets.delete(ds.name);
      const own = this.#datasets.get(ds.name);
      if (own) { own.resolveSpec(ds); this.#overriddenDatasets.add(ds.name); } else this.setDataset(ds);
    }
    for (const g of inc.groups) {
      if (g.name === undefined) { dataTypes.push(g); continue; }
      this.#newGroups.delete(g.name);
      const own = this.#groups.get(g.name);
      if (own) { own.resolveSpec(g); this.#overriddenGroups.add(g.name); } else this.setGroup(g);
    }
    for (const l of inc.links) {
      if (l.name === undefined) { targetTypes.push(l); continue; }
      this.#newLinks.delete(l.name);
      if (this.#links.has(l.name)) this.#overriddenLinks.add(l.name);
      else this.setLink(l);
    }
    for (const s of dataTypes) {
      const dt = (s.dataTypeDef ?? s.dataTypeInc)!;
      this.#newDataTypes.delete(dt);
      const existing = this.#dataTypes.get(dt);
      if (existing === undefined || ((Array.isArray(existing) || existing.name !== undefined) && s.name === undefined)) {
        if (s instanceof DatasetSpec) this.setDataset(s);
        else this.setGroup(s);
      }
    }
    for (const l of targetTypes) {
      this.#newTargetTypes.delete(l.targetType);
      const existing = this.#targetTypes.get(l.targetType);
      if (existing === undefined || ((Array.isArray(existing) || existing.name !== undefined) && l.name === undefined)) this.setLink(l);
    }
    super.resolveSpec(inc);
  }

  #lookupName(spec: Spec): string | undefined {
    if (spec.name !== undefined) return spec.name;
    if (spec instanceof BaseStorageSpec) return spec.dataTypeDef ?? spec.dataTypeInc;
    return spec instanceof LinkSpec ? spec.targetType : undefined;
  }

  /** hdmf GroupSpec.is_inherited_spec, for direct children and attributes. */
  isInheritedSpec(spec: Spec): boolean {
    const n = this.#lookupName(spec);
    if (n === undefined) return false;
    if (this.#links.has(n)) return !this.#newLinks.has(n);
    if (this.#groups.has(n)) return !this.#newGroups.has(n);
    if (this.#datasets.has(n)) return !this.#newDatasets.has(n);
    if (this.#dataTypes.has(n)) return !this.#newDataTypes.has(n);
    if (this.#targetTypes.has(n)) return !this.#newTargetTypes.has(n);
    return spec.parent === this && this.isInheritedAttribute(n);
  }

  /** hdmf GroupSpec.is_overridden_spec, for direct children and attributes. */
  isOverriddenSpec(spec: Spec): boolean {
    let n = spec.name;
    if (n === undefined) {
      if (spec instanceof LinkSpec) return false;
      if (spec instanceof BaseStorageSpec && spec.isMany()) return false;
      n = this.#lookupName(spec);
    }
    if (n === undefined) return false;
    if (this.#links.has(n)) return this.#overriddenLinks.has(n);
    if (this.#groups.has(n)) return this.#overriddenGroups.has(n);
    if (this.#datasets.has(n)) return this.#overriddenDatasets.has(n);
    if (this.#dataTypes.has(n)) return !this.#newDataTypes.has(n);
    return spec.parent === this && this.isOverriddenAttribute(n);
  }

  clone(): GroupSpec {
    return groupFromRecord(this.d, this.keys);
  }
}

function addTyped<T extends { name?: string | undefined }>(map: Map<string, T | T[]>, dt: string, spec: T, what: string): void {
  const curr = map.get(dt);
  if (curr === undefined) { map.set(dt, spec); return; }
  if (curr === spec) return;
  if (spec.name === undefined) {
    if (!Array.isArray(curr) && curr.name === undefined) {
      throw new InvalidInputError(`cannot have multiple ${what} of type ${dt} without names`, { option: "name" });
    }
    map.set(dt, spec);
  } else if (Array.isArray(curr)) curr.push(spec);
  else if (curr.name !== undefined) map.set(dt, [curr, spec]);
}

/** A new GroupSpec from a group spec's key dict, nested specs cloned (GroupSpec.clone). */
export function groupFromRecord(d: SpecRecord, keys: TypeKeys): GroupSpec {
  return new GroupSpec({
    ...storageInitFromRecord(d, keys),
    groups: ((d.groups as GroupSpec[] | undefined) ?? []).map((g) => g.clone()),
    datasets: ((d.datasets as DatasetSpec[] | undefined) ?? []).map((x) => x.clone()),
    links: ((d.links as LinkSpec[] | undefined) ?? []).map((l) => l.clone()),
  }, keys);
}
