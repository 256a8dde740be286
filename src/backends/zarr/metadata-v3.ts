/**
 * Zarr v3 array metadata (`zarr.json`, node_type "array"). What v3 core has no data type for
 * is spelled per the node's convention (convention.ts):
 *
 * - text: `data_type: "string"` + the `vlen-utf8` array->bytes codec (what zarr-python 3 writes).
 * - unified (hdmf-zarr >= 0.14): references are `string` arrays marked `_DTYPE:
 *   "object_reference"` whose elements are target paths; compounds are the `struct` data type,
 *   text and reference fields as `fixed_length_utf32`, references named in `_REFERENCE_FIELDS`
 *   (compound-v3.ts keeps the HDMF dtype in memory and converts records).
 * - legacy, as hdmf-ts wrote v3 before the unified convention (read only): `string` elements
 *   holding the JSON of hdmf-zarr's reference dict or of a compound row, with `zarr_dtype`.
 * - compound without text or references: `struct` `{fields: [{name, data_type}]}`.
 */
import { FormatError, UnsupportedError } from "../../errors.js";
import { NUMERIC_TABLE, type Dtype } from "../../data/dtype.js";
import { decodeFillV3, dtypeFromV3, v3ObjectCodecId } from "./data-type-v3.js";
import type { CodecConfig } from "../../data/codec-config.js";
import type { Scalar } from "../../data/ndarray.js";
import { isObjectStored } from "../engine/chunk-codec.js";
import { gridProblem, type ArrayMeta, type JsonDoc } from "./array-meta.js";
import { isUnifiedReferenceArray, nodeConvention, referenceFields } from "./convention.js";
import { logicalCompound, logicalFill } from "./compound-v3.js";
import { dtypes } from "../../data/dtype.js";
import { describeJson, isJsonObject, PyFloat, toPlainJson, type PyJsonValue } from "../../data/py-json.js";

export interface V3ArrayInput {
  readonly path: string;
  readonly shape: readonly number[];
  readonly chunks: readonly number[];
  readonly shards?: readonly number[];
  readonly dtype: Dtype;
  readonly fill: Scalar | null | undefined;
  /** bytes->bytes codecs as numcodecs configs (compressor, checksums). */
  readonly codecs: readonly CodecConfig[];
}

/**
 * The v3 data_type we write: core names for numbers, "string" for object-stored kinds, and the
 * data types zarr-python 3.4 writes for numpy's fixed-size kinds: `fixed_length_utf32` (`U`),
 * `null_terminated_bytes` (`S`), `numpy.datetime64`/`numpy.timedelta64`, and `struct` for
 * compound records (zarr-python 3.4's spelling; it reads the older `structured` too, which
 * we also read). So a plain zarr-python 3 reader sees numpy's dtypes, without hdmf attributes.
 */
export function v3DataType(dtype: Dtype): PyJsonValue {
  if (isObjectStored(dtype)) return "string";
  if (dtype.kind === "numeric") {
    if (dtype.datetime) {
      const m = /^(\d*)([a-zA-Z]+)$/.exec(dtype.datetime.unit);
      return { name: dtype.datetime.kind === "M" ? "numpy.datetime64" : "numpy.timedelta64", configuration: { unit: m?.[2] ?? dtype.datetime.unit, scale_factor: Number(m?.[1] || 1) } };
    }
    return NUMERIC_TABLE[dtype.name].zarrV3;
  }
  if (dtype.kind === "compound") {
    return { name: "struct", configuration: { fields: dtype.fields.map((f) => ({ name: f.name, data_type: v3DataType(f.dtype) })) } };
  }
  if (dtype.kind === "string") {
    return dtype.unicodeFixed
      ? { name: "fixed_length_utf32", configuration: { length_bytes: dtype.length! * 4 } }
      : { name: "null_terminated_bytes", configuration: { length_bytes: dtype.length! } };
  }
  throw new UnsupportedError(`no Zarr v3 data type for ${dtype.kind}`, { feature: "zarr v3 data type" });
}

function encodeFillV3(dtype: Dtype, fill: Scalar | null | undefined): PyJsonValue {
  if (isObjectStored(dtype)) return "";
  if (dtype.kind === "numeric") {
    if (dtype.name === "bool") return Boolean(fill ?? false);
    const v = fill === null || fill === undefined ? 0 : fill;
    const c = NUMERIC_TABLE[dtype.name].char;
    if (c === "f" || c === "c") {
      const n = Number(v);
      const one: PyJsonValue = Number.isNaN(n) ? "NaN" : !Number.isFinite(n) ? (n > 0 ? "Infinity" : "-Infinity") : new PyFloat(n);
      return c === "c" ? [one, new PyFloat(0)] : one;
    }
    return typeof v === "bigint" ? v : Number(v);
  }
  if (dtype.kind === "compound") {
    const rec = (fill ?? {}) as Record<string, Scalar | null>;
    return Object.fromEntries(dtype.fields.map((f) => [f.name, encodeFillV3(f.dtype, rec[f.name] ?? null)]));
  }
  if (dtype.kind === "string") {
    const text = typeof fill === "string" ? fill : "";
    return dtype.unicodeFixed ? text : Buffer.from(text, "utf8").subarray(0, dtype.length ?? 0).toString("base64");
  }
  return null;
}

/** numcodecs config -> v3 codec entry (core names where v3 has them, `numcodecs.<id>` otherwise). */
export function toV3Codec(c: CodecConfig, itemsize: number): JsonDoc {
  const { id, ...rest } = c;
  switch (id) {
    case "gzip": return { name: "gzip", configuration: { level: (c.level as number) ?? 1 } };
    case "zstd": return { name: "zstd", configuration: { level: (c.level as number) ?? 0, checksum: Boolean(c.checksum ?? false) } };
    case "crc32c": return { name: "crc32c" };
    case "transpose": return { name: "transpose", configuration: { order: c.order as number[] } };
    case "blosc": {
      const s = c.shuffle === 2 ? "bitshuffle" : c.shuffle === 0 ? "noshuffle" : "shuffle";
      return { name: "blosc", configuration: { cname: (c.cname as string) ?? "lz4", clevel: (c.clevel as number) ?? 5, shuffle: s, typesize: itemsize, blocksize: (c.blocksize as number) ?? 0 } };
    }
    default: return { name: `numcodecs.${id}`, configuration: rest as JsonDoc };
  }
}

/** v3 codec entry -> numcodecs config understood by the codec registry. */
export function fromV3Codec(entry: PyJsonValue, path: string): CodecConfig {
  if (!isJsonObject(entry) || typeof entry.name !== "string") throw new FormatError(`${path}/zarr.json: a codec entry needs a name`, { path });
  const conf = (isJsonObject(entry.configuration) ? toPlainJson(entry.configuration) : {}) as Record<string, unknown>;
  const name = entry.name;
  if (name === "blosc") {
    const s = conf.shuffle === "bitshuffle" ? 2 : conf.shuffle === "noshuffle" ? 0 : 1;
    return { id: "blosc", cname: String(conf.cname ?? "lz4"), clevel: Number(conf.clevel ?? 5), shuffle: s, blocksize: Number(conf.blocksize ?? 0) };
  }
  if (name === "zstd") {
    // numcodecs < 0.12 (hdmf-zarr 0.6's) rejects a `checksum` key: keep it only when it is set
    const { checksum, ...others } = conf;
    return { id: name, ...others, ...(checksum === true ? { checksum: true } : {}) } as CodecConfig;
  }
  if (name === "gzip" || name === "crc32c") return { id: name, ...conf } as CodecConfig;
  if (name === "transpose") return { id: "transpose", ...conf } as CodecConfig;
  if (name.startsWith("numcodecs.")) return { id: name.slice("numcodecs.".length), ...conf } as CodecConfig;
  throw new UnsupportedError(`${path}: Zarr v3 codec "${name}" is not supported`, { feature: `zarr v3 codec ${name}`, path });
}

const BYTES_LE: JsonDoc = { name: "bytes", configuration: { endian: "little" } };
const VLEN_UTF8_V3: JsonDoc = { name: "vlen-utf8", configuration: {} };

function arrayToBytes(dtype: Dtype): JsonDoc {
  return isObjectStored(dtype) ? VLEN_UTF8_V3 : BYTES_LE;
}

export function buildZarrJsonArray(input: V3ArrayInput): JsonDoc {
  const size = isObjectStored(input.dtype) ? 1 : dtypeItemsize(input.dtype);
  // a valid v3 chain: array->array codecs, then the one array->bytes codec, then bytes->bytes
  const a2a = input.codecs.filter((c) => isArrayToArray(c.id)).map((c) => toV3Codec(c, size));
  const b2b = input.codecs.filter((c) => !isArrayToArray(c.id)).map((c) => toV3Codec(c, size));
  const inner: PyJsonValue[] = [...a2a, arrayToBytes(input.dtype), ...b2b];
  const codecs: PyJsonValue[] = input.shards
    ? [{
        name: "sharding_indexed",
        configuration: {
          chunk_shape: [...input.chunks],
          codecs: inner,
          index_codecs: [BYTES_LE, { name: "crc32c" }],
          index_location: "end",
        },
      }]
    : inner;
  return {
    zarr_format: 3,
    node_type: "array",
    shape: [...input.shape],
    data_type: v3DataType(input.dtype),
    chunk_grid: { name: "regular", configuration: { chunk_shape: [...(input.shards ?? input.chunks)] } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: encodeFillV3(input.dtype, input.fill),
    codecs,
  };
}

function dtypeItemsize(d: Dtype): number {
  if (d.kind === "numeric") return NUMERIC_TABLE[d.name].itemsize;
  if (d.kind === "compound") return d.itemsize;
  if (d.kind === "string" && d.length !== null) return d.unicodeFixed ? d.length * 4 : d.length;
  return 1;
}

function fail(path: string, why: string): never {
  throw new FormatError(`${path}/zarr.json: ${why}`, { path });
}

export interface ParseV3Options {
  /** The store holds NWB data (root `.specloc`): `fixed_length_utf32` compound fields read as text. */
  readonly hdmf?: boolean;
}

/** Parse an array zarr.json (attributes already split off) into ArrayMeta. */
export function parseZarrJsonArray(doc: JsonDoc, attrs: JsonDoc, path: string, options: ParseV3Options = {}): ArrayMeta {
  const ints = (v: PyJsonValue | undefined, what: string): number[] => {
    if (Array.isArray(v) && v.some((x) => typeof x === "bigint" || (typeof x === "number" && Number.isInteger(x) && !Number.isSafeInteger(x)))) {
      fail(path, `"${what}" ${describeJson(v)} has an extent beyond 2^53 - 1`);
    }
    if (!Array.isArray(v) || v.some((x) => typeof x !== "number" || !Number.isSafeInteger(x) || x < 0)) fail(path, `"${what}" must be a list of non-negative integers`);
    return [...(v as number[])];
  };
  const shape = ints(doc.shape, "shape");
  const grid = doc.chunk_grid;
  if (!isJsonObject(grid) || grid.name !== "regular" || !isJsonObject(grid.configuration)) fail(path, `only the "regular" chunk_grid is supported`);
  const gridShape = ints((grid.configuration as JsonDoc).chunk_shape, "chunk_grid.configuration.chunk_shape");
  if (gridShape.length !== shape.length || gridShape.some((c) => c === 0)) fail(path, `chunk_shape [${gridShape}] does not fit shape [${shape}]`);
  const cke = doc.chunk_key_encoding;
  let keyEncoding: "default" | "v2" = "default";
  let separator: "." | "/" = "/";
  if (isJsonObject(cke)) {
    if (cke.name !== "default" && cke.name !== "v2") fail(path, `unknown chunk_key_encoding ${describeJson(cke.name)}`);
    keyEncoding = cke.name as "default" | "v2";
    const sep = isJsonObject(cke.configuration) ? cke.configuration.separator : undefined;
    if (sep !== undefined && sep !== "." && sep !== "/") fail(path, `chunk_key_encoding separator must be "/" or ".", got ${describeJson(sep)}`);
    separator = sep === "." ? "." : sep === "/" ? "/" : keyEncoding === "v2" ? "." : "/";
  }
  if (!Array.isArray(doc.codecs) || doc.codecs.length === 0) fail(path, `"codecs" must be a non-empty list`);
  let chain = splitChain(doc.codecs as PyJsonValue[], path);
  let chunks = gridShape;
  let shards: number[] | undefined;
  let shardIndexCrc: boolean | undefined;
  let shardIndexAtStart: boolean | undefined;
  let shardCodecs: CodecConfig[] | undefined;
  if (chain.a2b.name === "sharding_indexed") {
    const conf = isJsonObject(chain.a2b.configuration) ? chain.a2b.configuration : fail(path, "sharding_indexed needs a configuration");
    if (chain.a2a.length) throw new UnsupportedError(`${path}: array->array codecs before sharding_indexed are not supported`, { feature: "zarr v3 codecs before sharding", path });
    shards = gridShape;
    chunks = ints(conf.chunk_shape, "sharding_indexed.chunk_shape");
    if (chunks.length !== shards.length || chunks.some((c, i) => c === 0 || shards![i]! % c !== 0)) fail(path, `inner chunk_shape [${chunks}] must divide the shard shape [${shards}]`);
    const loc = conf.index_location ?? "end";
    if (loc !== "end" && loc !== "start") fail(path, `sharding index_location must be "start" or "end", got ${describeJson(loc)}`);
    shardIndexAtStart = loc === "start";
    const idx = Array.isArray(conf.index_codecs) ? conf.index_codecs : [];
    const idxNames = idx.map((c) => (isJsonObject(c) ? c.name : undefined));
    if (idxNames.some((n) => n !== "bytes" && n !== "crc32c")) throw new UnsupportedError(`${path}: sharding index_codecs ${describeJson(conf.index_codecs)} are not supported (bytes and crc32c are)`, { feature: "zarr v3 sharding index codecs", path });
    shardIndexCrc = idxNames.includes("crc32c");
    if (!Array.isArray(conf.codecs) || conf.codecs.length === 0) fail(path, "sharding_indexed needs codecs");
    shardCodecs = chain.b2b.map((c) => fromV3Codec(c, path));
    chain = splitChain(conf.codecs as PyJsonValue[], path);
    if (chain.a2b.name === "sharding_indexed") throw new UnsupportedError(`${path}: nested sharding is not supported`, { feature: "zarr v3 nested sharding", path });
  }
  const a2b = chain.a2b;
  const endian = isJsonObject(a2b.configuration) && a2b.configuration.endian === "big" ? ">" : "<";
  const objectId = v3ObjectCodecId(doc.data_type);
  if (a2b.name !== "bytes" && a2b.name !== "vlen-utf8" && a2b.name !== "vlen-bytes") {
    throw new UnsupportedError(`${path}: Zarr v3 array->bytes codec "${String(a2b.name)}" is not supported`, { feature: `zarr v3 codec ${String(a2b.name)}`, path });
  }
  if ((a2b.name === "bytes") !== (objectId === undefined)) fail(path, `codec "${String(a2b.name)}" does not fit data_type ${describeJson(doc.data_type)}`);
  const convention = nodeConvention(3, attrs);
  let dtype = dtypeFromV3(doc.data_type, convention === "hdmf-zarr-v2" ? attrs.zarr_dtype : undefined, endian, path);
  let storedDtype: ArrayMeta["storedDtype"];
  let fill = decodeFillV3(dtype, doc.fill_value, path);
  if (convention === "nwb-zarr-v3") {
    if (isUnifiedReferenceArray(attrs)) {
      if (dtype.kind !== "string" || dtype.length !== null) fail(path, `_DTYPE "object_reference" needs data_type "string", got ${describeJson(doc.data_type)}`);
      dtype = dtypes.objectRef;
      fill = null;
    } else if (dtype.kind === "compound") {
      const refs = referenceFields(attrs);
      const logical = logicalCompound(dtype, refs, options.hdmf === true || refs.length > 0);
      for (const r of refs) if (!dtype.fields.some((f) => f.name === r && f.dtype.kind === "string" && f.dtype.length !== null)) fail(path, `_REFERENCE_FIELDS names "${r}", which is not a fixed-length string field`);
      if (logical) {
        storedDtype = dtype;
        fill = logicalFill(logical, fill);
        dtype = logical;
      }
    }
  }
  const layout = storedDtype ?? dtype;
  const tooBig = gridProblem(shape, chunks, isObjectStored(layout) ? 1 : dtypeItemsize(layout)) ?? (shards ? gridProblem(shape, shards) : undefined);
  if (tooBig) fail(path, tooBig);
  const codecs = [...chain.a2a, ...chain.b2b].map((c) => fromV3Codec(c, path));
  for (const c of codecs) if (c.id === "transpose") checkPermutation(c.order, shape.length, path);
  if (chain.a2a.length && isObjectStored(layout)) throw new UnsupportedError(`${path}: array->array codecs on ${String(a2b.name)} arrays are not supported`, { feature: "zarr v3 array->array codecs on object arrays", path });
  return {
    format: 3,
    convention,
    path,
    shape,
    chunks,
    shards,
    dtype,
    storedDtype,
    fill,
    codecs,
    objectCodec: a2b.name === "vlen-utf8" || a2b.name === "vlen-bytes" ? { id: a2b.name } : undefined,
    shardIndexCrc,
    shardIndexAtStart,
    shardCodecs: shardCodecs?.length ? shardCodecs : undefined,
    separator,
    keyEncoding,
    doc,
  };
}

/** v3 codecs that map arrays to arrays (they come before the one array->bytes codec). */
const ARRAY_TO_ARRAY = new Set(["transpose", "delta", "fixedscaleoffset", "astype", "quantize", "bitround", "packbits", "categorize"]);
const ARRAY_TO_BYTES = new Set(["bytes", "vlen-utf8", "vlen-bytes", "sharding_indexed", "numcodecs.pcodec", "numcodecs.zfpy"]);

const v3Name = (c: PyJsonValue): string => (isJsonObject(c) && typeof c.name === "string" ? c.name : "");

/** Whether a numcodecs id (or v3 name) is an array->array codec in v3 metadata. */
export function isArrayToArray(idOrName: string): boolean {
  return ARRAY_TO_ARRAY.has(idOrName.startsWith("numcodecs.") ? idOrName.slice("numcodecs.".length) : idOrName);
}

interface Chain { a2a: PyJsonValue[]; a2b: JsonDoc; b2b: PyJsonValue[] }

/** Split a codec list into array->array, the array->bytes codec and bytes->bytes, checking the order. */
function splitChain(list: PyJsonValue[], path: string): Chain {
  for (const c of list) if (!v3Name(c)) fail(path, `every codec entry needs a name, got ${describeJson(c)}`);
  const at = list.findIndex((c) => ARRAY_TO_BYTES.has(v3Name(c)));
  // Early drafts of the v3 spec (and its example documents) omit the array->bytes codec: "bytes" little-endian.
  const firstB2b = list.findIndex((c) => !isArrayToArray(v3Name(c)));
  if (at < 0) return { a2a: list.slice(0, firstB2b < 0 ? list.length : firstB2b), a2b: BYTES_LE, b2b: firstB2b < 0 ? [] : list.slice(firstB2b) };
  const before = list.slice(0, at), after = list.slice(at + 1);
  const bad = before.find((c) => !isArrayToArray(v3Name(c))) ?? after.find((c) => isArrayToArray(v3Name(c)) || ARRAY_TO_BYTES.has(v3Name(c)));
  if (bad) fail(path, `invalid codec order: "${v3Name(bad)}" cannot come ${before.includes(bad) ? "before" : "after"} "${v3Name(list[at]!)}" (array->array, then one array->bytes, then bytes->bytes)`);
  return { a2a: before, a2b: list[at] as JsonDoc, b2b: after };
}

function checkPermutation(order: unknown, rank: number, path: string): void {
  const ok = Array.isArray(order) && order.length === rank && [...order].sort((a, b) => Number(a) - Number(b)).every((v, i) => v === i);
  if (!ok) fail(path, `transpose order ${JSON.stringify(order)} is not a permutation of ${rank} axes`);
}
