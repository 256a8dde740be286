/**
 * What ZarrIO knows about a stored array, whatever the format: shape, chunk grid, dtype,
 * fill value, codec configs and how chunk keys are spelled. metadata-v2.ts and
 * metadata-v3.ts turn documents into this and back.
 */
import type { CompoundDtype, Dtype } from "../../data/dtype.js";
import type { CodecConfig } from "../../data/codec-config.js";
import type { FillValue } from "../../data/ndarray.js";
import type { StoreKey } from "../../stores/store.js";
import { chunkKeyV2, chunkKeyV3, type ZarrFormat } from "./keys.js";
import { product } from "../../data/selection.js";
import type { PyJsonValue } from "../../data/py-json.js";
import type { Convention } from "./convention.js";

export type JsonDoc = { [key: string]: PyJsonValue };

export interface ArrayMeta {
  readonly format: ZarrFormat;
  readonly path: string;
  shape: number[];
  /** The read/write unit: a v2 chunk, or a v3 inner chunk when sharded. */
  readonly chunks: number[];
  /** v3 sharding: the shard shape (the stored object); undefined = one object per chunk. */
  readonly shards?: number[];
  /** The in-memory dtype; numeric dtypes carry the stored byte order. */
  readonly dtype: Dtype;
  /** The record layout in the chunks when it differs from `dtype` (unified-convention compounds, compound-v3.ts). */
  readonly storedDtype?: CompoundDtype;
  /** The NWB-Zarr attribute convention of the node (convention.ts). */
  readonly convention: Convention;
  readonly fill: FillValue;
  /** v2 `order`: "F" chunks hold their elements in Fortran order (transposed on read and write). */
  readonly order?: "C" | "F";
  /** v2: filters then compressor (the object codec first); v3: codecs after the array->bytes step. */
  readonly codecs: CodecConfig[];
  /** The codec that turns elements into bytes for object-stored dtypes (json2, vlen-utf8, pickle). */
  readonly objectCodec?: CodecConfig;
  /** v3: sharding index checksummed with crc32c (the default index codec chain). */
  readonly shardIndexCrc?: boolean;
  /** v3: the shard index comes first in the shard (`index_location: "start"`). */
  readonly shardIndexAtStart?: boolean;
  /** v3: bytes->bytes codecs after `sharding_indexed`, applied to whole shards. */
  readonly shardCodecs?: CodecConfig[];
  readonly separator: "." | "/";
  readonly keyEncoding: "default" | "v2";
  /** The metadata document as stored (v2 .zarray; v3 zarr.json without attributes). */
  doc: JsonDoc;
}

/** Key of the stored object holding chunk `coords` (the shard when sharded). */
export function storedKey(meta: ArrayMeta, coords: readonly number[]): StoreKey {
  if (meta.format === 2) return chunkKeyV2(meta.path, coords, meta.separator);
  return chunkKeyV3(meta.path, coords, meta.keyEncoding, meta.separator);
}

/** The grid unit that maps to one stored object. */
export function storageUnit(meta: ArrayMeta): number[] {
  return meta.shards ?? meta.chunks;
}

/** The most bytes (or elements, for object arrays) one decoded chunk may hold: Node's largest buffer. */
export const MAX_CHUNK_BYTES = 2 ** 32;

/**
 * Why a shape and chunk shape cannot be read here, or undefined when they can: every extent,
 * the element count and the chunk count must be exact JS numbers (<= 2^53 - 1) and one
 * chunk must fit one buffer (not checked without `bytesPerElement`: shards). Checked when metadata is parsed, before anything is allocated.
 */
export function gridProblem(shape: readonly number[], chunks: readonly number[], bytesPerElement?: number): string | undefined {
  const safe = (n: number) => Number.isSafeInteger(n);
  if (!safe(product(shape))) return `shape [${shape}] holds more than 2^53 - 1 elements`;
  const grid = gridShape(shape, chunks);
  if (!safe(product(grid))) return `chunks [${chunks}] over shape [${shape}] make a grid of more than 2^53 - 1 chunks`;
  if (bytesPerElement === undefined) return undefined; // a shard is never decoded as one buffer
  const chunkBytes = product(chunks) * Math.max(1, bytesPerElement);
  if (chunkBytes > MAX_CHUNK_BYTES) return `one chunk [${chunks}] would need ${chunkBytes} bytes (more than ${MAX_CHUNK_BYTES})`;
  return undefined;
}

export function gridShape(shape: readonly number[], unit: readonly number[]): number[] {
  return shape.map((d, i) => Math.ceil(d / unit[i]!));
}
