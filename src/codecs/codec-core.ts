/**
 * The codec WebAssembly core (src/codecs/wasm, built by scripts/build-codecs.sh from Debian's
 * c-blosc 1.21.5, LZ4 1.10.0, Zstandard 1.5.7 and zlib 1.3.1 with SIMD128): Blosc frames, c-blosc's
 * byte shuffle on its own, LZ4 blocks and Zstandard frames, the same C code numcodecs and the HDF5 plugins run, so every
 * frame is bit-compatible with theirs. Loaded on first use, once per thread (each codec worker
 * has its own instance); after that every call is synchronous.
 *
 * Inputs are bounded here before they reach C (sizes from headers are checked against what the
 * compressed bytes can expand to), so a corrupt chunk is an error, never an abort.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { fileURLToPath } from "node:url";

type Ptr = number;
interface CoreExports {
  HEAPU8: Uint8Array;
  _malloc(n: number): Ptr;
  _free(p: Ptr): void;
  _hc_blosc_compress(clevel: number, shuffle: number, typesize: number, src: Ptr, n: number, dst: Ptr, cap: number, cname: Ptr, blocksize: number): number;
  _hc_blosc_decompress(src: Ptr, n: number, dst: Ptr, cap: number): number;
  _hc_shuffle(typesize: number, n: number, src: Ptr, dst: Ptr): void;
  _hc_unshuffle(typesize: number, n: number, src: Ptr, dst: Ptr): void;
  _hc_lz4_bound(n: number): number;
  _hc_lz4_compress(src: Ptr, dst: Ptr, n: number, cap: number, acceleration: number): number;
  _hc_lz4hc_compress(src: Ptr, dst: Ptr, n: number, cap: number, level: number): number;
  _hc_lz4_decompress(src: Ptr, dst: Ptr, n: number, cap: number): number;
  _hc_zstd_bound(n: number): number;
  _hc_zstd_compress(dst: Ptr, cap: number, src: Ptr, n: number, level: number, checksum: number): number;
  _hc_zstd_decoded_size(src: Ptr, n: number): number;
  _hc_zstd_decompress(dst: Ptr, cap: number, src: Ptr, n: number): number;
}
type Factory = (options: { wasmBinary: Uint8Array }) => Promise<CoreExports>;

const WASM_DIR = new URL("./wasm/", import.meta.url);
/** wasm32 sizes are signed 32-bit; one chunk stays below 2 GiB. */
const MAX_BYTES = 0x7fff_0000;

export interface BloscEncodeParams {
  readonly cname: string;
  readonly clevel: number;
  /** 0 none, 1 byte, 2 bit (AUTOSHUFFLE already resolved). */
  readonly shuffle: 0 | 1 | 2;
  readonly typesize: number;
  readonly blocksize: number;
}

/** The core, loaded: synchronous codecs on this thread. */
export class CodecCore {
  readonly #m: CoreExports;
  readonly #cnames = new Map<string, Ptr>();

  constructor(m: CoreExports) {
    this.#m = m;
  }

  /**
   * Copy `src` into wasm memory, run `fn(srcPtr, dstPtr)` into a `cap`-byte buffer, copy `n` bytes
   * out, after `prefix` (a header written in the same copy, not a second one).
   */
  #call(src: Uint8Array, cap: number, fn: (s: Ptr, d: Ptr) => number, what: string, prefix?: Uint8Array): Uint8Array {
    return this.#run(src, cap, fn, what, prefix, (out) => out.slice());
  }

  /**
   * {@link #call} that hands `take` a view of the output in wasm memory instead of a copy; the view
   * is freed when `take` returns (synchronously: nothing else runs on this core meanwhile).
   */
  #run<T>(src: Uint8Array, cap: number, fn: (s: Ptr, d: Ptr) => number, what: string, prefix: Uint8Array | undefined, take: (out: Uint8Array) => T): T {
    const head = prefix?.length ?? 0;
    if (src.length > MAX_BYTES || cap + head > MAX_BYTES) throw new Error(`${what}: ${Math.max(src.length, cap)} bytes is over the 2 GiB chunk limit`);
    const m = this.#m;
    const s = m._malloc(Math.max(1, src.length));
    const d = m._malloc(Math.max(1, cap + head));
    try {
      if (!s || !d) throw new Error(`${what}: out of wasm memory for ${src.length} + ${cap} bytes`);
      m.HEAPU8.set(src, s);
      const n = fn(s, d + head);
      if (n < 0) throw new Error(`${what} failed (code ${n})`);
      if (prefix) m.HEAPU8.set(prefix, d);
      return take(m.HEAPU8.subarray(d, d + head + n));
    } finally {
      if (s) m._free(s);
      if (d) m._free(d);
    }
  }

  #cname(name: string): Ptr {
    let p = this.#cnames.get(name);
    if (p === undefined) {
      const b = new TextEncoder().encode(`${name}\0`);
      p = this.#m._malloc(b.length);
      this.#m.HEAPU8.set(b, p);
      this.#cnames.set(name, p);
    }
    return p;
  }

  bloscEncode(src: Uint8Array, p: BloscEncodeParams): Uint8Array {
    const typesize = p.typesize < 1 || p.typesize > 255 ? 1 : p.typesize;
    const cname = this.#cname(p.cname);
    return this.#call(src, src.length + 16, (s, d) =>
      this.#m._hc_blosc_compress(p.clevel, p.shuffle, typesize, s, src.length, d, src.length + 16, cname, p.blocksize), `blosc ${p.cname} encode`);
  }

  /** `nbytes` comes from the frame header, already checked by the caller. `use` gets a view of wasm memory, valid until it returns. */
  bloscDecodeWith<T>(frame: Uint8Array, nbytes: number, use: (decoded: Uint8Array) => T): T {
    return this.#run(frame, nbytes, (s, d) => this.#m._hc_blosc_decompress(s, frame.length, d, nbytes), "blosc decode", undefined, (out) => {
      if (out.length !== nbytes) throw new Error(`blosc decode: ${out.length} of ${nbytes} bytes`);
      return use(out);
    });
  }

  /** Byte shuffle of `typesize`-byte elements (c-blosc's SIMD code; a short tail is copied as is). */
  shuffle(src: Uint8Array, typesize: number): Uint8Array {
    return this.#call(src, src.length, (s, d) => { this.#m._hc_shuffle(typesize, src.length, s, d); return src.length; }, "shuffle");
  }

  unshuffle(src: Uint8Array, typesize: number): Uint8Array {
    return this.unshuffleWith(src, typesize, (out) => out.slice());
  }

  /** {@link unshuffle} handing `use` a view of wasm memory, valid until it returns (one copy fewer). */
  unshuffleWith<T>(src: Uint8Array, typesize: number, use: (decoded: Uint8Array) => T): T {
    return this.#run(src, src.length, (s, d) => { this.#m._hc_unshuffle(typesize, src.length, s, d); return src.length; }, "unshuffle", undefined, use);
  }

  /** One raw LZ4 block, after `prefix` when given (numcodecs' 4-byte size header). */
  lz4Encode(src: Uint8Array, acceleration = 1, prefix?: Uint8Array): Uint8Array {
    const cap = this.#m._hc_lz4_bound(src.length);
    return this.#call(src, cap, (s, d) => this.#m._hc_lz4_compress(s, d, src.length, cap, acceleration), "lz4 encode", prefix);
  }

  lz4hcEncode(src: Uint8Array, level: number): Uint8Array {
    const cap = this.#m._hc_lz4_bound(src.length);
    return this.#call(src, cap, (s, d) => this.#m._hc_lz4hc_compress(s, d, src.length, cap, level), "lz4hc encode");
  }

  /** One raw LZ4 block of exactly `size` decoded bytes. */
  lz4Decode(block: Uint8Array, size: number): Uint8Array {
    if (size > block.length * 255 + 64) throw new Error(`corrupt block size (${size} bytes from ${block.length})`);
    const out = this.#call(block, size, (s, d) => this.#m._hc_lz4_decompress(s, d, block.length, size), "lz4 decode");
    if (out.length !== size) throw new Error(`lz4 block decoded to ${out.length} of ${size} bytes`);
    return out;
  }

  /** One frame with its content size in the header (numcodecs 0.11 and the HDF5 plugin need it). */
  zstdEncode(src: Uint8Array, level: number, checksum = false): Uint8Array {
    const cap = this.#m._hc_zstd_bound(src.length);
    return this.#call(src, cap, (s, d) => this.#m._hc_zstd_compress(d, cap, s, src.length, level, checksum ? 1 : 0), "zstd encode");
  }

  /** One or more frames; a frame without its content size decodes into its bound. */
  zstdDecode(src: Uint8Array, maxBytes = MAX_BYTES): Uint8Array {
    if (src.length < 4 || src[0] !== 0x28 || src[1] !== 0xb5 || src[2] !== 0x2f || src[3] !== 0xfd) throw new Error("not a zstd frame (bad magic)");
    const m = this.#m;
    const s = m._malloc(src.length);
    try {
      m.HEAPU8.set(src, s);
      const size = m._hc_zstd_decoded_size(s, src.length);
      if (size === -1) throw new Error("corrupt zstd frame header");
      if (size < 0 || size > maxBytes) throw new Error(`zstd frame decodes to more than ${maxBytes} bytes`);
      const d = m._malloc(Math.max(1, size));
      try {
        if (!d) throw new Error(`zstd decode: out of wasm memory for ${size} bytes`);
        const n = m._hc_zstd_decompress(d, size, s, src.length);
        if (n < 0) throw new Error("corrupt zstd frame");
        return m.HEAPU8.slice(d, d + n);
      } finally {
        if (d) m._free(d);
      }
    } finally {
      m._free(s);
    }
  }
}

let loaded: CodecCore | undefined;
let loading: Promise<CodecCore> | undefined;

/** The core for this thread, instantiated on first use (wasm compile ≈ tens of ms, once). */
export function codecCore(): Promise<CodecCore> {
  if (loaded) return Promise.resolve(loaded);
  loading ??= (async () => {
    const require = createRequire(import.meta.url);
    const factory = require(fileURLToPath(new URL("codecs.cjs", WASM_DIR))) as Factory;
    const wasmBinary = readFileSync(new URL("codecs.wasm", WASM_DIR));
    loaded = new CodecCore(await factory({ wasmBinary }));
    return loaded;
  })();
  return loading;
}

/** The core when it is already loaded (a synchronous fast path), else undefined. */
export function codecCoreIfLoaded(): CodecCore | undefined {
  return loaded;
}
