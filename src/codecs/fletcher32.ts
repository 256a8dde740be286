/**
 * Fletcher-32 as HDF5 computes it (H5checksum.c): 16-bit big-endian words, an odd last byte
 * as the high byte of a word, sums folded every 360 words. HDF5's filter 3 and numcodecs'
 * `Fletcher32` (numcodecs ≥ 0.12; converted from the same C code) both append the checksum
 * as 4 bytes little-endian, so one codec serves both and the bytes are identical.
 */
import { BaseCodec, corrupt, type CodecConfig, type Hdf5Filter, type ZarrV3Codec } from "./codec.js";

export const FLETCHER32_FILTER_ID = 3;

/** The Fletcher-32 checksum of `data`, bit-identical to HDF5's H5_checksum_fletcher32. */
export function fletcher32(data: Uint8Array): number {
  let sum1 = 0, sum2 = 0;
  let len = data.length >>> 1;
  let p = 0;
  while (len > 0) {
    let tlen = len > 360 ? 360 : len;
    len -= tlen;
    do {
      sum1 += (data[p]! << 8) | data[p + 1]!;
      p += 2;
      sum2 += sum1;
    } while (--tlen);
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  if (data.length & 1) {
    sum1 += data[p]! << 8;
    sum2 += sum1;
    sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
    sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  }
  sum1 = (sum1 & 0xffff) + (sum1 >>> 16);
  sum2 = (sum2 & 0xffff) + (sum2 >>> 16);
  return ((sum2 << 16) | sum1) >>> 0;
}

export class Fletcher32Codec extends BaseCodec {
  readonly id = "fletcher32";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = FLETCHER32_FILTER_ID;

  static fromConfig(): Fletcher32Codec {
    return new Fletcher32Codec();
  }

  toConfig(): CodecConfig {
    return { id: this.id };
  }

  toHdf5(): Hdf5Filter {
    return { id: FLETCHER32_FILTER_ID, flags: 0, cdValues: [], name: "fletcher32" };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.fletcher32", configuration: {} };
  }

  protected _encode(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length + 4);
    out.set(bytes);
    new DataView(out.buffer).setUint32(bytes.length, fletcher32(bytes), true);
    return out;
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    if (bytes.length < 4) throw corrupt(this.id, "decode", `chunk of ${bytes.length} bytes has no checksum`);
    const body = bytes.subarray(0, bytes.length - 4);
    const stored = new DataView(bytes.buffer, bytes.byteOffset + body.length, 4).getUint32(0, true);
    const sum = fletcher32(body);
    // HDF5 1.6.0–1.6.2 wrote the checksum byte-reversed; HDF5 still accepts it, so do we.
    const reversed = (((sum & 0xff) << 24) | ((sum & 0xff00) << 8) | ((sum >>> 8) & 0xff00) | (sum >>> 24)) >>> 0;
    if (stored !== sum && stored !== reversed) {
      throw corrupt(this.id, "decode", `checksum mismatch (stored 0x${stored.toString(16)}, computed 0x${sum.toString(16)})`);
    }
    return body.slice();
  }
}
