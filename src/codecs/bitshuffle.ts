/**
 * The HDF5 bitshuffle filter (32008, bshuf_h5filter.c). cd_values [major, minor, elem_size,
 * block_size (elements, 0 = default), compression (0 none, 2 lz4, 3 zstd), zstd level].
 * Without compression the output is the bitshuffled data, same length, no header. With
 * compression: 8-byte BE uncompressed size, 4-byte BE block size in bytes, then per block a
 * 4-byte BE compressed size + an LZ4 block (or zstd frame) of the bitshuffled block. Blocks
 * hold `block_size` elements; the last holds the rest rounded down to a multiple of 8, and the
 * final (n % 8) elements are copied raw at the end. No numcodecs counterpart: id "bitshuffle".
 */
import { BaseCodec, corrupt, type ChunkContext, type CodecConfig, type Hdf5Filter } from "./codec.js";
import { cfgInt, concatBytes } from "./_util.js";
import { bitshuffleInto, bitunshuffleInto, defaultBlockSize } from "./bitshuffle-core.js";
import { lz4BlockDecode, lz4BlockEncode, zstdDecode, zstdEncode } from "./_wasm.js";

export const BITSHUFFLE_FILTER_ID = 32008;
const COMP_NONE = 0, COMP_LZ4 = 2, COMP_ZSTD = 3;

export class BitshuffleCodec extends BaseCodec {
  readonly id = "bitshuffle";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = BITSHUFFLE_FILTER_ID;
  readonly elemSize: number | undefined;
  readonly blockSize: number;
  readonly compression: 0 | 2 | 3;
  readonly level: number;

  constructor(opts: { elemSize?: number; blockSize?: number; compression?: number; level?: number } = {}) {
    super();
    this.elemSize = opts.elemSize;
    this.blockSize = opts.blockSize ?? 0;
    const c = opts.compression ?? COMP_LZ4;
    if (c !== COMP_NONE && c !== COMP_LZ4 && c !== COMP_ZSTD) throw corrupt(this.id, "encode", `unknown compression ${c}`);
    this.compression = c;
    this.level = opts.level ?? 3;
    if (this.blockSize % 8 !== 0) throw corrupt(this.id, "encode", `block size ${this.blockSize} is not a multiple of 8`);
  }

  static fromConfig(config: CodecConfig): BitshuffleCodec {
    const comp = config.cname === "none" ? COMP_NONE : config.cname === "zstd" ? COMP_ZSTD : COMP_LZ4;
    return new BitshuffleCodec({
      elemSize: config.elementsize === undefined ? undefined : cfgInt(config, "elementsize", 1, 1),
      blockSize: cfgInt(config, "blocksize", 0, 0), compression: comp, level: cfgInt(config, "clevel", 3),
    });
  }

  static fromHdf5(filter: Hdf5Filter, ctx?: ChunkContext): BitshuffleCodec {
    const cd = filter.cdValues;
    if (cd.length <= 3) {
      // the user form hdf5plugin.Bitshuffle passes, before the filter's set_local prepends
      // [major, minor, elemsize]: [blocksize, compression (0 none, 2 lz4, 3 zstd), level]
      return new BitshuffleCodec({ elemSize: ctx?.itemsize, blockSize: cd[0] ?? 0, compression: cd[1] ?? 0, level: cd[2] ?? 3 });
    }
    return new BitshuffleCodec({ elemSize: cd[2] ?? ctx?.itemsize, blockSize: cd[3] ?? 0, compression: cd[4] ?? 0, level: cd[5] ?? 3 });
  }

  /** numcodecs has no Bitshuffle codec: Blosc with bit-shuffle and the same compressor. */
  counterpart(): CodecConfig {
    return { id: "blosc", cname: this.compression === COMP_ZSTD ? "zstd" : "lz4", clevel: 5, shuffle: 2, blocksize: 0 };
  }

  toConfig(): CodecConfig {
    const cname = this.compression === COMP_NONE ? "none" : this.compression === COMP_ZSTD ? "zstd" : "lz4";
    const c: Record<string, number | string> = { blocksize: this.blockSize, cname, clevel: this.level };
    if (this.elemSize !== undefined) c.elementsize = this.elemSize;
    return { id: this.id, ...c };
  }

  toHdf5(ctx?: ChunkContext): Hdf5Filter {
    const cd = [0, 4, this.size(ctx), this.blockSize, this.compression];
    if (this.compression === COMP_ZSTD) cd.push(this.level);
    return { id: BITSHUFFLE_FILTER_ID, flags: 1, cdValues: cd, name: "bitshuffle; see https://github.com/kiyo-masui/bitshuffle" };
  }

  private size(ctx?: ChunkContext): number {
    return this.elemSize ?? ctx?.itemsize ?? 1;
  }

  protected async _encode(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array> {
    const es = this.size(ctx);
    if (bytes.length % es !== 0) throw corrupt(this.id, "encode", `${bytes.length} bytes is not a whole number of ${es}-byte elements`);
    const n = bytes.length / es;
    const bs = this.blockSize || defaultBlockSize(es);
    if (this.compression === COMP_NONE) {
      const out = new Uint8Array(bytes.length);
      forEachBlock(n, bs, (start, count) => bitshuffleInto(bytes, start * es, count, es, out, start * es));
      const tail = n - (n % 8);
      out.set(bytes.subarray(tail * es), tail * es);
      return out;
    }
    const head = new Uint8Array(12);
    const hv = new DataView(head.buffer);
    hv.setBigUint64(0, BigInt(bytes.length), false);
    hv.setUint32(8, bs * es, false);
    const parts: Uint8Array[] = [head];
    const blocks: Array<[number, number]> = [];
    forEachBlock(n, bs, (start, count) => blocks.push([start, count]));
    for (const [start, count] of blocks) {
      const shuffled = new Uint8Array(count * es);
      bitshuffleInto(bytes, start * es, count, es, shuffled, 0);
      const comp = this.compression === COMP_LZ4 ? await lz4BlockEncode(shuffled) : await zstdEncode(shuffled, this.level);
      const size = new Uint8Array(4);
      new DataView(size.buffer).setUint32(0, comp.length, false);
      parts.push(size, comp);
    }
    parts.push(bytes.subarray((n - (n % 8)) * es));
    return concatBytes(parts);
  }

  protected async _decode(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array> {
    const es = this.size(ctx);
    if (this.compression === COMP_NONE) {
      if (bytes.length % es !== 0) throw corrupt(this.id, "decode", "not a whole number of elements");
      const n = bytes.length / es;
      const out = new Uint8Array(bytes.length);
      forEachBlock(n, this.blockSize || defaultBlockSize(es), (start, count) => bitunshuffleInto(bytes, start * es, count, es, out, start * es));
      const tail = n - (n % 8);
      out.set(bytes.subarray(tail * es), tail * es);
      return out;
    }
    if (bytes.length < 12) throw corrupt(this.id, "decode", "truncated header");
    const dv = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const total = Number(dv.getBigUint64(0, false));
    const bsBytes = dv.getUint32(8, false);
    if (total % es !== 0) throw corrupt(this.id, "decode", "non integer number of elements");
    if (total > (bytes.length + 64) * 1024) throw corrupt(this.id, "decode", `size header ${total} is implausible for ${bytes.length} bytes`);
    const bs = Math.floor(bsBytes / es) || defaultBlockSize(es);
    if (bs % 8 !== 0) throw corrupt(this.id, "decode", `block size ${bs} is not a multiple of 8`);
    const n = total / es;
    const out = new Uint8Array(total);
    let pos = 12;
    const blocks: Array<[number, number]> = [];
    forEachBlock(n, bs, (start, count) => blocks.push([start, count]));
    for (const [start, count] of blocks) {
      if (pos + 4 > bytes.length) throw corrupt(this.id, "decode", "truncated block header");
      const clen = dv.getUint32(pos, false);
      pos += 4;
      if (pos + clen > bytes.length) throw corrupt(this.id, "decode", "truncated block");
      const comp = bytes.subarray(pos, pos + clen);
      pos += clen;
      const raw = this.compression === COMP_LZ4 ? await lz4BlockDecode(comp, count * es) : await zstdDecode(comp);
      if (raw.length !== count * es) throw corrupt(this.id, "decode", "block decoded to the wrong size");
      bitunshuffleInto(raw, 0, count, es, out, start * es);
    }
    const tail = (n - (n % 8)) * es;
    if (bytes.length - pos !== total - tail) throw corrupt(this.id, "decode", "trailing element bytes do not match the header");
    out.set(bytes.subarray(pos), tail);
    return out;
  }
}

/** bshuf_blocked_wrap_fun: full blocks, then the rest rounded down to a multiple of 8. */
function forEachBlock(n: number, bs: number, fn: (start: number, count: number) => void): void {
  const full = Math.floor(n / bs);
  for (let i = 0; i < full; i++) fn(i * bs, bs);
  let last = n % bs;
  last -= last % 8;
  if (last) fn(full * bs, last);
}
