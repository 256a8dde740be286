/** Attributes and references over the C layer. */
import type { Dtype } from "../../data/dtype.js";
import { InvalidInputError } from "../../errors.js";
import { createHdf5Type, dtypeFromHdf5, type Hdf5TypeDescription } from "./core-dtype.js";
import { packStrings, unpackStrings, type Heap } from "./core-module.js";
import type { AttributeInfo, AttributeValue, H5Location, Region, ResolvedReference } from "./core-types.js";
import { checkDims, ctx, fileOf, product, requireName } from "./core-util.js";

function attrCtx(loc: H5Location, name: string, op: "get" | "set" | "delete" | "list") {
  const c = ctx(loc, "", op);
  return { ...c, path: `${c.path}@${name}` };
}

export function attributeNames(heap: Heap, loc: H5Location): string[] {
  const c = ctx(loc, "", "list");
  return JSON.parse(heap.scoped(() => heap.outText(heap.check(heap.m._h5c_attr_names(loc.id), c)))) as string[];
}

export function hasAttribute(heap: Heap, loc: H5Location, name: string): boolean {
  requireName(name, "attribute");
  const c = attrCtx(loc, name, "get");
  return heap.scoped((s) => heap.check(heap.m._h5c_attr_exists(loc.id, s.str(name)), c) === 1);
}

export function attributeInfo(heap: Heap, loc: H5Location, name: string): AttributeInfo {
  requireName(name, "attribute");
  const c = attrCtx(loc, name, "get");
  const raw = JSON.parse(heap.scoped((s) => heap.outText(heap.check(heap.m._h5c_attr_info(loc.id, s.str(name)), c)))) as {
    space: AttributeInfo["space"]; shape: number[]; dtype: Hdf5TypeDescription;
  };
  return { space: raw.space, shape: raw.shape, hdf5Type: raw.dtype, dtype: dtypeFromHdf5(raw.dtype) };
}

/**
 * Write a new attribute. `data` is the raw bytes in the stored layout of `dtype`, or the strings
 * of a variable-length string dtype. With `replace`, an existing attribute of that name is
 * deleted first (as h5py's `attrs[name] = value`).
 */
export function writeAttribute(
  heap: Heap, loc: H5Location, name: string, dtype: Dtype, shape: readonly number[],
  data: Uint8Array | readonly string[], replace: boolean,
): void {
  requireName(name, "attribute");
  const c = attrCtx(loc, name, "set");
  checkDims(shape, "shape", c.path);
  const vlenString = dtype.kind === "string" && dtype.length === null;
  if (vlenString !== Array.isArray(data)) {
    throw new InvalidInputError(`${c.path}: ${vlenString ? "variable-length strings are given as string[]" : "data must be raw bytes (Uint8Array)"}`, { path: c.path });
  }
  if (Array.isArray(data) && data.length !== product(shape)) {
    throw new InvalidInputError(`${c.path}: ${data.length} strings for shape ${JSON.stringify(shape)}`, { path: c.path });
  }
  const type = createHdf5Type(heap, dtype, c.path);
  try {
    heap.scoped((s) => {
      const nameP = s.str(name);
      if (replace && heap.check(heap.m._h5c_attr_exists(loc.id, nameP), c) === 1) {
        heap.check(heap.m._h5c_attr_delete(loc.id, nameP), c);
      }
      const dims = s.doubles(shape);
      if (data instanceof Uint8Array) {
        heap.check(heap.m._h5c_attr_write(loc.id, nameP, type, shape.length, dims, s.bytes(data), data.byteLength), c);
      } else {
        const packed = packStrings(data as readonly string[], c.path);
        heap.check(heap.m._h5c_attr_write_strings(loc.id, nameP, type, shape.length, dims, s.bytes(packed), packed.byteLength, data.length), c);
      }
    });
  } finally {
    heap.m._h5c_close(type);
  }
}

/** Read an attribute: raw bytes in the stored layout (or in `memDtype`'s, converted by HDF5), or strings. */
export function readAttribute(heap: Heap, loc: H5Location, name: string, memDtype?: Dtype): AttributeValue {
  const info = attributeInfo(heap, loc, name);
  // a null dataspace (h5py.Empty) holds no element: nothing to read, whatever its type
  if (info.space === "null") return info.hdf5Type.class === "string" && info.hdf5Type.vlen ? { ...info, kind: "strings", strings: [] } : { ...info, kind: "bytes", bytes: new Uint8Array(0) };
  const c = attrCtx(loc, name, "get");
  const n = product(info.shape);
  if (info.hdf5Type.class === "string" && info.hdf5Type.vlen) {
    const strings = heap.scoped((s) => unpackStrings(heap.out(heap.check(heap.m._h5c_attr_read_strings(loc.id, s.str(name)), c)), n));
    return { ...info, kind: "strings", strings };
  }
  const m = heap.m;
  const t = memDtype ? createHdf5Type(heap, memDtype, c.path) : undefined;
  try {
    const bytes = heap.scoped((s) => {
      const nameP = s.str(name);
      // without a memory type, read in the stored type itself: bytes exactly as in the file
      const mt = t ?? heap.checkId(m._h5c_attr_type(loc.id, nameP), c);
      try {
        const size = n * heap.check(m._h5c_type_size(mt), c);
        const buf = s.alloc(size);
        heap.check(m._h5c_attr_read(loc.id, nameP, mt, buf, size), c);
        return heap.u8.slice(buf, buf + size);
      } finally {
        if (!t) m._h5c_close(mt);
      }
    });
    return { ...info, kind: "bytes", bytes };
  } finally {
    if (t) m._h5c_close(t);
  }
}

export function deleteAttribute(heap: Heap, loc: H5Location, name: string): void {
  requireName(name, "attribute");
  const c = attrCtx(loc, name, "delete");
  heap.scoped((s) => heap.check(heap.m._h5c_attr_delete(loc.id, s.str(name)), c));
}

// ---------------------------------------------------------------- references

export function createReference(heap: Heap, loc: H5Location, path: string): Uint8Array {
  const c = ctx(loc, path, "get");
  return heap.scoped((s) => {
    const out = s.alloc(8);
    heap.check(heap.m._h5c_ref_create(loc.id, s.str(path), out), c);
    return heap.u8.slice(out, out + 8);
  });
}

export function createRegionReference(heap: Heap, loc: H5Location, path: string, region: Region): Uint8Array {
  const c = ctx(loc, path, "set");
  checkDims(region.start, "start", c.path);
  checkDims(region.count, "count", c.path);
  if (region.start.length !== region.count.length) throw new InvalidInputError(`${c.path}: start and count differ in rank`, { path: c.path });
  return heap.scoped((s) => {
    const out = s.alloc(12);
    heap.check(heap.m._h5c_ref_region_create(loc.id, s.str(path), region.start.length, s.doubles(region.start), s.doubles(region.count), out), c);
    return heap.u8.slice(out, out + 12);
  });
}

/** The object a reference points to; undefined for a null reference (all zero bytes). */
export function resolveReference(heap: Heap, loc: H5Location, ref: Uint8Array): ResolvedReference | undefined {
  const f = fileOf(loc);
  if (ref.byteLength !== 8 && ref.byteLength !== 12) {
    throw new InvalidInputError(`${f.path}: a reference is 8 (object) or 12 (region) bytes, got ${ref.byteLength}`, { option: "reference" });
  }
  if (ref.every((b) => b === 0)) return undefined;
  const c = ctx(loc, "", "get");
  return JSON.parse(heap.scoped((s) =>
    heap.outText(heap.check(heap.m._h5c_ref_resolve(loc.id, s.bytes(ref), ref.byteLength === 12 ? 1 : 0), c)))) as ResolvedReference;
}
