/**
 * Chunk and shard shapes of a new Zarr v3 array: the per-dataset request
 * (`ZarrDataIO({shards})`), an explicit shape by path, or the IO-level default.
 *
 * `"auto"` is zarr-python 3's `_auto_partition` (src/zarr/core/chunk_grids.py), which is what
 * hdmf-zarr's `ZarrDataIO(shards="auto")` hands to `create_array`:
 *   - chunks not given: `_guess_chunks(shape, itemsize, max_bytes=1 MiB)`;
 *   - without a target shard size, every axis holding more than 8 chunks gets 2 chunks per
 *     shard, the others 1;
 *   - with a target (zarr-python's `array.target_shard_size_bytes`), the same number k of
 *     chunks on every axis, k the largest with `chunk bytes * k^ndim <= target` and no axis
 *     grown past the array.
 * Variable-length elements count as 1 byte, as zarr-python's data types without an item size.
 */
import { InvalidInputError, UnsupportedError } from "../../errors.js";
import { itemsize, type Dtype } from "../../data/dtype.js";
import { product } from "../../data/selection.js";
import { isObjectStored } from "../engine/chunk-codec.js";
import { guessChunks } from "../chunk-guess.js";

import { shardShapeProblem, type ShardRequest } from "../../data/data-io.js";

export type { ShardRequest };

/** ZarrIO's default sharding of Zarr v3 datasets (sharding_indexed) when a ZarrDataIO says nothing. */
export interface ShardOptions {
  /** Chunks per shard along the first axis for every dataset (1 = no sharding). */
  readonly chunksPerShard?: number;
  /**
   * Every dataset gets the automatic shard shape (zarr-python's "auto"); an array where it
   * comes out as one chunk per shard is written unsharded, since such a shard only adds an index.
   */
  readonly auto?: boolean;
  /** zarr-python's `array.target_shard_size_bytes` for the automatic choice (default: none, the x2 rule). */
  readonly targetShardBytes?: number;
  /** Explicit shard shapes by dataset path (multiples of the chunk shape). */
  readonly byPath?: Readonly<Record<string, readonly number[]>>;
}

export interface LayoutInput {
  readonly path: string;
  readonly shape: readonly number[];
  /** The layout dtype (for unified compounds: the stored struct). */
  readonly dtype: Dtype;
  /** Chunks the caller gave (DataIO, iterator); undefined = guess. */
  readonly chunks: readonly number[] | undefined;
  /** The dataset's own request (ZarrDataIO shards); undefined = the IO-level default. */
  readonly request: ShardRequest | undefined;
  readonly defaults: ShardOptions | undefined;
  /** The unsharded chunk guess (zarr-python 2's, as ZarrIO writes every format). */
  readonly guess: (shape: readonly number[]) => number[];
}

const ONE_MIB = 1024 * 1024;

/** zarr-python 3's `_guess_chunks(..., max_bytes=1 MiB)`: the inner chunks of a sharded array. */
export function guessInnerChunks(shape: readonly number[], elementBytes: number): number[] {
  return guessChunks(shape.map((d) => Math.max(d, 1)), elementBytes, { base: 256 * 1024, min: 128 * 1024, max: ONE_MIB });
}

/** zarr-python 3's automatic shard shape for these chunks. */
export function autoShardShape(shape: readonly number[], chunks: readonly number[], elementBytes: number, targetShardBytes?: number): number[] {
  if (targetShardBytes === undefined) return chunks.map((c, i) => (Math.floor(shape[i]! / c) > 8 ? c * 2 : c));
  const chunkBytes = product(chunks) * elementBytes;
  let k = 1;
  if (chunkBytes <= targetShardBytes && chunks.length > 0) {
    while (chunkBytes * (k + 1) ** chunks.length <= targetShardBytes && chunks.every((c, i) => c * (k + 1) <= shape[i]!)) k++;
  }
  return chunks.map((c) => c * k);
}

/** Bytes per element for the automatic choices: the item size, 1 for variable-length elements. */
export function elementBytes(dtype: Dtype): number {
  return isObjectStored(dtype) ? 1 : Math.max(1, itemsize(dtype));
}

/** The largest chunk no bigger than the guess on each axis that divides the shard evenly. */
function fitToShard(guess: readonly number[], shards: readonly number[]): number[] {
  return guess.map((g, i) => {
    const s = shards[i]!;
    for (let c = Math.min(g, s); c > 1; c--) if (s % c === 0) return c;
    return 1;
  });
}

/** Chunks and shards of a new v3 array (shards undefined = one stored object per chunk). */
export function planLayout(input: LayoutInput): { chunks: number[]; shards: number[] | undefined } {
  const { path, shape, dtype, defaults } = input;
  const explicit = input.chunks ? [...input.chunks] : undefined;
  const plain = (): { chunks: number[]; shards: undefined } => ({ chunks: explicit ?? input.guess(shape), shards: undefined });
  const request = input.request ?? defaults?.byPath?.[path] ?? (defaults?.auto ? "auto" : undefined);
  if (shape.length === 0 || request === false) return plain();
  if (request === "auto") {
    const chunks = explicit ?? guessInnerChunks(shape, elementBytes(dtype));
    const shards = autoShardShape(shape, chunks, elementBytes(dtype), defaults?.targetShardBytes);
    // the IO-level default leaves arrays of one chunk per shard unsharded; a dataset that asked keeps zarr-python's layout
    if (input.request === undefined && shards.every((s, i) => s === chunks[i])) return { chunks, shards: undefined };
    return { chunks, shards };
  }
  if (request !== undefined) {
    if (request.length !== shape.length) throw new InvalidInputError(`shard shape [${request.join(", ")}] of ${path} has ${request.length} axes, the dataset has ${shape.length}`, { option: "shards", path });
    const chunks = explicit ?? fitToShard(guessInnerChunks(request, elementBytes(dtype)), request);
    const problem = shardShapeProblem(request, chunks);
    if (problem) throw new InvalidInputError(`${path}: ${problem}`, { option: "shards", path });
    return { chunks, shards: [...request] };
  }
  const k = defaults?.chunksPerShard ?? 1;
  const { chunks } = plain();
  if (k <= 1) return { chunks, shards: undefined };
  const per = Math.min(k, Math.max(1, Math.ceil(Math.max(shape[0]!, 1) / chunks[0]!)));
  return { chunks, shards: per <= 1 ? undefined : chunks.map((c, i) => (i === 0 ? c * per : c)) };
}

/** Zarr v2 has no shards: a dataset that asked for them is an error, not a silent plain array. */
export function refuseV2Shards(request: ShardRequest | undefined, path: string): void {
  if (request !== undefined && request !== false) {
    throw new UnsupportedError(`${path}: ZarrDataIO shards need a Zarr v3 store (zarrFormat 3 / --format zarr3); this store is Zarr v2`, { feature: "sharding in Zarr v2", path });
  }
}

/** Validate IO-level shard options once, when the IO is made. */
export function checkShardOptions(o: ShardOptions | undefined): void {
  if (!o) return;
  if (o.chunksPerShard !== undefined && (!Number.isSafeInteger(o.chunksPerShard) || o.chunksPerShard < 1)) {
    throw new InvalidInputError(`shards.chunksPerShard must be a positive integer, got ${String(o.chunksPerShard)}`, { option: "shards" });
  }
  if (o.targetShardBytes !== undefined && (!Number.isSafeInteger(o.targetShardBytes) || o.targetShardBytes < 1)) {
    throw new InvalidInputError(`shards.targetShardBytes must be a positive integer, got ${String(o.targetShardBytes)}`, { option: "shards" });
  }
  if (o.auto && o.chunksPerShard !== undefined && o.chunksPerShard > 1) {
    throw new InvalidInputError("shards: give auto or chunksPerShard, not both", { option: "shards" });
  }
}
