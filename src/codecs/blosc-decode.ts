/**
 * Blosc 1.x frame decoding in TypeScript for the lz4 / zlib / zstd formats (lz4 blocks decode
 * in JS, zlib in node:zlib, zstd in the numcodecs.js wasm); blosclz and snappy frames go to the
 * c-blosc wasm. Mirrors c-blosc 1.21 blosc_d: a block is split into `typesize` streams unless
 * the dont-split flag (0x10) is set or it is the leftover block; a stream whose stored size equals
 * its length is raw; byte unshuffle applies when typesize > 1, bitunshuffle only to blocks of a
 * multiple of 8 elements.
 */
import * as nodeZlib from "node:zlib";
import { bitunshuffleInto } from "./bitshuffle-core.js";
import { lz4DecodeBlockInto } from "./lz4-block.js";
import { unshuffleBytes } from "./shuffle.js";
import { zstdDecode } from "./_wasm.js";
import type { BloscHeader } from "./blosc-frame.js";

/** Returns null when the frame needs the c-blosc wasm (blosclz, snappy, unknown formats). */
export async function bloscDecodeFrame(buf: Uint8Array, h: BloscHeader): Promise<Uint8Array | null> {
  const format = h.flags >> 5;
  if (format !== 1 && format !== 3 && format !== 4) return null;
  const typesize = h.typesize || 1;
  const dontSplit = (h.flags & 0x10) !== 0;
  const bs = h.blocksize;
  const nblocks = Math.ceil(h.nbytes / bs);
  const dv = new DataView(buf.buffer, buf.byteOffset, h.cbytes);
  const out = new Uint8Array(h.nbytes);
  const tmp = new Uint8Array(bs);
  for (let b = 0; b < nblocks; b++) {
    const bsize = Math.min(bs, h.nbytes - b * bs);
    const leftover = bsize < bs;
    const nstreams = !dontSplit && !leftover ? typesize : 1;
    if (bsize % nstreams !== 0) throw new Error(`block ${b} of ${bsize} bytes does not split into ${nstreams} streams`);
    const neblock = bsize / nstreams;
    let pos = dv.getUint32(16 + 4 * b, true);
    const shuffled = (h.flags & 0x1 && typesize > 1) || (h.flags & 0x4);
    const target = shuffled ? tmp : out;
    const base = shuffled ? 0 : b * bs;
    for (let s = 0; s < nstreams; s++) {
      if (pos + 4 > h.cbytes) throw new Error(`block ${b} stream ${s} header is outside the frame`);
      const cbytes = dv.getInt32(pos, true);
      pos += 4;
      if (cbytes < 0 || pos + cbytes > h.cbytes) throw new Error(`block ${b} stream ${s} is outside the frame`);
      const src = buf.subarray(pos, pos + cbytes);
      pos += cbytes;
      const at = base + s * neblock;
      if (cbytes === neblock) { target.set(src, at); continue; }
      if (format === 1) lz4DecodeBlockInto(src, target, at, neblock);
      else {
        const raw = format === 3 ? nodeZlib.inflateSync(src) : await zstdDecode(src);
        if (raw.length !== neblock) throw new Error(`block ${b} stream ${s} decoded to ${raw.length} of ${neblock} bytes`);
        target.set(raw, at);
      }
    }
    if (!shuffled) continue;
    const block = tmp.subarray(0, bsize);
    if (h.flags & 0x1 && typesize > 1) {
      out.set(unshuffleBytes(block, typesize), b * bs);
    } else {
      const n = Math.floor(bsize / typesize);
      if (bsize >= typesize && n % 8 === 0) {
        bitunshuffleInto(block, 0, n, typesize, out, b * bs);
        out.set(block.subarray(n * typesize), b * bs + n * typesize);
      } else {
        out.set(block, b * bs);
      }
    }
  }
  return out;
}
