/**
 * Native decoders from npm's prebuilt addons, used when npm installed the binary for this
 * platform (their per-platform optional dependencies; nothing compiles or downloads at install):
 *   - lz4-napi (lz4_flex, napi-rs): numcodecs LZ4 frames (4-byte LE size + one block);
 *   - @mongodb-js/zstd 1.x (libzstd, napi-rs): Zstandard frames, on the libuv thread pool.
 * Decoding: any correct decoder gives the same bytes. Encoding: LZ4 stays in the wasm core
 * (liblz4, as numcodecs; lz4_flex compresses differently and slower here); Zstandard at level 3
 * (the addon ignores the level it is given: other levels run in wasm) encodes with libzstd
 * natively, whose streaming frame (no content size, an empty last block) is rewritten into
 * the one-shot frame ZSTD_compress writes: content size in the header, which numcodecs 0.11 and
 * the HDF5 plugin need to decode. Without the addon (another platform, or HDMF_TS_NATIVE_CODECS=0)
 * the wasm core does it all: same results, lower speed.
 */
import { createRequire } from "node:module";

interface Lz4Addon { uncompressSync(data: Uint8Array): Uint8Array }
interface ZstdAddon { compress(data: Buffer, level?: number): Promise<Buffer>; decompress(data: Buffer): Promise<Buffer> }

export interface NativeLz4 {
  /** A numcodecs LZ4 frame whose header says `size` bytes (checked by the caller). */
  decodeFramed(frame: Uint8Array, size: number): Uint8Array;
}
export interface NativeZstd {
  /** A frame with its content size, or undefined when the addon's frame is not the expected shape. */
  encode(data: Uint8Array, level: number): Promise<Uint8Array | undefined>;
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

/**
 * Small addon results may be Node Buffers cut from the shared 8 KiB allocation pool: give callers
 * an array that owns its whole ArrayBuffer, so no later pool user can overwrite what they hold.
 * A pooled Buffer is under 4 KiB and never spans its pool, so a result that spans its whole
 * ArrayBuffer is the addon's own: it is handed on as a plain Uint8Array view, without a copy.
 */
function owned(out: Uint8Array): Uint8Array {
  if (out.byteOffset === 0 && out.byteLength === out.buffer.byteLength) return Buffer.isBuffer(out) ? new Uint8Array(out.buffer, 0, out.byteLength) : out;
  return new Uint8Array(out);
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
        return owned(out);
      },
    } : null;
  }
  return lz4 ?? undefined;
}

export function nativeZstd(): NativeZstd | undefined {
  if (zstd === undefined) {
    const m = optional<ZstdAddon>("@mongodb-js/zstd");
    zstd = m ? {
      async encode(data, level) {
        const frame = await m.compress(Buffer.from(data.buffer, data.byteOffset, data.byteLength), level);
        return withContentSize(frame, data.length);
      },
      async decode(frame) {
        try {
          return owned(await m.decompress(Buffer.from(frame.buffer, frame.byteOffset, frame.byteLength)));
        } catch (e) {
          throw new Error(`corrupt zstd frame (${e instanceof Error ? e.message : String(e)})`);
        }
      },
    } : null;
  }
  return zstd ?? undefined;
}

/**
 * A streaming zstd frame [magic, FHD 0x00, window descriptor, blocks…, empty last raw block] as
 * the one-shot frame with the same blocks: single segment with the content size (1, 2 or 4 bytes
 * as libzstd picks), the trailing empty block dropped and the last-block bit moved to the block
 * before. The blocks are untouched; a single-segment window is the content, which every match of
 * a frame holding only that content already lies in. Returns undefined for any other shape.
 */
export function withContentSize(frame: Uint8Array, size: number): Uint8Array | undefined {
  if (frame.length < 9 || frame[4] !== 0x00 || size > 0xffff_fffe) return undefined;
  const blocks = 6;
  let pos = blocks, prev = -1, last = -1;
  for (;;) {
    if (pos + 3 > frame.length) return undefined;
    const h = frame[pos]! | (frame[pos + 1]! << 8) | (frame[pos + 2]! << 16);
    const type = (h >> 1) & 3;
    if (type === 3) return undefined;
    prev = last; last = pos;
    pos += 3 + (type === 1 ? 1 : h >>> 3);
    if (h & 1) break;
  }
  if (pos !== frame.length) return undefined; // a checksum or a second frame: not ours to rewrite
  const lastH = frame[last]! | (frame[last + 1]! << 8) | (frame[last + 2]! << 16);
  const dropLast = lastH === 1 && prev >= 0; // empty raw block with the last bit
  const end = dropLast ? last : pos;
  const fcs = size < 256 ? 1 : size < 65536 + 256 ? 2 : 4;
  const out = new Uint8Array(5 + fcs + end - blocks);
  out.set(frame.subarray(0, 4), 0);
  out[4] = ((fcs === 1 ? 0 : fcs === 2 ? 1 : 2) << 6) | 0x20;
  const dv = new DataView(out.buffer);
  if (fcs === 1) out[5] = size;
  else if (fcs === 2) dv.setUint16(5, size - 256, true);
  else dv.setUint32(5, size, true);
  out.set(frame.subarray(blocks, end), 5 + fcs);
  if (dropLast) out[5 + fcs + prev - blocks]! |= 1;
  return out;
}

/** Which implementation decodes each codec here (bench and README report it). */
export function nativeCodecs(): { lz4: "native" | "wasm"; zstd: "native" | "wasm" } {
  return { lz4: nativeLz4() ? "native" : "wasm", zstd: nativeZstd() ? "native" : "wasm" };
}
