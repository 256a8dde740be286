/** HDF5 nbit filter (5): decode only. */
import { UnsupportedError } from "../errors.js";
import { BaseCodec, type ChunkContext, type CodecConfig, type Hdf5Filter } from "./codec.js";

export class Hdf5NbitCodec extends BaseCodec {
  readonly id = "hdf5-nbit";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = 5;
  override readonly decodeOnly = true;

  constructor(readonly cdValues: readonly number[], readonly ctx?: ChunkContext) {
    super();
  }

  static fromConfig(config: CodecConfig): Hdf5NbitCodec {
    return new Hdf5NbitCodec(Array.isArray(config.cd_values) ? config.cd_values.map(Number) : []);
  }

  static fromHdf5(filter: Hdf5Filter, ctx?: ChunkContext): Hdf5NbitCodec {
    return new Hdf5NbitCodec(filter.cdValues, ctx);
  }

  toConfig(): CodecConfig {
    return { id: this.id, cd_values: [...this.cdValues] };
  }

  toHdf5(): Hdf5Filter {
    return { id: 5, flags: 0, cdValues: [...this.cdValues], name: "nbit" };
  }

  protected _encode(): Uint8Array {
    throw new UnsupportedError("hdf5-nbit is decode-only", { feature: "hdf5-nbit encode" });
  }

  protected _decode(): Uint8Array {
    throw new UnsupportedError("hdf5-nbit decoding is not implemented yet", { feature: "hdf5-nbit decode" });
  }
}
