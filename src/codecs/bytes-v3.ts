/** Zarr v3 `bytes` {endian}: the array→bytes step; our in-memory bytes are little-endian. */
import { BaseCodec, badConfig, type ChunkContext, type CodecConfig, type ZarrV3Codec } from "./codec.js";
import { byteswap } from "./_util.js";

export class BytesCodec extends BaseCodec {
  readonly id = "bytes";
  readonly kind = "array-bytes" as const;
  readonly preservesLayout = true;

  constructor(readonly endian: "little" | "big" = "little") {
    super();
    if (endian !== "little" && endian !== "big") throw badConfig("bytes", `endian must be "little" or "big", got ${JSON.stringify(endian)}`);
  }

  static fromConfig(config: CodecConfig): BytesCodec {
    return new BytesCodec((config.endian ?? "little") as "little" | "big");
  }

  static fromZarrV3(configuration: Readonly<Record<string, unknown>>): BytesCodec {
    return new BytesCodec((configuration.endian ?? "little") as "little" | "big");
  }

  toConfig(): CodecConfig {
    return { id: this.id, endian: this.endian };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "bytes", configuration: { endian: this.endian } };
  }

  private swap(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array {
    const size = ctx?.itemsize ?? 1;
    return this.endian === "big" && size > 1 ? byteswap(bytes, size) : bytes.slice();
  }

  protected _encode(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array {
    return this.swap(bytes, ctx);
  }

  protected _decode(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array {
    return this.swap(bytes, ctx);
  }
}
