/**
 * A Blosc 1.x frame writer (c-blosc 1.21 format, header version 2), so the typesize is ours:
 * the numcodecs.js wasm build always compresses with typesize 4, numcodecs (Python) uses the
 * array's itemsize. Layout: 16-byte header [version 2, versionlz 1, flags, typesize,
 * nbytes LE32, blocksize LE32, cbytes LE32], block start offsets (LE32 each), then per block
 * one stream — or `typesize` streams when split — each a LE32 size + data (size == stream
 * length means stored raw). Blocksize and split follow c-blosc 1.21's compute_blocksize /
 * split_block, checked against numcodecs 0.11's output headers.
 */
import * as nodeZlib from "node:zlib";
import { bitshuffleInto } from "./bitshuffle-core.js";
import { shuffleBytes } from "./shuffle.js";
import { lz4BlockEncode, zstdEncode } from "./_wasm.js";

export type BloscCname = "blosclz" | "lz4" | "lz4hc" | "snappy" | "zlib" | "zstd";
export const BLOSC_CNAMES: readonly BloscCname[] = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];
/** Format code in header flags bits 5-7 (lz4hc writes LZ4 blocks). */
const FORMAT_CODE: Record<BloscCname, number> = { blosclz: 0, lz4: 1, lz4hc: 1, snappy: 2, zlib: 3, zstd: 4 };
/** Compressor code as the HDF5 blosc filter stores it in cd_values[6]. */
export const COMPCODE: Record<BloscCname, number> = { blosclz: 0, lz4: 1, lz4hc: 2, snappy: 3, zlib: 4, zstd: 5 };

const MIN_BUFFERSIZE = 128;
const MAX_OVERHEAD = 16;
const L1 = 32 * 1024;

const isHcr = (c: BloscCname) => c === "zlib" || c === "zstd" || c === "lz4hc";

function splitBlock(cname: BloscCname, typesize: number, blocksize: number): boolean {
  return cname !== "zstd" && typesize <= 16 && blocksize / typesize >= MIN_BUFFERSIZE;
}

export function computeBlocksize(cname: BloscCname, clevel: number, typesize: number, nbytes: number, forced: number): number {
  if (nbytes < typesize) return 1;
  let bs = nbytes;
  if (forced > 0) {
    bs = Math.max(forced, MIN_BUFFERSIZE);
  } else if (nbytes >= L1) {
    bs = L1;
    if (isHcr(cname)) bs *= 2;
    const mult = [0.25, 0.5, 1, 2, 4, 4, 8, 8, 8, 8][clevel] ?? 8;
    bs *= mult;
    if (clevel === 9 && isHcr(cname)) bs *= 2;
    if (clevel > 0 && splitBlock(cname, typesize, bs)) {
      if (bs > 1 << 18) bs = 1 << 18;
      bs *= typesize;
      if (bs < 1 << 16) bs = 1 << 16;
      if (bs > 1 << 20) bs = 1 << 20;
    }
  }
  if (bs > nbytes) bs = nbytes;
  if (bs > typesize) bs = Math.floor(bs / typesize) * typesize;
  return bs;
}

async function compressStream(cname: BloscCname, clevel: number, data: Uint8Array): Promise<Uint8Array> {
  switch (cname) {
    case "lz4": case "lz4hc": return lz4BlockEncode(data);
    case "zstd": return zstdEncode(data, clevel < 9 ? clevel * 2 - 1 : 22);
    case "zlib": {
      const b = nodeZlib.deflateSync(data, { level: clevel });
      return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
    }
    default: throw new Error(`no frame writer for ${cname}`);
  }
}

export interface BloscParams {
  readonly cname: BloscCname;
  readonly clevel: number;
  /** 0 none, 1 byte, 2 bit (AUTOSHUFFLE already resolved). */
  readonly shuffle: 0 | 1 | 2;
  readonly typesize: number;
  readonly blocksize: number;
}

export async function bloscCompressFrame(src: Uint8Array, p: BloscParams): Promise<Uint8Array> {
  const nbytes = src.length;
  const typesize = p.typesize > 255 || p.typesize < 1 ? 1 : p.typesize;
  const bs = computeBlocksize(p.cname, p.clevel, typesize, nbytes, p.blocksize);
  const split = splitBlock(p.cname, typesize, bs);
  let flags = (FORMAT_CODE[p.cname] << 5) | (split ? 0 : 0x10);
  if (p.shuffle === 1) flags |= 0x1;
  if (p.shuffle === 2) flags |= 0x4;
  if (p.clevel === 0 || nbytes < MIN_BUFFERSIZE) return memcpyFrame(src, flags, typesize, bs);

  const nblocks = Math.ceil(nbytes / bs);
  const parts: Uint8Array[] = [];
  const starts = new Uint8Array(4 * nblocks);
  const sv = new DataView(starts.buffer);
  let pos = MAX_OVERHEAD + starts.length;
  for (let b = 0; b < nblocks; b++) {
    sv.setUint32(4 * b, pos, true);
    const block = src.subarray(b * bs, Math.min((b + 1) * bs, nbytes));
    const leftover = block.length < bs;
    const tmp = shuffleBlock(block, typesize, p.shuffle);
    const nstreams = split && !leftover ? typesize : 1;
    const neblock = block.length / nstreams;
    for (let s = 0; s < nstreams; s++) {
      const piece = tmp.subarray(s * neblock, (s + 1) * neblock);
      let comp = await compressStream(p.cname, p.clevel, piece);
      if (comp.length === 0 || comp.length >= neblock) comp = piece;
      const head = new Uint8Array(4);
      new DataView(head.buffer).setUint32(0, comp.length, true);
      parts.push(head, comp);
      pos += 4 + comp.length;
      if (pos > nbytes + MAX_OVERHEAD) return memcpyFrame(src, flags, typesize, bs);
    }
  }
  const out = new Uint8Array(pos);
  writeHeader(out, flags, typesize, nbytes, bs, pos);
  out.set(starts, MAX_OVERHEAD);
  let o = MAX_OVERHEAD + starts.length;
  for (const part of parts) { out.set(part, o); o += part.length; }
  return out;
}

function shuffleBlock(block: Uint8Array, typesize: number, shuffle: 0 | 1 | 2): Uint8Array {
  if (shuffle === 1 && typesize > 1) return shuffleBytes(block, typesize);
  // c-blosc 1.x bitshuffles a block only when it holds a multiple of 8 elements; other
  // blocks are copied as they are (blosc2 later changed this).
  const n = Math.floor(block.length / typesize);
  if (shuffle === 2 && block.length >= typesize && n % 8 === 0) {
    const out = new Uint8Array(block.length);
    bitshuffleInto(block, 0, n, typesize, out, 0);
    out.set(block.subarray(n * typesize), n * typesize);
    return out;
  }
  return block;
}

function memcpyFrame(src: Uint8Array, flags: number, typesize: number, bs: number): Uint8Array {
  const out = new Uint8Array(src.length + MAX_OVERHEAD);
  writeHeader(out, flags | 0x2, typesize, src.length, bs, out.length);
  out.set(src, MAX_OVERHEAD);
  return out;
}

function writeHeader(out: Uint8Array, flags: number, typesize: number, nbytes: number, bs: number, cbytes: number): void {
  const dv = new DataView(out.buffer, out.byteOffset, 16);
  out[0] = 2;
  out[1] = 1;
  out[2] = flags;
  out[3] = typesize;
  dv.setUint32(4, nbytes, true);
  dv.setUint32(8, bs, true);
  dv.setUint32(12, cbytes, true);
}

export interface BloscHeader {
  readonly version: number;
  readonly flags: number;
  readonly typesize: number;
  readonly nbytes: number;
  readonly blocksize: number;
  readonly cbytes: number;
}

export function readBloscHeader(buf: Uint8Array): BloscHeader {
  if (buf.length < MAX_OVERHEAD) throw new Error(`truncated frame (${buf.length} bytes, header needs 16)`);
  const dv = new DataView(buf.buffer, buf.byteOffset, 16);
  return {
    version: buf[0]!, flags: buf[2]!, typesize: buf[3]!,
    nbytes: dv.getUint32(4, true), blocksize: dv.getUint32(8, true), cbytes: dv.getUint32(12, true),
  };
}
