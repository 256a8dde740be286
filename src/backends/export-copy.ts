/**
 * Export's data copy for one numeric dataset, after the destination created it empty with the
 * source's layout: chunk by chunk, a bounded number in flight, so memory stays at a few chunks.
 *
 * - Same chunk grid and pipelines that decode alike (canCopyRaw): the stored bytes are copied
 *   as they are (no decompression), e.g. HDF5 shuffle+deflate -> Zarr [shuffle] + zlib.
 * - Same grid, other pipeline: each stored chunk is read (decoded) and written (re-encoded);
 *   chunks never written in the source stay absent in the destination (sparse data stays sparse).
 * - Other grid (contiguous source, chunks clamped for HDF5): blocks of whole destination chunk
 *   rows along axis 0, a few MiB each.
 */
import { UnsupportedError } from "../errors.js";
import type { RawChunk, StoredDataset } from "../data/data-source.js";
import { itemsize } from "../data/dtype.js";
import type { NdArray } from "../data/ndarray.js";
import { product } from "../data/selection.js";
import { canCopyRaw } from "../codecs/mapping.js";
import { pipelineOf } from "../codecs/counterparts.js";
import { TaskQueue } from "../data/queue.js";
import type { DatasetHandle } from "./io.js";

export interface CopyTick {
  /** Logical (decoded) bytes of the region just copied. */
  readonly bytes: number;
  readonly raw: boolean;
}

export interface CopyOptions {
  readonly concurrency?: number;
  /** Most bytes per block when grids differ (default 16 MiB). */
  readonly blockBytes?: number;
  readonly signal?: AbortSignal;
  readonly onChunk?: (tick: CopyTick) => void;
}

export interface CopyResult {
  rawChunks: number;
  decodedChunks: number;
}

/** Copy every stored value of `src` into `dst` (same shape, created empty). */
export async function copyDatasetData(src: StoredDataset, dst: DatasetHandle, options: CopyOptions = {}): Promise<CopyResult> {
  const result: CopyResult = { rawChunks: 0, decodedChunks: 0 };
  if (src.shape.length === 0 || product(src.shape) === 0) return result;
  const s = src.storage, d = dst.storage;
  const sameGrid = s.layout === "chunked" && d.layout === "chunked" && s.chunks !== null && d.chunks !== null
    && s.chunks.length === d.chunks.length && s.chunks.every((c, i) => c === d.chunks![i]) && typeof src.rawChunks === "function";
  if (!sameGrid) {
    await copyBlocks(src, dst, options);
    result.decodedChunks = -1;
    return result;
  }
  const chunks = s.chunks!;
  let raw = src.dtype.kind === "numeric" && src.dtype.endian !== ">" && dst.dtype.kind === "numeric" && dst.dtype.endian !== ">";
  if (raw) {
    const [a, b] = await Promise.all([pipelineOf(s.codecs, src.dtype, chunks), pipelineOf(d.codecs, dst.dtype, chunks)]);
    raw = a !== undefined && b !== undefined && canCopyRaw(a, b);
  }
  const unit = itemsize(src.dtype);
  const pool = new TaskQueue(options.concurrency ?? 8);
  const copyOne = async (c: RawChunk): Promise<void> => {
    const start = c.coords.map((k, i) => k * chunks[i]!);
    const stop = start.map((x, i) => Math.min(x + chunks[i]!, src.shape[i]!));
    const bytes = product(stop.map((e, i) => e - start[i]!)) * unit;
    if (raw && c.filterMask === 0) {
      try {
        await dst.writeRawChunk(c.coords, c.bytes, 0);
        result.rawChunks++;
        options.onChunk?.({ bytes, raw: true });
        return;
      } catch (e) {
        if (!(e instanceof UnsupportedError)) throw e;
        raw = false; // e.g. a sharded Zarr v3 destination: re-encode from here on
      }
    }
    const sel = start.map((x, i) => [x, stop[i]!, 1] as [number, number, number]);
    const data: NdArray = await src.read(sel);
    await dst.write(sel, data);
    result.decodedChunks++;
    options.onChunk?.({ bytes, raw: false });
  };
  for await (const c of src.rawChunks!()) {
    options.signal?.throwIfAborted();
    await pool.push(c.coords.join(","), () => copyOne(c));
  }
  await pool.drain();
  return result;
}

/** Copy in blocks of whole rows along axis 0 (aligned to the destination's chunk rows). */
async function copyBlocks(src: StoredDataset, dst: DatasetHandle, options: CopyOptions): Promise<void> {
  const rowBytes = Math.max(1, product(src.shape.slice(1)) * Math.max(1, itemsize(src.dtype)));
  const align = dst.storage.layout === "chunked" && dst.storage.chunks ? dst.storage.chunks[0]! : 1;
  const budget = options.blockBytes ?? 16 * 1024 * 1024;
  const rows = Math.max(align, Math.floor(budget / rowBytes / align) * align);
  for (let r = 0; r < src.shape[0]!; r += rows) {
    options.signal?.throwIfAborted();
    const stop = Math.min(r + rows, src.shape[0]!);
    const sel = src.shape.map((n, i) => (i === 0 ? [r, stop, 1] : [0, n, 1]) as [number, number, number]);
    await dst.write(sel, await src.read(sel));
    options.onChunk?.({ bytes: (stop - r) * rowBytes, raw: false });
  }
}
