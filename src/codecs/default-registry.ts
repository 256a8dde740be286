/** The built-in codecs, each imported only when first resolved. */
import { CodecRegistry } from "./registry.js";
import type { CodecConfig, JsonValue } from "./codec.js";
import { cfgInt } from "./_util.js";

type Conf = { readonly [key: string]: JsonValue };
const withId = (id: string, c: Conf): CodecConfig => ({ ...c, id }) as CodecConfig;

export function createDefaultRegistry(): CodecRegistry {
  const r = new CodecRegistry();
  r.register("zlib", async (c) => (await import("./zlib.js")).ZlibCodec.fromConfig(c))
    .register("gzip", async (c) => (await import("./gzip.js")).GzipCodec.fromConfig(c))
    .register("zstd", async (c) => (await import("./zstd.js")).ZstdCodec.fromConfig(c))
    .register("lz4", async (c) => (await import("./lz4.js")).Lz4Codec.fromConfig(c))
    .register("hdf5-lz4", async (c) => (await import("./lz4-hdf5.js")).Hdf5Lz4Codec.fromConfig(c))
    .register("bz2", async (c) => (await import("./bz2.js")).Bz2Codec.fromConfig(c))
    .register("lzf", async () => (await import("./lzf.js")).LzfCodec.fromConfig())
    .register("blosc", async (c) => (await import("./blosc.js")).BloscCodec.fromConfig(c))
    .register("bitshuffle", async (c) => (await import("./bitshuffle.js")).BitshuffleCodec.fromConfig(c))
    .register("shuffle", async (c) => (await import("./shuffle.js")).ShuffleCodec.fromConfig(c))
    .register("fletcher32", async () => (await import("./fletcher32.js")).Fletcher32Codec.fromConfig())
    .register("crc32", async () => new (await import("./checksum32.js")).Crc32Codec())
    .register("adler32", async () => new (await import("./checksum32.js")).Adler32Codec())
    .register("crc32c", async () => new (await import("./crc32c.js")).Crc32cCodec())
    .register("delta", async (c) => (await import("./delta.js")).DeltaCodec.fromConfig(c))
    .register("fixedscaleoffset", async (c) => (await import("./fixedscaleoffset.js")).FixedScaleOffsetCodec.fromConfig(c))
    .register("astype", async (c) => (await import("./astype.js")).AsTypeCodec.fromConfig(c))
    .register("quantize", async (c) => (await import("./quantize.js")).QuantizeCodec.fromConfig(c))
    .register("bitround", async (c) => (await import("./bitround.js")).BitRoundCodec.fromConfig(c))
    .register("packbits", async () => (await import("./packbits.js")).PackBitsCodec.fromConfig())
    .register("json2", async (c) => (await import("./json2.js")).Json2Codec.fromConfig(c))
    .register("vlen-utf8", async () => (await import("./vlen.js")).VLenUtf8Codec.fromConfig())
    .register("vlen-bytes", async () => (await import("./vlen.js")).VLenBytesCodec.fromConfig())
    .register("vlen-array", async (c) => (await import("./vlen.js")).VLenArrayCodec.fromConfig(c))
    .register("pickle", async (c) => (await import("./pickle.js")).PickleCodec.fromConfig(c))
    .register("bytes", async (c) => (await import("./bytes-v3.js")).BytesCodec.fromConfig(c))
    .register("transpose", async (c) => (await import("./transpose.js")).TransposeCodec.fromConfig(c))
    .register("hdf5-scaleoffset", async (c) => (await import("./scaleoffset-hdf5.js")).Hdf5ScaleOffsetCodec.fromConfig(c))
    .register("hdf5-nbit", async (c) => (await import("./nbit-hdf5.js")).Hdf5NbitCodec.fromConfig(c))
    // The data layer's spelling of "this HDF5 filter id with these cd_values".
    .register("hdf5-filter", async (c) => r.resolveHdf5({
      id: cfgInt(c, "filter_id"), flags: 1,
      cdValues: Array.isArray(c.cd_values) ? c.cd_values.map((x) => Number(x)) : [],
    }));

  r.registerHdf5Filter(1, async (f) => (await import("./zlib.js")).ZlibCodec.fromHdf5(f))
    .registerHdf5Filter(2, async (f, ctx) => (await import("./shuffle.js")).ShuffleCodec.fromHdf5(f, ctx))
    .registerHdf5Filter(3, async () => (await import("./fletcher32.js")).Fletcher32Codec.fromConfig())
    .registerHdf5Filter(5, async (f, ctx) => (await import("./nbit-hdf5.js")).Hdf5NbitCodec.fromHdf5(f, ctx))
    .registerHdf5Filter(6, async (f, ctx) => (await import("./scaleoffset-hdf5.js")).Hdf5ScaleOffsetCodec.fromHdf5(f, ctx))
    .registerHdf5Filter(307, async (f) => (await import("./bz2.js")).Bz2Codec.fromHdf5(f))
    .registerHdf5Filter(32000, async () => (await import("./lzf.js")).LzfCodec.fromHdf5())
    .registerHdf5Filter(32001, async (f, ctx) => (await import("./blosc.js")).BloscCodec.fromHdf5(f, ctx))
    .registerHdf5Filter(32004, async (f) => (await import("./lz4-hdf5.js")).Hdf5Lz4Codec.fromHdf5(f))
    .registerHdf5Filter(32008, async (f, ctx) => (await import("./bitshuffle.js")).BitshuffleCodec.fromHdf5(f, ctx))
    .registerHdf5Filter(32015, async (f) => (await import("./zstd.js")).ZstdCodec.fromHdf5(f));

  r.registerZarrV3("bytes", async (c) => (await import("./bytes-v3.js")).BytesCodec.fromZarrV3(c))
    .registerZarrV3("transpose", async (c) => (await import("./transpose.js")).TransposeCodec.fromZarrV3(c))
    .registerZarrV3("crc32c", async () => new (await import("./crc32c.js")).Crc32cCodec())
    .registerZarrV3("gzip", async (c) => r.resolve(withId("gzip", c)))
    .registerZarrV3("zstd", async (c) => r.resolve(withId("zstd", c)))
    .registerZarrV3("blosc", async (c) => (await import("./blosc.js")).BloscCodec.fromZarrV3(c))
    .registerZarrV3("vlen-utf8", async () => r.resolve({ id: "vlen-utf8" }))
    .registerZarrV3("vlen-bytes", async () => r.resolve({ id: "vlen-bytes" }));
  // numcodecs codecs inside Zarr v3 (zarr-python 3 writes them as "numcodecs.<id>").
  for (const id of ["zlib", "lz4", "bz2", "shuffle", "fletcher32", "crc32", "adler32", "delta", "fixedscaleoffset",
    "astype", "quantize", "bitround", "packbits", "json2", "vlen-array"]) {
    r.registerZarrV3(`numcodecs.${id}`, async (c) => r.resolve(withId(id, c)));
  }
  r.registerZarrV3("numcodecs.crc32c", async () => new (await import("./crc32c.js")).Crc32cCodec());
  return r;
}
