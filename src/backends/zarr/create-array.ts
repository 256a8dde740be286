/**
 * Deciding how a new dataset is stored (hdmf-zarr's require_dataset / create_dataset calls):
 * shape, chunks (zarr-python's guess when not given), codecs (DataIO pipeline mapped to Zarr,
 * default Blosc-lz4 like zarr-python), fill value, object codec, the convention's marker
 * attributes (`zarr_dtype`, or `_DTYPE` / `_REFERENCE_FIELDS`), sharding (v3).
 * The metadata document is built and then parsed back, so what is read is what was written.
 */
import { InvalidInputError } from "../../errors.js";
import { itemsize, type CompoundDtype, type Dtype } from "../../data/dtype.js";
import type { CodecConfig } from "../../data/codec-config.js";
import type { Scalar } from "../../data/ndarray.js";
import { guessChunks, ZARR_LIMITS } from "../chunk-guess.js";
import type { ArrayMeta, JsonDoc } from "./array-meta.js";
import { isObjectStored } from "../engine/chunk-codec.js";
import { JSON2_CODEC, toV2Pipeline, VLEN_UTF8 } from "./codec-bridge.js";
import type { ZarrFormat } from "./keys.js";
import { buildZarray, parseZarray } from "./metadata-v2.js";
import { buildZarrJsonArray, parseZarrJsonArray } from "./metadata-v3.js";
import { planLayout, refuseV2Shards, type ShardOptions, type ShardRequest } from "./shard-layout.js";

export type { ShardOptions, ShardRequest } from "./shard-layout.js";

export interface ArraySpec {
  readonly path: string;
  readonly format: ZarrFormat;
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  /** Explicit chunks, or undefined / "auto" for zarr-python's guess. */
  readonly chunks: readonly number[] | "auto" | null | undefined;
  /** DataIO pipeline in HDF5 order; undefined = default compressor. */
  readonly codecs: readonly CodecConfig[] | undefined;
  /** ZarrDataIO compressor: null = explicitly uncompressed. */
  readonly compressorNull?: boolean;
  readonly fill: Scalar | null | undefined;
  /** The convention's attributes saying what the dataset holds (convention.ts datasetMarker). */
  readonly marker: JsonDoc;
  /** v3 unified: the struct layout of a compound's chunks (compound-v3.ts). */
  readonly storedDtype?: CompoundDtype;
  readonly attrs: JsonDoc;
  readonly defaultCompressor: CodecConfig | null;
  /** hdmf-zarr iterator datasets: dimension_separator "." in .zarray. */
  readonly iterator?: boolean;
  /** The IO-level sharding default (v3). */
  readonly shards?: ShardOptions;
  /** The dataset's own request (ZarrDataIO shards); wins over the IO-level default. */
  readonly shardRequest?: ShardRequest;
}

/** zarr-python 2 `guess_chunks`: zero-length axes count as 1 (np.maximum(shape, 1)). */
export function zarrGuessChunks(shape: readonly number[], dtype: Dtype): number[] {
  if (shape.length === 0) return [];
  const typesize = isObjectStored(dtype) ? 8 : Math.max(1, itemsize(dtype));
  return guessChunks(shape.map((d) => Math.max(d, 1)), typesize, ZARR_LIMITS);
}

export function planArray(spec: ArraySpec): { meta: ArrayMeta; doc: JsonDoc; attrs: JsonDoc } {
  const { shape, dtype, path } = spec;
  const layout = spec.storedDtype ?? dtype;
  const given = Array.isArray(spec.chunks) ? (spec.chunks as readonly number[]) : undefined;
  if (spec.format === 2) refuseV2Shards(spec.shardRequest, path);
  const planned = spec.format === 3
    ? planLayout({ path, shape, dtype: layout, chunks: given, request: spec.shardRequest, defaults: spec.shards, guess: (s) => zarrGuessChunks(s, dtype) })
    : { chunks: given ? [...given] : zarrGuessChunks(shape, dtype), shards: undefined };
  const chunks = planned.chunks;
  if (chunks.length !== shape.length || chunks.some((c) => !Number.isSafeInteger(c) || c <= 0)) {
    throw new InvalidInputError(`chunk shape [${chunks}] does not fit ${path} of shape [${shape}]`, { option: "chunks", path });
  }
  const attrs: JsonDoc = { ...spec.attrs, ...spec.marker };
  const v2 = toV2Pipeline(spec.codecs ?? [], dtype);
  const compressor = v2.compressor ?? (spec.compressorNull ? null : spec.defaultCompressor);
  let filters = v2.filters;
  const objectCodec = isObjectStored(layout) ? objectCodecFor(layout) : undefined;
  if (spec.format === 2) {
    if (objectCodec) filters = [objectCodec, ...(filters ?? [])];
    const doc = buildZarray({
      path, shape, chunks, dtype, fill: spec.fill, filters, compressor,
      dimensionSeparator: spec.iterator ? "." : undefined,
    });
    return { meta: parseZarray(doc, attrs, path), doc, attrs };
  }
  const codecs = [...(filters ?? []), ...(compressor ? [compressor] : [])];
  const doc = buildZarrJsonArray({ path, shape, chunks, shards: planned.shards, dtype: layout, fill: spec.fill, codecs });
  return { meta: parseZarrJsonArray(doc, attrs, path, { hdmf: spec.storedDtype !== undefined }), doc, attrs };
}

/** vlen-utf8 for text (zarr-python's choice for str), vlen-bytes for ascii, json2 otherwise (v2). */
function objectCodecFor(dtype: Dtype): CodecConfig {
  if (dtype.kind === "string") return dtype.encoding === "ascii" ? { id: "vlen-bytes" } : VLEN_UTF8;
  return JSON2_CODEC;
}
