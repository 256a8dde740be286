/** numcodecs Quantize{digits, dtype, astype}: round to a power-of-two step ≤ 10^-digits. */
import { BaseCodec, badConfig, type ChunkContext, type CodecConfig, type ZarrV3Codec } from "./codec.js";
import { allocTyped, cfgInt, cfgOptString, cfgString, fromTyped, parseTypestr, toTyped, type Typestr } from "./_util.js";
import { getNum, roundHalfEven, setNum } from "./_array.js";
import { convert } from "./astype.js";

export class QuantizeCodec extends BaseCodec {
  readonly id = "quantize";
  readonly kind = "array-array" as const;
  readonly dtype: Typestr;
  readonly astype: Typestr;

  constructor(readonly digits: number, dtype: string, astype?: string) {
    super();
    this.dtype = parseTypestr(this.id, dtype);
    this.astype = parseTypestr(this.id, astype ?? dtype);
    if (this.dtype.char !== "f" || this.astype.char !== "f") throw badConfig(this.id, "only floating point data types are supported");
  }

  static fromConfig(config: CodecConfig): QuantizeCodec {
    return new QuantizeCodec(cfgInt(config, "digits"), cfgString(config, "dtype"), cfgOptString(config, "astype"));
  }

  encodedContext(ctx: ChunkContext): ChunkContext {
    return { ...ctx, dtype: this.astype.str, itemsize: this.astype.size };
  }

  toConfig(): CodecConfig {
    return { id: this.id, digits: this.digits, dtype: this.dtype.str, astype: this.astype.str };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.quantize", configuration: { digits: this.digits, dtype: this.dtype.str, astype: this.astype.str } };
  }

  protected _encode(bytes: Uint8Array): Uint8Array {
    const precision = 10 ** -this.digits;
    let exp = Math.log(precision) / Math.log(10);
    exp = exp < 0 ? Math.floor(exp) : Math.ceil(exp);
    const bits = Math.ceil(Math.log(10 ** -exp) / Math.log(2));
    const scale = 2 ** bits;
    const a = toTyped(this.id, bytes, this.dtype);
    const f = this.dtype.size <= 4 ? Math.fround : (x: number) => x;
    const out = allocTyped(this.id, this.astype, a.length);
    for (let i = 0; i < a.length; i++) setNum(out, i, f(roundHalfEven(f(scale * getNum(a, i))) / scale));
    return fromTyped(out, this.astype);
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    return convert(this.id, bytes, this.astype, this.dtype);
  }
}
