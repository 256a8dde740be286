/**
 * numcodecs 0.11 `CRC32` / `Adler32`: the checksum comes FIRST, 4 bytes little-endian
 * (numcodecs/checksum32.py). Zarr v3 `crc32c` is separate (crc32c.ts): it goes last.
 */
import * as nodeZlib from "node:zlib";
import { BaseCodec, corrupt, type CodecConfig, type ZarrV3Codec } from "./codec.js";

type Sum = (data: Uint8Array) => number;

const crc32: Sum = (data) => {
  const fn = (nodeZlib as { crc32?: (d: Uint8Array, v?: number) => number }).crc32;
  return fn ? fn(data) >>> 0 : crc32Table(data);
};

let CRC_TABLE: Uint32Array | undefined;
function crc32Table(data: Uint8Array): number {
  if (!CRC_TABLE) {
    CRC_TABLE = new Uint32Array(256);
    for (let n = 0; n < 256; n++) {
      let c = n;
      for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
      CRC_TABLE[n] = c >>> 0;
    }
  }
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = CRC_TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export function adler32(data: Uint8Array): number {
  let a = 1, b = 0;
  const NMAX = 5552;
  for (let i = 0; i < data.length;) {
    const end = Math.min(i + NMAX, data.length);
    for (; i < end; i++) { a += data[i]!; b += a; }
    a %= 65521; b %= 65521;
  }
  return ((b << 16) | a) >>> 0;
}

abstract class Checksum32Codec extends BaseCodec {
  readonly kind = "bytes-bytes" as const;
  protected abstract sum(data: Uint8Array): number;

  toConfig(): CodecConfig {
    return { id: this.id };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: `numcodecs.${this.id}`, configuration: { location: "start" } };
  }

  protected _encode(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length + 4);
    new DataView(out.buffer).setUint32(0, this.sum(bytes), true);
    out.set(bytes, 4);
    return out;
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    if (bytes.length < 4) throw corrupt(this.id, "decode", `chunk of ${bytes.length} bytes has no checksum`);
    const stored = new DataView(bytes.buffer, bytes.byteOffset, 4).getUint32(0, true);
    const body = bytes.subarray(4);
    if (stored !== this.sum(body)) throw corrupt(this.id, "decode", "checksum failed");
    return body.slice();
  }
}

export class Crc32Codec extends Checksum32Codec {
  readonly id = "crc32";
  protected sum(data: Uint8Array): number { return crc32(data); }
}

export class Adler32Codec extends Checksum32Codec {
  readonly id = "adler32";
  protected sum(data: Uint8Array): number { return adler32(data); }
}

export { crc32 };
