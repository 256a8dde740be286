/**
 * LZ4 block decoding in TypeScript (the block format of lz4_Block_format.md). Decoding is a
 * few lines and runs faster in the JIT than a round trip through the wasm module; every read
 * and write is bounds-checked, so a corrupt block throws instead of reading out of range.
 */
export function lz4DecodeBlockInto(src: Uint8Array, dst: Uint8Array, dstOff: number, dstLen: number): void {
  const end = dstOff + dstLen;
  let ip = 0, op = dstOff;
  const n = src.length;
  for (;;) {
    if (ip >= n) throw new Error("truncated LZ4 block (no token)");
    const token = src[ip++]!;
    let lit = token >>> 4;
    if (lit === 15) {
      let b: number;
      do {
        if (ip >= n) throw new Error("truncated LZ4 block (literal length)");
        b = src[ip++]!;
        lit += b;
      } while (b === 255);
    }
    if (ip + lit > n) throw new Error("truncated LZ4 block (literals)");
    if (op + lit > end) throw new Error("LZ4 block decodes past its declared size");
    dst.set(src.subarray(ip, ip + lit), op);
    ip += lit;
    op += lit;
    if (ip === n) break; // last sequence: literals only
    if (ip + 2 > n) throw new Error("truncated LZ4 block (offset)");
    const offset = src[ip]! | (src[ip + 1]! << 8);
    ip += 2;
    if (offset === 0 || op - offset < dstOff) throw new Error("LZ4 match offset out of range");
    let len = token & 15;
    if (len === 15) {
      let b: number;
      do {
        if (ip >= n) throw new Error("truncated LZ4 block (match length)");
        b = src[ip++]!;
        len += b;
      } while (b === 255);
    }
    len += 4;
    if (op + len > end) throw new Error("LZ4 block decodes past its declared size");
    let from = op - offset;
    if (offset >= len) {
      dst.copyWithin(op, from, from + len);
      op += len;
    } else {
      for (let k = 0; k < len; k++) dst[op++] = dst[from++]!;
    }
  }
  if (op !== end) throw new Error(`LZ4 block decoded to ${op - dstOff} of ${dstLen} bytes`);
}

export function lz4DecodeBlock(src: Uint8Array, size: number): Uint8Array {
  const out = new Uint8Array(size);
  lz4DecodeBlockInto(src, out, 0, size);
  return out;
}
