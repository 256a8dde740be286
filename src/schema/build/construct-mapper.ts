/**
 * Builders -> containers, driven by the resolved spec of each type (hdmf ObjectMapper.construct).
 * Every builder child lands in the field its spec names; references become the containers
 * they point at; links to other files are kept as ExternalLink so they are written back.
 */
import { NotFoundError } from "../../errors.js";
import { NdArray, type CompoundRecord } from "../../data/ndarray.js";
import { ObjectReference } from "../../data/reference.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder } from "../builders.js";
import {
  AbstractContainer, Data, DatasetLink, ExternalLink, starKey, type CompoundRow, type FieldValue,
} from "../containers/container.js";
import { GroupSpec } from "../spec/group-spec.js";
import type { AttributeSpec } from "../spec/spec.js";
import type { DatasetSpec } from "../spec/dataset-spec.js";
import { unwrapScalar } from "./convert.js";
import type { TypeMap } from "./type-map.js";

const join = (prefix: string, name: string): string => (prefix === "" ? name : `${prefix}/${name}`);
const TYPE_KEYS = ["neurodata_type", "data_type"];

/**
 * The type a builder was written with, from its `neurodata_type` or `data_type` attribute and
 * its `namespace` attribute ("" when that is absent); undefined for an untyped builder.
 */
export function typeOf(b: Builder): { namespace: string; dataType: string } | undefined {
  for (const k of TYPE_KEYS) {
    const dt = b.getAttribute(k);
    if (typeof dt === "string") {
      const ns = b.getAttribute("namespace");
      return { namespace: typeof ns === "string" ? ns : "", dataType: dt };
    }
  }
  return undefined;
}

/**
 * One read of a builder tree into containers (the construct half of hdmf's ObjectMapper):
 * each typed builder becomes one container, whichever way it is reached (child, link or
 * reference). BuildManager.construct runs it and keeps the pairs.
 */
export class Constructor {
  readonly #memo = new Map<Builder, AbstractContainer>();

  /**
   * @param typeMap - the classes and specs to construct with
   * @param root - the root of the file: paths in links and references are resolved in it
   */
  constructor(readonly typeMap: TypeMap, readonly root: GroupBuilder) {}

  /** Every builder constructed so far, with its container. */
  get constructed(): ReadonlyMap<Builder, AbstractContainer> {
    return this.#memo;
  }

  /**
   * The container for a typed builder (memoised): attributes and children land in the fields
   * the type's spec names. NotFoundError when the builder has no type attribute or its type is
   * in no loaded namespace.
   */
  construct(b: GroupBuilder | DatasetBuilder): AbstractContainer {
    const hit = this.#memo.get(b);
    if (hit) return hit;
    const t = typeOf(b);
    if (!t) throw new NotFoundError(`${b.path} has no neurodata_type/data_type attribute`, { path: b.path });
    let spec: ReturnType<TypeMap["getSpec"]>;
    try {
      spec = this.typeMap.getSpec(t.namespace, t.dataType);
    } catch (e) {
      if (!(e instanceof NotFoundError)) throw e;
      throw new NotFoundError(`${b.path}: ${e.message}`, { path: b.path, cause: e });
    }
    const oid = b.getAttribute("object_id");
    const c = this.typeMap.create(t.namespace, t.dataType, { name: b.name, objectId: typeof oid === "string" ? oid : undefined });
    this.#memo.set(b, c);
    c.source = b.source;
    c.locationPath = b.locationPath ?? b.path;
    this.#readAttributes(b, c, "", true, spec.attributes);
    if (b instanceof GroupBuilder && spec instanceof GroupSpec) this.#readGroup(b, spec, c, "");
    else if (b instanceof DatasetBuilder && c instanceof Data) {
      c.data = this.#readData(b);
      c.storedDtypes.set("", b.dtype);
    }
    c.afterConstruct();
    return c;
  }

  /** Attributes into fields; ones fixed by the spec (`value:`) are implied, not data, and skipped. */
  #readAttributes(b: Builder, c: AbstractContainer, prefix: string, typed: boolean, specs: readonly AttributeSpec[]): void {
    for (const [name, attr] of b.attributes) {
      if (name.startsWith(".")) continue;
      if (specs.some((a) => a.name === name && a.value !== undefined)) continue;
      if (typed && (name === "namespace" || name === "object_id" || TYPE_KEYS.includes(name))) continue;
      const key = join(prefix, name);
      let v: unknown = attr.value;
      if (v instanceof ObjectReference) v = this.#deref(v) ?? v;
      if (v === null || v === undefined) continue;
      c.fields.set(key, v as FieldValue);
      if (attr.dtype.kind === "numeric") c.storedDtypes.set(key, attr.dtype);
    }
  }

  #readGroup(gb: GroupBuilder, spec: GroupSpec, c: AbstractContainer, prefix: string): void {
    for (const child of gb.children()) {
      const key = join(prefix, child.name);
      const dspec = spec.getDataset(child.name);
      const gspec = spec.getGroup(child.name);
      const lspec = spec.getLink(child.name);
      const named = dspec ?? gspec ?? lspec;
      if (child instanceof LinkBuilder) {
        const target = this.#linkTarget(child);
        const external = new ExternalLink(child.name, child.targetPath, child.targetSource);
        if (dspec && dspec.dataType === undefined) {
          // a dataset in another file stays an ExternalLink whichever way the backend read that
          // file (HDF5 reads the target alone, Zarr within its store's tree, where the owning
          // TimeSeries would otherwise be found and a DatasetLink made)
          const elsewhere = child.targetSource !== undefined && child.targetSource !== this.root.source;
          c.fields.set(key, target && !elsewhere ? this.#datasetLink(target) ?? external : external);
        } else if (named) {
          c.fields.set(key, target && typeOf(target) ? this.construct(target) : external);
        } else {
          this.#push(c, starKey(prefix), target && typeOf(target) ? this.construct(target) : external);
        }
        continue;
      }
      const t = typeOf(child);
      if (t) {
        const cc = this.construct(child);
        cc.parent = c;
        if (named) c.fields.set(key, cc);
        else this.#push(c, starKey(prefix), cc);
      } else if (child instanceof GroupBuilder && gspec && gspec.dataType === undefined) {
        this.#readAttributes(child, c, key, false, gspec.attributes);
        this.#readGroup(child, gspec, c, key);
      } else if (child instanceof DatasetBuilder && dspec && dspec.dataType === undefined) {
        c.fields.set(key, this.#readData(child));
        c.storedDtypes.set(key, child.dtype);
        this.#readAttributes(child, c, key, false, dspec.attributes);
      } else {
        c.fields.set(key, child);
      }
    }
  }

  #push(c: AbstractContainer, key: string, v: AbstractContainer | ExternalLink): void {
    const list = (c.fields.get(key) as Array<AbstractContainer | ExternalLink> | undefined) ?? [];
    list.push(v);
    c.fields.set(key, list);
  }

  #linkTarget(l: LinkBuilder): GroupBuilder | DatasetBuilder | undefined {
    if (l.target instanceof Builder) return l.target as GroupBuilder | DatasetBuilder;
    const source = l.target.source;
    if (source !== undefined && source !== this.root.source) return undefined;
    const hit = this.root.find(l.target.path);
    return hit instanceof GroupBuilder || hit instanceof DatasetBuilder ? hit : undefined;
  }

  /** A link to a dataset: the typed object that holds it and the key of the dataset in it. */
  #datasetLink(target: GroupBuilder | DatasetBuilder): DatasetLink | undefined {
    const parts: string[] = [];
    let b: Builder | undefined = target;
    while (b && !typeOf(b)) {
      parts.unshift(b.name);
      b = b.parent;
    }
    if (!b || parts.length === 0) return undefined;
    return new DatasetLink(this.construct(b as GroupBuilder), parts.join("/"));
  }

  #deref(r: ObjectReference): AbstractContainer | undefined {
    if (r.isNull) return undefined;
    let target: Builder | undefined;
    if (r.target instanceof Builder) target = r.target;
    else if (r.source === undefined || r.source === this.root.source) {
      const hit = this.root.find(r.resolvedPath);
      target = hit instanceof Builder ? hit : undefined;
    }
    if (!target || target instanceof LinkBuilder || !typeOf(target)) return undefined;
    return this.construct(target as GroupBuilder | DatasetBuilder);
  }

  #readData(b: DatasetBuilder): FieldValue {
    const d = b.data;
    if (!(d instanceof NdArray)) return d;
    if (d.dtype.kind === "reference") {
      const out = (d.data as unknown[]).map((r) => (r instanceof ObjectReference ? this.#deref(r) : undefined));
      if (out.every((x) => x !== undefined)) return d.shape.length === 0 ? out[0]! : (out as AbstractContainer[]);
      return d;
    }
    if (d.dtype.kind === "compound" && d.dtype.fields.some((f) => f.dtype.kind === "reference")) {
      return (d.data as CompoundRecord[]).map((row) => {
        const out: Record<string, unknown> = {};
        for (const [k, v] of Object.entries(row)) out[k] = v instanceof ObjectReference ? this.#deref(v) ?? v : v;
        return out as CompoundRow;
      });
    }
    return unwrapScalar(d) as FieldValue;
  }
}

export type { DatasetSpec };
