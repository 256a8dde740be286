/**
 * Attributes as hdmf / pynwb write them: every text value as a variable-length UTF-8 string
 * (scalar or 1-D), numbers in the builder's dtype (float64 unless given), booleans as h5py's
 * bool enum, references as object references; and back to builder values on read.
 */
import { dtypes, type Dtype } from "../../data/dtype.js";
import { isReference } from "../../data/reference.js";
import { array, NdArray } from "../../data/ndarray.js";
import type { Attribute, AttributeValue } from "../../schema/builders.js";
import type { H5Location, Hdf5Core } from "./core.js";
import { decodeElements, encodeElements, type RefCodec } from "../../data/element-bytes.js";

/** Does writing this attribute need the reference targets to exist first? */
export function attributeHasRefs(attr: Attribute): boolean {
  const v = attr.value;
  return isReference(v) || attr.dtype.kind === "reference" || (v instanceof NdArray && v.dtype.kind === "reference");
}

export function writeAttribute(core: Hdf5Core, loc: H5Location, name: string, attr: Attribute, refs: RefCodec, path: string): void {
  const v = attr.value;
  if (v === null || v === undefined) return; // hdmf skips None attributes
  const arr = toArray(v, attr.dtype);
  const shape = v instanceof NdArray ? arr.shape : [];
  if (arr.dtype.kind === "string" && arr.dtype.length === null || attr.dtype.kind === "string") {
    const strings = (arr.data as unknown[]).map((s) => String(s ?? ""));
    core.writeAttribute(loc, name, dtypes.utf8, shape, strings, { replace: true });
    return;
  }
  const dtype = attr.dtype.kind === "reference" || arr.dtype.kind === "reference" ? dtypes.objectRef : attr.dtype;
  core.writeAttribute(loc, name, dtype, shape, encodeElements(arr, dtype, refs, `${path}@${name}`), { replace: true });
}

function toArray(v: Exclude<AttributeValue, null>, dtype: Dtype): NdArray {
  if (v instanceof NdArray) return v;
  if (isReference(v)) return new NdArray([v], [], dtypes.objectRef);
  if (typeof v === "string") return new NdArray([v], [], dtypes.utf8);
  return array([v], { dtype }).reshape([]);
}

export function readAttributes(core: Hdf5Core, loc: H5Location, refs: RefCodec, path: string): Map<string, Attribute> {
  const out = new Map<string, Attribute>();
  for (const name of core.attributeNames(loc)) {
    const a = core.readAttribute(loc, name);
    const dtype = a.dtype ?? dtypes.utf8;
    if (a.space === "null") {
      out.set(name, { value: null, dtype });
      continue;
    }
    const scalar = a.space === "scalar";
    let arr: NdArray;
    if (a.kind === "strings") arr = new NdArray([...a.strings], a.shape, dtype);
    else arr = decodeElements(a.bytes, dtype, a.shape, refs, `${path}@${name}`);
    if (scalar) {
      const x = arr.toArray()[0];
      out.set(name, { value: x as Exclude<AttributeValue, NdArray>, dtype });
    } else {
      out.set(name, { value: arr, dtype });
    }
  }
  return out;
}
