/**
 * Containers -> builders, driven by the resolved spec of each type (hdmf ObjectMapper.build).
 * Untyped groups that end up empty are dropped unless required, as hdmf does; attribute
 * values fall back to the spec's fixed value, then to its default.
 */
import { InvalidInputError } from "../../errors.js";
import { DataIO } from "../../data/data-io.js";
import { dtypes, type Dtype } from "../../data/dtype.js";
import { isStoredDataset, type DatasetSource } from "../../data/data-source.js";
import { AbstractDataChunkIterator } from "../../data/iterators.js";
import { array, NdArray, type CompoundRecord, type Scalar } from "../../data/ndarray.js";
import { ref, type Reference } from "../../data/reference.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder, type DatasetData } from "../builders.js";
import {
  AbstractContainer, Data, DatasetLink, ExternalLink, starKey, type FieldValue,
} from "../containers/container.js";
import { GroupSpec } from "../spec/group-spec.js";
import { unwrapNumber, toPlain } from "../spec/pyjson.js";
import { isCompound, isRefSpec, type AttributeSpec } from "../spec/spec.js";
import { DatasetSpec } from "../spec/dataset-spec.js";
import { convertValue, specDtypeToDtype, type PlainValue } from "./convert.js";

/** What the mapper needs from the BuildManager. */
export interface BuildContext {
  /** The file being written; new builders get it as their `source`. */
  readonly source: string | undefined;
  /** The attribute that records each builder's type ("neurodata_type" or "data_type"). */
  readonly typeKey: string;
  /** The resolved spec of a container's type. */
  specOf(c: AbstractContainer): GroupSpec | DatasetSpec;
  /** Build (or fetch the cached builder of) a container, without placing it. */
  builderOf(c: AbstractContainer, placement?: GroupSpec | DatasetSpec): GroupBuilder | DatasetBuilder;
  /**
   * The builder to put in `parent` for `child`: its own builder, or a link to it.
   * `placement` is the parent's spec for that position (it may add attributes).
   */
  childBuilder(parent: AbstractContainer, child: AbstractContainer, placement?: GroupSpec | DatasetSpec): GroupBuilder | DatasetBuilder | LinkBuilder;
}

const join = (prefix: string, name: string): string => (prefix === "" ? name : `${prefix}/${name}`);

/** Is `v` data that goes into a DatasetBuilder as it is: a DataIO, a chunk iterator, or a dataset stored in a file? */
export function isDatasetSource(v: unknown): v is DatasetSource {
  return v instanceof DataIO || v instanceof AbstractDataChunkIterator || isStoredDataset(v);
}

/** Build the builder for one container (its children are built through the context). */
export function buildContainer(
  c: AbstractContainer, ctx: BuildContext, register: (b: GroupBuilder | DatasetBuilder) => void, placement?: GroupSpec | DatasetSpec,
): GroupBuilder | DatasetBuilder {
  c.prepareForBuild();
  const spec = ctx.specOf(c);
  const attrs = [...spec.attributes];
  for (const a of placement?.attributes ?? []) if (!spec.getAttribute(a.name)) attrs.push(a);
  let b: GroupBuilder | DatasetBuilder;
  if (spec instanceof GroupSpec) {
    b = new GroupBuilder(c.name, { source: ctx.source });
    register(b);
    fillAttributes(b, attrs, c, "", ctx);
    fillGroup(b, spec, c, "", ctx);
  } else {
    if (!(c instanceof Data)) throw new InvalidInputError(`${c.dataType} "${c.name}" is a dataset type but not a Data container`, { option: "container" });
    if (c.data === undefined) throw new InvalidInputError(`${c.dataType} "${c.name}" has no data`, { option: "data", path: c.name });
    // A position in the parent's spec may narrow the dtype (TimeIntervals/start_time is float32).
    const dspec = placement instanceof DatasetSpec && placement.dtype !== undefined && spec.dtype === undefined ? placement : spec;
    const { data, dtype } = datasetData(c.data, dspec, c.storedDtypes.get(""), ctx);
    b = new DatasetBuilder(c.name, data, { source: ctx.source, dtype });
    register(b);
    fillAttributes(b, attrs, c, "", ctx);
  }
  b.setAttribute("namespace", c.namespace, dtypes.utf8);
  b.setAttribute(ctx.typeKey, c.dataType, dtypes.utf8);
  b.setAttribute("object_id", c.objectId, dtypes.utf8);
  return b;
}

function fillAttributes(b: Builder, specs: readonly AttributeSpec[], c: AbstractContainer, prefix: string, ctx: BuildContext): void {
  for (const a of specs) {
    const key = join(prefix, a.name);
    let v: unknown = a.value !== undefined ? toPlain(a.value) : c.get(key);
    if (v === undefined && a.defaultValue !== undefined) v = toPlain(a.defaultValue);
    if (v === undefined || v === null) continue;
    if (isRefSpec(a.dtype)) {
      if (!(v instanceof AbstractContainer)) throw new InvalidInputError(`attribute ${key} of ${c.dataType} "${c.name}" must be a container`, { option: key });
      b.setAttribute(a.name, ref(ctx.builderOf(v)), dtypes.objectRef);
      continue;
    }
    const conv = convertValue(unwrapNumber(v) as PlainValue, a.dtype, c.storedDtypes.get(key));
    b.setAttribute(a.name, conv.value, conv.dtype);
  }
}

function fillGroup(gb: GroupBuilder, spec: GroupSpec, c: AbstractContainer, prefix: string, ctx: BuildContext): void {
  for (const ds of spec.datasets) {
    if (ds.name === undefined) continue;
    const key = join(prefix, ds.name);
    const v = c.get(key);
    if (ds.dataType !== undefined) {
      if (v instanceof AbstractContainer) gb.add(ctx.childBuilder(c, v, ds));
      else if (v instanceof ExternalLink) gb.add(new LinkBuilder(ds.name, { path: v.path, source: v.source }));
      continue;
    }
    const fixed = ds.value !== undefined ? (toPlain(ds.value) as FieldValue) : undefined;
    const value = v ?? fixed;
    if (value === undefined) continue;
    if (value instanceof DatasetLink) {
      gb.add(new LinkBuilder(ds.name, linkedDataset(value, ctx)));
    } else if (value instanceof ExternalLink) {
      gb.add(new LinkBuilder(ds.name, { path: value.path, source: value.source }));
    } else if (value instanceof Builder) {
      gb.add(value as DatasetBuilder);
    } else {
      const { data, dtype } = datasetData(value, ds, c.storedDtypes.get(key), ctx);
      const db = gb.add(new DatasetBuilder(ds.name, data, { source: ctx.source, dtype }));
      fillAttributes(db, ds.attributes, c, key, ctx);
    }
  }
  for (const g of spec.groups) {
    if (g.name === undefined) continue;
    const key = join(prefix, g.name);
    if (g.dataType !== undefined) {
      const v = c.get(key);
      if (v instanceof AbstractContainer) gb.add(ctx.childBuilder(c, v, g));
      else if (v instanceof ExternalLink) gb.add(new LinkBuilder(g.name, { path: v.path, source: v.source }));
      continue;
    }
    const raw = c.get(key);
    if (raw instanceof GroupBuilder) { gb.add(raw); continue; }
    const sub = new GroupBuilder(g.name, { source: ctx.source });
    fillAttributes(sub, g.attributes, c, key, ctx);
    fillGroup(sub, g, c, key, ctx);
    if (!isEmpty(sub) || g.required) gb.add(sub);
  }
  for (const l of spec.links) {
    if (l.name === undefined) continue;
    const key = join(prefix, l.name);
    const v = c.get(key);
    if (v instanceof AbstractContainer) gb.add(new LinkBuilder(l.name, ctx.builderOf(v)));
    else if (v instanceof ExternalLink) gb.add(new LinkBuilder(l.name, { path: v.path, source: v.source }));
  }
  for (const child of c.fields.get(starKey(prefix)) as readonly unknown[] ?? []) {
    if (child instanceof ExternalLink) gb.add(new LinkBuilder(child.name, { path: child.path, source: child.source }));
    else if (child instanceof AbstractContainer) gb.add(ctx.childBuilder(c, child));
  }
  // Raw builders kept from a read for names the spec does not know.
  for (const [key, v] of c.fields) {
    if (v instanceof Builder && key.startsWith(prefix === "" ? "" : `${prefix}/`) && !key.slice(prefix === "" ? 0 : prefix.length + 1).includes("/")) {
      if (!gb.get(v.name)) gb.add(v as GroupBuilder | DatasetBuilder | LinkBuilder);
    }
  }
}

function isEmpty(g: GroupBuilder): boolean {
  if (g.attributes.size > 0 || g.datasets.size > 0 || g.links.size > 0) return false;
  return [...g.groups.values()].every(isEmpty);
}

function linkedDataset(l: DatasetLink, ctx: BuildContext): GroupBuilder | DatasetBuilder {
  const owner = ctx.builderOf(l.container);
  const target = owner instanceof GroupBuilder ? owner.find(l.key) : owner;
  if (!(target instanceof DatasetBuilder)) {
    throw new InvalidInputError(`cannot link to "${l.key}" of ${l.container.dataType} "${l.container.name}": it has no such dataset`, { option: l.key });
  }
  return target;
}

function datasetData(v: FieldValue, spec: DatasetSpec, stored: Dtype | undefined, ctx: BuildContext): { data: DatasetData; dtype: Dtype } {
  if (isDatasetSource(v)) return { data: v, dtype: v.dtype };
  if (v instanceof NdArray) {
    if (v.dtype.kind === "reference" || v.dtype.kind === "compound" || v.dtype.kind === "object") return { data: v, dtype: v.dtype };
    const conv = convertValue(v, spec.dtype, stored);
    return { data: conv.value as NdArray, dtype: conv.dtype };
  }
  if (v instanceof AbstractContainer) {
    return { data: new NdArray([ref(ctx.builderOf(v))], [], dtypes.objectRef), dtype: dtypes.objectRef };
  }
  if (Array.isArray(v) && v.length > 0 && v.every((x) => x instanceof AbstractContainer)) {
    const refs: Reference[] = (v as AbstractContainer[]).map((x) => ref(ctx.builderOf(x)));
    return { data: new NdArray(refs, [refs.length], dtypes.objectRef), dtype: dtypes.objectRef };
  }
  if (isCompound(spec.dtype) || (Array.isArray(v) && v.length > 0 && isRecord(v[0]))) {
    const dtype = specDtypeToDtype(spec.dtype) ?? stored;
    if (dtype === undefined || dtype.kind !== "compound") throw new InvalidInputError(`${spec.path}: rows need a compound dtype`, { option: "dtype" });
    const rows = (v as ReadonlyArray<Record<string, unknown>>).map((r) => {
      const out: Record<string, Scalar | null> = {};
      for (const f of dtype.fields) {
        const x = r[f.name];
        out[f.name] = x instanceof AbstractContainer ? ref(ctx.builderOf(x)) : (x as Scalar | null);
      }
      return out as CompoundRecord;
    });
    return { data: new NdArray(rows, [rows.length], dtype), dtype };
  }
  const conv = convertValue(v as PlainValue, spec.dtype, stored);
  const arr = conv.value instanceof NdArray ? conv.value : scalarArray(conv.value, conv.dtype);
  return { data: arr, dtype: conv.dtype };
}

function isRecord(x: unknown): boolean {
  return typeof x === "object" && x !== null && !Array.isArray(x) && !(x instanceof AbstractContainer) && !(x instanceof Date);
}

function scalarArray(v: Scalar, dtype: Dtype): NdArray {
  return array([v], { dtype }).reshape([]);
}
