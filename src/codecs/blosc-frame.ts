/**
 * The Blosc 1.x frame header (c-blosc 1.21, header version 2): 16 bytes [version, versionlz,
 * flags, typesize, nbytes LE32, blocksize LE32, cbytes LE32]; flags bits 5-7 hold the format
 * (compressor) code. Frames themselves are written and read by c-blosc in the codec wasm core.
 */
export type BloscCname = "blosclz" | "lz4" | "lz4hc" | "snappy" | "zlib" | "zstd";
export const BLOSC_CNAMES: readonly BloscCname[] = ["blosclz", "lz4", "lz4hc", "snappy", "zlib", "zstd"];
/** Compressor code as the HDF5 blosc filter stores it in cd_values[6]. */
export const COMPCODE: Record<BloscCname, number> = { blosclz: 0, lz4: 1, lz4hc: 2, snappy: 3, zlib: 4, zstd: 5 };
/** Format code in header flags bits 5-7 of a snappy frame (the one format the core lacks). */
export const SNAPPY_FORMAT = 2;
export const BLOSC_HEADER_BYTES = 16;

export interface BloscHeader {
  readonly version: number;
  readonly flags: number;
  readonly typesize: number;
  readonly nbytes: number;
  readonly blocksize: number;
  readonly cbytes: number;
}

export function readBloscHeader(buf: Uint8Array): BloscHeader {
  if (buf.length < BLOSC_HEADER_BYTES) throw new Error(`truncated frame (${buf.length} bytes, header needs 16)`);
  const dv = new DataView(buf.buffer, buf.byteOffset, 16);
  return {
    version: buf[0]!, flags: buf[2]!, typesize: buf[3]!,
    nbytes: dv.getUint32(4, true), blocksize: dv.getUint32(8, true), cbytes: dv.getUint32(12, true),
  };
}
