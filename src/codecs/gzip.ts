/** numcodecs GZip ⇄ Zarr v3 `gzip`: a gzip member (RFC 1952). Runs on the libuv pool. */
import { promisify } from "node:util";
import * as nodeZlib from "node:zlib";
import { BaseCodec, type ChunkContext, type CodecConfig, type ZarrV3Codec } from "./codec.js";
import { cfgEncodeInt, checkEncodeRange, expectedBytes } from "./_util.js";
import { bufferBytes, outputChunk } from "./zlib.js";

const gzip = promisify(nodeZlib.gzip);
const gunzip = promisify(nodeZlib.gunzip);

export class GzipCodec extends BaseCodec {
  readonly id = "gzip";
  readonly kind = "bytes-bytes" as const;
  override readonly offThread = true;
  readonly level: number;

  constructor(level = 1) {
    super();
    this.level = level;
  }

  static fromConfig(config: CodecConfig): GzipCodec {
    return new GzipCodec(cfgEncodeInt(config, "level", 1));
  }

  toConfig(): CodecConfig {
    return { id: this.id, level: this.level };
  }

  /** HDF5 has deflate (zlib framing), not gzip members. */
  counterpart(): CodecConfig {
    return { id: "zlib", level: this.level };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "gzip", configuration: { level: this.level } };
  }

  protected async _encode(bytes: Uint8Array): Promise<Uint8Array> {
    checkEncodeRange(this.id, "level", this.level, -1, 9);
    return bufferBytes(await gzip(bytes, { level: this.level, chunkSize: outputChunk(bytes.length) }));
  }

  protected async _decode(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array> {
    // One output buffer of the expected size instead of many 16 KiB pieces joined at the end.
    return bufferBytes(await gunzip(bytes, { chunkSize: outputChunk((expectedBytes(ctx) ?? bytes.length * 2) + 64) }));
  }
}
