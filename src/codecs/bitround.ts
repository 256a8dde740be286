/** numcodecs BitRound{keepbits}: round float mantissas to `keepbits` bits (decode is identity). */
import { BaseCodec, badConfig, type ChunkContext, type CodecConfig, type ZarrV3Codec } from "./codec.js";
import { aligned, byteswap, cfgInt, parseTypestr } from "./_util.js";

const MANTISSA: Record<number, number> = { 2: 10, 4: 23, 8: 52 };

export class BitRoundCodec extends BaseCodec {
  readonly id = "bitround";
  readonly kind = "array-array" as const;

  constructor(readonly keepbits: number) {
    super();
    if (!Number.isInteger(keepbits) || keepbits < 0) throw badConfig(this.id, "keepbits must be zero or positive");
  }

  static fromConfig(config: CodecConfig): BitRoundCodec {
    return new BitRoundCodec(cfgInt(config, "keepbits"));
  }

  readonly preservesLayout = true;

  toConfig(): CodecConfig {
    return { id: this.id, keepbits: this.keepbits };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.bitround", configuration: { keepbits: this.keepbits } };
  }

  protected _encode(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array {
    const t = parseTypestr(this.id, ctx?.dtype ?? "<f8");
    if (t.char !== "f" || !(t.size in MANTISSA)) throw badConfig(this.id, "only float arrays (16-64 bit) can be bit-rounded");
    const bits = MANTISSA[t.size]!;
    if (this.keepbits === bits) return bytes.slice();
    if (this.keepbits > bits) throw badConfig(this.id, "keepbits too large for given dtype");
    const le = t.endian === ">" ? byteswap(bytes, t.size) : aligned(bytes, t.size).slice();
    const maskbits = BigInt(bits - this.keepbits);
    const n = le.length / t.size;
    if (t.size === 8) {
      const v = new BigInt64Array(le.buffer, le.byteOffset, n);
      const mask = (-1n >> maskbits) << maskbits;
      const half = (1n << (maskbits - 1n)) - 1n;
      for (let i = 0; i < n; i++) {
        const b = v[i]!;
        v[i] = BigInt.asIntN(64, (b + ((b >> maskbits) & 1n) + half) & mask);
      }
    } else {
      const mb = Number(maskbits);
      const v = t.size === 4 ? new Int32Array(le.buffer, le.byteOffset, n) : new Int16Array(le.buffer, le.byteOffset, n);
      const mask = (-1 >> mb) << mb;
      const half = (1 << (mb - 1)) - 1;
      for (let i = 0; i < n; i++) {
        const b = v[i]!;
        v[i] = (b + ((b >> mb) & 1) + half) & mask;
      }
    }
    return t.endian === ">" ? byteswap(le, t.size) : le;
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    return bytes.slice();
  }
}
