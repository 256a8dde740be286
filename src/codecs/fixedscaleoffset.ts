/** numcodecs FixedScaleOffset{offset, scale, dtype, astype}: round((x - offset) * scale). */
import { BaseCodec, type ChunkContext, type CodecConfig, type ZarrV3Codec } from "./codec.js";
import { allocTyped, cfgNumber, cfgOptString, cfgString, fromTyped, parseTypestr, toTyped, type Typestr } from "./_util.js";
import { getNum, roundHalfEven, setNum } from "./_array.js";

export class FixedScaleOffsetCodec extends BaseCodec {
  readonly id = "fixedscaleoffset";
  readonly kind = "array-array" as const;
  readonly dtype: Typestr;
  readonly astype: Typestr;

  constructor(readonly offset: number, readonly scale: number, dtype: string, astype?: string) {
    super();
    this.dtype = parseTypestr(this.id, dtype);
    this.astype = parseTypestr(this.id, astype ?? dtype);
  }

  static fromConfig(config: CodecConfig): FixedScaleOffsetCodec {
    return new FixedScaleOffsetCodec(cfgNumber(config, "offset"), cfgNumber(config, "scale"), cfgString(config, "dtype"), cfgOptString(config, "astype"));
  }

  encodedContext(ctx: ChunkContext): ChunkContext {
    return { ...ctx, dtype: this.astype.str, itemsize: this.astype.size };
  }

  toConfig(): CodecConfig {
    return { id: this.id, scale: this.scale, offset: this.offset, dtype: this.dtype.str, astype: this.astype.str };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.fixedscaleoffset", configuration: { scale: this.scale, offset: this.offset, dtype: this.dtype.str, astype: this.astype.str } };
  }

  protected _encode(bytes: Uint8Array): Uint8Array {
    const a = toTyped(this.id, bytes, this.dtype);
    const out = allocTyped(this.id, this.astype, a.length);
    // numpy keeps float32 arithmetic for a float32 array and Python-float operands
    const f = this.dtype.char === "f" && this.dtype.size <= 4 ? Math.fround : (x: number) => x;
    for (let i = 0; i < a.length; i++) setNum(out, i, roundHalfEven(f(f(getNum(a, i) - this.offset) * this.scale)));
    return fromTyped(out, this.astype);
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    const e = toTyped(this.id, bytes, this.astype);
    const out = allocTyped(this.id, this.dtype, e.length);
    const f = this.astype.char === "f" && this.astype.size <= 4 ? Math.fround : (x: number) => x;
    for (let i = 0; i < e.length; i++) setNum(out, i, f(f(getNum(e, i) / this.scale) + this.offset));
    return fromTyped(out, this.dtype);
  }
}
