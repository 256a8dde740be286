/**
 * Staging buffers: the chunk-shaped numeric arrays a write builds for one encode (the planner's
 * copy of a block, a chunk being filled) live in SharedArrayBuffers that are reused, chunk after
 * chunk. A codec worker reads a shared buffer in place (no copy, no transfer), and a reused buffer
 * is already resident: a fresh 8 MiB array costs a page fault per 4 KiB on first write, which made
 * its copy ~10x slower than a copy into warm memory and kept the collector busy (V8 schedules
 * collections by the bytes of new ArrayBuffers).
 *
 * A buffer goes back with {@link releaseStaging} once its encode and store write are done. Free
 * buffers are bounded (FREE_LIMIT bytes) and dropped after a second without staging work.
 */
import { fillNumeric, full, NdArray, type FillValue } from "./ndarray.js";
import { NUMERIC_TABLE, type Dtype, type TypedArray } from "./dtype.js";
import { product } from "./selection.js";

const FREE_LIMIT = 64 * 1024 * 1024;
const IDLE_MS = 1000;

const free = new Map<number, SharedArrayBuffer[]>();
const ours = new WeakSet<SharedArrayBuffer>();
let freeBytes = 0;
let used = false;
let timer: ReturnType<typeof setTimeout> | undefined;

/**
 * A `shape` array of `dtype` for one chunk's encode, filled with `fill` (`undefined`: contents
 * unspecified, for a caller that overwrites every element). Numeric dtypes get a reused shared
 * buffer; others an ordinary array.
 */
export function stagingArray(dtype: Dtype, shape: readonly number[], fill?: FillValue): NdArray {
  if (dtype.kind !== "numeric") return full(dtype, shape, fill ?? null);
  const info = NUMERIC_TABLE[dtype.name];
  const bytes = product(shape) * info.itemsize;
  const sab = free.get(bytes)?.pop();
  if (!sab) {
    const fresh = full(dtype, shape, fill ?? null, true);
    ours.add((fresh.data as TypedArray).buffer as SharedArrayBuffer);
    return fresh;
  }
  freeBytes -= bytes;
  used = true;
  const data = new info.ctor(sab as unknown as ArrayBuffer);
  if (fill !== undefined) fillNumeric(data, dtype, fill);
  return new NdArray(data, shape, dtype);
}

/**
 * Give a staging array's buffer back for reuse. `kept`: bytes a store may hold on to (a chunk
 * stored without a codec is the staging bytes themselves); a buffer they view is not reused.
 * Arrays that did not come from {@link stagingArray} are ignored.
 */
export function releaseStaging(a: NdArray, kept?: Uint8Array): void {
  const buffer = (a.data as TypedArray).buffer;
  if (!(buffer instanceof SharedArrayBuffer) || !ours.has(buffer) || kept?.buffer === buffer) return;
  if (freeBytes + buffer.byteLength > FREE_LIMIT) return;
  const list = free.get(buffer.byteLength) ?? [];
  if (list.includes(buffer)) return;
  list.push(buffer);
  free.set(buffer.byteLength, list);
  freeBytes += buffer.byteLength;
  timer ??= setTimeout(sweep, IDLE_MS).unref();
}

/** Drop the free buffers once a second has passed without staging work. */
function sweep(): void {
  timer = undefined;
  if (used) {
    used = false;
    timer = setTimeout(sweep, IDLE_MS).unref();
    return;
  }
  free.clear();
  freeBytes = 0;
}
