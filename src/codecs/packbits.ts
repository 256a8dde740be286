/** numcodecs PackBits: bools to bits, MSB first, with a leading byte counting the pad bits. */
import { BaseCodec, corrupt, type ChunkContext, type CodecConfig, type ZarrV3Codec } from "./codec.js";

export class PackBitsCodec extends BaseCodec {
  readonly id = "packbits";
  readonly kind = "array-array" as const;

  static fromConfig(): PackBitsCodec {
    return new PackBitsCodec();
  }

  encodedContext(ctx: ChunkContext): ChunkContext {
    return { dtype: "|u1", itemsize: 1 };
  }

  toConfig(): CodecConfig {
    return { id: this.id };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.packbits", configuration: {} };
  }

  protected _encode(bytes: Uint8Array): Uint8Array {
    const n = bytes.length;
    const packed = Math.ceil(n / 8);
    const out = new Uint8Array(packed + 1);
    out[0] = n % 8 ? 8 - (n % 8) : 0;
    for (let i = 0; i < n; i++) if (bytes[i]) out[1 + (i >> 3)]! |= 0x80 >> (i & 7);
    return out;
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    if (bytes.length < 1) throw corrupt(this.id, "decode", "empty chunk");
    const pad = bytes[0]!;
    if (pad > 7) throw corrupt(this.id, "decode", `bad pad count ${pad}`);
    const n = (bytes.length - 1) * 8 - pad;
    if (n < 0) throw corrupt(this.id, "decode", "truncated");
    const out = new Uint8Array(n);
    for (let i = 0; i < n; i++) out[i] = (bytes[1 + (i >> 3)]! >> (7 - (i & 7))) & 1;
    return out;
  }
}
