/**
 * Writing into a stored array: whole storage units from the chunk planner (complete units are
 * encoded without reading anything; incomplete ones are merged with what is stored), region
 * writes with read-modify-write per chunk, and resize. Encodes run in parallel through a
 * bounded TaskQueue, so memory stays at `concurrency` chunks however large the data.
 */
import { InvalidInputError, UnsupportedError } from "../../errors.js";
import { full, NdArray, type Scalar } from "../../data/ndarray.js";
import { product, resolveSelection, type Selection } from "../../data/selection.js";
import type { Box, ChunkSink, PlannedChunk } from "../chunk-plan.js";
import { storageUnit, storedKey, type ArrayMeta } from "./array-meta.js";
import { ZarrArray, cellsOf, gridCells, makeChunkCodec, type ArrayContext } from "./array.js";
import { TaskQueue } from "./task-queue.js";
import { encodeShard, innerCount, innerGrid, innerCoords } from "./sharding.js";
import { gridShape } from "./array-meta.js";

export class WritableZarrArray extends ZarrArray {
  readonly #queue: TaskQueue;
  readonly #onMetaChange: (meta: ArrayMeta) => void;

  constructor(ctx: ArrayContext, meta: ArrayMeta, codec: Awaited<ReturnType<typeof makeChunkCodec>>, onMetaChange: (meta: ArrayMeta) => void, writeConcurrency = ctx.concurrency) {
    super(ctx, meta, codec);
    this.#queue = new TaskQueue(writeConcurrency);
    this.#onMetaChange = onMetaChange;
  }

  static async openWritable(ctx: ArrayContext, meta: ArrayMeta, onMetaChange: (meta: ArrayMeta) => void, writeConcurrency?: number): Promise<WritableZarrArray> {
    return new WritableZarrArray(ctx, meta, await makeChunkCodec(ctx, meta), onMetaChange, writeConcurrency);
  }

  /** A ChunkSink for the planner: units are chunks, or whole shards when sharded. */
  sink(): ChunkSink {
    return {
      resize: async (shape) => this.resize(shape),
      writeChunk: async (planned) => this.#queue.push(planned.coords.join(","), () => this.writeUnit(planned)),
    };
  }

  /** Wait for every queued encode/store; rethrows the first failure. */
  async drain(): Promise<void> {
    await this.#queue.drain();
  }

  /** Encode and store one planned unit (chunk or shard). */
  async writeUnit(planned: PlannedChunk): Promise<void> {
    if (this.meta.shards) return this.#writeShard(planned);
    const key = storedKey(this.meta, planned.coords);
    let data = planned.data;
    if (!planned.complete) {
      const existing = (await this.readChunk(planned.coords)) ?? this.fillChunk();
      for (const b of planned.written) existing.set(boxSel(b), data.get(boxSel(b)));
      data = existing;
    }
    await this.ctx.store.set(key, await this.codec.encode(data));
  }

  async #writeShard(planned: PlannedChunk): Promise<void> {
    const shards = this.meta.shards!;
    const chunks = this.meta.chunks;
    const per = innerGrid(shards, chunks);
    const n = innerCount(per);
    const key = storedKey(this.meta, planned.coords);
    const firstInner = planned.coords.map((c, i) => c * per[i]!);
    const encoded: Array<Uint8Array | undefined> = new Array(n);
    for (let i = 0; i < n; i++) {
      const local = innerCoords(i, per);
      const region: Box = { start: local.map((l, a) => l * chunks[a]!), count: chunks };
      const touched = planned.complete || planned.written.some((b) => intersects(b, region));
      const inner = firstInner.map((f, a) => f + local[a]!);
      if (inner.some((c, a) => c * chunks[a]! >= this.meta.shape[a]!)) continue; // beyond the array: absent
      if (!touched) {
        encoded[i] = planned.complete ? undefined : await this.readChunkBytes(inner);
        continue;
      }
      let data = planned.data.get(boxSel(region));
      if (!planned.complete && !planned.written.some((b) => covers(b, region))) {
        const existing = (await this.readChunk(inner)) ?? this.fillChunk();
        for (const b of planned.written) {
          const cut = intersection(b, region);
          if (!cut) continue;
          const rel: Box = { start: cut.start.map((s, a) => s - region.start[a]!), count: cut.count };
          existing.set(boxSel(rel), planned.data.get(boxSel(cut)));
        }
        data = existing;
      }
      encoded[i] = await this.codec.encode(data);
    }
    this.forgetShard(key);
    await this.ctx.store.set(key, encodeShard(encoded, this.meta.shardIndexCrc ?? true));
    this.forgetShard(key);
  }

  /** Store one already-encoded chunk as is (export's raw copy). Sharded arrays re-encode instead. */
  async writeRawChunk(coords: readonly number[], bytes: Uint8Array): Promise<void> {
    if (this.meta.shards) throw new UnsupportedError(`${this.meta.path}: raw chunk writes into a sharded array`, { feature: "raw chunk write into a shard", path: this.meta.path });
    await this.ctx.store.set(storedKey(this.meta, coords), bytes);
  }

  /** h5py `dset[sel] = value`: read-modify-write of every chunk the selection touches. */
  async writeSelection(selection: Selection, value: NdArray | Scalar): Promise<void> {
    const slab = resolveSelection(this.meta.shape, selection);
    if (product(slab.count) === 0) return;
    let src: NdArray;
    if (value instanceof NdArray) {
      const want = slab.outShape.filter((d) => d !== 1).join(",");
      const got = value.shape.filter((d) => d !== 1).join(",");
      if (want !== got) {
        throw new InvalidInputError(`cannot write shape [${value.shape}] into a selection of shape [${slab.outShape}] of ${this.meta.path}`, { option: "data", path: this.meta.path });
      }
      src = value.reshape(slab.count);
    } else {
      src = full(this.meta.dtype, slab.count, value);
    }
    const unit = storageUnit(this.meta);
    for (const { coords, part } of cellsOf(slab.start, slab.count, slab.step, unit)) {
      const unitStart = coords.map((c, i) => c * unit[i]!);
      const buf = full(this.meta.dtype, unit, this.meta.fill);
      buf.set(part.unitSel, src.get(part.outSel));
      const written: Box[] = [boxOfSel(part.unitSel, unitStart, this.meta.shape, unit)];
      const stepped = part.unitSel.some((s) => s[2] !== 1);
      const complete = !stepped && written[0]!.count.every((c, i) => c === Math.min(unit[i]!, this.meta.shape[i]! - unitStart[i]!));
      await this.#queue.push(coords.join(","), () => this.writeUnit({ coords, data: buf, complete, written: stepped ? stepBoxes(part.unitSel) : written }));
    }
    await this.#queue.drain();
  }

  /** Change the extent; chunks wholly outside the new shape are deleted (as zarr-python does). */
  async resize(shape: readonly number[]): Promise<void> {
    if (shape.length !== this.meta.shape.length || shape.some((d) => !Number.isSafeInteger(d) || d < 0)) {
      throw new InvalidInputError(`cannot resize ${this.meta.path} from [${this.meta.shape}] to [${shape}]`, { option: "shape", path: this.meta.path });
    }
    const old = this.meta.shape;
    const unit = storageUnit(this.meta);
    const oldGrid = gridShape(old, unit);
    const newGrid = gridShape(shape, unit);
    this.meta.shape = [...shape];
    this.meta.doc = { ...this.meta.doc, shape: [...shape] };
    this.#onMetaChange(this.meta);
    if (newGrid.some((g, i) => g < oldGrid[i]!) && this.ctx.store.capabilities.deletes) {
      for (const coords of gridCells(oldGrid.map(() => 0), oldGrid.map((g) => g - 1))) {
        if (coords.some((c, i) => c >= newGrid[i]!)) await this.ctx.store.delete(storedKey(this.meta, coords));
      }
    }
  }
}

function boxSel(b: Box): Array<[number, number, number]> {
  return b.start.map((s, i) => [s, s + b.count[i]!, 1]);
}

function intersection(a: Box, b: Box): Box | undefined {
  const start = a.start.map((s, i) => Math.max(s, b.start[i]!));
  const stop = a.start.map((s, i) => Math.min(s + a.count[i]!, b.start[i]! + b.count[i]!));
  if (stop.some((e, i) => e <= start[i]!)) return undefined;
  return { start, count: stop.map((e, i) => e - start[i]!) };
}

function intersects(a: Box, b: Box): boolean {
  return intersection(a, b) !== undefined;
}

function covers(a: Box, b: Box): boolean {
  return b.start.every((s, i) => a.start[i]! <= s && a.start[i]! + a.count[i]! >= s + b.count[i]!);
}

/** The written box of a unit-step selection inside a unit (clipped to the array). */
function boxOfSel(sel: ReadonlyArray<readonly [number, number, number]>, unitStart: readonly number[], shape: readonly number[], unit: readonly number[]): Box {
  return {
    start: sel.map((s) => s[0]),
    count: sel.map((s, i) => Math.min(s[1], shape[i]! - unitStart[i]!, unit[i]!) - s[0]),
  };
}

/** Strided selections: one box per selected element row (exact, used only for stepped writes). */
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
