/**
 * LZ4 and Zstandard for every codec that uses them (numcodecs LZ4/Zstd, HDF5 LZ4/Zstd, bitshuffle,
 * Zarr v3 zstd). LZ4 encoding runs liblz4 in the codec wasm core (codec-core.ts), the same
 * C code numcodecs and the HDF5 plugins run. The native prebuilt addons, when npm installed them
 * for this platform (native.ts), decode LZ4 (lz4-napi) and encode and decode Zstandard
 * (@mongodb-js/zstd, frames rewritten to carry their content size); else the wasm core does.
 * The numcodecs.js Blosc wasm stays for the one Blosc compressor the core lacks (snappy).
 */
import { codecCore } from "./codec-core.js";
import { nativeLz4, nativeZstd } from "./native.js";

interface WasmCodec {
  encode(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  decode(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
}
interface WasmCodecClass<C> { fromConfig(config: C & { id: string }): WasmCodec }
type BloscCtor = WasmCodecClass<{ clevel?: number; cname?: string; shuffle?: number; blocksize?: number }>;

let bloscMod: Promise<BloscCtor> | undefined;
/** numcodecs.js's c-blosc wasm, for snappy frames only (Debian's c-blosc has no snappy). */
export function loadBlosc(): Promise<BloscCtor> {
  bloscMod ??= import("numcodecs/blosc").then((m) => m.default as unknown as BloscCtor);
  return bloscMod;
}

/** LZ4 can expand at most 255× (plus a little); anything above is a corrupt header. */
export function lz4MaxDecoded(compressedLength: number): number {
  return compressedLength * 255 + 64;
}

/** numcodecs LZ4 framing: 4-byte LE uncompressed size, then one LZ4 block. */
export async function lz4FramedEncode(data: Uint8Array, acceleration = 1): Promise<Uint8Array> {
  const size = new Uint8Array(4);
  new DataView(size.buffer).setUint32(0, data.length, true);
  return (await codecCore()).lz4Encode(data, acceleration, size);
}

export async function lz4FramedDecode(data: Uint8Array): Promise<Uint8Array> {
  if (data.length < 4) throw new Error(`truncated: ${data.length} bytes, no size header`);
  const size = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
  if (size > lz4MaxDecoded(data.length - 4)) throw new Error(`corrupt size header (${size} bytes from ${data.length - 4})`);
  const native = nativeLz4();
  if (native) return native.decodeFramed(data, size);
  return (await codecCore()).lz4Decode(data.subarray(4), size);
}

/** A raw LZ4 block (no header), as the HDF5 LZ4 and bitshuffle filters store them. */
export async function lz4BlockEncode(data: Uint8Array, acceleration = 1): Promise<Uint8Array> {
  return (await codecCore()).lz4Encode(data, acceleration);
}

export async function lz4BlockDecode(block: Uint8Array, size: number): Promise<Uint8Array> {
  if (size > lz4MaxDecoded(block.length)) throw new Error(`corrupt block size (${size} bytes from ${block.length})`);
  return (await codecCore()).lz4Decode(block, size);
}

/**
 * Above this size libzstd picks the same parameters with or without knowing the size, so the
 * native streaming frame has the blocks of ZSTD_compress (byte for byte at 1 MiB, level 3); below
 * it the one-shot parameters compress small inputs better, and the wasm core runs them.
 */
const NATIVE_ZSTD_MIN = 256 * 1024 + 1;
/** @mongodb-js/zstd 1.x compresses at level 3 whatever level it is given: other levels run in wasm. */
const NATIVE_ZSTD_LEVEL = 3;

/** One frame with the content size in its header. */
export async function zstdEncode(data: Uint8Array, level: number, checksum = false): Promise<Uint8Array> {
  const native = checksum || level !== NATIVE_ZSTD_LEVEL || data.length < NATIVE_ZSTD_MIN ? undefined : nativeZstd();
  const frame = native ? await native.encode(data, level) : undefined;
  return frame ?? (await codecCore()).zstdEncode(data, level, checksum);
}

export async function zstdDecode(data: Uint8Array): Promise<Uint8Array> {
  // Magic 0xFD2FB528: anything else would reach C as garbage.
  if (data.length < 4 || data[0] !== 0x28 || data[1] !== 0xb5 || data[2] !== 0x2f || data[3] !== 0xfd) {
    throw new Error("not a zstd frame (bad magic)");
  }
  const native = nativeZstd();
  if (native) return native.decode(data);
  return (await codecCore()).zstdDecode(data);
}
