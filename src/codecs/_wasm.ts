/**
 * Lazy access to the wasm codecs shipped by the `numcodecs` npm package (numcodecs.js):
 * zstd (frames), lz4 (numcodecs framing: 4-byte LE size + one LZ4 block) and blosc.
 * Each module loads on first use, once per thread.
 *
 * An emscripten module that aborts stays dead, so inputs are checked here before they reach
 * wasm (sizes bounded by what the compressed data can expand to).
 */
import { lz4DecodeBlock } from "./lz4-block.js";

interface WasmCodec {
  encode(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
  decode(data: Uint8Array): Uint8Array | Promise<Uint8Array>;
}
interface WasmCodecClass<C> { fromConfig(config: C & { id: string }): WasmCodec }

type ZstdCtor = WasmCodecClass<{ level?: number }>;
type Lz4Ctor = WasmCodecClass<{ acceleration?: number }>;
type BloscCtor = WasmCodecClass<{ clevel?: number; cname?: string; shuffle?: number; blocksize?: number }>;

let zstdMod: Promise<ZstdCtor> | undefined;
let lz4Mod: Promise<Lz4Ctor> | undefined;
let bloscMod: Promise<BloscCtor> | undefined;

export function loadZstd(): Promise<ZstdCtor> {
  zstdMod ??= import("numcodecs/zstd").then((m) => m.default as unknown as ZstdCtor);
  return zstdMod;
}
export function loadLz4(): Promise<Lz4Ctor> {
  lz4Mod ??= import("numcodecs/lz4").then((m) => m.default as unknown as Lz4Ctor);
  return lz4Mod;
}
export function loadBlosc(): Promise<BloscCtor> {
  bloscMod ??= import("numcodecs/blosc").then((m) => m.default as unknown as BloscCtor);
  return bloscMod;
}

/** LZ4 can expand at most 255× (plus a little); anything above is a corrupt header. */
export function lz4MaxDecoded(compressedLength: number): number {
  return compressedLength * 255 + 64;
}

const lz4Cache = new Map<number, WasmCodec>();
async function lz4Codec(acceleration = 1): Promise<WasmCodec> {
  let c = lz4Cache.get(acceleration);
  if (!c) {
    c = (await loadLz4()).fromConfig({ id: "lz4", acceleration });
    lz4Cache.set(acceleration, c);
  }
  return c;
}

/** numcodecs LZ4 framing: 4-byte LE uncompressed size, then one LZ4 block. */
export async function lz4FramedEncode(data: Uint8Array, acceleration = 1): Promise<Uint8Array> {
  return (await lz4Codec(acceleration)).encode(data);
}

export async function lz4FramedDecode(data: Uint8Array): Promise<Uint8Array> {
  if (data.length < 4) throw new Error(`truncated: ${data.length} bytes, no size header`);
  const size = new DataView(data.buffer, data.byteOffset, 4).getUint32(0, true);
  if (size > lz4MaxDecoded(data.length - 4)) throw new Error(`corrupt size header (${size} bytes from ${data.length - 4})`);
  return lz4DecodeBlock(data.subarray(4), size);
}

/** A raw LZ4 block (no header), as the HDF5 LZ4 and bitshuffle filters store them. */
export async function lz4BlockEncode(data: Uint8Array, acceleration = 1): Promise<Uint8Array> {
  const framed = await lz4FramedEncode(data, acceleration);
  return framed.subarray(4);
}

export async function lz4BlockDecode(block: Uint8Array, size: number): Promise<Uint8Array> {
  if (size > lz4MaxDecoded(block.length)) throw new Error(`corrupt block size (${size} bytes from ${block.length})`);
  return lz4DecodeBlock(block, size);
}

const zstdCache = new Map<number, WasmCodec>();
export async function zstdEncode(data: Uint8Array, level: number): Promise<Uint8Array> {
  let c = zstdCache.get(level);
  if (!c) {
    c = (await loadZstd()).fromConfig({ id: "zstd", level });
    zstdCache.set(level, c);
  }
  return c.encode(data);
}

export async function zstdDecode(data: Uint8Array): Promise<Uint8Array> {
  // Magic 0xFD2FB528: anything else would reach wasm as garbage.
  if (data.length < 4 || data[0] !== 0x28 || data[1] !== 0xb5 || data[2] !== 0x2f || data[3] !== 0xfd) {
    throw new Error("not a zstd frame (bad magic)");
  }
  const c = zstdCache.get(1) ?? (await loadZstd()).fromConfig({ id: "zstd", level: 1 });
  zstdCache.set(1, c);
  return c.decode(data);
}
