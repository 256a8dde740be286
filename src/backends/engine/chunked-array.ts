/**
 * The chunked-array engine both backends run on: region reads that fetch and decode only the
 * chunks a selection touches (in parallel, bounded; never-written chunks read as the fill
 * value), region writes with read-modify-write of partial chunks, a sink for the chunk planner
 * (whole storage units, encoded in parallel through one bounded queue so memory stays at a
 * few chunks), raw chunk copies, resize, and the dataset path plus chunk name on every error.
 * A backend supplies a ChunkStore (where one chunk's bytes live) and a ChunkCodec.
 */
import { CodecError, FormatError, InvalidInputError, isHdmfError, UnsupportedError } from "../../errors.js";
import { copySelection, full, NdArray, type FillValue, type Scalar } from "../../data/ndarray.js";
import { gridCells, product, resolveSelection, type Selection } from "../../data/selection.js";
import type { RawChunk } from "../../data/data-source.js";
import type { Dtype, TypedArray } from "../../data/dtype.js";
import { mapLimit, TaskQueue } from "../../data/queue.js";
import { releaseStaging, stagingArray } from "../../data/staging.js";
import { elementSize, isFixedSize } from "../../data/element-bytes.js";
import type { Box, ChunkSink, PlannedChunk } from "../chunk-plan.js";
import type { ChunkCodec } from "./chunk-codec.js";
import type { ChunkStore, StoredChunk } from "./chunk-store.js";

export interface ChunkedArrayOptions {
  /** Names the dataset in errors ("file.nwb:/acquisition/x/data", "/x"). */
  readonly name: string;
  readonly dtype: Dtype;
  readonly shape: readonly number[];
  readonly chunks: readonly number[];
  readonly fill: FillValue;
  /** Chunks fetched and decoded at once by a read. */
  readonly concurrency: number;
  /** Storage units encoded and stored at once by a write (bounds write memory). */
  readonly writeConcurrency?: number;
}

type Sel = Array<[number, number, number]>;

/** Per-axis pieces of a selection inside one grid cell. */
export interface CellPart { readonly unitSel: Sel; readonly outSel: Sel }

export class ChunkedArray {
  readonly name: string;
  readonly dtype: Dtype;
  readonly chunks: readonly number[];
  readonly fill: FillValue;
  readonly #store: ChunkStore;
  readonly #codec: ChunkCodec;
  readonly #concurrency: number;
  readonly #queue: TaskQueue;
  #shape: number[];

  constructor(store: ChunkStore, codec: ChunkCodec, o: ChunkedArrayOptions) {
    this.#store = store;
    this.#codec = codec;
    this.name = o.name;
    this.dtype = o.dtype;
    this.chunks = o.chunks;
    this.fill = o.fill;
    this.#shape = [...o.shape];
    this.#concurrency = Math.max(1, o.concurrency);
    this.#queue = new TaskQueue(o.writeConcurrency ?? o.concurrency);
  }

  get shape(): readonly number[] {
    return this.#shape;
  }

  get codec(): ChunkCodec {
    return this.#codec;
  }

  /** The grid unit one write handles: a chunk, or a shard. */
  get unit(): readonly number[] {
    return this.#store.unit ?? this.chunks;
  }

  /**
   * Read a region (h5py selection semantics); only the chunks it touches are fetched.
   *
   * A unit-step selection of numbers stored in host byte order whose codecs run on the worker
   * pool (blosc, zstd, shuffle, ...) is decoded straight into the result: its typed array views a
   * SharedArrayBuffer, and the worker that decodes a chunk copies the chunk's part into it, so the
   * decoded bytes never reach this thread. Such a result is an ordinary NdArray, except that its
   * `data.buffer` is a SharedArrayBuffer (it cannot be in a postMessage transfer list; `.slice()`
   * gives a copy over a plain ArrayBuffer). Other reads fill a plain array.
   */
  async read(selection: Selection = []): Promise<NdArray> {
    const slab = resolveSelection(this.#shape, selection);
    const direct = this.#codec.decodesInto && slab.step.every((s) => s === 1);
    const out = full(this.dtype, slab.count, this.fill, direct);
    if (product(slab.count) === 0) return out.reshape(slab.outShape);
    const cells = cellsOf(slab.start, slab.count, slab.step, this.chunks);
    const take = async (s: StoredChunk, coords: readonly number[], part: CellPart) => {
      if (direct) await this.#decodeInto(s, coords, part, out);
      else copySelection(await this.decode(s, coords), part.unitSel, out, part.outSel);
    };
    if (this.#store.getMany) {
      // Fetch a window of chunks in one call while the previous window decodes.
      for await (const { batch, stored } of this.#windows(cells)) {
        await mapLimit(batch, this.#concurrency, async ({ coords, part }, j) => {
          const s = stored[j];
          if (s) await take(s, coords, part);
        });
      }
      return out.reshape(slab.outShape);
    }
    await mapLimit(cells, this.#concurrency, async ({ coords, part }) => {
      const s = await this.#store.get(coords);
      if (s) await take(s, coords, part);
    });
    return out.reshape(slab.outShape);
  }

  /** Decode chunk `coords` straight into `out` (over a SharedArrayBuffer); failures as in {@link decode}. */
  async #decodeInto(stored: StoredChunk, coords: readonly number[], part: CellPart, out: NdArray): Promise<void> {
    const buffer = (out.data as TypedArray).buffer as SharedArrayBuffer;
    try {
      await this.#codec.decodeInto(stored, this.#store.label(coords), { buffer, shape: out.shape, sel: part.outSel, chunkSel: part.unitSel });
    } catch (e) {
      throw this.#failure(e, coords, "decode");
    }
  }

  /** Windows of `items` with their stored chunks from `getMany`, the next window fetched ahead. */
  async *#windows<T extends { coords: readonly number[] }>(items: readonly T[]): AsyncGenerator<{ batch: readonly T[]; stored: Array<StoredChunk | undefined> }> {
    // ~64 MiB of decoded chunks per window (two windows in flight): enough parallel requests to
    // fill a network link, bounded memory
    const chunkBytes = product(this.chunks) * (isFixedSize(this.dtype) ? elementSize(this.dtype) : 8);
    const size = Math.min(1024, Math.max(16, this.#concurrency * 4, Math.floor((64 << 20) / Math.max(1, chunkBytes))));
    const fetch = (i: number) => {
      const batch = items.slice(i, i + size);
      const p = this.#store.getMany!(batch.map((c) => c.coords));
      p.catch(() => undefined); // surfaced when awaited
      return { batch, p };
    };
    let next = items.length ? fetch(0) : undefined;
    for (let i = 0; next; i += size) {
      const cur = next;
      next = i + size < items.length ? fetch(i + size) : undefined;
      try {
        yield { batch: cur.batch, stored: await cur.p };
      } finally {
        if (next) await next.p.catch(() => undefined);
      }
    }
  }

  /** Decode one chunk; undefined when it was never written. */
  async readChunk(coords: readonly number[]): Promise<NdArray | undefined> {
    const stored = await this.#store.get(coords);
    return stored ? this.decode(stored, coords) : undefined;
  }

  /** Decode stored bytes of chunk `coords`; failures name the dataset and the chunk. */
  async decode(stored: StoredChunk, coords: readonly number[]): Promise<NdArray> {
    try {
      return await this.#codec.decode(stored, this.#store.label(coords));
    } catch (e) {
      throw this.#failure(e, coords, "decode");
    }
  }

  /** Every stored chunk, still encoded, in grid order. */
  async *rawChunks(): AsyncIterable<RawChunk> {
    if (this.#store.list && this.#store.getMany) {
      const all: Array<{ coords: readonly number[] }> = [];
      for await (const coords of this.#store.list()) all.push({ coords });
      for await (const { batch, stored } of this.#windows(all)) {
        for (let j = 0; j < batch.length; j++) {
          const c = stored[j];
          if (c) yield { coords: batch[j]!.coords, bytes: c.bytes, filterMask: c.filterMask };
        }
      }
      return;
    }
    if (this.#store.list) {
      for await (const coords of this.#store.list()) {
        const c = await this.#store.get(coords);
        if (c) yield { coords, bytes: c.bytes, filterMask: c.filterMask };
      }
      return;
    }
    const grid = gridOf(this.#shape, this.chunks);
    for (const coords of gridCells(grid.map(() => 0), grid.map((g) => g - 1))) {
      const c = await this.#store.get(coords);
      if (c) yield { coords, bytes: c.bytes, filterMask: c.filterMask };
    }
  }

  /** How many chunks are stored. */
  async storedChunkCount(): Promise<number> {
    let n = 0;
    for await (const _c of this.rawChunks()) n++;
    return n;
  }

  /** Store a chunk already encoded with this array's pipeline (export's raw copy). */
  async writeRawChunk(coords: readonly number[], bytes: Uint8Array, filterMask = 0): Promise<void> {
    if (!this.#store.rawWrites) throw new UnsupportedError(`${this.name}: raw chunk writes into a sharded array`, { feature: "raw chunk write into a shard", path: this.name });
    await this.#store.set(coords, { bytes, filterMask });
  }

  /** A ChunkSink for the planner: units are chunks, or whole shards when sharded. */
  sink(): ChunkSink {
    return {
      resize: async (shape) => {
        await this.settleBeforeResize(shape);
        await this.resize(shape);
      },
      writeChunk: async (planned) => this.#queue.push(planned.coords.join(","), () => this.writeUnit(planned)),
    };
  }

  /**
   * Before a resize: a shrink waits for every queued write (the store drops what lies outside
   * the new shape); growing does not, so a dataset growing along an unlimited axis as an
   * iterator's blocks arrive keeps encoding chunks in parallel.
   */
  async settleBeforeResize(shape: readonly number[]): Promise<void> {
    if (shape.some((d, i) => d < (this.#shape[i] ?? 0))) await this.drain();
  }

  /** Wait for every queued encode/store; rethrows the first failure. */
  async drain(): Promise<void> {
    await this.#queue.drain();
  }

  /** Let queued writes settle after a failure, so none rejects unobserved. */
  async abandon(): Promise<void> {
    await this.#queue.drain().catch(() => undefined);
  }

  /** Encode and store one planned unit (chunk or shard); incomplete units are merged with what is stored. */
  async writeUnit(planned: PlannedChunk): Promise<void> {
    const unit = this.unit;
    if (unit.every((u, i) => u === this.chunks[i])) {
      await this.#writeChunk(planned.coords, planned.data, planned.complete ? undefined : planned.written, planned.owned === true);
      await this.#store.commit?.(planned.coords); // a shard of one chunk (zarr-python's "auto" on a small array) is still a shard
      return;
    }
    const per = unit.map((u, i) => u / this.chunks[i]!);
    const first = planned.coords.map((c, i) => c * per[i]!);
    for (const local of gridCells(per.map(() => 0), per.map((p) => p - 1))) {
      const inner = first.map((f, a) => f + local[a]!);
      if (inner.some((c, a) => c * this.chunks[a]! >= this.#shape[a]!)) continue; // beyond the array: absent
      const region: Box = { start: local.map((l, a) => l * this.chunks[a]!), count: this.chunks };
      const cuts = planned.complete ? [region] : planned.written.map((b) => intersection(b, region)).filter((b): b is Box => b !== undefined);
      if (!cuts.length) continue; // untouched: the store keeps what it has
      const covered = planned.complete || cuts.some((c) => c.count.every((n, a) => n === this.chunks[a]!));
      const rel = cuts.map((c) => ({ start: c.start.map((s, a) => s - region.start[a]!), count: c.count }));
      await this.#writeChunk(inner, planned.data.get(boxSel(region)), covered ? undefined : rel, true);
    }
    if (planned.owned) releaseStaging(planned.data);
    await this.#store.commit?.(planned.coords);
  }

  /**
   * Encode `data` (chunk-shaped) into chunk `coords`; with `written`, only those boxes are new.
   * `owned`: `data` is the engine's (or the planner's) own buffer for this chunk, so the encode
   * may give it to a codec worker and a staging buffer is reused after; never set for an array
   * the caller may still hold.
   */
  async #writeChunk(coords: readonly number[], data: NdArray, written: readonly Box[] | undefined, owned: boolean): Promise<void> {
    let value = data;
    let disposable = owned;
    if (written) {
      const existing = (await this.readChunk(coords)) ?? full(this.dtype, this.chunks, this.fill);
      for (const b of written) copySelection(data, boxSel(b), existing, boxSel(b));
      value = existing;
      disposable = true; // decoded or filled here, for this write alone
    }
    let encoded: StoredChunk;
    try {
      encoded = await this.#codec.encode(value, disposable);
    } catch (e) {
      throw this.#failure(e, coords, "encode");
    }
    await this.#store.set(coords, encoded);
    if (owned) releaseStaging(data, encoded.bytes);
  }

  /** h5py `dset[sel] = value`: every storage unit the selection touches, read-modify-write where partial. */
  async write(selection: Selection, value: NdArray | Scalar): Promise<void> {
    const slab = resolveSelection(this.#shape, selection);
    if (product(slab.count) === 0) return;
    let src: NdArray;
    if (value instanceof NdArray) {
      const want = slab.outShape.filter((d) => d !== 1).join(",");
      const got = value.shape.filter((d) => d !== 1).join(",");
      if (want !== got) {
        throw new InvalidInputError(`cannot write shape [${value.shape}] into a selection of shape [${slab.outShape}] of ${this.name}`, { option: "data", path: this.name });
      }
      src = value.reshape(slab.count);
    } else {
      src = full(this.dtype, slab.count, value);
    }
    const unit = this.unit;
    for (const { coords, part } of cellsOf(slab.start, slab.count, slab.step, unit)) {
      const unitStart = coords.map((c, i) => c * unit[i]!);
      const buf = stagingArray(this.dtype, unit, this.fill);
      copySelection(src, part.outSel, buf, part.unitSel);
      const stepped = part.unitSel.some((s) => s[2] !== 1);
      const box = boxOfSel(part.unitSel, unitStart, this.#shape, unit);
      const complete = !stepped && box.count.every((c, i) => c === Math.min(unit[i]!, this.#shape[i]! - unitStart[i]!));
      await this.#queue.push(coords.join(","), () => this.writeUnit({ coords, data: buf, complete, written: stepped ? stepBoxes(part.unitSel) : [box], owned: true }));
    }
    await this.#queue.drain();
  }

  /** Change the extent (the backend checks maxshape); the store drops what lies outside. */
  async resize(shape: readonly number[]): Promise<void> {
    if (shape.length !== this.#shape.length || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new InvalidInputError(`cannot resize ${this.name} from [${this.#shape}] to [${shape}]`, { option: "shape", path: this.name });
    }
    const old = this.#shape;
    await this.#store.resize(shape, old);
    this.#shape = [...shape];
  }

  /** A codec failure as a CodecError naming the dataset and the chunk; other typed errors pass. */
  #failure(e: unknown, coords: readonly number[], direction: "encode" | "decode"): Error {
    const where = `chunk ${this.#store.label(coords)}`;
    if (e instanceof CodecError) {
      const why = e.message.startsWith(`${this.name}: `) ? e.message.slice(this.name.length + 2) : e.message;
      return new CodecError(`${this.name}: ${where}: ${why}`, { codecId: e.codecId, direction: e.direction ?? direction, path: this.name, cause: e });
    }
    if (isHdmfError(e)) return e;
    return new FormatError(`${this.name}: ${where} cannot be ${direction}d: ${e instanceof Error ? e.message : String(e)}`, { path: this.name, cause: e });
  }
}

export function gridOf(shape: readonly number[], unit: readonly number[]): number[] {
  return shape.map((d, i) => Math.ceil(d / unit[i]!));
}

/** Grid cells a regular selection touches, with the selection inside each cell and in the output. */
export function cellsOf(start: readonly number[], count: readonly number[], step: readonly number[], unit: readonly number[]): Array<{ coords: number[]; part: CellPart }> {
  const rank = start.length;
  const perAxis: Array<Array<{ c: number; unitSel: [number, number, number]; outSel: [number, number, number] }>> = [];
  for (let a = 0; a < rank; a++) {
    const s = start[a]!, n = count[a]!, st = step[a]!, u = unit[a]!;
    const last = s + (n - 1) * st;
    const list: (typeof perAxis)[number] = [];
    for (let c = Math.floor(s / u); c <= Math.floor(last / u); c++) {
      const u0 = c * u;
      const k0 = Math.max(0, Math.ceil((u0 - s) / st));
      const k1 = Math.min(n - 1, Math.floor((u0 + u - 1 - s) / st));
      if (k0 > k1) continue;
      list.push({ c, unitSel: [s + k0 * st - u0, s + k1 * st - u0 + 1, st], outSel: [k0, k1 + 1, 1] });
    }
    perAxis.push(list);
  }
  const out: Array<{ coords: number[]; part: CellPart }> = [];
  if (perAxis.some((l) => l.length === 0)) return out;
  for (const idx of gridCells(perAxis.map(() => 0), perAxis.map((l) => l.length - 1))) {
    out.push({
      coords: idx.map((k, a) => perAxis[a]![k]!.c),
      part: { unitSel: idx.map((k, a) => perAxis[a]![k]!.unitSel), outSel: idx.map((k, a) => perAxis[a]![k]!.outSel) },
    });
  }
  return out;
}

function boxSel(b: Box): Sel {
  return b.start.map((s, i) => [s, s + b.count[i]!, 1]);
}

function intersection(a: Box, b: Box): Box | undefined {
  const start = a.start.map((s, i) => Math.max(s, b.start[i]!));
  const stop = a.start.map((s, i) => Math.min(s + a.count[i]!, b.start[i]! + b.count[i]!));
  if (stop.some((e, i) => e <= start[i]!)) return undefined;
  return { start, count: stop.map((e, i) => e - start[i]!) };
}

/** The written box of a unit-step selection inside a unit (clipped to the array). */
function boxOfSel(sel: ReadonlyArray<readonly [number, number, number]>, unitStart: readonly number[], shape: readonly number[], unit: readonly number[]): Box {
  return {
    start: sel.map((s) => s[0]),
    count: sel.map((s, i) => Math.min(s[1], shape[i]! - unitStart[i]!, unit[i]!) - s[0]),
  };
}

/** Strided selections: one box per selected element (exact, used only for stepped writes). */
function stepBoxes(sel: ReadonlyArray<readonly [number, number, number]>): Box[] {
  const axes = sel.map(([a, b, st]) => {
    const out: number[] = [];
    for (let i = a; i < b; i += st) out.push(i);
    return out;
  });
  const boxes: Box[] = [];
  for (const idx of gridCells(axes.map(() => 0), axes.map((l) => l.length - 1))) {
    boxes.push({ start: idx.map((k, a) => axes[a]![k]!), count: idx.map(() => 1) });
  }
  return boxes;
}
