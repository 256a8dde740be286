/** Zarr v3 `crc32c`: CRC-32C (Castagnoli) of the bytes, appended as 4 bytes little-endian. */
import { BaseCodec, corrupt, type CodecConfig, type ZarrV3Codec } from "./codec.js";

const TABLE = (() => {
  const t = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0x82f63b78 ^ (c >>> 1) : c >>> 1;
    t[n] = c >>> 0;
  }
  return t;
})();

export function crc32c(data: Uint8Array): number {
  let c = 0xffffffff;
  for (let i = 0; i < data.length; i++) c = TABLE[(c ^ data[i]!) & 0xff]! ^ (c >>> 8);
  return (c ^ 0xffffffff) >>> 0;
}

export class Crc32cCodec extends BaseCodec {
  readonly id = "crc32c";
  readonly kind = "bytes-bytes" as const;

  toConfig(): CodecConfig {
    return { id: this.id, location: "end" };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "crc32c" };
  }

  protected _encode(bytes: Uint8Array): Uint8Array {
    const out = new Uint8Array(bytes.length + 4);
    out.set(bytes);
    new DataView(out.buffer).setUint32(bytes.length, crc32c(bytes), true);
    return out;
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    if (bytes.length < 4) throw corrupt(this.id, "decode", `chunk of ${bytes.length} bytes has no checksum`);
    const body = bytes.subarray(0, bytes.length - 4);
    const stored = new DataView(bytes.buffer, bytes.byteOffset + body.length, 4).getUint32(0, true);
    if (stored !== crc32c(body)) throw corrupt(this.id, "decode", "checksum mismatch");
    return body.slice();
  }
}
