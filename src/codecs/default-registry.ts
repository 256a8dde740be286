/**
 * The built-in codecs: the one table that says, per codec, its role, the HDF5 filter it
 * writes, its Zarr v3 names and whether numcodecs reads it. Each codec module is imported
 * only when first resolved.
 */
import { CodecRegistry, type CodecEntry, type CodecRole } from "./registry.js";
import type { Codec, CodecConfig, Hdf5Filter, JsonValue } from "./codec.js";
import type { ChunkContext } from "./codec.js";
import { cfgInt } from "./_util.js";

type Conf = { readonly [key: string]: JsonValue };
type Builtin = Omit<CodecEntry, "numcodecs" | "role"> & { role?: CodecRole; numcodecs?: boolean };

/** numcodecs codecs that zarr-python 3 spells "numcodecs.<id>" inside Zarr v3 metadata. */
const nc = (id: string): string[] => [`numcodecs.${id}`];

function builtins(r: CodecRegistry): Builtin[] {
  const hdf5 = (f: Hdf5Filter, ctx?: ChunkContext): Promise<Codec> => r.resolveHdf5(f, ctx);
  return [
    { id: "zlib", role: "compressor", hdf5Filter: 1, hdf5Builtin: true, v3Names: nc("zlib"),
      load: async (c) => (await import("./zlib.js")).ZlibCodec.fromConfig(c), loadHdf5: async (f) => (await import("./zlib.js")).ZlibCodec.fromHdf5(f) },
    { id: "gzip", role: "compressor", v3Names: ["gzip"], load: async (c) => (await import("./gzip.js")).GzipCodec.fromConfig(c) },
    { id: "zstd", role: "compressor", hdf5Filter: 32015, v3Names: ["zstd", ...nc("zstd")],
      load: async (c) => (await import("./zstd.js")).ZstdCodec.fromConfig(c), loadHdf5: async (f) => (await import("./zstd.js")).ZstdCodec.fromHdf5(f) },
    { id: "lz4", role: "compressor", v3Names: nc("lz4"), load: async (c) => (await import("./lz4.js")).Lz4Codec.fromConfig(c) },
    { id: "hdf5-lz4", role: "compressor", hdf5Filter: 32004, numcodecs: false,
      load: async (c) => (await import("./lz4-hdf5.js")).Hdf5Lz4Codec.fromConfig(c), loadHdf5: async (f) => (await import("./lz4-hdf5.js")).Hdf5Lz4Codec.fromHdf5(f) },
    { id: "bz2", role: "compressor", hdf5Filter: 307, v3Names: nc("bz2"),
      load: async (c) => (await import("./bz2.js")).Bz2Codec.fromConfig(c), loadHdf5: async (f) => (await import("./bz2.js")).Bz2Codec.fromHdf5(f) },
    { id: "lzma", role: "compressor", v3Names: nc("lzma"), load: async (c) => (await import("./lzma.js")).LzmaCodec.fromConfig(c) },
    { id: "lzf", role: "compressor", hdf5Filter: 32000, hdf5Builtin: true, numcodecs: false,
      load: async () => (await import("./lzf.js")).LzfCodec.fromConfig(), loadHdf5: async () => (await import("./lzf.js")).LzfCodec.fromHdf5() },
    { id: "blosc", role: "compressor", hdf5Filter: 32001, v3Names: ["blosc"],
      load: async (c) => (await import("./blosc.js")).BloscCodec.fromConfig(c),
      loadHdf5: async (f, ctx) => (await import("./blosc.js")).BloscCodec.fromHdf5(f, ctx),
      loadV3: async (c) => (await import("./blosc.js")).BloscCodec.fromZarrV3(c) },
    { id: "bitshuffle", role: "compressor", hdf5Filter: 32008, numcodecs: false,
      load: async (c) => (await import("./bitshuffle.js")).BitshuffleCodec.fromConfig(c),
      loadHdf5: async (f, ctx) => (await import("./bitshuffle.js")).BitshuffleCodec.fromHdf5(f, ctx) },
    { id: "shuffle", hdf5Filter: 2, hdf5Builtin: true, v3Names: nc("shuffle"),
      load: async (c) => (await import("./shuffle.js")).ShuffleCodec.fromConfig(c), loadHdf5: async (f, ctx) => (await import("./shuffle.js")).ShuffleCodec.fromHdf5(f, ctx) },
    // numcodecs has fletcher32 from 0.12 only: Zarr v2 exports drop it (with a note), v3 keep it
    { id: "fletcher32", role: "checksum", hdf5Filter: 3, hdf5Builtin: true, numcodecs: false, v3Names: nc("fletcher32"),
      load: async () => (await import("./fletcher32.js")).Fletcher32Codec.fromConfig(), loadHdf5: async () => (await import("./fletcher32.js")).Fletcher32Codec.fromConfig() },
    { id: "crc32", role: "checksum", v3Names: nc("crc32"), load: async () => new (await import("./checksum32.js")).Crc32Codec() },
    { id: "adler32", role: "checksum", v3Names: nc("adler32"), load: async () => new (await import("./checksum32.js")).Adler32Codec() },
    { id: "crc32c", role: "checksum", v3Names: ["crc32c", ...nc("crc32c")], load: async () => new (await import("./crc32c.js")).Crc32cCodec() },
    { id: "delta", v3Names: nc("delta"), load: async (c) => (await import("./delta.js")).DeltaCodec.fromConfig(c) },
    { id: "fixedscaleoffset", v3Names: nc("fixedscaleoffset"), load: async (c) => (await import("./fixedscaleoffset.js")).FixedScaleOffsetCodec.fromConfig(c) },
    { id: "astype", v3Names: nc("astype"), load: async (c) => (await import("./astype.js")).AsTypeCodec.fromConfig(c) },
    { id: "quantize", v3Names: nc("quantize"), load: async (c) => (await import("./quantize.js")).QuantizeCodec.fromConfig(c) },
    { id: "bitround", v3Names: nc("bitround"), load: async (c) => (await import("./bitround.js")).BitRoundCodec.fromConfig(c) },
    { id: "base64", load: async () => (await import("./base64.js")).Base64Codec.fromConfig() },
    { id: "packbits", v3Names: nc("packbits"), load: async () => (await import("./packbits.js")).PackBitsCodec.fromConfig() },
    { id: "json2", role: "object", v3Names: nc("json2"), load: async (c) => (await import("./json2.js")).Json2Codec.fromConfig(c) },
    { id: "msgpack2", role: "object", load: async (c) => (await import("./msgpack.js")).MsgPackCodec.fromConfig(c) },
    // numcodecs < 0.6 (no shape in the items); numcodecs 0.11 no longer reads it
    { id: "msgpack", role: "object", numcodecs: false, decodeOnly: true, load: async (c) => (await import("./msgpack.js")).MsgPackCodec.fromConfig(c) },
    { id: "vlen-utf8", role: "object", v3Names: ["vlen-utf8"], load: async () => (await import("./vlen.js")).VLenUtf8Codec.fromConfig() },
    { id: "vlen-bytes", role: "object", v3Names: ["vlen-bytes"], load: async () => (await import("./vlen.js")).VLenBytesCodec.fromConfig() },
    { id: "vlen-array", role: "object", v3Names: nc("vlen-array"), load: async (c) => (await import("./vlen.js")).VLenArrayCodec.fromConfig(c) },
    { id: "categorize", role: "object", v3Names: nc("categorize"), load: async (c) => (await import("./categorize.js")).CategorizeCodec.fromConfig(c) },
    { id: "pickle", role: "object", decodeOnly: true, load: async (c) => (await import("./pickle.js")).PickleCodec.fromConfig(c) },
    { id: "bytes", role: "array-bytes", numcodecs: false, v3Names: ["bytes"],
      load: async (c) => (await import("./bytes-v3.js")).BytesCodec.fromConfig(c), loadV3: async (c) => (await import("./bytes-v3.js")).BytesCodec.fromZarrV3(c) },
    { id: "transpose", numcodecs: false, v3Names: ["transpose"],
      load: async (c) => (await import("./transpose.js")).TransposeCodec.fromConfig(c), loadV3: async (c) => (await import("./transpose.js")).TransposeCodec.fromZarrV3(c) },
    { id: "hdf5-scaleoffset", hdf5Filter: 6, numcodecs: false, decodeOnly: true,
      load: async (c) => (await import("./scaleoffset-hdf5.js")).Hdf5ScaleOffsetCodec.fromConfig(c),
      loadHdf5: async (f, ctx) => (await import("./scaleoffset-hdf5.js")).Hdf5ScaleOffsetCodec.fromHdf5(f, ctx) },
    { id: "hdf5-nbit", hdf5Filter: 5, numcodecs: false, decodeOnly: true,
      load: async (c) => (await import("./nbit-hdf5.js")).Hdf5NbitCodec.fromConfig(c),
      loadHdf5: async (f, ctx) => (await import("./nbit-hdf5.js")).Hdf5NbitCodec.fromHdf5(f, ctx) },
    // The data layer's spelling of "this HDF5 filter id with these cd_values" (DataIO compression by id).
    { id: "hdf5-filter", numcodecs: false, load: async (c) => hdf5({
      id: cfgInt(c, "filter_id"), flags: 1, cdValues: Array.isArray(c.cd_values) ? c.cd_values.map((x) => Number(x)) : [],
    }) },
  ];
}

/** A new registry holding every built-in codec (numcodecs, HDF5 filters, Zarr v3 codecs); extend it freely. */
export function createDefaultRegistry(): CodecRegistry {
  const r = new CodecRegistry();
  for (const b of builtins(r)) r.add({ role: "filter", numcodecs: true, ...b });
  return r;
}

let shared: CodecRegistry | undefined;

/** The library's default registry, one per process (codecs are stateless); clone it to extend. */
export function defaultRegistry(): CodecRegistry {
  return (shared ??= createDefaultRegistry());
}

export type { CodecConfig };
