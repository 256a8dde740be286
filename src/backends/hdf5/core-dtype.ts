/**
 * Dtype (src/data/dtype.ts) <-> HDF5 datatype, matching what h5py writes and how h5py reads:
 * bool is an int8 enum {FALSE, TRUE}, complex is a compound {r, i}, float16 is a custom float,
 * fixed `S` strings are NULLPAD ASCII, vlen strings NULLTERM, object references hobj_ref_t.
 */
import {
  compound,
  fixedString,
  numeric,
  NUMERIC_TABLE,
  type Dtype,
  type NumericName,
} from "../../data/dtype.js";
import { InvalidInputError, UnsupportedError } from "../../errors.js";
import type { H5Id, Heap } from "./core-module.js";

/** The C layer's JSON description of a stored HDF5 datatype. */
export type Hdf5TypeDescription =
  | { class: "integer"; size: number; order: "<" | ">"; signed: boolean }
  | { class: "float"; size: number; order: "<" | ">"; fields: [number, number, number, number, number]; ebias: number }
  | { class: "string"; size: number; vlen: boolean; cset: "ascii" | "utf-8"; pad: "nullterm" | "nullpad" | "spacepad" }
  | { class: "enum"; size: number; order: "<" | ">"; signed: boolean; members: Array<{ name: string; value: number }> }
  | { class: "compound"; size: number; fields: Array<{ name: string; offset: number; type: Hdf5TypeDescription }> }
  | { class: "reference"; size: number; ref: "object" | "region" }
  | { class: "vlen"; size: number; base: Hdf5TypeDescription }
  | { class: "array"; size: number; dims: number[]; base: Hdf5TypeDescription }
  | { class: "opaque" | "bitfield" | "other"; size: number; order?: "<" | ">" };

/** Build an HDF5 type for a Dtype. The caller closes the returned id. */
export function createHdf5Type(heap: Heap, dtype: Dtype, path: string): H5Id {
  const m = heap.m;
  const ctx = { path, op: "set" as const };
  switch (dtype.kind) {
    case "numeric": {
      const info = NUMERIC_TABLE[dtype.name];
      const be = dtype.endian === ">" ? 1 : 0;
      if (dtype.name === "bool") return heap.checkId(m._h5c_type_bool(), ctx);
      if (info.char === "c") return heap.checkId(m._h5c_type_complex(info.itemsize, be), ctx);
      if (info.char === "f") return heap.checkId(m._h5c_type_float(info.itemsize, be), ctx);
      return heap.checkId(m._h5c_type_int(info.itemsize, info.char === "i" ? 1 : 0, be), ctx);
    }
    case "string": {
      const utf8 = dtype.encoding === "utf-8" ? 1 : 0;
      if (dtype.length === null) return heap.checkId(m._h5c_type_string(-1, utf8, 0), ctx);
      if (dtype.unicodeFixed) {
        throw new UnsupportedError(`${path}: numpy 'U' strings have no HDF5 type (h5py refuses them too)`, { feature: "fixed unicode strings", path });
      }
      if (dtype.length < 1) throw new InvalidInputError(`${path}: fixed strings need a length of at least 1`, { path, option: "dtype" });
      return heap.checkId(m._h5c_type_string(dtype.length, utf8, 1), ctx);
    }
    case "reference":
      return heap.checkId(m._h5c_type_reference(dtype.refType === "region" ? 1 : 0), ctx);
    case "object":
      throw new UnsupportedError(`${path}: generic object arrays cannot be stored in HDF5`, { feature: "object dtype", path });
    case "compound": {
      const t = heap.checkId(m._h5c_type_compound(dtype.itemsize), ctx);
      try {
        for (const f of dtype.fields) {
          const member = createHdf5Type(heap, f.dtype, `${path}{${f.name}}`);
          try {
            heap.scoped((s) => heap.check(m._h5c_type_insert(t, s.str(f.name), f.offset, member), ctx));
          } finally {
            m._h5c_close(member);
          }
        }
      } catch (e) {
        heap.closeQuietly(t);
        throw e;
      }
      return t;
    }
  }
}

function order(o: "<" | ">" | undefined): "<" | ">" {
  return o === ">" ? ">" : "<";
}

/** Map a stored type to a Dtype; undefined for HDF5 types the data layer has no name for. */
export function dtypeFromHdf5(t: Hdf5TypeDescription): Dtype | undefined {
  switch (t.class) {
    case "integer": {
      const name = `${t.signed ? "int" : "uint"}${t.size * 8}` as NumericName;
      return name in NUMERIC_TABLE ? numeric(name, order(t.order)) : undefined;
    }
    case "float": {
      const name = ({ 2: "float16", 4: "float32", 8: "float64" } as Record<number, NumericName>)[t.size];
      return name ? numeric(name, order(t.order)) : undefined;
    }
    case "enum": {
      const names = t.members.map((mm) => `${mm.name}=${mm.value}`).sort().join(",");
      if (t.size === 1 && names === "FALSE=0,TRUE=1") return numeric("bool");
      // h5py reads other enums as their base integer type
      return dtypeFromHdf5({ class: "integer", size: t.size, order: t.order, signed: t.signed });
    }
    case "string":
      return t.vlen
        ? { kind: "string", encoding: t.cset, length: null }
        : fixedString(t.size, t.cset);
    case "reference":
      return { kind: "reference", refType: t.ref };
    case "compound": {
      const [r, i] = t.fields;
      if (t.fields.length === 2 && r!.name === "r" && i!.name === "i" && r!.type.class === "float" && i!.type.class === "float" &&
          r!.type.size === i!.type.size && r!.offset === 0 && i!.offset === r!.type.size && t.size === 2 * r!.type.size &&
          (r!.type.size === 4 || r!.type.size === 8)) {
        return numeric(r!.type.size === 4 ? "complex64" : "complex128", r!.type.order);
      }
      const fields: Array<{ name: string; dtype: Dtype; offset: number }> = [];
      for (const f of t.fields) {
        const d = dtypeFromHdf5(f.type);
        if (!d) return undefined;
        fields.push({ name: f.name, dtype: d, offset: f.offset });
      }
      return { ...compound(fields), itemsize: t.size };
    }
    default:
      return undefined;
  }
}
