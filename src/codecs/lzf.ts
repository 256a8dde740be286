/**
 * LZF (liblzf 3.6 format) as h5py's LZF filter 32000 stores it: the raw compressed stream, no
 * header. cd_values [4 (filter version), 261 (lzf 0x0105), chunk bytes]. When the data does not
 * shrink the filter declines and HDF5 stores the chunk raw with the filter's mask bit set
 * (`encodeOptional` returns null). Written here: no maintained npm package does liblzf.
 */
import { BaseCodec, corrupt, type ChunkContext, type CodecConfig, type Hdf5Filter } from "./codec.js";
import { expectedBytes } from "./_util.js";

export const LZF_FILTER_ID = 32000;
const HLOG = 14, HSIZE = 1 << HLOG, MAX_LIT = 32, MAX_OFF = 1 << 13, MAX_REF = (1 << 8) + (1 << 3);

/** liblzf lzf_compress (VERY_FAST off, ULTRA_FAST off); returns null if it does not fit `limit`. */
export function lzfCompress(src: Uint8Array, limit = src.length): Uint8Array | null {
  const n = src.length;
  if (n === 0) return new Uint8Array(0);
  const out = new Uint8Array(Math.max(limit, 0) + 40);
  const table = new Int32Array(HSIZE).fill(-1);
  let ip = 0, op = 1, lit = 0;
  const outEnd = limit;
  const hash = (p: number) => {
    const v = (src[p]! << 16) | (src[p + 1]! << 8) | src[p + 2]!;
    return ((v >>> (24 - HLOG)) - v * 5) & (HSIZE - 1);
  };
  while (ip < n - 2) {
    const h = hash(ip);
    const ref = table[h]!;
    table[h] = ip;
    const off = ip - ref - 1;
    if (ref > 0 && off < MAX_OFF && src[ref] === src[ip] && src[ref + 1] === src[ip + 1] && src[ref + 2] === src[ip + 2]) {
      let len = 2;
      const maxlen = Math.min(n - ip - len, MAX_REF);
      if (op + 3 + 1 >= outEnd && op - (lit ? 0 : 1) + 3 + 1 >= outEnd) return null;
      out[op - lit - 1] = lit - 1;
      if (!lit) op--;
      do len++; while (len < maxlen && src[ref + len] === src[ip + len]);
      len -= 2;
      ip++;
      if (len < 7) {
        out[op++] = (off >>> 8) + (len << 5);
      } else {
        out[op++] = (off >>> 8) + (7 << 5);
        out[op++] = len - 7;
      }
      out[op++] = off & 0xff;
      lit = 0;
      op++;
      ip += len + 1;
      if (ip >= n - 2) break;
      ip -= 2;
      table[hash(ip)] = ip;
      ip++;
      table[hash(ip)] = ip;
      ip++;
    } else {
      if (op >= outEnd) return null;
      lit++;
      out[op++] = src[ip++]!;
      if (lit === MAX_LIT) {
        out[op - lit - 1] = lit - 1;
        lit = 0;
        op++;
      }
    }
  }
  while (ip < n) {
    if (op >= outEnd) return null;
    lit++;
    out[op++] = src[ip++]!;
    if (lit === MAX_LIT) {
      out[op - lit - 1] = lit - 1;
      lit = 0;
      op++;
    }
  }
  out[op - lit - 1] = lit - 1;
  if (!lit) op--;
  if (op > limit) return null;
  return out.slice(0, op);
}

/** liblzf lzf_decompress into exactly `size` bytes (or less: returns the bytes produced). */
export function lzfDecompress(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  let ip = 0, op = 0;
  while (ip < src.length) {
    let ctrl = src[ip++]!;
    if (ctrl < 32) {
      ctrl++;
      if (op + ctrl > size) throw new Error("output overrun (literal run)");
      if (ip + ctrl > src.length) throw new Error("input overrun (literal run)");
      out.set(src.subarray(ip, ip + ctrl), op);
      op += ctrl;
      ip += ctrl;
    } else {
      let len = ctrl >>> 5;
      let ref = op - ((ctrl & 0x1f) << 8) - 1;
      if (ip >= src.length) throw new Error("input overrun (back reference)");
      if (len === 7) {
        len += src[ip++]!;
        if (ip >= src.length) throw new Error("input overrun (back reference)");
      }
      ref -= src[ip++]!;
      len += 2;
      if (op + len > size) throw new Error("output overrun (back reference)");
      if (ref < 0) throw new Error("back reference before start");
      for (let i = 0; i < len; i++) out[op++] = out[ref++]!;
    }
  }
  return op === size ? out : out.subarray(0, op);
}

export class LzfCodec extends BaseCodec {
  readonly id = "lzf";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = LZF_FILTER_ID;

  static fromConfig(): LzfCodec {
    return new LzfCodec();
  }

  static fromHdf5(): LzfCodec {
    return new LzfCodec();
  }

  toConfig(): CodecConfig {
    return { id: this.id };
  }

  toHdf5(ctx?: ChunkContext): Hdf5Filter {
    return { id: LZF_FILTER_ID, flags: 1, cdValues: [4, 261, expectedBytes(ctx) ?? 0], name: "lzf" };
  }

  async encodeOptional(bytes: Uint8Array): Promise<Uint8Array | null> {
    try {
      return lzfCompress(bytes, bytes.length - 1);
    } catch (e) {
      throw corrupt(this.id, "encode", String(e));
    }
  }

  protected _encode(bytes: Uint8Array): Uint8Array {
    // Outside HDF5 there is no filter mask: a stream that does not shrink is still a valid stream.
    const c = lzfCompress(bytes, bytes.length + Math.ceil(bytes.length / 32) + 1);
    if (!c) throw corrupt(this.id, "encode", "output bound exceeded");
    return c;
  }

  protected _decode(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array {
    const size = expectedBytes(ctx);
    if (size !== undefined) {
      const out = lzfDecompress(bytes, size);
      if (out.length !== size) throw corrupt(this.id, "decode", `decoded ${out.length} of ${size} bytes`);
      return out;
    }
    // Unknown size: grow like h5py's filter does (it doubles the buffer until it fits).
    for (let cap = Math.max(bytes.length * 4, 1024); cap <= bytes.length * 64 + 1024; cap *= 2) {
      try {
        const out = lzfDecompress(bytes, cap);
        if (out.length < cap) return out.slice();
      } catch (e) {
        if (!(e instanceof Error) || !e.message.startsWith("output overrun")) throw e;
      }
    }
    throw corrupt(this.id, "decode", "output size unknown and the stream does not fit 64× its size");
  }
}
