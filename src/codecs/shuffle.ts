/**
 * Byte shuffle: numcodecs `Shuffle{elementsize}` ⇄ HDF5 shuffle (filter 2, cd_values
 * [elementsize]). Byte j of element i goes to j*count + i; a tail shorter than one element is
 * copied as is (HDF5's rule; numcodecs refuses such buffers).
 */
import { BaseCodec, type ChunkContext, type CodecConfig, type Hdf5Filter, type ZarrV3Codec } from "./codec.js";
import { cfgInt } from "./_util.js";

export const SHUFFLE_FILTER_ID = 2;

export function shuffleBytes(src: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return src.slice();
  const count = Math.floor(src.length / size);
  const out = new Uint8Array(src.length);
  for (let j = 0; j < size; j++) {
    const base = j * count;
    for (let i = 0, k = j; i < count; i++, k += size) out[base + i] = src[k]!;
  }
  out.set(src.subarray(count * size), count * size);
  return out;
}

export function unshuffleBytes(src: Uint8Array, size: number): Uint8Array {
  if (size <= 1) return src.slice();
  const count = Math.floor(src.length / size);
  const out = new Uint8Array(src.length);
  for (let j = 0; j < size; j++) {
    const base = j * count;
    for (let i = 0, k = j; i < count; i++, k += size) out[k] = src[base + i]!;
  }
  out.set(src.subarray(count * size), count * size);
  return out;
}

export class ShuffleCodec extends BaseCodec {
  readonly id = "shuffle";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = SHUFFLE_FILTER_ID;
  readonly preservesLayout = true;
  /** undefined = take the element size from the chunk context (HDF5 set_local does the same). */
  readonly elementsize: number | undefined;

  constructor(elementsize?: number) {
    super();
    this.elementsize = elementsize;
  }

  static fromConfig(config: CodecConfig): ShuffleCodec {
    return new ShuffleCodec(config.elementsize === undefined ? undefined : cfgInt(config, "elementsize", 4, 0, 255));
  }

  static fromHdf5(filter: Hdf5Filter, ctx?: ChunkContext): ShuffleCodec {
    return new ShuffleCodec(filter.cdValues[0] ?? ctx?.itemsize);
  }

  private size(ctx?: ChunkContext): number {
    return this.elementsize ?? ctx?.itemsize ?? 4;
  }

  toConfig(): CodecConfig {
    return { id: this.id, elementsize: this.elementsize ?? 4 };
  }

  toZarrV3(ctx?: ChunkContext): ZarrV3Codec {
    return { name: "numcodecs.shuffle", configuration: { elementsize: this.size(ctx) } };
  }

  toHdf5(ctx?: ChunkContext): Hdf5Filter {
    return { id: SHUFFLE_FILTER_ID, flags: 1, cdValues: [this.size(ctx)], name: "shuffle" };
  }

  protected _encode(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array {
    return shuffleBytes(bytes, this.size(ctx));
  }

  protected _decode(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array {
    return unshuffleBytes(bytes, this.size(ctx));
  }
}
