/** numcodecs AsType{encode_dtype, decode_dtype}: a numpy astype each way. */
import { BaseCodec, type ChunkContext, type CodecConfig, type ZarrV3Codec } from "./codec.js";
import { allocTyped, cfgString, fromTyped, isBigTyped, parseTypestr, toTyped, type Typestr } from "./_util.js";
import { getNum, setNum } from "./_array.js";
import type { TypedArray } from "../data/dtype.js";

export class AsTypeCodec extends BaseCodec {
  readonly id = "astype";
  readonly kind = "array-array" as const;
  readonly encodeDtype: Typestr;
  readonly decodeDtype: Typestr;

  constructor(encodeDtype: string, decodeDtype: string) {
    super();
    this.encodeDtype = parseTypestr(this.id, encodeDtype);
    this.decodeDtype = parseTypestr(this.id, decodeDtype);
  }

  static fromConfig(config: CodecConfig): AsTypeCodec {
    return new AsTypeCodec(cfgString(config, "encode_dtype"), cfgString(config, "decode_dtype"));
  }

  encodedContext(ctx: ChunkContext): ChunkContext {
    return { ...ctx, dtype: this.encodeDtype.str, itemsize: this.encodeDtype.size };
  }

  toConfig(): CodecConfig {
    return { id: this.id, encode_dtype: this.encodeDtype.str, decode_dtype: this.decodeDtype.str };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.astype", configuration: { encode_dtype: this.encodeDtype.str, decode_dtype: this.decodeDtype.str } };
  }

  protected _encode(bytes: Uint8Array): Uint8Array {
    return convert(this.id, bytes, this.decodeDtype, this.encodeDtype);
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    return convert(this.id, bytes, this.encodeDtype, this.decodeDtype);
  }
}

export function convert(codecId: string, bytes: Uint8Array, from: Typestr, to: Typestr): Uint8Array {
  const a = toTyped(codecId, bytes, from);
  const out: TypedArray = allocTyped(codecId, to, a.length);
  if (isBigTyped(a) && isBigTyped(out)) {
    const signed = out instanceof BigInt64Array;
    for (let i = 0; i < a.length; i++) out[i] = signed ? BigInt.asIntN(64, a[i]!) : BigInt.asUintN(64, a[i]!);
  } else {
    for (let i = 0; i < a.length; i++) setNum(out, i, getNum(a, i));
  }
  return fromTyped(out, to);
}
