/**
 * The codec contract shared by the HDF5 and Zarr backends.
 *
 * Codecs are byte-oriented: an array codec (delta, astype, …) receives the raw
 * little-endian bytes of a chunk plus its dtype config, exactly like numcodecs configs
 * describe them. Object codecs (json2, vlen-*, pickle) turn JS values into bytes and back.
 */
import { CodecError, UnsupportedError, isHdmfError } from "../errors.js";

import type { JsonValue } from "../data/ndarray.js";
import type { CodecConfig, Hdf5Filter } from "../data/codec-config.js";

/** The data layer's types: a numcodecs config is what lands in `.zarray` "compressor" / "filters". */
export type { JsonValue, CodecConfig, Hdf5Filter };

/** Where a codec sits in a Zarr v3 chain: array→array (delta, transpose), array→bytes (bytes, vlen), bytes→bytes (compressors). */
export type CodecKind = "array-array" | "array-bytes" | "bytes-bytes";

/** What a codec may need to know about the chunk it works on. */
export interface ChunkContext {
  /** numpy typestr of one element, e.g. "<f8", "|u1", "|O". */
  readonly dtype?: string;
  /** Bytes per element (the HDF5 shuffle and blosc typesize need it). */
  readonly itemsize?: number;
  /** Shape of the chunk in elements (decoders that need the output size use it). */
  readonly chunkShape?: readonly number[];
  /** Zarr v2 `order`: "F" when the chunk's elements lie in Fortran order (object codecs use it). */
  readonly order?: "C" | "F";
}


/** One entry of a Zarr v3 `codecs` list. */
export interface ZarrV3Codec {
  readonly name: string;
  readonly configuration?: { readonly [key: string]: JsonValue };
}

/** One working codec, resolved from a numcodecs config, an HDF5 filter or a Zarr v3 codec by a CodecRegistry. */
export interface Codec {
  /** numcodecs id: "gzip", "zlib", "blosc", "shuffle", … */
  readonly id: string;
  readonly kind: CodecKind;
  /** The registered HDF5 filter id (deflate 1, shuffle 2, fletcher32 3, blosc 32001, ...), if any. */
  readonly hdf5FilterId?: number;
  /** Decode-only codecs (pickle, HDF5 scaleoffset/nbit) throw UnsupportedError on encode. */
  readonly decodeOnly?: boolean;
  /**
   * No worker needed: the work runs off the JS thread already (node:zlib on the libuv pool), or
   * natively in less time than a hand-off to a worker takes. "decode": decoding only.
   */
  readonly offThread?: boolean | "decode";
  /** The numcodecs config (what `.zarray` `compressor`/`filters` record). */
  toConfig(): CodecConfig;
  /** The HDF5 filter entry `{id, flags, cdValues}`; absent when HDF5 has no such filter. */
  toHdf5?(ctx?: ChunkContext): Hdf5Filter;
  /** The Zarr v3 `codecs` entry; absent when v3 has no such codec. */
  toZarrV3?(ctx?: ChunkContext): ZarrV3Codec;
  /**
   * Decode and hand the result to `use` while it is valid: wasm codecs lend a view of their memory,
   * freed when `use` returns, which saves a copy when `use` copies it on (into a read's output).
   */
  decodeWith?(bytes: Uint8Array, ctx: ChunkContext | undefined, use: (decoded: Uint8Array) => void): Promise<void>;
  /** Encode one chunk's bytes; a failure is a CodecError naming the codec and "encode". */
  encode(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array>;
  /** Decode one chunk's bytes; a failure is a CodecError naming the codec and "decode". */
  decode(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array>;
  /**
   * HDF5 optional filters may decline a chunk (e.g. LZF when the data does not shrink);
   * `null` means "skip me", and the backend sets that filter's bit in the chunk's filter mask.
   */
  encodeOptional?(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array | null>;
  /** What the next codec sees after this one encodes (array codecs that change dtype/shape). */
  encodedContext?(ctx: ChunkContext): ChunkContext;
  /** Keeps the byte layout (shuffle, bytes): the next codec sees the same context. */
  readonly preservesLayout?: boolean;
  /**
   * The same compression in the other family, re-framed (numcodecs gzip -> HDF5 deflate, HDF5 LZ4
   * <-> numcodecs LZ4, Bitshuffle -> Blosc bit-shuffle): what a format that lacks this codec stores
   * instead. Chunks must be re-encoded; the values are the same.
   */
  counterpart?(): CodecConfig;
  /** toConfig() plus any setting numcodecs' config has no key for (used to rebuild in workers). */
  workerConfig?(): CodecConfig;
}

/** A value an object codec carries: JSON-like data plus bytes and 64-bit integers. */
export type ObjectValue =
  | null | boolean | number | bigint | string | Uint8Array
  | ObjectValue[]
  | { readonly [key: string]: ObjectValue };

/** An array→bytes codec for object (`|O`) chunks: values in, bytes out. */
export interface ObjectCodec extends Codec {
  /** Marks an object codec (see {@link isObjectCodec}). */
  readonly objectCodec: true;
  /** Serialise a chunk's values (C order) to bytes. */
  encodeObjects(values: readonly ObjectValue[], ctx?: ChunkContext): Promise<Uint8Array>;
  /** Parse a chunk's bytes back to its values. */
  decodeObjects(bytes: Uint8Array, ctx?: ChunkContext): Promise<ObjectValue[]>;
}

/** True for codecs that carry values (json2, msgpack2, vlen-*, categorize, pickle) rather than bytes. */
export function isObjectCodec(codec: Codec): codec is ObjectCodec {
  return (codec as Partial<ObjectCodec>).objectCodec === true;
}

/** Turn any failure into a CodecError that names the codec and the direction. */
export function codecFailure(error: unknown, codecId: string, direction: "encode" | "decode"): Error {
  if (error instanceof CodecError && error.direction !== undefined) return error;
  if (error instanceof UnsupportedError) return error;
  if (isHdmfError(error) && error.kind === "codec") return error;
  const why = error instanceof Error ? error.message : String(error);
  return new CodecError(`${codecId} ${direction} failed: ${why}`, { codecId, direction, cause: error });
}

/**
 * Base class for the built-in codecs: subclasses implement `_encode` / `_decode`, the base
 * wraps every failure (including wasm aborts and RangeErrors on truncated input) as CodecError.
 */
export abstract class BaseCodec implements Codec {
  abstract readonly id: string;
  abstract readonly kind: CodecKind;
  readonly hdf5FilterId?: number;
  readonly decodeOnly?: boolean;
  readonly offThread?: boolean | "decode";
  /** The numcodecs config (what `.zarray` `compressor`/`filters` record). */
  abstract toConfig(): CodecConfig;
  /** The subclass's encoder; may throw anything, `encode` wraps it. */
  protected abstract _encode(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array | Promise<Uint8Array>;
  /** The subclass's decoder; may throw anything, `decode` wraps it. */
  protected abstract _decode(bytes: Uint8Array, ctx?: ChunkContext): Uint8Array | Promise<Uint8Array>;

  /** Run `_encode`; decode-only codecs throw UnsupportedError, other failures become CodecError. */
  async encode(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array> {
    if (this.decodeOnly) {
      throw new UnsupportedError(`codec ${this.id} is decode-only`, { feature: `${this.id} encode` });
    }
    try {
      return await this._encode(bytes, ctx);
    } catch (e) {
      throw codecFailure(e, this.id, "encode");
    }
  }

  /** Run `_decode`, turning any failure into a CodecError. */
  async decode(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array> {
    try {
      return await this._decode(bytes, ctx);
    } catch (e) {
      throw codecFailure(e, this.id, "decode");
    }
  }

  /** Run `_decodeWith`, turning any failure into a CodecError. */
  async decodeWith(bytes: Uint8Array, ctx: ChunkContext | undefined, use: (decoded: Uint8Array) => void): Promise<void> {
    try {
      await this._decodeWith(bytes, ctx, use);
    } catch (e) {
      throw codecFailure(e, this.id, "decode");
    }
  }

  /** Decode, then call `use`; wasm codecs override it to lend their output instead of copying it. */
  protected async _decodeWith<T>(bytes: Uint8Array, ctx: ChunkContext | undefined, use: (decoded: Uint8Array) => T): Promise<T> {
    return use(await this._decode(bytes, ctx));
  }
}

/** A codec-level error raised by a codec's own checks (bad header, checksum mismatch, …). */
export function corrupt(codecId: string, direction: "encode" | "decode", message: string): CodecError {
  return new CodecError(`${codecId} ${direction} failed: ${message}`, { codecId, direction });
}

/** The CodecError for a configuration a codec cannot accept (bad level, unknown shuffle mode, ...). */
export function badConfig(codecId: string, message: string): CodecError {
  return new CodecError(`${codecId}: ${message}`, { codecId });
}
