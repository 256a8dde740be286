/**
 * Validation of a builder tree against the spec (hdmf/validate/validator.py): missing required
 * parts, wrong dtype class, wrong shape/rank, wrong quantity, wrong type of a child or link
 * target. Every problem is reported with the path of the object it concerns.
 */
import { NUMERIC_TABLE, type Dtype } from "../../data/dtype.js";
import { isStoredDataset } from "../../data/data-source.js";
import { DataIO } from "../../data/data-io.js";
import { AbstractDataChunkIterator } from "../../data/iterators.js";
import { NdArray } from "../../data/ndarray.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder, type Attribute } from "../builders.js";
import { typeOf } from "../build/construct-mapper.js";
import { GroupSpec } from "../spec/group-spec.js";
import type { NamespaceCatalog, TypeSpec } from "../spec/namespace.js";
import { isCompound, isRefSpec, type AttributeSpec, type LinkSpec, type Shape, type SpecDtype } from "../spec/spec.js";
import { type DatasetSpec } from "../spec/dataset-spec.js";

/**
 * What a ValidationError is about: a required part is `missing`; a `dtype`, `shape` or
 * `quantity` does not match the spec; a child has the wrong `type` or a link the wrong
 * target (`link-target`); a type is in no loaded namespace (`unknown-type`). validateFile adds
 * `reference`, `index`, `spec` and `unreadable` for what would make a reader fail.
 */
export type ValidationErrorKind = "missing" | "dtype" | "shape" | "quantity" | "type" | "link-target" | "unknown-type"
  // found by src/inspect/integrity.ts and validateFile: what would make a reader fail
  | "reference" | "index" | "spec" | "unreadable";

/** One problem found by the validator (a result, not a thrown error). */
export interface ValidationError {
  readonly path: string;
  readonly kind: ValidationErrorKind;
  readonly message: string;
}

const FLOAT = new Set(["float", "float32", "double", "float64"]);
const TEXT = new Set(["text", "utf", "utf8", "utf-8", "ascii", "bytes", "isodatetime", "datetime", "date"]);

/** Does a stored dtype satisfy a spec dtype (larger precision of the same kind is fine)? */
export function dtypeMatches(spec: SpecDtype | undefined, actual: Dtype): boolean {
  if (spec === undefined) return true;
  if (isRefSpec(spec)) return actual.kind === "reference";
  if (isCompound(spec)) {
    if (actual.kind !== "compound") return false;
    return spec.every((f) => {
      const a = actual.fields.find((x) => x.name === f.name);
      return a !== undefined && dtypeMatches(f.dtype, a.dtype);
    });
  }
  if (TEXT.has(spec)) return actual.kind === "string" || actual.kind === "object";
  if (spec === "object" || spec === "region") return actual.kind === "reference";
  if (actual.kind !== "numeric") return false;
  const info = NUMERIC_TABLE[actual.name];
  if (spec === "numeric") return actual.name !== "bool";
  if (spec === "bool") return actual.name === "bool";
  const want = Object.values(NUMERIC_TABLE).find((i) => i.specNames.includes(spec) || i.name === spec);
  if (!want) return false;
  if (FLOAT.has(spec)) return info.char === "f" && info.itemsize >= want.itemsize;
  if (want.char === "u") return info.char === "u" && info.itemsize >= want.itemsize;
  if (want.char === "i") return (info.char === "i" && info.itemsize >= want.itemsize) || (info.char === "u" && info.itemsize < want.itemsize);
  return false;
}

function describe(d: SpecDtype | undefined): string {
  if (d === undefined) return "any";
  if (typeof d === "string") return d;
  if (isRefSpec(d)) return `${d.reftype} reference to ${d.target_type}`;
  return "compound";
}

function shapeOf(data: unknown): readonly number[] | undefined {
  if (data instanceof NdArray) return data.shape;
  if (data instanceof DataIO) return data.shape;
  if (data instanceof AbstractDataChunkIterator) {
    try { return data.recommendedDataShape(); } catch { return undefined; }
  }
  if (isStoredDataset(data)) return data.shape;
  return undefined;
}

/** Does a shape satisfy a spec shape (or one of its alternatives)? */
export function shapeMatches(spec: Shape | undefined, actual: readonly number[]): boolean {
  if (spec === undefined) return true;
  const alts = spec.length > 0 && Array.isArray(spec[0]) ? (spec as ReadonlyArray<ReadonlyArray<number | null>>) : [spec as ReadonlyArray<number | null>];
  return alts.some((alt) => alt.length === actual.length && alt.every((d, i) => d === null || d === actual[i]));
}

function fmtShape(s: Shape): string {
  return JSON.stringify(s).replaceAll("null", "None");
}

/**
 * Checks builders against the specs of their types (hdmf's Validator), collecting every
 * problem in `errors` rather than throwing. `validate(root, catalog)` is the usual entry.
 */
export class Validator {
  /** The problems found so far. */
  readonly errors: ValidationError[] = [];
  /**
   * @param catalog - the specs to validate against
   * @param namespace - where to look a type up when the builder's own namespace attribute does not lead to it
   */
  constructor(readonly catalog: NamespaceCatalog, readonly namespace: string) {}

  #err(path: string, kind: ValidationErrorKind, message: string): void {
    this.errors.push({ path, kind, message });
  }

  #specFor(b: Builder): { spec: TypeSpec; hierarchy: string[] } | undefined {
    const t = typeOf(b);
    if (!t) return undefined;
    for (const ns of [t.namespace, this.namespace, this.catalog.namespaceOfType(t.dataType)]) {
      if (ns && this.catalog.hasNamespace(ns) && this.catalog.getNamespace(ns).hasType(t.dataType)) {
        return { spec: this.catalog.getSpec(ns, t.dataType), hierarchy: this.catalog.getHierarchy(ns, t.dataType) };
      }
    }
    this.#err(b.path, "unknown-type", `type ${t.namespace}:${t.dataType} is not in any loaded namespace`);
    return undefined;
  }

  #hierarchy(b: Builder): string[] {
    const t = typeOf(b);
    if (!t) return [];
    const ns = this.catalog.hasNamespace(t.namespace) && this.catalog.getNamespace(t.namespace).hasType(t.dataType) ? t.namespace : this.catalog.namespaceOfType(t.dataType);
    return ns ? this.catalog.getHierarchy(ns, t.dataType) : [t.dataType];
  }

  /** Validate a typed builder against the spec of its own type. */
  validateTyped(b: GroupBuilder | DatasetBuilder): void {
    const hit = this.#specFor(b);
    if (!hit) return;
    this.#validateAgainst(b, hit.spec);
  }

  #validateAgainst(b: GroupBuilder | DatasetBuilder, spec: TypeSpec | DatasetSpec | GroupSpec): void {
    this.#attributes(b, spec.attributes);
    if (spec instanceof GroupSpec) {
      if (b instanceof GroupBuilder) this.#group(b, spec);
      else this.#err(b.path, "type", `expected a group, found a dataset`);
    } else if (b instanceof DatasetBuilder) this.#dataset(b, spec as DatasetSpec);
    else this.#err(b.path, "type", `expected a dataset, found a group`);
  }

  #attributes(b: Builder, specs: readonly AttributeSpec[]): void {
    for (const a of specs) {
      const attr: Attribute | undefined = b.attributes.get(a.name);
      const path = `${b.path}/${a.name}`;
      if (!attr || attr.value === null) {
        if (a.required && a.value === undefined) this.#err(path, "missing", `required attribute "${a.name}" is missing`);
        continue;
      }
      if (!dtypeMatches(a.dtype, attr.dtype)) this.#err(path, "dtype", `attribute "${a.name}" should be ${describe(a.dtype)}, found ${attr.dtype.kind === "numeric" ? attr.dtype.name : attr.dtype.kind}`);
      if (attr.value instanceof NdArray && a.shape && !shapeMatches(a.shape, attr.value.shape)) {
        this.#err(path, "shape", `attribute "${a.name}" has shape [${attr.value.shape.join(", ")}], expected ${fmtShape(a.shape)}`);
      }
    }
  }

  #dataset(b: DatasetBuilder, spec: DatasetSpec): void {
    if (!dtypeMatches(spec.dtype, b.dtype)) {
      this.#err(b.path, "dtype", `should be ${describe(spec.dtype)}, found ${b.dtype.kind === "numeric" ? b.dtype.name : b.dtype.kind}`);
    }
    const shape = shapeOf(b.data);
    if (shape && spec.shape && !shapeMatches(spec.shape, shape)) {
      this.#err(b.path, "shape", `has shape [${shape.join(", ")}], expected ${fmtShape(spec.shape)}`);
    }
  }

  #count(q: number | "?" | "*" | "+", n: number, path: string, what: string): void {
    const ok = q === "*" || (q === "?" && n <= 1) || (q === "+" && n >= 1) || (typeof q === "number" && n === q);
    if (!ok) {
      const kind = n === 0 ? "missing" : "quantity";
      this.#err(path, kind, n === 0 ? `required ${what} is missing` : `expected ${String(q)} ${what}, found ${n}`);
    }
  }

  #group(g: GroupBuilder, spec: GroupSpec): void {
    const seen = new Set<Builder>();
    const named = (name: string): Builder | undefined => g.get(name);
    const check = (sub: GroupSpec | DatasetSpec): void => {
      if (sub.name !== undefined) {
        const child = named(sub.name);
        const path = g.path === "/" ? `/${sub.name}` : `${g.path}/${sub.name}`;
        if (!child) {
          if (sub.required) this.#err(path, "missing", `required ${sub instanceof GroupSpec ? "group" : "dataset"} "${sub.name}" is missing`);
          return;
        }
        seen.add(child);
        this.#child(child, sub, path);
        return;
      }
      const dt = sub.dataType!;
      const matches = [...g.children()].filter((c) => !seen.has(c) && (c instanceof GroupBuilder) === (sub instanceof GroupSpec)
        && !(c instanceof LinkBuilder) && this.#hierarchy(c).includes(dt));
      const links = [...g.links.values()].filter((l) => !seen.has(l) && l.target instanceof Builder && this.#hierarchy(l.target).includes(dt));
      for (const c of [...matches, ...links]) { seen.add(c); this.#child(c, sub, c.path); }
      this.#count(sub.quantity, matches.length + links.length, `${g.path}/<${dt}>`, `${dt}`);
    };
    for (const d of spec.datasets) check(d);
    for (const s of spec.groups) check(s);
    for (const l of spec.links) this.#link(g, l, seen);
    // Typed children no spec position took: unknown types, or types not allowed here.
    for (const c of g.children()) {
      if (seen.has(c) || c instanceof LinkBuilder || !typeOf(c)) continue;
      const hit = this.#specFor(c);
      if (hit) this.#err(c.path, "type", `${typeOf(c)!.dataType} is not allowed in ${g.path}`);
    }
  }

  #child(child: Builder, sub: GroupSpec | DatasetSpec, path: string): void {
    if (child instanceof LinkBuilder) {
      if (sub.dataType !== undefined && child.target instanceof Builder && typeOf(child.target)) {
        if (!this.#hierarchy(child.target).includes(sub.dataType)) this.#err(path, "link-target", `link target is ${typeOf(child.target)!.dataType}, expected ${sub.dataType}`);
      }
      return;
    }
    if (sub.dataType !== undefined) {
      if (!typeOf(child)) { this.#err(path, "type", `expected a ${sub.dataType}, found an untyped object`); return; }
      if (!this.#hierarchy(child).includes(sub.dataType)) { this.#err(path, "type", `expected a ${sub.dataType}, found ${typeOf(child)!.dataType}`); return; }
      this.validateTyped(child as GroupBuilder | DatasetBuilder);
      // The position may add attributes or narrow dtype/shape beyond the type's own spec.
      this.#attributes(child, sub.attributes.filter((a) => !this.#specFor(child)?.spec.getAttribute(a.name)));
      if (child instanceof DatasetBuilder && sub instanceof Object && "dtype" in sub && (sub as DatasetSpec).shape) this.#dataset(child, sub as DatasetSpec);
      return;
    }
    this.#validateAgainst(child as GroupBuilder | DatasetBuilder, sub);
  }

  #link(g: GroupBuilder, l: LinkSpec, seen: Set<Builder>): void {
    const candidates = l.name !== undefined ? [g.get(l.name)].filter((x): x is NonNullable<typeof x> => x !== undefined) : [...g.links.values()].filter((x) => !seen.has(x) && x.target instanceof Builder && this.#hierarchy(x.target).includes(l.targetType));
    const path = l.name !== undefined ? `${g.path === "/" ? "" : g.path}/${l.name}` : `${g.path}/<link ${l.targetType}>`;
    if (l.name !== undefined || candidates.length > 0 || l.required) this.#count(l.quantity, candidates.length, path, `link to ${l.targetType}`);
    for (const c of candidates) {
      seen.add(c);
      const target = c instanceof LinkBuilder ? c.target : c;
      if (target instanceof Builder && typeOf(target) && !this.#hierarchy(target).includes(l.targetType)) {
        this.#err(c.path, "link-target", `link target is ${typeOf(target)!.dataType}, expected ${l.targetType}`);
      }
    }
  }
}

/** Check a builder tree (normally a file's root) against the spec; [] means valid. */
export function validate(root: GroupBuilder, catalog: NamespaceCatalog, namespace = "core"): ValidationError[] {
  const v = new Validator(catalog, namespace);
  v.validateTyped(root);
  return v.errors;
}
