/**
 * numcodecs Categorize {labels, dtype, astype}: an object (text) array stored as small unsigned
 * integers, 0 for a value that is no label (decoded as ""), i + 1 for labels[i].
 */
import { BaseObjectCodec } from "./object-codec.js";
import { badConfig, corrupt, type CodecConfig, type ObjectValue } from "./codec.js";
import { allocTyped, fromTyped, parseTypestr, toTyped, type Typestr } from "./_util.js";

export class CategorizeCodec extends BaseObjectCodec {
  readonly id = "categorize";

  constructor(readonly labels: readonly string[], readonly dtype: string, readonly astype: Typestr) {
    super();
    if (astype.char !== "u" && astype.char !== "i") throw badConfig(this.id, `astype must be an integer dtype, got ${astype.str}`);
  }

  static fromConfig(config: CodecConfig): CategorizeCodec {
    const labels = config.labels;
    if (!Array.isArray(labels) || !labels.every((l) => typeof l === "string")) throw badConfig("categorize", "labels must be a list of strings");
    return new CategorizeCodec(labels as string[], typeof config.dtype === "string" ? config.dtype : "|O", parseTypestr("categorize", String(config.astype ?? "|u1")));
  }

  toConfig(): CodecConfig {
    return { id: this.id, labels: [...this.labels], dtype: this.dtype, astype: this.astype.str };
  }

  protected _encodeObjects(values: readonly ObjectValue[]): Uint8Array {
    const out = allocTyped(this.id, this.astype, values.length);
    const big = this.astype.size === 8;
    values.forEach((v, i) => { const code = this.labels.indexOf(String(v)) + 1; out[i] = big ? BigInt(code) : code; });
    return fromTyped(out, this.astype);
  }

  protected _decodeObjects(bytes: Uint8Array): ObjectValue[] {
    const codes = toTyped(this.id, bytes, this.astype);
    return Array.from({ length: codes.length }, (_, k) => {
      const i = Number(codes[k]);
      if (i < 0 || i > this.labels.length) throw corrupt(this.id, "decode", `code ${i} names no label (${this.labels.length} labels)`);
      return i === 0 ? "" : this.labels[i - 1]!;
    });
  }
}
