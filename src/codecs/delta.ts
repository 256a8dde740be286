/** numcodecs Delta{dtype, astype}: first value, then differences (integers wrap like numpy). */
import { BaseCodec, type ChunkContext, type CodecConfig, type ZarrV3Codec } from "./codec.js";
import { allocTyped, cfgOptString, cfgString, fromTyped, isBigTyped, parseTypestr, toTyped, type Typestr } from "./_util.js";
import { getNum, setNum } from "./_array.js";

export class DeltaCodec extends BaseCodec {
  readonly id = "delta";
  readonly kind = "array-array" as const;
  readonly dtype: Typestr;
  readonly astype: Typestr;

  constructor(dtype: string, astype?: string) {
    super();
    this.dtype = parseTypestr("delta", dtype);
    this.astype = parseTypestr("delta", astype ?? dtype);
  }

  static fromConfig(config: CodecConfig): DeltaCodec {
    return new DeltaCodec(cfgString(config, "dtype"), cfgOptString(config, "astype"));
  }

  encodedContext(ctx: ChunkContext): ChunkContext {
    return { ...ctx, dtype: this.astype.str, itemsize: this.astype.size };
  }

  toConfig(): CodecConfig {
    return { id: this.id, dtype: this.dtype.str, astype: this.astype.str };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.delta", configuration: { dtype: this.dtype.str, astype: this.astype.str } };
  }

  protected _encode(bytes: Uint8Array): Uint8Array {
    const a = toTyped(this.id, bytes, this.dtype);
    const out = allocTyped(this.id, this.astype, a.length);
    if (isBigTyped(a) && isBigTyped(out)) {
      const signed = out instanceof BigInt64Array;
      for (let i = 0; i < a.length; i++) {
        const d = i === 0 ? a[0]! : a[i]! - a[i - 1]!;
        out[i] = signed ? BigInt.asIntN(64, d) : BigInt.asUintN(64, d);
      }
    } else {
      const wrap = this.dtype.char !== "f";
      const tmp = allocTyped(this.id, this.dtype, 1);
      for (let i = 0; i < a.length; i++) {
        let d = i === 0 ? getNum(a, 0) : getNum(a, i) - getNum(a, i - 1);
        if (wrap) { setNum(tmp, 0, d); d = getNum(tmp, 0); } // diff happens in dtype
        else if (this.dtype.size === 4) d = Math.fround(d);
        setNum(out, i, d);
      }
    }
    return fromTyped(out, this.astype);
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    const e = toTyped(this.id, bytes, this.astype);
    const out = allocTyped(this.id, this.dtype, e.length);
    if (isBigTyped(out)) {
      const signed = out instanceof BigInt64Array;
      let acc = 0n;
      for (let i = 0; i < e.length; i++) {
        acc += BigInt(e[i]!);
        acc = signed ? BigInt.asIntN(64, acc) : BigInt.asUintN(64, acc);
        out[i] = acc;
      }
    } else {
      let acc = 0;
      for (let i = 0; i < e.length; i++) {
        acc += getNum(e, i);
        setNum(out, i, acc);
        acc = getNum(out, i); // accumulate in the output dtype (wraps / rounds like numpy)
      }
    }
    return fromTyped(out, this.dtype);
  }
}
