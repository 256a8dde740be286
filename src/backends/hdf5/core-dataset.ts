/**
 * Datasets: creation with a full property list, info, extent, hyperslab I/O, direct chunk I/O.
 * Arguments are validated here first, so the C layer only ever sees well-formed input.
 */
import type { Hdf5Filter } from "../../data/codec-config.js";
import type { Dtype } from "../../data/dtype.js";
import { InvalidInputError } from "../../errors.js";
import { createHdf5Type, dtypeFromHdf5, type Hdf5TypeDescription } from "./core-dtype.js";
import { packStrings, unpackStrings, type H5Id, type Heap } from "./core-module.js";
import type {
  ChunkInfo, CreateDatasetOptions, DatasetInfo, H5Location, H5Object, RawChunk, Region,
} from "./core-types.js";
import { checkDims, ctx, product } from "./core-util.js";

const KNOWN_FILTERS = new Set([1, 2, 3, 4, 5, 6, 307, 32000, 32001, 32004, 32008, 32015]);
const FILL_TIME = { alloc: 0, never: 1, ifset: 2 } as const;
const ALLOC_TIME = { early: 1, late: 2, incr: 3 } as const;

export function validateCreate(o: CreateDatasetOptions, path: string): { layout: number; chunks: readonly number[] | undefined } {
  checkDims(o.shape, "shape", path);
  const rank = o.shape.length;
  if (o.maxshape) {
    if (o.maxshape.length !== rank) throw new InvalidInputError(`${path}: maxshape has rank ${o.maxshape.length}, shape has ${rank}`, { path, option: "maxshape" });
    o.maxshape.forEach((m, i) => {
      if (m === null) return;
      checkDims([m], "maxshape", path);
      if (m < o.shape[i]!) throw new InvalidInputError(`${path}: maxshape[${i}]=${m} < shape[${i}]=${o.shape[i]}`, { path, option: "maxshape" });
    });
  }
  const layoutName = o.layout ?? (o.chunks ? "chunked" : "contiguous");
  const resizable = !!o.maxshape && o.maxshape.some((m, i) => m !== o.shape[i]);
  const filters = o.filters ?? [];
  if (layoutName === "chunked") {
    if (!o.chunks) throw new InvalidInputError(`${path}: chunked layout needs chunks`, { path, option: "chunks" });
    checkDims(o.chunks, "chunks", path);
    if (o.chunks.length !== rank || rank === 0) throw new InvalidInputError(`${path}: chunks ${JSON.stringify(o.chunks)} do not match shape rank ${rank}`, { path, option: "chunks" });
    o.chunks.forEach((c, i) => {
      if (c < 1 || c > 0xffffffff) throw new InvalidInputError(`${path}: chunks[${i}]=${c} must be >= 1`, { path, option: "chunks" });
    });
  } else {
    if (o.chunks) throw new InvalidInputError(`${path}: chunks given with layout "${layoutName}"`, { path, option: "chunks" });
    if (resizable) throw new InvalidInputError(`${path}: a resizable dataset (maxshape) must be chunked`, { path, option: "maxshape" });
    if (filters.length) throw new InvalidInputError(`${path}: filters need a chunked layout`, { path, option: "filters" });
  }
  for (const f of filters) {
    if (!Number.isInteger(f.id) || !KNOWN_FILTERS.has(f.id)) {
      throw new InvalidInputError(`${path}: filter id ${f.id} is not supported (known: ${[...KNOWN_FILTERS].join(", ")})`, { path, option: "filters" });
    }
    if (f.flags !== 0 && f.flags !== 1) {
      throw new InvalidInputError(`${path}: filter ${f.id} flags must be 0 (mandatory) or 1 (optional), got ${String(f.flags)}`, { path, option: "filters" });
    }
    for (const v of f.cdValues ?? []) {
      if (!Number.isInteger(v) || v < 0 || v > 0xffffffff) throw new InvalidInputError(`${path}: filter ${f.id} cd_value ${v} is not a uint32`, { path, option: "filters" });
    }
  }
  if (o.fillTime !== undefined && !(o.fillTime in FILL_TIME)) throw new InvalidInputError(`${path}: fillTime "${o.fillTime}"`, { path, option: "fillTime" });
  if (o.allocTime !== undefined && !(o.allocTime in ALLOC_TIME)) throw new InvalidInputError(`${path}: allocTime "${o.allocTime}"`, { path, option: "allocTime" });
  return { layout: layoutName === "compact" ? 0 : layoutName === "contiguous" ? 1 : 2, chunks: o.chunks };
}

export function createDataset(heap: Heap, loc: H5Location, path: string, o: CreateDatasetOptions): H5Id {
  const m = heap.m;
  const c = ctx(loc, path, "set");
  const { layout, chunks } = validateCreate(o, c.path);
  const type = createHdf5Type(heap, o.dtype, c.path);
  let dcpl: H5Id | undefined;
  try {
    dcpl = heap.checkId(m._h5c_dcpl_create(), c);
    const p = dcpl;
    heap.scoped((s) => {
      heap.check(m._h5c_dcpl_layout(p, layout, chunks?.length ?? 0, chunks ? s.doubles(chunks) : 0), c);
      for (const f of o.filters ?? []) {
        const cd = f.cdValues ?? [];
        heap.check(m._h5c_dcpl_filter(p, f.id, f.flags, cd.length, cd.length ? s.u32s(cd) : 0), c);
      }
      if (o.fillvalue !== undefined || o.fillTime !== undefined || o.allocTime !== undefined) {
        let value = 0;
        if (o.fillvalue !== undefined) {
          const size = heap.check(m._h5c_type_size(type), c);
          if (o.fillvalue.byteLength !== size) {
            throw new InvalidInputError(`${c.path}: fill value is ${o.fillvalue.byteLength} bytes, one element is ${size}`, { path: c.path, option: "fillvalue" });
          }
          value = s.bytes(o.fillvalue);
        }
        heap.check(m._h5c_dcpl_fill(p, type, value, o.fillTime ? FILL_TIME[o.fillTime] : -1,
          o.allocTime ? ALLOC_TIME[o.allocTime] : -1), c);
      }
      if (o.trackTimes) heap.check(m._h5c_dcpl_track_times(p, 1), c);
    });
    return heap.scoped((s) => heap.checkId(m._h5c_dataset_create(loc.id, s.str(path), type, o.shape.length,
      s.doubles(o.shape), o.maxshape ? s.doubles(o.maxshape.map((v) => (v === null ? -1 : v))) : 0, p), c));
  } finally {
    heap.closeQuietly(dcpl);
    m._h5c_close(type);
  }
}

interface RawDatasetInfo {
  space: DatasetInfo["space"]; shape: number[]; maxshape: (number | null)[]; layout: DatasetInfo["layout"];
  chunks: number[] | null; filters: Array<{ id: number; flags: number; name: string; cd_values: number[] }>;
  fill: DatasetInfo["fill"]; fill_time: DatasetInfo["fillTime"]; alloc_time: DatasetInfo["allocTime"];
  storage_size: number; dtype: Hdf5TypeDescription;
}

export function datasetInfo(heap: Heap, ds: H5Object): DatasetInfo {
  const c = ctx(ds, "", "get");
  const raw = JSON.parse(heap.scoped(() => heap.outText(heap.check(heap.m._h5c_dataset_info(ds.id), c)))) as RawDatasetInfo;
  const filters: Hdf5Filter[] = raw.filters.map((f) => ({ id: f.id, name: f.name, flags: f.flags, cdValues: f.cd_values }));
  return {
    space: raw.space, shape: raw.shape, maxshape: raw.maxshape, layout: raw.layout, chunks: raw.chunks, filters,
    fill: raw.fill, fillTime: raw.fill_time, allocTime: raw.alloc_time, storageSize: raw.storage_size,
    hdf5Type: raw.dtype, dtype: dtypeFromHdf5(raw.dtype), itemsize: raw.dtype.size,
  };
}

/** Fill value bytes in the stored layout; undefined if the fill value is undefined. */
export function fillValue(heap: Heap, ds: H5Object, itemsize: number): Uint8Array | undefined {
  const c = ctx(ds, "", "get");
  return heap.scoped((s) => {
    const buf = s.alloc(itemsize);
    const defined = heap.check(heap.m._h5c_dataset_fill_value(ds.id, buf, itemsize), c);
    return defined ? heap.u8.slice(buf, buf + itemsize) : undefined;
  });
}

export function setExtent(heap: Heap, ds: H5Object, shape: readonly number[]): void {
  const c = ctx(ds, "", "set");
  checkDims(shape, "shape", c.path);
  heap.scoped((s) => heap.check(heap.m._h5c_dataset_set_extent(ds.id, shape.length, s.doubles(shape)), c));
}

/** The memory type for raw I/O: the stored type itself unless a conversion was asked for. */
function withMemType<T>(heap: Heap, ds: H5Object, memDtype: Dtype | undefined, fn: (t: H5Id, size: number) => T): T {
  const c = ctx(ds, "", "get");
  const t = memDtype ? createHdf5Type(heap, memDtype, c.path) : heap.checkId(heap.m._h5c_dataset_type(ds.id), c);
  try {
    return fn(t, heap.check(heap.m._h5c_type_size(t), c));
  } finally {
    heap.m._h5c_close(t);
  }
}

function selection(region: Region | undefined, path: string): { rank: number; start: readonly number[]; count: readonly number[]; n: number | undefined } {
  if (!region) return { rank: -1, start: [], count: [], n: undefined };
  checkDims(region.start, "start", path);
  checkDims(region.count, "count", path);
  if (region.start.length !== region.count.length) throw new InvalidInputError(`${path}: start and count differ in rank`, { path, option: "selection" });
  return { rank: region.start.length, start: region.start, count: region.count, n: product(region.count) };
}

export function readRaw(heap: Heap, ds: H5Object, region: Region | undefined, memDtype: Dtype | undefined, total: () => number): Uint8Array {
  const c = ctx(ds, "", "get");
  const sel = selection(region, c.path);
  return withMemType(heap, ds, memDtype, (t, size) => heap.scoped((s) => {
    const bytes = (sel.n ?? total()) * size;
    const buf = s.alloc(bytes);
    heap.check(heap.m._h5c_dataset_read(ds.id, t, sel.rank, s.doubles(sel.start), s.doubles(sel.count), buf, bytes), c);
    return heap.u8.slice(buf, buf + bytes);
  }));
}

export function writeRaw(heap: Heap, ds: H5Object, region: Region | undefined, data: Uint8Array, memDtype: Dtype | undefined): void {
  const c = ctx(ds, "", "set");
  const sel = selection(region, c.path);
  withMemType(heap, ds, memDtype, (t) => heap.scoped((s) => {
    heap.check(heap.m._h5c_dataset_write(ds.id, t, sel.rank, s.doubles(sel.start), s.doubles(sel.count), s.bytes(data), data.byteLength), c);
  }));
}

export function readStrings(heap: Heap, ds: H5Object, region: Region | undefined, total: () => number): string[] {
  const c = ctx(ds, "", "get");
  const sel = selection(region, c.path);
  const n = sel.n ?? total();
  return heap.scoped((s) => {
    const len = heap.check(heap.m._h5c_dataset_read_strings(ds.id, sel.rank, s.doubles(sel.start), s.doubles(sel.count)), c);
    return unpackStrings(heap.out(len), n);
  });
}

export function writeStrings(heap: Heap, ds: H5Object, region: Region | undefined, values: readonly string[]): void {
  const c = ctx(ds, "", "set");
  const sel = selection(region, c.path);
  const packed = packStrings(values, c.path);
  heap.scoped((s) => heap.check(heap.m._h5c_dataset_write_strings(ds.id, sel.rank, s.doubles(sel.start),
    s.doubles(sel.count), s.bytes(packed), packed.byteLength, values.length), c));
}

// ---------------------------------------------------------------- direct chunk I/O

export function writeChunk(heap: Heap, ds: H5Object, offset: readonly number[], data: Uint8Array, filterMask: number): void {
  const c = ctx(ds, "", "set");
  checkDims(offset, "chunk offset", c.path);
  if (!Number.isInteger(filterMask) || filterMask < 0 || filterMask > 0xffffffff) {
    throw new InvalidInputError(`${c.path}: filter mask ${filterMask}`, { path: c.path, option: "filterMask" });
  }
  if (data.byteLength === 0) throw new InvalidInputError(`${c.path}: empty chunk`, { path: c.path });
  heap.scoped((s) => heap.check(heap.m._h5c_chunk_write(ds.id, s.doubles(offset), filterMask >>> 0, s.bytes(data), data.byteLength), c));
}

export function chunkInfoAt(heap: Heap, ds: H5Object, offset: readonly number[]): ChunkInfo | undefined {
  const c = ctx(ds, "", "get");
  checkDims(offset, "chunk offset", c.path);
  return heap.scoped((s) => {
    const mask = s.alloc(4), as = s.alloc(16);
    const stored = heap.check(heap.m._h5c_chunk_info_at(ds.id, s.doubles(offset), mask, as), c);
    if (!stored) return undefined;
    const [addr, size] = s.readDoubles(as, 2) as [number, number];
    return { offset: [...offset], filterMask: s.readU32(mask), addr, size };
  });
}

export function readChunk(heap: Heap, ds: H5Object, offset: readonly number[]): RawChunk | undefined {
  const info = chunkInfoAt(heap, ds, offset);
  if (!info) return undefined;
  const c = ctx(ds, "", "get");
  return heap.scoped((s) => {
    const buf = s.alloc(info.size), mask = s.alloc(4);
    const n = heap.check(heap.m._h5c_chunk_read(ds.id, s.doubles(offset), buf, info.size, mask), c);
    return { data: heap.u8.slice(buf, buf + n), filterMask: s.readU32(mask) };
  });
}

export function chunkCount(heap: Heap, ds: H5Object): number {
  return heap.scoped(() => heap.check(heap.m._h5c_chunk_count(ds.id), ctx(ds, "", "list")));
}

export function chunkInfoByIndex(heap: Heap, ds: H5Object, index: number, rank: number): ChunkInfo {
  const c = ctx(ds, "", "list");
  if (!Number.isSafeInteger(index) || index < 0) throw new InvalidInputError(`${c.path}: chunk index ${index}`, { path: c.path });
  return heap.scoped((s) => {
    const off = s.alloc(8 * Math.max(rank, 1)), mask = s.alloc(4), as = s.alloc(16);
    heap.check(heap.m._h5c_chunk_info(ds.id, index, off, mask, as), c);
    const [addr, size] = s.readDoubles(as, 2) as [number, number];
    return { offset: s.readDoubles(off, rank), filterMask: s.readU32(mask), addr, size };
  });
}
