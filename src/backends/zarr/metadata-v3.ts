/**
 * Zarr v3 array metadata (`zarr.json`, node_type "array"). Same tree and attributes as the v2
 * layout; the representation choices for what v3 core has no data type for:
 *
 * - text: `data_type: "string"` + the `vlen-utf8` array->bytes codec (what zarr-python 3 writes).
 * - references: `data_type: "string"`, each element the compact JSON text of hdmf-zarr's
 *   reference dict `{"object_id","path","source","source_object_id"}` (keys sorted), and the
 *   attribute `zarr_dtype: "object"` as in v2. Any v3 reader sees strings; ZarrIO sees references.
 * - compound with reference fields: `string` elements holding the JSON list of the row's field
 *   values (refs as dicts), `zarr_dtype` = hdmf-zarr's field list.
 * - compound without references: raw bits `r<8*itemsize>` (v3 spec extension point), packed
 *   records little-endian, `zarr_dtype` the field list.
 */
import { FormatError, UnsupportedError } from "../../errors.js";
import { compound, dtypes, fromZarrV3DataType, NUMERIC_TABLE, parseDtype, type Dtype } from "../../data/dtype.js";
import type { CodecConfig } from "../../data/codec-config.js";
import type { Scalar } from "../../data/ndarray.js";
import { isObjectStored } from "../engine/chunk-codec.js";
import { gridProblem, type ArrayMeta, type JsonDoc } from "./array-meta.js";
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

export function v3DataType(dtype: Dtype): string {
  if (isObjectStored(dtype)) return "string";
  if (dtype.kind === "numeric") return NUMERIC_TABLE[dtype.name].zarrV3;
  if (dtype.kind === "compound") return `r${dtype.itemsize * 8}`;
  if (dtype.kind === "string") return `r${(dtype.unicodeFixed ? dtype.length! * 4 : dtype.length!) * 8}`;
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
  const bytes = dtype.kind === "compound" ? dtype.itemsize : dtype.kind === "string" ? (dtype.unicodeFixed ? dtype.length! * 4 : dtype.length!) : 0;
  return new Array<number>(bytes).fill(0); // raw bits fill: an array of byte values (v3 spec, r* types)
}

/** The v3 fill_value (core spec: bool, number, "NaN"/"Infinity"/"-Infinity", "0x..." bits, [re, im]); FormatError otherwise. */
function decodeFillV3(dtype: Dtype, raw: PyJsonValue | undefined, path: string): Scalar | null {
  if (isObjectStored(dtype)) return dtype.kind === "string" ? "" : null;
  if (dtype.kind !== "numeric") return null;
  const wrong = (): never => fail(path, `fill_value ${describeJson(raw)} does not fit data_type ${NUMERIC_TABLE[dtype.name].zarrV3}`);
  const complex = NUMERIC_TABLE[dtype.name].char === "c";
  if (Array.isArray(raw) && (!complex || raw.length !== 2)) return wrong();
  const first: PyJsonValue | undefined = Array.isArray(raw) ? raw[0] : raw;
  const v = first instanceof PyFloat ? first.value : first;
  if (v === null || v === undefined) return dtype.name === "bool" ? false : dtype.name === "int64" || dtype.name === "uint64" ? 0n : 0; // lenient, as before
  if (dtype.name === "bool") return typeof v === "boolean" || v === 0 || v === 1 ? Boolean(v) : wrong();
  const isFloat = NUMERIC_TABLE[dtype.name].char === "f" || complex;
  if (isFloat && v === "NaN") return NaN;
  if (isFloat && v === "Infinity") return Infinity;
  if (isFloat && v === "-Infinity") return -Infinity;
  if (isFloat && typeof v === "string" && /^0x[0-9a-f]+$/i.test(v)) {
    const view = new DataView(new ArrayBuffer(8));
    const bits = BigInt(v);
    if (dtype.name === "float32") { view.setUint32(0, Number(bits)); return view.getFloat32(0); }
    view.setBigUint64(0, bits);
    return view.getFloat64(0);
  }
  if (typeof v !== "number" && typeof v !== "bigint") return wrong();
  if (dtype.name === "int64" || dtype.name === "uint64") return typeof v === "bigint" ? v : BigInt(Math.trunc(v));
  return typeof v === "bigint" ? Number(v) : v;
}

/** numcodecs config -> v3 codec entry (core names where v3 has them, `numcodecs.<id>` otherwise). */
export function toV3Codec(c: CodecConfig, itemsize: number): JsonDoc {
  const { id, ...rest } = c;
  switch (id) {
    case "gzip": return { name: "gzip", configuration: { level: (c.level as number) ?? 1 } };
    case "zstd": return { name: "zstd", configuration: { level: (c.level as number) ?? 0, checksum: Boolean(c.checksum ?? false) } };
    case "crc32c": return { name: "crc32c" };
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
  const inner: PyJsonValue[] = [arrayToBytes(input.dtype), ...input.codecs.map((c) => toV3Codec(c, size))];
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

/** Parse an array zarr.json (attributes already split off) into ArrayMeta. */
export function parseZarrJsonArray(doc: JsonDoc, attrs: JsonDoc, path: string): ArrayMeta {
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
  let chain = doc.codecs as PyJsonValue[];
  let chunks = gridShape;
  let shards: number[] | undefined;
  let shardIndexCrc: boolean | undefined;
  const first = chain[0];
  if (isJsonObject(first) && first.name === "sharding_indexed") {
    const conf = isJsonObject(first.configuration) ? first.configuration : fail(path, "sharding_indexed needs a configuration");
    shards = gridShape;
    chunks = ints(conf.chunk_shape, "sharding_indexed.chunk_shape");
    if (chunks.length !== shards.length || chunks.some((c, i) => c === 0 || shards![i]! % c !== 0)) fail(path, `inner chunk_shape [${chunks}] must divide the shard shape [${shards}]`);
    if ((conf.index_location ?? "end") !== "end") throw new UnsupportedError(`${path}: sharding index_location "start" is not supported`, { feature: "sharding index_location start", path });
    const idx = Array.isArray(conf.index_codecs) ? conf.index_codecs : [];
    shardIndexCrc = idx.some((c) => isJsonObject(c) && c.name === "crc32c");
    if (!Array.isArray(conf.codecs)) fail(path, "sharding_indexed needs codecs");
    chain = conf.codecs as PyJsonValue[];
  }
  // Early drafts of the v3 spec (and its example documents) omit the array->bytes codec; read
  // them as "bytes" little-endian.
  if (isJsonObject(chain[0]) && chain[0].name !== "bytes" && chain[0].name !== "vlen-utf8" && !String(chain[0].name).includes("transpose")) chain = [BYTES_LE, ...chain];
  const a2b = chain[0];
  if (!isJsonObject(a2b) || (a2b.name !== "bytes" && a2b.name !== "vlen-utf8")) {
    throw new UnsupportedError(`${path}: the first codec must be "bytes" or "vlen-utf8" (array->array codecs are not supported)`, { feature: "zarr v3 array->array codecs", path });
  }
  const endian = isJsonObject(a2b.configuration) && a2b.configuration.endian === "big" ? ">" : "<";
  const dtype = dtypeFromV3(doc.data_type, attrs.zarr_dtype, endian, path);
  const tooBig = gridProblem(shape, chunks, isObjectStored(dtype) ? 1 : dtypeItemsize(dtype)) ?? (shards ? gridProblem(shape, shards) : undefined);
  if (tooBig) fail(path, tooBig);
  const codecs = chain.slice(1).map((c) => fromV3Codec(c, path));
  return {
    format: 3,
    path,
    shape,
    chunks,
    shards,
    dtype,
    fill: decodeFillV3(dtype, doc.fill_value, path),
    codecs,
    objectCodec: a2b.name === "vlen-utf8" ? { id: "vlen-utf8" } : undefined,
    shardIndexCrc,
    separator,
    keyEncoding,
    doc,
  };
}

function dtypeFromV3(dataType: PyJsonValue | undefined, zarrDtype: PyJsonValue | undefined, endian: "<" | ">", path: string): Dtype {
  if (typeof dataType !== "string") return fail(path, `"data_type" must be a string`);
  const zd = toPlainJson(zarrDtype ?? null);
  if (dataType === "string") {
    if (zd === "object") return dtypes.objectRef;
    if (Array.isArray(zd)) return compoundFrom(zd, path);
    return zd === "bytes" ? dtypes.ascii : dtypes.utf8;
  }
  if (/^r\d+$/.test(dataType)) {
    if (Array.isArray(zd)) return compoundFrom(zd, path);
    return fail(path, `raw data_type ${dataType} needs a zarr_dtype field list`);
  }
  try {
    const d = fromZarrV3DataType(dataType);
    return d.kind === "numeric" ? { ...d, endian: NUMERIC_TABLE[d.name].itemsize === 1 ? "<" : endian } : d;
  } catch (e) {
    throw new UnsupportedError(`${path}: Zarr v3 data_type "${dataType}" is not supported`, { feature: `zarr v3 data type ${dataType}`, path, cause: e });
  }
}

function compoundFrom(zd: unknown[], path: string): Dtype {
  return compound(zd.map((f, i) => {
    const e = f as { name?: unknown; dtype?: unknown };
    if (typeof e?.name !== "string") return fail(path, `zarr_dtype entry ${i} must be {name, dtype}`);
    if (e.dtype === "object") return { name: e.name, dtype: dtypes.objectRef };
    if (e.dtype === "str") return { name: e.name, dtype: dtypes.utf8 };
    if (e.dtype === "bytes") return { name: e.name, dtype: dtypes.ascii };
    return { name: e.name, dtype: parseDtype(String(e.dtype)) };
  }));
}
