/** numcodecs Zlib ⇄ HDF5 deflate (filter 1): both are a zlib stream. Runs on the libuv pool. */
import { promisify } from "node:util";
import * as nodeZlib from "node:zlib";
import { BaseCodec, type ChunkContext, type CodecConfig, type Hdf5Filter, type ZarrV3Codec } from "./codec.js";
import { cfgEncodeInt, checkEncodeRange, expectedBytes } from "./_util.js";

const deflate = promisify(nodeZlib.deflate);
const inflate = promisify(nodeZlib.inflate);

export const DEFLATE_FILTER_ID = 1;

export class ZlibCodec extends BaseCodec {
  readonly id = "zlib";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = DEFLATE_FILTER_ID;
  override readonly offThread = true;
  readonly level: number;

  constructor(level = 1) {
    super();
    this.level = level;
  }

  static fromConfig(config: CodecConfig): ZlibCodec {
    return new ZlibCodec(cfgEncodeInt(config, "level", 1));
  }

  static fromHdf5(filter: Hdf5Filter): ZlibCodec {
    return new ZlibCodec(filter.cdValues[0] ?? 6);
  }

  toConfig(): CodecConfig {
    return { id: this.id, level: this.level };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.zlib", configuration: { level: this.level } };
  }

  toHdf5(): Hdf5Filter {
    return { id: DEFLATE_FILTER_ID, flags: 1, cdValues: [this.level === -1 ? 6 : this.level], name: "deflate" };
  }

  protected async _encode(bytes: Uint8Array): Promise<Uint8Array> {
    checkEncodeRange(this.id, "level", this.level, -1, 9);
    return bufferBytes(await deflate(bytes, { level: this.level, chunkSize: outputChunk(bytes.length) }));
  }

  protected async _decode(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array> {
    // One output buffer of the expected size instead of many 16 KiB pieces joined at the end.
    return bufferBytes(await inflate(bytes, { chunkSize: outputChunk((expectedBytes(ctx) ?? bytes.length * 2) + 64) }));
  }
}

/** A Buffer is a Uint8Array; hand back a plain view of the same memory. */
export function bufferBytes(b: Buffer): Uint8Array {
  // A result much smaller than its output buffer is copied, so it does not pin the rest.
  if (b.byteLength < b.buffer.byteLength / 2) return new Uint8Array(b);
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}

/** node:zlib output piece size: big enough that a chunk comes out in one or two pieces. */
export function outputChunk(n: number): number {
  return Math.min(Math.max(n, 64 * 1024), 64 * 1024 * 1024);
}
