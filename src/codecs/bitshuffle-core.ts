/**
 * The bitshuffle transform (Masui et al.; bitshuffle.c `bshuf_trans_bit_elem`), as used by
 * the HDF5 bitshuffle filter and by Blosc's BITSHUFFLE. For `n` elements (n a multiple of 8)
 * of `size` bytes, output bit-row r = 8*j + k (byte j, bit k) holds bit k of byte j of every
 * element: element i lands in byte r*(n/8) + i/8, at bit i%8.
 */

/** Bitshuffle the first `n` elements of `src` (n % 8 == 0) into `dst` at `dstOff`. */
export function bitshuffleInto(src: Uint8Array, srcOff: number, n: number, size: number, dst: Uint8Array, dstOff: number): void {
  const groups = n >>> 3;
  const stride = size; // bytes between consecutive elements
  for (let g = 0; g < groups; g++) {
    const e0 = srcOff + g * 8 * stride;
    for (let j = 0; j < size; j++) {
      // gather byte j of the 8 elements of this group
      let lo = 0, hi = 0;
      for (let m = 0; m < 4; m++) lo |= src[e0 + m * stride + j]! << (8 * m);
      for (let m = 0; m < 4; m++) hi |= src[e0 + (m + 4) * stride + j]! << (8 * m);
      const rowBase = dstOff + j * 8 * groups + g;
      for (let k = 0; k < 8; k++) {
        // bit k of each of the 8 bytes → bit m of the output byte
        const a = (lo >>> k) & 0x01010101;
        const b = (hi >>> k) & 0x01010101;
        const v = (a & 1) | ((a >>> 7) & 2) | ((a >>> 14) & 4) | ((a >>> 21) & 8)
          | ((b & 1) << 4) | ((b >>> 3) & 0x20) | ((b >>> 10) & 0x40) | ((b >>> 17) & 0x80);
        dst[rowBase + k * groups] = v;
      }
    }
  }
}

/** Inverse of bitshuffleInto. */
export function bitunshuffleInto(src: Uint8Array, srcOff: number, n: number, size: number, dst: Uint8Array, dstOff: number): void {
  const groups = n >>> 3;
  for (let g = 0; g < groups; g++) {
    const e0 = dstOff + g * 8 * size;
    for (let j = 0; j < size; j++) {
      const rowBase = srcOff + j * 8 * groups + g;
      let lo = 0, hi = 0;
      for (let k = 0; k < 8; k++) {
        const v = src[rowBase + k * groups]!;
        // bit m of v is bit k of element m's byte j
        lo |= ((v & 1) | ((v & 2) << 7) | ((v & 4) << 14) | ((v & 8) << 21)) << k;
        hi |= (((v >>> 4) & 1) | ((v & 0x20) << 3) | ((v & 0x40) << 10) | ((v & 0x80) << 17)) << k;
      }
      for (let m = 0; m < 4; m++) dst[e0 + m * size + j] = (lo >>> (8 * m)) & 0xff;
      for (let m = 0; m < 4; m++) dst[e0 + (m + 4) * size + j] = (hi >>> (8 * m)) & 0xff;
    }
  }
}

/** bitshuffle.c `bshuf_default_block_size`: ~8 KiB blocks, a multiple of 8 elements, ≥ 128. */
export function defaultBlockSize(elemSize: number): number {
  let b = Math.floor(8192 / elemSize);
  b = Math.floor(b / 8) * 8;
  return Math.max(b, 128);
}
