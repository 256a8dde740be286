/** numcodecs LZ4: 4-byte LE uncompressed size + one LZ4 block. Implementations: _wasm.ts. */
import { BaseCodec, type CodecConfig, type ZarrV3Codec } from "./codec.js";
import { cfgEncodeInt } from "./_util.js";
import { lz4FramedDecode, lz4FramedEncode } from "./_wasm.js";
import { nativeLz4 } from "./native.js";

export class Lz4Codec extends BaseCodec {
  readonly id = "lz4";
  readonly kind = "bytes-bytes" as const;
  readonly acceleration: number;
  /** The native decoder (2-3 GB/s) takes less time than handing the chunk to a worker and back. */
  override readonly offThread = nativeLz4() ? "decode" as const : undefined;

  constructor(acceleration = 1) {
    super();
    this.acceleration = acceleration;
  }

  static fromConfig(config: CodecConfig): Lz4Codec {
    return new Lz4Codec(cfgEncodeInt(config, "acceleration", 1));
  }

  toConfig(): CodecConfig {
    return { id: this.id, acceleration: this.acceleration };
  }

  /** HDF5's LZ4 filter (32004) frames blocks differently. */
  counterpart(): CodecConfig {
    return { id: "hdf5-lz4", blocksize: 0 };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.lz4", configuration: { acceleration: this.acceleration } };
  }

  protected _encode(bytes: Uint8Array): Promise<Uint8Array> {
    return lz4FramedEncode(bytes, this.acceleration);
  }

  protected _decode(bytes: Uint8Array): Promise<Uint8Array> {
    return lz4FramedDecode(bytes);
  }
}
