/**
 * Base for array→bytes codecs over object (`|O`) chunks: json2, msgpack2, vlen-*, categorize, pickle.
 * Values go in and come out in C order; for a Zarr v2 order-"F" chunk the base moves them to and from
 * Fortran order for codecs whose items follow the memory order.
 */
import { UnsupportedError } from "../errors.js";
import { BaseCodec, codecFailure, type ChunkContext, type ObjectCodec, type ObjectValue } from "./codec.js";
import { cToFortran, fortranToC } from "./_order.js";
import { product } from "./_util.js";

/** The chunk shape when its items are in Fortran order and more than one axis makes that matter. */
function fortranShape(codec: BaseObjectCodec, ctx?: ChunkContext): readonly number[] | undefined {
  const shape = ctx?.chunkShape;
  return ctx?.order === "F" && codec.itemOrder === "memory" && shape && shape.length > 1 ? shape : undefined;
}

export abstract class BaseObjectCodec extends BaseCodec implements ObjectCodec {
  readonly objectCodec = true as const;
  readonly kind = "array-bytes" as const;
  /**
   * Where the items of a chunk sit: "memory", in the array's memory order (numpy's `reshape(-1,
   * order="A")`: vlen-*, categorize); "logical", in C order whatever the memory order, because the
   * encoding carries shape or order itself (json2 and msgpack2 `tolist()`, a pickled ndarray).
   */
  readonly itemOrder: "memory" | "logical" = "memory";
  protected abstract _encodeObjects(values: readonly ObjectValue[], ctx?: ChunkContext): Uint8Array;
  protected abstract _decodeObjects(bytes: Uint8Array, ctx?: ChunkContext): ObjectValue[];

  async encodeObjects(values: readonly ObjectValue[], ctx?: ChunkContext): Promise<Uint8Array> {
    if (this.decodeOnly) throw new UnsupportedError(`codec ${this.id} is decode-only`, { feature: `${this.id} encode` });
    try {
      const f = fortranShape(this, ctx);
      return this._encodeObjects(f ? cToFortran(values, f) : values, ctx);
    } catch (e) {
      throw codecFailure(e, this.id, "encode");
    }
  }

  async decodeObjects(bytes: Uint8Array, ctx?: ChunkContext): Promise<ObjectValue[]> {
    try {
      const values = this._decodeObjects(bytes, ctx);
      const f = fortranShape(this, ctx);
      // a count that does not fit the shape is left for the caller's check to name
      return f && values.length === product(f) ? fortranToC(values, f) : values;
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
