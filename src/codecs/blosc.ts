/**
 * numcodecs Blosc ⇄ HDF5 blosc filter 32001 ⇄ Zarr v3 `blosc`.
 * Encode and decode run c-blosc 1.21.5 in the codec wasm core (codec-core.ts: blosclz, lz4,
 * lz4hc, zlib, zstd, byte and bit shuffle with SIMD128), with the chunk's real typesize, so
 * frames are the ones numcodecs and the HDF5 plugin write. Snappy, which Debian's c-blosc leaves
 * out, goes through the numcodecs.js wasm. The header is checked here before C sees a frame.
 */
import { BaseCodec, badConfig, corrupt, type ChunkContext, type CodecConfig, type Hdf5Filter, type ZarrV3Codec } from "./codec.js";
import { cfgEncodeInt, cfgInt, cfgString, expectedBytes } from "./_util.js";
import { BLOSC_CNAMES, COMPCODE, SNAPPY_FORMAT, readBloscHeader, type BloscCname } from "./blosc-frame.js";
import { loadBlosc } from "./_wasm.js";
import { codecCore } from "./codec-core.js";

export const BLOSC_FILTER_ID = 32001;
const MAX_DECODED = 1 << 30;
const V3_SHUFFLE = ["noshuffle", "shuffle", "bitshuffle"] as const;

export class BloscCodec extends BaseCodec {
  readonly id = "blosc";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = BLOSC_FILTER_ID;
  readonly cname: BloscCname;
  readonly clevel: number;
  /** 0 none, 1 byte, 2 bit, -1 AUTOSHUFFLE (bit for 1-byte items, else byte). */
  readonly shuffle: -1 | 0 | 1 | 2;
  readonly blocksize: number;
  /** Fixed typesize (Zarr v3 / HDF5); undefined = the chunk's itemsize, as numcodecs does. */
  readonly typesize: number | undefined;

  constructor(opts: { cname?: string; clevel?: number; shuffle?: number; blocksize?: number; typesize?: number; lenient?: boolean } = {}) {
    super();
    const cname = opts.cname ?? "lz4";
    if (!BLOSC_CNAMES.includes(cname as BloscCname)) throw badConfig("blosc", `unknown cname "${cname}"`);
    this.cname = cname as BloscCname;
    this.clevel = opts.clevel ?? 5;
    const sh = opts.shuffle ?? 1;
    this.shuffle = sh as -1 | 0 | 1 | 2;
    this.blocksize = opts.blocksize ?? 0;
    // clevel, shuffle and blocksize only shape encoding (a frame's header says how to decode):
    // a codec read from stored metadata accepts any value, encoding checks them
    if (!opts.lenient) this.checkEncode();
    this.typesize = opts.typesize;
  }

  static fromConfig(config: CodecConfig): BloscCodec {
    return new BloscCodec({
      cname: cfgString(config, "cname", "lz4"),
      clevel: cfgEncodeInt(config, "clevel", 5),
      shuffle: cfgEncodeInt(config, "shuffle", 1),
      blocksize: cfgEncodeInt(config, "blocksize", 0),
      lenient: true,
      typesize: config.typesize === undefined ? undefined : cfgInt(config, "typesize", 1, 1, 255),
    });
  }

  static fromZarrV3(configuration: Readonly<Record<string, unknown>>): BloscCodec {
    const sh = V3_SHUFFLE.indexOf(String(configuration.shuffle ?? "noshuffle") as (typeof V3_SHUFFLE)[number]);
    if (sh < 0) throw badConfig("blosc", `unknown Zarr v3 shuffle ${JSON.stringify(configuration.shuffle)}`);
    return new BloscCodec({
      cname: String(configuration.cname ?? "zstd"), clevel: Number(configuration.clevel ?? 5), shuffle: sh,
      blocksize: Number(configuration.blocksize ?? 0),
      typesize: configuration.typesize === undefined ? undefined : Number(configuration.typesize),
    });
  }

  /** cd_values [version 2, version_lz 2, typesize, chunk bytes, clevel, shuffle, compcode]. */
  static fromHdf5(filter: Hdf5Filter, ctx?: ChunkContext): BloscCodec {
    const cd = filter.cdValues;
    const cname = (Object.keys(COMPCODE) as BloscCname[]).find((k) => COMPCODE[k] === (cd[6] ?? 0)) ?? "blosclz";
    return new BloscCodec({ typesize: cd[2] || ctx?.itemsize, clevel: cd[4] ?? 5, shuffle: cd[5] ?? 1, cname });
  }

  private checkEncode(): void {
    if (!Number.isInteger(this.clevel) || this.clevel < 0 || this.clevel > 9) throw badConfig("blosc", `clevel must be 0..9, got ${this.clevel}`);
    const sh: number = this.shuffle;
    if (sh !== -1 && sh !== 0 && sh !== 1 && sh !== 2) throw badConfig("blosc", `shuffle must be -1, 0, 1 or 2, got ${sh}`);
    if (!Number.isInteger(this.blocksize) || this.blocksize < 0) throw badConfig("blosc", `blocksize must be a non-negative integer, got ${this.blocksize}`);
  }

  private typesizeFor(ctx?: ChunkContext): number {
    return this.typesize ?? ctx?.itemsize ?? 1;
  }

  private resolvedShuffle(typesize: number): 0 | 1 | 2 {
    if (this.shuffle === -1) return typesize === 1 ? 2 : 1;
    return this.shuffle;
  }

  toConfig(): CodecConfig {
    return { id: this.id, cname: this.cname, clevel: this.clevel, shuffle: this.shuffle, blocksize: this.blocksize };
  }

  workerConfig(): CodecConfig {
    return this.typesize === undefined ? this.toConfig() : { ...this.toConfig(), typesize: this.typesize };
  }

  toHdf5(ctx?: ChunkContext): Hdf5Filter {
    const ts = this.typesizeFor(ctx);
    const chunkBytes = expectedBytes(ctx) ?? 0;
    return {
      id: BLOSC_FILTER_ID, flags: 1, name: "blosc",
      cdValues: [2, 2, ts, chunkBytes, this.clevel, this.resolvedShuffle(ts), COMPCODE[this.cname]],
    };
  }

  toZarrV3(ctx?: ChunkContext): ZarrV3Codec {
    const ts = this.typesizeFor(ctx);
    return {
      name: "blosc",
      configuration: { cname: this.cname, clevel: this.clevel, shuffle: V3_SHUFFLE[this.resolvedShuffle(ts)], typesize: ts, blocksize: this.blocksize },
    };
  }

  protected async _encode(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array> {
    this.checkEncode();
    const typesize = this.typesizeFor(ctx);
    const shuffle = this.resolvedShuffle(typesize);
    if (this.cname === "snappy") {
      const Wasm = await loadBlosc();
      const c = Wasm.fromConfig({ id: "blosc", cname: this.cname, clevel: this.clevel, shuffle, blocksize: this.blocksize });
      return c.encode(bytes);
    }
    return (await codecCore()).bloscEncode(bytes, { cname: this.cname, clevel: this.clevel, shuffle, typesize, blocksize: this.blocksize });
  }

  protected _decode(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array> {
    return bloscDecode(bytes, ctx, (out) => out.slice());
  }

  protected override _decodeWith<T>(bytes: Uint8Array, ctx: ChunkContext | undefined, use: (decoded: Uint8Array) => T): Promise<T> {
    return bloscDecode(bytes, ctx, use);
  }
}

/**
 * Check a frame's header against its length, then let c-blosc (the wasm core) decode it and hand
 * `use` the result, which may be a view of wasm memory valid only until `use` returns.
 */
export async function bloscDecode<T>(bytes: Uint8Array, ctx: ChunkContext | undefined, use: (decoded: Uint8Array) => T): Promise<T> {
  const h = readBloscHeader(bytes);
  const fail = (m: string) => corrupt("blosc", "decode", m);
  if (h.version < 1 || h.version > 2) throw fail(`unknown format version ${h.version}`);
  if (h.cbytes < 16 || h.cbytes > bytes.length) throw fail(`header says ${h.cbytes} bytes, chunk has ${bytes.length}`);
  const cap = Math.max(expectedBytes(ctx) ?? 0, MAX_DECODED);
  if (h.nbytes > cap) throw fail(`header says ${h.nbytes} decoded bytes (limit ${cap})`);
  if (h.flags & 0x2) {
    if (h.cbytes < h.nbytes + 16) throw fail("truncated uncompressed frame");
    return use(bytes.subarray(16, 16 + h.nbytes));
  }
  if (h.nbytes === 0) return use(new Uint8Array(0));
  if (h.blocksize === 0 || h.blocksize > Math.max(h.nbytes, 1 << 20) * 2) throw fail(`bad blocksize ${h.blocksize}`);
  const nblocks = Math.ceil(h.nbytes / h.blocksize);
  if (16 + 4 * nblocks > h.cbytes) throw fail("truncated block table");
  const dv = new DataView(bytes.buffer, bytes.byteOffset, h.cbytes);
  for (let b = 0; b < nblocks; b++) {
    const start = dv.getUint32(16 + 4 * b, true);
    if (start < 16 + 4 * nblocks || start + 4 > h.cbytes) throw fail(`block ${b} starts outside the frame`);
  }
  if (h.flags >> 5 !== SNAPPY_FORMAT) return (await codecCore()).bloscDecodeWith(bytes.subarray(0, h.cbytes), h.nbytes, use);
  const Wasm = await loadBlosc();
  const out = await Wasm.fromConfig({ id: "blosc" }).decode(bytes.subarray(0, h.cbytes));
  if (out.length !== h.nbytes) throw fail(`decoded ${out.length} of ${h.nbytes} bytes`);
  return use(out);
}
