/** numcodecs Zstd ⇄ Zarr v3 `zstd` ⇄ HDF5 Zstandard filter 32015 (cd_values [level]). Implementations: _wasm.ts. */
import { BaseCodec, type CodecConfig, type Hdf5Filter, type ZarrV3Codec } from "./codec.js";
import { cfgEncodeInt, checkEncodeRange } from "./_util.js";
import { zstdDecode, zstdEncode } from "./_wasm.js";
import { nativeZstd } from "./native.js";

export const ZSTD_FILTER_ID = 32015;

export class ZstdCodec extends BaseCodec {
  readonly id = "zstd";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = ZSTD_FILTER_ID;
  readonly level: number;
  readonly checksum: boolean;
  /** The native decoder runs on the libuv pool: concurrent decodes need no worker (nor its copies). */
  override readonly offThread = nativeZstd() ? "decode" as const : undefined;

  constructor(level = 1, checksum = false) {
    super();
    this.level = level;
    this.checksum = checksum;
  }

  static fromConfig(config: CodecConfig): ZstdCodec {
    return new ZstdCodec(cfgEncodeInt(config, "level", 1), config.checksum === true);
  }

  static fromHdf5(filter: Hdf5Filter): ZstdCodec {
    return new ZstdCodec((filter.cdValues[0] ?? 3) | 0); // the plugin reads cd_values[0] as a C int
  }

  toConfig(): CodecConfig {
    return { id: this.id, level: this.level };
  }

  /** Workers rebuild the codec from this: keep the (Zarr v3) checksum flag. */
  workerConfig(): CodecConfig {
    return this.checksum ? { ...this.toConfig(), checksum: true } : this.toConfig();
  }

  toHdf5(): Hdf5Filter {
    return { id: ZSTD_FILTER_ID, flags: 1, cdValues: [this.level >>> 0], name: "Zstandard compression: http://www.zstd.net" };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "zstd", configuration: { level: this.level, checksum: this.checksum } };
  }

  protected _encode(bytes: Uint8Array): Promise<Uint8Array> {
    checkEncodeRange(this.id, "level", this.level, -131072, 22);
    return zstdEncode(bytes, this.level, this.checksum);
  }

  protected _decode(bytes: Uint8Array): Promise<Uint8Array> {
    return zstdDecode(bytes);
  }
}
