/**
 * Zarr v3 `transpose` {order}: output axis i is input axis order[i]. Works on the C-order
 * bytes of the chunk (itemsize and chunk shape from the context).
 */
import { BaseCodec, badConfig, corrupt, type ChunkContext, type CodecConfig, type ZarrV3Codec } from "./codec.js";
import { product } from "./_util.js";

export class TransposeCodec extends BaseCodec {
  readonly id = "transpose";
  readonly kind = "array-array" as const;

  constructor(readonly order: readonly number[]) {
    super();
    const sorted = [...order].sort((a, b) => a - b);
    if (!sorted.every((v, i) => v === i)) throw badConfig("transpose", `order [${order.join(",")}] is not a permutation`);
  }

  static fromConfig(config: CodecConfig): TransposeCodec {
    return TransposeCodec.fromZarrV3(config);
  }

  static fromZarrV3(configuration: Readonly<Record<string, unknown>>): TransposeCodec {
    const o = configuration.order;
    if (!Array.isArray(o) || !o.every((x) => Number.isInteger(x))) throw badConfig("transpose", "order must be a list of axes");
    return new TransposeCodec(o as number[]);
  }

  toConfig(): CodecConfig {
    return { id: this.id, order: [...this.order] };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "transpose", configuration: { order: [...this.order] } };
  }

  encodedContext(ctx: ChunkContext): ChunkContext {
    return ctx.chunkShape ? { ...ctx, chunkShape: this.encodedShape(ctx.chunkShape) } : ctx;
  }

  /** Shape after encoding. */
  encodedShape(shape: readonly number[]): number[] {
    return this.order.map((a) => shape[a]!);
  }

  private check(bytes: Uint8Array, ctx: ChunkContext | undefined, dir: "encode" | "decode"): { shape: readonly number[]; size: number } {
    const shape = ctx?.chunkShape;
    const size = ctx?.itemsize;
    if (!shape || !size) throw corrupt(this.id, dir, "needs the chunk shape and itemsize");
    if (shape.length !== this.order.length) throw corrupt(this.id, dir, `order has ${this.order.length} axes, chunk has ${shape.length}`);
    if (bytes.length !== product(shape) * size) throw corrupt(this.id, dir, `chunk has ${bytes.length} bytes, shape needs ${product(shape) * size}`);
    return { shape, size };
  }

  protected _encode(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array {
    const { shape, size } = this.check(bytes, ctx, "encode");
    return permute(bytes, shape, this.order, size);
  }

  protected _decode(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array {
    const { shape, size } = this.check(bytes, ctx, "decode");
    const inverse = new Array<number>(this.order.length);
    this.order.forEach((a, i) => { inverse[a] = i; });
    return permute(bytes, this.encodedShape(shape), inverse, size);
  }
}

/** out[idx over permuted shape] = in[idx mapped back]; element size `size`. */
function permute(src: Uint8Array, shape: readonly number[], order: readonly number[], size: number): Uint8Array {
  const nd = shape.length;
  const inStrides = new Array<number>(nd);
  let s = size;
  for (let d = nd - 1; d >= 0; d--) { inStrides[d] = s; s *= shape[d]!; }
  const outShape = order.map((a) => shape[a]!);
  const strides = order.map((a) => inStrides[a]!);
  const out = new Uint8Array(src.length);
  const idx = new Array<number>(nd).fill(0);
  const n = product(outShape);
  let off = 0;
  for (let i = 0; i < n; i++) {
    out.set(src.subarray(off, off + size), i * size);
    for (let d = nd - 1; d >= 0; d--) {
      idx[d]!++;
      off += strides[d]!;
      if (idx[d]! < outShape[d]!) break;
      off -= strides[d]! * outShape[d]!;
      idx[d] = 0;
    }
  }
  return out;
}
