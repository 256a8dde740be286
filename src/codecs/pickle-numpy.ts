/**
 * The allow-list the pickle decoder accepts, and what each name does — re-implemented here as
 * data construction, never looked up or called. These are exactly the globals numcodecs'
 * Pickle writes for numpy object arrays (protocols 2–5) plus hdmf-zarr 0.6's reference class:
 *   numpy.core.multiarray._reconstruct(numpy.ndarray, (0,), b'b') + BUILD(version, shape, dtype, fortran, data)
 *   numpy.dtype(name, align, copy) + BUILD(version, endian, subarray, names, fields, elsize, alignment, flags)
 *   numpy.core.numeric._frombuffer(bytes, dtype, shape, order)   (numeric arrays nested in objects, protocol 5)
 *   numpy.core.multiarray.scalar(dtype, bytes)                    (numpy scalars inside object arrays)
 *   _codecs.encode(text, "latin1")                                (protocol 2 spelling of bytes)
 *   hdmf_zarr.utils.ZarrReference()                               (a dict subclass: NEWOBJ + SETITEMS)
 * numpy ≥ 2 writes `numpy._core.…` for the same functions; both spellings are listed.
 */
import { type ObjectValue } from "./codec.js";
import { PyDict, PyGlobal, PySet, PyTuple, describe, refuse, type Allowed } from "./pickle-vm.js";
import { fortranToC } from "./_order.js";

const RECONSTRUCT = ["numpy.core.multiarray._reconstruct", "numpy._core.multiarray._reconstruct"];
const FROMBUFFER = ["numpy.core.numeric._frombuffer", "numpy._core.numeric._frombuffer"];
const SCALAR = ["numpy.core.multiarray.scalar", "numpy._core.multiarray.scalar"];
const NDARRAY = "numpy.ndarray", DTYPE = "numpy.dtype", CODECS_ENCODE = "_codecs.encode";
const ZARR_REFERENCE = "hdmf_zarr.utils.ZarrReference";

/** The only Python globals the legacy-pickle reader accepts; any other name in a pickle is refused. */
export const PICKLE_GLOBALS: ReadonlySet<string> = new Set([...RECONSTRUCT, ...FROMBUFFER, ...SCALAR, NDARRAY, DTYPE, CODECS_ENCODE, ZARR_REFERENCE]);

export class NpDtype {
  endian = "|";
  names: string[] | undefined;
  fields: Map<string, NpDtype> | undefined;
  elsize = 0;
  constructor(readonly name: string) {}
  get char(): string { return this.name.replace(/\d+$/, ""); }
  get size(): number { return Number(this.name.replace(/^\D+/, "")) || this.elsize; }
  get typestr(): string { return `${this.endian}${this.name}`; }
}

export class NpArray {
  shape: number[] = [0];
  dtype: NpDtype | undefined;
  fortran = false;
  data: unknown[] | Uint8Array | undefined;
}

function asTuple(v: unknown, what: string): unknown[] {
  if (!(v instanceof PyTuple)) throw refuse(`${what}: expected a tuple, got ${describe(v)}`);
  return v.items;
}

function shapeOf(v: unknown): number[] {
  const s = asTuple(v, "array shape");
  if (!s.every((x) => typeof x === "number" && Number.isInteger(x) && x >= 0)) throw refuse("a non-integer array shape");
  return s as number[];
}

export const numpyAllowList: Allowed = {
  globals: PICKLE_GLOBALS,

  reduce(fn: PyGlobal, args: unknown[]): unknown {
    if (RECONSTRUCT.includes(fn.name)) {
      if (!(args[0] instanceof PyGlobal) || args[0].name !== NDARRAY) throw refuse("_reconstruct of something other than numpy.ndarray", fn.name);
      return new NpArray();
    }
    if (fn.name === DTYPE) {
      if (typeof args[0] !== "string" || !/^[a-zA-Z]+\d*$/.test(args[0])) throw refuse("numpy.dtype with an unexpected name", fn.name);
      return new NpDtype(args[0]);
    }
    if (FROMBUFFER.includes(fn.name)) {
      const [buf, dtype, shape, order] = args;
      if (!(buf instanceof Uint8Array) || !(dtype instanceof NpDtype)) throw refuse("_frombuffer with unexpected arguments", fn.name);
      const a = new NpArray();
      a.data = buf; a.dtype = dtype; a.shape = shapeOf(shape); a.fortran = order === "F";
      return a;
    }
    if (SCALAR.includes(fn.name)) {
      const [dtype, buf] = args;
      if (!(dtype instanceof NpDtype) || !(buf instanceof Uint8Array)) throw refuse("scalar with unexpected arguments", fn.name);
      return decodeRaw(dtype, buf, 1)[0];
    }
    if (fn.name === CODECS_ENCODE) {
      const [text, enc] = args;
      if (typeof text !== "string" || (enc !== "latin1" && enc !== "latin-1")) throw refuse("_codecs.encode other than latin1 text", fn.name);
      const out = new Uint8Array(text.length);
      for (let i = 0; i < text.length; i++) {
        const c = text.charCodeAt(i);
        if (c > 255) throw refuse("_codecs.encode of non-latin1 text", fn.name);
        out[i] = c;
      }
      return out;
    }
    throw refuse("REDUCE", fn.name);
  },

  build(target: unknown, state: unknown): void {
    if (target instanceof NpArray) {
      let s = asTuple(state, "ndarray state");
      if (s.length === 5) s = s.slice(1);
      if (s.length !== 4) throw refuse("an ndarray state of unexpected length");
      const [shape, dtype, fortran, data] = s;
      if (!(dtype instanceof NpDtype)) throw refuse("an ndarray state without a dtype");
      target.shape = shapeOf(shape);
      target.dtype = dtype;
      target.fortran = fortran === true || fortran === 1;
      if (Array.isArray(data) || data instanceof Uint8Array) target.data = data;
      else if (typeof data === "string") target.data = Uint8Array.from(data, (c) => c.charCodeAt(0) & 0xff);
      else throw refuse(`an ndarray state with ${describe(data)} as data`);
      return;
    }
    if (target instanceof NpDtype) {
      const s = asTuple(state, "dtype state");
      if (s.length < 8) throw refuse("a dtype state of unexpected length");
      if (typeof s[1] === "string") target.endian = s[1];
      if (s[3] instanceof PyTuple) target.names = s[3].items.map((n) => String(n));
      if (s[4] instanceof PyDict) {
        target.fields = new Map();
        for (const [k, v] of s[4].map) {
          const f = asTuple(v, "dtype field");
          if (!(f[0] instanceof NpDtype)) throw refuse("a dtype field without a dtype");
          target.fields.set(String(k), f[0]);
        }
      }
      if (typeof s[5] === "number" && s[5] >= 0) target.elsize = s[5];
      return;
    }
    throw refuse(`BUILD on ${describe(target)}`, target instanceof PyGlobal ? target.name : undefined);
  },

  newobj(cls: PyGlobal, args: unknown[]): unknown {
    if (cls.name === ZARR_REFERENCE && args.length === 0) return new PyDict(ZARR_REFERENCE);
    throw refuse("NEWOBJ", cls.name);
  },
};

/** Elements of a numeric / string dtype stored as raw bytes. */
function decodeRaw(dtype: NpDtype, buf: Uint8Array, count: number): ObjectValue[] {
  const size = dtype.size;
  const le = dtype.endian !== ">";
  if (buf.length < size * count) throw refuse("an ndarray whose data is shorter than its shape");
  const dv = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  const out: ObjectValue[] = [];
  for (let i = 0; i < count; i++) {
    const o = i * size;
    switch (`${dtype.char}${size}`) {
      case "b1": out.push(buf[o] !== 0); break;
      case "i1": out.push(dv.getInt8(o)); break;
      case "u1": out.push(buf[o]!); break;
      case "i2": out.push(dv.getInt16(o, le)); break;
      case "u2": out.push(dv.getUint16(o, le)); break;
      case "i4": out.push(dv.getInt32(o, le)); break;
      case "u4": out.push(dv.getUint32(o, le)); break;
      case "i8": out.push(smallest(dv.getBigInt64(o, le))); break;
      case "u8": out.push(smallest(dv.getBigUint64(o, le))); break;
      case "f4": out.push(dv.getFloat32(o, le)); break;
      case "f8": out.push(dv.getFloat64(o, le)); break;
      case "c8": out.push([dv.getFloat32(o, le), dv.getFloat32(o + 4, le)]); break;
      case "c16": out.push([dv.getFloat64(o, le), dv.getFloat64(o + 8, le)]); break;
      default:
        if (dtype.char === "S") { let e = o + size; while (e > o && buf[e - 1] === 0) e--; out.push(buf.slice(o, e)); break; }
        if (dtype.char === "U") {
          let s = "";
          for (let k = 0; k < size / 4; k++) { const cp = dv.getUint32(o + 4 * k, le); if (cp === 0) break; s += String.fromCodePoint(cp); }
          out.push(s);
          break;
        }
        throw refuse(`raw ndarray data of dtype ${dtype.typestr}`);
    }
  }
  return out;
}

function smallest(v: bigint): number | bigint {
  return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
}

/** Elements of an array in C order (flat). */
export function arrayElements(a: NpArray, seen: Set<unknown>): ObjectValue[] {
  if (!a.dtype || a.data === undefined) throw refuse("an ndarray that was never built");
  const n = a.shape.reduce((x, y) => x * y, 1);
  let elems: ObjectValue[];
  if (a.data instanceof Uint8Array) elems = decodeRaw(a.dtype, a.data, n);
  else {
    if (a.data.length !== n) throw refuse(`an ndarray of shape [${a.shape.join(",")}] with ${a.data.length} elements`);
    const names = a.dtype.names;
    elems = a.data.map((x) => {
      if (names && x instanceof PyTuple) {
        const rec: Record<string, ObjectValue> = {};
        names.forEach((nm, i) => { rec[nm] = toValue(x.items[i], seen); });
        return rec;
      }
      return toValue(x, seen);
    });
  }
  // raw data is the memory layout (Fortran when the flag says so); an object array's list is
  // numpy's _getlist_pkl, which walks the array in C order whatever its layout
  return a.fortran && a.shape.length > 1 && a.data instanceof Uint8Array ? fortranToC(elems, a.shape) : elems;
}

function nestBy(values: ObjectValue[], shape: number[]): ObjectValue[] {
  if (shape.length <= 1) return values;
  const step = shape.slice(1).reduce((x, y) => x * y, 1);
  const out: ObjectValue[] = [];
  for (let i = 0; i < shape[0]!; i++) out.push(nestBy(values.slice(i * step, (i + 1) * step), shape.slice(1)));
  return out;
}

/** Convert interpreter objects into plain values (tuples/sets → arrays, dicts → objects). */
export function toValue(v: unknown, seen: Set<unknown>): ObjectValue {
  if (v === null || typeof v === "boolean" || typeof v === "number" || typeof v === "bigint" || typeof v === "string" || v instanceof Uint8Array) return v;
  if (seen.has(v)) throw refuse("a self-referencing structure");
  seen.add(v);
  try {
    if (Array.isArray(v)) return v.map((x) => toValue(x, seen));
    if (v instanceof PyTuple || v instanceof PySet) return v.items.map((x) => toValue(x, seen));
    if (v instanceof PyDict) {
      const o: Record<string, ObjectValue> = {};
      for (const [k, x] of v.map) o[String(k)] = toValue(x, seen);
      return o;
    }
    if (v instanceof NpArray) return nestBy(arrayElements(v, seen), v.shape);
    if (v instanceof NpDtype) return v.typestr;
    throw refuse(`a ${describe(v)} as a value`, v instanceof PyGlobal ? v.name : undefined);
  } finally {
    seen.delete(v);
  }
}
