/** numcodecs Zlib ⇄ HDF5 deflate (filter 1): both are a zlib stream. Runs on the libuv pool. */
import { promisify } from "node:util";
import * as nodeZlib from "node:zlib";
import { BaseCodec, type CodecConfig, type Hdf5Filter, type ZarrV3Codec } from "./codec.js";
import { cfgInt } from "./_util.js";

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
    return new ZlibCodec(cfgInt(config, "level", 1, -1, 9));
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
    return bufferBytes(await deflate(bytes, { level: this.level }));
  }

  protected async _decode(bytes: Uint8Array): Promise<Uint8Array> {
    return bufferBytes(await inflate(bytes));
  }
}

/** A Buffer is a Uint8Array; hand back a plain view of the same memory. */
export function bufferBytes(b: Buffer): Uint8Array {
  return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
}
