/**
 * numcodecs VLenUTF8 / VLenBytes / VLenArray: 4-byte LE item count, then per item a 4-byte LE
 * byte length and the bytes (utf-8 text, raw bytes, or the item's elements in `dtype`).
 */
import { BaseObjectCodec } from "./object-codec.js";
import { corrupt, type CodecConfig, type ObjectValue, type ZarrV3Codec } from "./codec.js";
import { allocTyped, cfgString, concatBytes, fromTyped, isBigTyped, parseTypestr, toTyped, type Typestr } from "./_util.js";
import { getNum, setNum } from "./_array.js";

function frame(items: readonly Uint8Array[]): Uint8Array {
  const parts: Uint8Array[] = [];
  const head = new Uint8Array(4);
  new DataView(head.buffer).setUint32(0, items.length, true);
  parts.push(head);
  for (const it of items) {
    const len = new Uint8Array(4);
    new DataView(len.buffer).setUint32(0, it.length, true);
    parts.push(len, it);
  }
  return concatBytes(parts);
}

function unframe(codecId: string, bytes: Uint8Array): Uint8Array[] {
  if (bytes.length < 4) throw corrupt(codecId, "decode", "corrupt buffer, missing or truncated header");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const n = dv.getUint32(0, true);
  if (n > (bytes.length - 4) / 4) throw corrupt(codecId, "decode", `header says ${n} items, buffer is ${bytes.length} bytes`);
  const out: Uint8Array[] = [];
  let pos = 4;
  for (let i = 0; i < n; i++) {
    if (pos + 4 > bytes.length) throw corrupt(codecId, "decode", "corrupt buffer, data seem truncated");
    const len = dv.getUint32(pos, true);
    pos += 4;
    if (pos + len > bytes.length) throw corrupt(codecId, "decode", "corrupt buffer, data seem truncated");
    out.push(bytes.subarray(pos, pos + len));
    pos += len;
  }
  return out;
}

export class VLenUtf8Codec extends BaseObjectCodec {
  readonly id = "vlen-utf8";
  static fromConfig(): VLenUtf8Codec { return new VLenUtf8Codec(); }
  toConfig(): CodecConfig { return { id: this.id }; }
  toZarrV3(): ZarrV3Codec { return { name: "vlen-utf8" }; }

  protected _encodeObjects(values: readonly ObjectValue[]): Uint8Array {
    const enc = new TextEncoder();
    return frame(values.map((v) => {
      if (v === null) return new Uint8Array(0);
      if (typeof v !== "string") throw corrupt(this.id, "encode", `expected a string, got ${typeof v}`);
      return enc.encode(v);
    }));
  }

  protected _decodeObjects(bytes: Uint8Array): ObjectValue[] {
    const dec = new TextDecoder("utf-8", { fatal: true });
    return unframe(this.id, bytes).map((b) => dec.decode(b));
  }
}

export class VLenBytesCodec extends BaseObjectCodec {
  readonly id = "vlen-bytes";
  static fromConfig(): VLenBytesCodec { return new VLenBytesCodec(); }
  toConfig(): CodecConfig { return { id: this.id }; }
  toZarrV3(): ZarrV3Codec { return { name: "vlen-bytes" }; }

  protected _encodeObjects(values: readonly ObjectValue[]): Uint8Array {
    return frame(values.map((v) => {
      if (v === null) return new Uint8Array(0);
      if (v instanceof Uint8Array) return v;
      if (typeof v === "string") return new TextEncoder().encode(v);
      throw corrupt(this.id, "encode", `expected bytes, got ${typeof v}`);
    }));
  }

  protected _decodeObjects(bytes: Uint8Array): ObjectValue[] {
    return unframe(this.id, bytes).map((b) => b.slice());
  }
}

/** Items decode to number[] (bigint[] for 64-bit integers). */
export class VLenArrayCodec extends BaseObjectCodec {
  readonly id = "vlen-array";
  readonly dtype: Typestr;

  constructor(dtype: string) {
    super();
    this.dtype = parseTypestr(this.id, dtype);
  }

  static fromConfig(config: CodecConfig): VLenArrayCodec { return new VLenArrayCodec(cfgString(config, "dtype")); }
  toConfig(): CodecConfig { return { id: this.id, dtype: this.dtype.str }; }

  protected _encodeObjects(values: readonly ObjectValue[]): Uint8Array {
    return frame(values.map((v) => {
      if (v === null) return new Uint8Array(0);
      if (!Array.isArray(v)) throw corrupt(this.id, "encode", "expected an array item");
      const arr = allocTyped(this.id, this.dtype, v.length);
      v.forEach((x, i) => {
        if (isBigTyped(arr)) arr[i] = BigInt(x as bigint | number);
        else setNum(arr, i, Number(x));
      });
      return fromTyped(arr, this.dtype);
    }));
  }

  protected _decodeObjects(bytes: Uint8Array): ObjectValue[] {
    return unframe(this.id, bytes).map((b) => {
      const a = toTyped(this.id, b.slice(), this.dtype);
      if (isBigTyped(a)) return Array.from(a as BigInt64Array | BigUint64Array);
      const out: number[] = new Array(a.length);
      for (let i = 0; i < a.length; i++) out[i] = getNum(a, i);
      return out;
    });
  }
}
