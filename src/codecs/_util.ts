/** Small helpers shared by the codecs: config reading, typestr parsing, typed views. */
import { float16ToNumber, numberToFloat16, type TypedArray } from "../data/dtype.js";
import { badConfig, type CodecConfig, type JsonValue } from "./codec.js";

export function cfgNumber(config: CodecConfig, key: string, fallback?: number): number {
  const v = config[key];
  if (v === undefined || v === null) {
    if (fallback === undefined) throw badConfig(config.id, `missing numeric "${key}"`);
    return fallback;
  }
  if (typeof v !== "number" || Number.isNaN(v)) throw badConfig(config.id, `"${key}" must be a number, got ${JSON.stringify(v)}`);
  return v;
}

export function cfgInt(config: CodecConfig, key: string, fallback?: number, min = -Infinity, max = Infinity): number {
  const v = cfgNumber(config, key, fallback);
  if (!Number.isInteger(v) || v < min || v > max) throw badConfig(config.id, `"${key}" must be an integer in [${min}, ${max}], got ${v}`);
  return v;
}

/**
 * An encode-only integer parameter (a compression level, an acceleration): read liberally, any
 * integer numcodecs would store, since it never changes how a chunk decodes. `checkEncodeRange`
 * applies the range when encoding.
 */
export function cfgEncodeInt(config: CodecConfig, key: string, fallback: number): number {
  const v = cfgNumber(config, key, fallback);
  return Number.isFinite(v) ? Math.trunc(v) : fallback;
}

/** The range an encode-only parameter must be in when hdmf-ts encodes with it. */
export function checkEncodeRange(codecId: string, key: string, v: number, min: number, max: number): void {
  if (!Number.isInteger(v) || v < min || v > max) throw badConfig(codecId, `"${key}" must be an integer in [${min}, ${max}] to encode, got ${v}`);
}

export function cfgString(config: CodecConfig, key: string, fallback?: string): string {
  const v = config[key];
  if (v === undefined || v === null) {
    if (fallback === undefined) throw badConfig(config.id, `missing string "${key}"`);
    return fallback;
  }
  if (typeof v !== "string") throw badConfig(config.id, `"${key}" must be a string, got ${JSON.stringify(v)}`);
  return v;
}

export function cfgOptString(config: CodecConfig, key: string): string | undefined {
  const v = config[key];
  return v === undefined || v === null ? undefined : cfgString(config, key);
}

/** Drop undefined values so a config is plain JSON. */
export function cleanConfig(entries: Record<string, JsonValue | undefined>): CodecConfig {
  const out: Record<string, JsonValue> = {};
  for (const [k, v] of Object.entries(entries)) if (v !== undefined) out[k] = v;
  return out as CodecConfig;
}

export interface Typestr {
  readonly endian: "<" | ">" | "|";
  readonly char: "b" | "i" | "u" | "f" | "c";
  readonly size: number;
  readonly str: string;
}

const TYPESTR = /^([<>|=]?)([biufc])(\d+)$/;

/** Parse a numeric numpy typestr or name ("<f8", "int16", "u1"). */
export function parseTypestr(codecId: string, spec: string): Typestr {
  const named: Record<string, string> = {
    bool: "|b1", int8: "|i1", uint8: "|u1", int16: "<i2", uint16: "<u2", int32: "<i4", uint32: "<u4",
    int64: "<i8", uint64: "<u8", float16: "<f2", float32: "<f4", float64: "<f8", complex64: "<c8", complex128: "<c16",
  };
  const s = named[spec] ?? spec;
  const m = TYPESTR.exec(s);
  if (!m) throw badConfig(codecId, `unsupported dtype "${spec}"`);
  const size = Number(m[3]);
  const char = m[2] as Typestr["char"];
  const endian = size === 1 ? "|" : m[1] === ">" ? ">" : "<";
  return { endian, char, size, str: `${endian}${char}${size}` };
}

/** Reverse the byte order of each `size`-byte element (copy). */
export function byteswap(bytes: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(bytes.length);
  const n = bytes.length - (bytes.length % size);
  for (let i = 0; i < n; i += size) for (let j = 0; j < size; j++) out[i + j] = bytes[i + size - 1 - j]!;
  out.set(bytes.subarray(n), n);
  return out;
}

/** An aligned copy (or the same view when already aligned). */
export function aligned(bytes: Uint8Array, align: number): Uint8Array {
  if (bytes.byteOffset % align === 0) return bytes;
  return bytes.slice();
}

/** Values of a chunk as a native typed array (float16 widened to Float32Array). */
export function toTyped(codecId: string, bytes: Uint8Array, t: Typestr): TypedArray {
  if (bytes.length % t.size !== 0) throw badConfig(codecId, `${bytes.length} bytes is not a whole number of ${t.str} elements`);
  const le = t.endian === ">" ? byteswap(bytes, t.size) : aligned(bytes, t.size);
  const n = le.length / t.size;
  const buf = le.buffer, off = le.byteOffset;
  switch (`${t.char}${t.size}`) {
    case "b1": case "u1": return new Uint8Array(buf, off, n);
    case "i1": return new Int8Array(buf, off, n);
    case "i2": return new Int16Array(buf, off, n);
    case "u2": return new Uint16Array(buf, off, n);
    case "i4": return new Int32Array(buf, off, n);
    case "u4": return new Uint32Array(buf, off, n);
    case "i8": return new BigInt64Array(buf, off, n);
    case "u8": return new BigUint64Array(buf, off, n);
    case "f4": return new Float32Array(buf, off, n);
    case "f8": return new Float64Array(buf, off, n);
    case "f2": {
      const bits = new Uint16Array(buf, off, n);
      const out = new Float32Array(n);
      for (let i = 0; i < n; i++) out[i] = float16ToNumber(bits[i]!);
      return out;
    }
    default: throw badConfig(codecId, `dtype ${t.str} is not supported by this codec`);
  }
}

/** Allocate a native typed array for `n` elements of `t` (float16 as Float32Array). */
export function allocTyped(codecId: string, t: Typestr, n: number): TypedArray {
  switch (`${t.char}${t.size}`) {
    case "b1": case "u1": return new Uint8Array(n);
    case "i1": return new Int8Array(n);
    case "i2": return new Int16Array(n);
    case "u2": return new Uint16Array(n);
    case "i4": return new Int32Array(n);
    case "u4": return new Uint32Array(n);
    case "i8": return new BigInt64Array(n);
    case "u8": return new BigUint64Array(n);
    case "f2": case "f4": return new Float32Array(n);
    case "f8": return new Float64Array(n);
    default: throw badConfig(codecId, `dtype ${t.str} is not supported by this codec`);
  }
}

/** Bytes of a native typed array laid out as `t` (swapping for ">", narrowing float16). */
export function fromTyped(arr: TypedArray, t: Typestr): Uint8Array {
  let bytes: Uint8Array;
  if (t.char === "f" && t.size === 2) {
    const bits = new Uint16Array(arr.length);
    for (let i = 0; i < arr.length; i++) bits[i] = numberToFloat16(Number(arr[i]));
    bytes = new Uint8Array(bits.buffer);
  } else {
    bytes = new Uint8Array(arr.buffer, arr.byteOffset, arr.byteLength);
  }
  return t.endian === ">" ? byteswap(bytes, t.size) : bytes;
}

export function isBigTyped(arr: TypedArray): arr is BigInt64Array | BigUint64Array {
  return arr instanceof BigInt64Array || arr instanceof BigUint64Array;
}

export function concatBytes(parts: readonly Uint8Array[]): Uint8Array {
  let n = 0;
  for (const p of parts) n += p.length;
  const out = new Uint8Array(n);
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}

export function product(shape: readonly number[] | undefined): number {
  if (!shape) return NaN;
  let n = 1;
  for (const s of shape) n *= s;
  return n;
}

/** Expected decoded chunk size from the context, or undefined. */
export function expectedBytes(ctx: { itemsize?: number; chunkShape?: readonly number[] } | undefined): number | undefined {
  if (!ctx?.itemsize || !ctx.chunkShape) return undefined;
  return ctx.itemsize * product(ctx.chunkShape);
}
