/** MSB-first bit reader over a byte buffer (the packing HDF5's nbit and scaleoffset filters use). */
export class BitReader {
  #pos = 0; // bit position
  constructor(private readonly buf: Uint8Array) {}

  /** Read `n` bits (n ≤ 64) as an unsigned BigInt. */
  read(n: number): bigint {
    if (this.#pos + n > this.buf.length * 8) throw new Error("packed data is truncated");
    let v = 0n;
    let left = n;
    while (left > 0) {
      const byte = this.buf[this.#pos >> 3]!;
      const avail = 8 - (this.#pos & 7);
      const take = Math.min(avail, left);
      const bits = (byte >> (avail - take)) & ((1 << take) - 1);
      v = (v << BigInt(take)) | BigInt(bits);
      left -= take;
      this.#pos += take;
    }
    return v;
  }
}

/** Write `v` into `size` bytes at `off`, little- or big-endian. */
export function writeUint(dst: Uint8Array, off: number, size: number, v: bigint, bigEndian: boolean): void {
  for (let k = 0; k < size; k++) {
    const byte = Number((v >> BigInt(8 * k)) & 0xffn);
    dst[bigEndian ? off + size - 1 - k : off + k] = byte;
  }
}

export function readUint(src: Uint8Array, off: number, size: number, bigEndian: boolean): bigint {
  let v = 0n;
  for (let k = size - 1; k >= 0; k--) v = (v << 8n) | BigInt(src[bigEndian ? off + size - 1 - k : off + k]!);
  return v;
}
