/**
 * Region reads of a chunked dataset through direct chunk reads: only the chunks the box touches
 * are fetched, decoded in TypeScript (in parallel, bounded) and copied into the box; chunks that
 * were never written read as the fill value.
 */
import { forEachRun, gridCells, product, resolveSelection } from "../../data/selection.js";
import { full, lanesOf, NdArray, type ElementArray, type Scalar } from "../../data/ndarray.js";
import type { Dtype } from "../../data/dtype.js";
import { CodecError, FormatError, isHdmfError } from "../../errors.js";
import type { ChunkPipeline } from "./chunk-pipeline.js";
import { mapOrdered } from "../../codecs/pipeline.js";
import { decodeValues, type RefCodec } from "./value-bytes.js";
import { storedItemsize } from "./type-map.js";

export interface ChunkSource {
  readonly path: string;
  readonly dtype: Dtype;
  readonly chunks: readonly number[];
  readonly pipeline: ChunkPipeline;
  readonly fill: Scalar | null;
  readonly refs: RefCodec | undefined;
  /** Raw stored chunk at a chunk-aligned element offset; undefined = never written. */
  readChunk(offset: readonly number[]): { data: Uint8Array; filterMask: number } | undefined;
  readonly concurrency: number;
}

/** Grid coordinates of every chunk the box [start, start+count) touches, C order. */
export function chunksInBox(start: readonly number[], count: readonly number[], chunks: readonly number[]): Iterable<number[]> {
  if (count.some((c) => c === 0)) return [];
  return gridCells(start.map((s, i) => Math.floor(s / chunks[i]!)), start.map((s, i) => Math.floor((s + count[i]! - 1) / chunks[i]!)));
}

/** Decode one stored chunk into a chunk-shaped NdArray; FormatError with the path on a bad size. */
export async function decodeChunk(src: ChunkSource, stored: { data: Uint8Array; filterMask: number }, coords: readonly number[]): Promise<NdArray> {
  let raw: Uint8Array;
  try {
    raw = await src.pipeline.decode(stored.data, stored.filterMask);
  } catch (e) {
    if (e instanceof CodecError) {
      // the pipeline names the dataset; add which chunk, as the Zarr read path does
      const why = e.message.startsWith(`${src.path}: `) ? e.message.slice(src.path.length + 2) : e.message;
      throw new CodecError(`${src.path}: chunk [${coords}]: ${why}`, { codecId: e.codecId, direction: e.direction ?? "decode", path: src.path, cause: e });
    }
    if (isHdmfError(e)) throw e;
    throw new FormatError(`${src.path}: chunk [${coords}] cannot be decoded: ${String(e)}`, { path: src.path, cause: e });
  }
  const n = product(src.chunks);
  const want = n * storedItemsize(src.dtype);
  if (raw.length < want) {
    throw new FormatError(`${src.path}: chunk [${coords}] decodes to ${raw.length} bytes, expected ${want}`, { path: src.path });
  }
  return decodeValues(raw, src.dtype, src.chunks, src.refs, src.path);
}

/** Read the box [start, start+count) as an NdArray of shape `count`. */
export async function readBox(src: ChunkSource, start: readonly number[], count: readonly number[]): Promise<NdArray> {
  const out = full(src.dtype, count, src.fill);
  const cs = src.chunks;
  const lanes = lanesOf(src.dtype);
  const decoded = mapOrdered(chunksInBox(start, count, cs), async (coords) => {
    const stored = src.readChunk(coords.map((c, i) => c * cs[i]!));
    return { coords, chunk: stored ? await decodeChunk(src, stored, coords) : undefined };
  }, src.concurrency);
  for await (const { coords, chunk } of decoded) {
    if (!chunk) continue; // unallocated: the fill value already there
    const cStart = coords.map((c, i) => c * cs[i]!);
    const lo = cStart.map((c, i) => Math.max(c, start[i]!));
    const hi = cStart.map((c, i) => Math.min(c + cs[i]!, start[i]! + count[i]!));
    const inChunk = resolveSelection(cs, lo.map((l, i) => [l - cStart[i]!, hi[i]! - cStart[i]!, 1] as const));
    const inOut = resolveSelection(count, lo.map((l, i) => [l - start[i]!, hi[i]! - start[i]!, 1] as const));
    copyBox(chunk.data, cs, inChunk, out.data, count, inOut, lanes);
  }
  return out;
}

type Slab = ReturnType<typeof resolveSelection>;

/** Copy a box between two C-order containers (same box shape in both). */
export function copyBox(src: ElementArray, srcShape: readonly number[], srcSlab: Slab, dst: ElementArray, dstShape: readonly number[], dstSlab: Slab, lanes: number): void {
  const dstRuns: number[] = [];
  forEachRun(dstShape, dstSlab, (off) => { dstRuns.push(off); });
  let k = 0;
  forEachRun(srcShape, srcSlab, (off, _o, len) => {
    const d = dstRuns[k++]!;
    if (ArrayBuffer.isView(src) && ArrayBuffer.isView(dst)) {
      (dst as Uint8Array).set((src as Uint8Array).subarray(off * lanes, (off + len) * lanes), d * lanes);
    } else {
      const s = src as unknown[];
      const t = dst as unknown[];
      for (let i = 0; i < len; i++) t[d + i] = s[off + i];
    }
  });
}

export { NdArray };
