/** Base for array→bytes codecs over object (`|O`) chunks: json2, vlen-*, pickle. */
import { UnsupportedError } from "../errors.js";
import { BaseCodec, codecFailure, type ChunkContext, type ObjectCodec, type ObjectValue } from "./codec.js";

export abstract class BaseObjectCodec extends BaseCodec implements ObjectCodec {
  readonly objectCodec = true as const;
  readonly kind = "array-bytes" as const;
  protected abstract _encodeObjects(values: readonly ObjectValue[], ctx?: ChunkContext): Uint8Array;
  protected abstract _decodeObjects(bytes: Uint8Array, ctx?: ChunkContext): ObjectValue[];

  async encodeObjects(values: readonly ObjectValue[], ctx?: ChunkContext): Promise<Uint8Array> {
    if (this.decodeOnly) throw new UnsupportedError(`codec ${this.id} is decode-only`, { feature: `${this.id} encode` });
    try {
      return this._encodeObjects(values, ctx);
    } catch (e) {
      throw codecFailure(e, this.id, "encode");
    }
  }

  async decodeObjects(bytes: Uint8Array, ctx?: ChunkContext): Promise<ObjectValue[]> {
    try {
      return this._decodeObjects(bytes, ctx);
    } catch (e) {
      throw codecFailure(e, this.id, "decode");
    }
  }

  protected _encode(): Uint8Array {
    throw new UnsupportedError(`codec ${this.id} encodes object values: use encodeObjects`, { feature: `${this.id} bytes encode` });
  }

  protected _decode(): Uint8Array {
    throw new UnsupportedError(`codec ${this.id} decodes to object values: use decodeObjects`, { feature: `${this.id} bytes decode` });
  }
}
