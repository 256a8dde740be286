/**
 * Native decoders from npm's prebuilt addons, used when npm installed the binary for this
 * platform (their per-platform optional dependencies; nothing compiles or downloads at install):
 *   - lz4-napi (lz4_flex, napi-rs): numcodecs LZ4 frames (4-byte LE size + one block);
 *   - @mongodb-js/zstd 1.x (libzstd, napi-rs): Zstandard frames, on the libuv thread pool.
 * Decoding only: LZ4 and Zstandard decoding is defined by the format, so any correct decoder gives
 * the same bytes, while encoding stays in the codec wasm core (liblz4 / libzstd, what numcodecs and
 * the HDF5 plugins run). Without the addon (another platform, or HDMF_TS_NATIVE_CODECS=0) the wasm
 * core decodes instead: same results, lower speed.
 */
import { createRequire } from "node:module";

interface Lz4Addon { uncompressSync(data: Uint8Array): Uint8Array }
interface ZstdAddon { decompress(data: Buffer): Promise<Buffer> }

export interface NativeLz4 {
  /** A numcodecs LZ4 frame whose header says `size` bytes (checked by the caller). */
  decodeFramed(frame: Uint8Array, size: number): Uint8Array;
}
export interface NativeZstd {
  decode(frame: Uint8Array): Promise<Uint8Array>;
}

const require = createRequire(import.meta.url);
const enabled = process.env.HDMF_TS_NATIVE_CODECS !== "0";

function optional<T>(name: string): T | undefined {
  if (!enabled) return undefined;
  try {
    return require(name) as T;
  } catch {
    return undefined; // no prebuilt binary for this platform: the wasm core decodes
  }
}

let lz4: NativeLz4 | null | undefined;
let zstd: NativeZstd | null | undefined;

export function nativeLz4(): NativeLz4 | undefined {
  if (lz4 === undefined) {
    const m = optional<Lz4Addon>("lz4-napi");
    lz4 = m ? {
      decodeFramed(frame, size) {
        const out = m.uncompressSync(frame);
        if (out.length !== size) throw new Error(`lz4 frame decoded to ${out.length} of ${size} bytes`);
        return out;
      },
    } : null;
  }
  return lz4 ?? undefined;
}

export function nativeZstd(): NativeZstd | undefined {
  if (zstd === undefined) {
    const m = optional<ZstdAddon>("@mongodb-js/zstd");
    zstd = m ? {
      async decode(frame) {
        try {
          return await m.decompress(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength));
        } catch (e) {
          throw new Error(`corrupt zstd frame (${e instanceof Error ? e.message : String(e)})`);
        }
      },
    } : null;
  }
  return zstd ?? undefined;
}

/** Which implementation decodes each codec here (bench and README report it). */
export function nativeCodecs(): { lz4: "native" | "wasm"; zstd: "native" | "wasm" } {
  return { lz4: nativeLz4() ? "native" : "wasm", zstd: nativeZstd() ? "native" : "wasm" };
}
