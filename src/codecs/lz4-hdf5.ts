/**
 * The HDF5 LZ4 filter (32004, lz4_h5filter.c): 8-byte BE total size, 4-byte BE block size,
 * then per block a 4-byte BE compressed size and the block; a block that does not shrink is
 * stored raw (its stored size then equals the block size). cd_values [blockSize] (0 = 1 GiB).
 * No numcodecs counterpart: config id "hdf5-lz4" (our own name).
 */
import { BaseCodec, corrupt, type CodecConfig, type Hdf5Filter } from "./codec.js";
import { cfgInt, concatBytes } from "./_util.js";
import { lz4BlockDecode, lz4BlockEncode } from "./_wasm.js";

export const LZ4_FILTER_ID = 32004;
const DEFAULT_BLOCK = 1 << 30;

export class Hdf5Lz4Codec extends BaseCodec {
  readonly id = "hdf5-lz4";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = LZ4_FILTER_ID;
  readonly blockSize: number;

  constructor(blockSize = 0) {
    super();
    this.blockSize = blockSize;
  }

  static fromConfig(config: CodecConfig): Hdf5Lz4Codec {
    return new Hdf5Lz4Codec(cfgInt(config, "blocksize", 0, 0));
  }

  static fromHdf5(filter: Hdf5Filter): Hdf5Lz4Codec {
    return new Hdf5Lz4Codec(filter.cdValues[0] ?? 0);
  }

  toConfig(): CodecConfig {
    return { id: this.id, blocksize: this.blockSize };
  }

  /** numcodecs LZ4: one block behind a 4-byte size. */
  counterpart(): CodecConfig {
    return { id: "lz4", acceleration: 1 };
  }

  toHdf5(): Hdf5Filter {
    return { id: LZ4_FILTER_ID, flags: 1, cdValues: [this.blockSize], name: "HDF5 lz4 filter; see http://www.hdfgroup.org/services/contributions.html" };
  }

  protected async _encode(bytes: Uint8Array): Promise<Uint8Array> {
    const total = bytes.length;
    let block = this.blockSize > 0 ? this.blockSize : DEFAULT_BLOCK;
    if (block > total) block = total;
    const head = new Uint8Array(12);
    const hv = new DataView(head.buffer);
    hv.setBigUint64(0, BigInt(total), false);
    hv.setUint32(8, block, false);
    const parts: Uint8Array[] = [head];
    for (let off = 0; off < total; off += block) {
      const piece = bytes.subarray(off, Math.min(off + block, total));
      let comp = await lz4BlockEncode(piece);
      if (comp.length >= piece.length) comp = piece;
      const size = new Uint8Array(4);
      new DataView(size.buffer).setUint32(0, comp.length, false);
      parts.push(size, comp);
    }
    return concatBytes(parts);
  }

  protected async _decode(bytes: Uint8Array): Promise<Uint8Array> {
    if (bytes.length < 12) throw corrupt(this.id, "decode", `truncated header (${bytes.length} bytes)`);
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const total64 = dv.getBigUint64(0, false);
    if (total64 > BigInt(Number.MAX_SAFE_INTEGER)) throw corrupt(this.id, "decode", "corrupt size header");
    const total = Number(total64);
    let block = dv.getUint32(8, false);
    if (block > total) block = total;
    if (total > 0 && block === 0) throw corrupt(this.id, "decode", "zero block size");
    if (total > (bytes.length - 12) * 255 + 64 * Math.ceil(total / Math.max(block, 1))) {
      throw corrupt(this.id, "decode", `size header ${total} cannot come from ${bytes.length} bytes`);
    }
    const out = new Uint8Array(total);
    let pos = 12;
    for (let done = 0; done < total;) {
      const want = Math.min(block, total - done);
      if (pos + 4 > bytes.length) throw corrupt(this.id, "decode", "truncated block header");
      const clen = dv.getUint32(pos, false);
      pos += 4;
      if (pos + clen > bytes.length) throw corrupt(this.id, "decode", "truncated block");
      const comp = bytes.subarray(pos, pos + clen);
      pos += clen;
      out.set(clen === want ? comp : await lz4BlockDecode(comp, want), done);
      done += want;
    }
    return out;
  }
}
