/** HDF5 scaleoffset filter (6): decode only. */
import { UnsupportedError } from "../errors.js";
import { BaseCodec, type ChunkContext, type CodecConfig, type Hdf5Filter } from "./codec.js";

export class Hdf5ScaleOffsetCodec extends BaseCodec {
  readonly id = "hdf5-scaleoffset";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = 6;
  override readonly decodeOnly = true;

  constructor(readonly cdValues: readonly number[], readonly ctx?: ChunkContext) {
    super();
  }

  static fromConfig(config: CodecConfig): Hdf5ScaleOffsetCodec {
    return new Hdf5ScaleOffsetCodec(Array.isArray(config.cd_values) ? config.cd_values.map(Number) : []);
  }

  static fromHdf5(filter: Hdf5Filter, ctx?: ChunkContext): Hdf5ScaleOffsetCodec {
    return new Hdf5ScaleOffsetCodec(filter.cdValues, ctx);
  }

  toConfig(): CodecConfig {
    return { id: this.id, cd_values: [...this.cdValues] };
  }

  toHdf5(): Hdf5Filter {
    return { id: 6, flags: 0, cdValues: [...this.cdValues], name: "scaleoffset" };
  }

  protected _encode(): Uint8Array {
    throw new UnsupportedError("hdf5-scaleoffset is decode-only", { feature: "hdf5-scaleoffset encode" });
  }

  protected _decode(): Uint8Array {
    throw new UnsupportedError("hdf5-scaleoffset decoding is not implemented yet", { feature: "hdf5-scaleoffset decode" });
  }
}
