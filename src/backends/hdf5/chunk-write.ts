/**
 * Chunk writes through the shared pipeline: the chunk planner hands over chunk-shaped buffers,
 * they are encoded in parallel (a bounded number in flight, so memory stays flat) and stored
 * with direct chunk write in the order they came. A chunk the planner could not complete is
 * merged with what is stored (read-modify-write through the same pipeline) or with the fill.
 */
import { resolveSelection } from "../../data/selection.js";
import { lanesOf, type NdArray } from "../../data/ndarray.js";
import type { ChunkSink, PlannedChunk } from "../chunk-plan.js";
import { copyBox, decodeChunk, type ChunkSource } from "./chunk-read.js";
import type { EncodedChunk } from "./chunk-pipeline.js";
import { encodeValues } from "./value-bytes.js";

export interface ChunkTarget extends ChunkSource {
  writeChunk(offset: readonly number[], data: Uint8Array, filterMask: number): void;
  resize(shape: readonly number[]): Promise<void>;
}

interface Pending { coords: readonly number[]; key: string; encoded: Promise<EncodedChunk> }

export class ChunkWriter implements ChunkSink {
  readonly #t: ChunkTarget;
  readonly #queue: Pending[] = [];
  readonly #inFlight = new Set<string>();
  #written = 0;

  constructor(target: ChunkTarget) {
    this.#t = target;
  }

  /** Chunks stored so far. */
  get chunksWritten(): number { return this.#written; }

  async resize(shape: readonly number[]): Promise<void> {
    await this.drain();
    await this.#t.resize(shape);
  }

  async writeChunk(chunk: PlannedChunk): Promise<void> {
    const key = chunk.coords.join(",");
    let data = chunk.data;
    if (!chunk.complete) {
      // The stored chunk may still be on its way: store it first, then merge.
      if (this.#inFlight.has(key)) await this.drain();
      data = await this.#merge(chunk);
    }
    this.#submit(chunk.coords, key, data);
    while (this.#queue.length >= this.#t.concurrency) await this.#storeOne();
  }

  /** Encode and store everything still queued. */
  async drain(): Promise<void> {
    while (this.#queue.length) await this.#storeOne();
  }

  /** Let queued encodes settle after a failure, so none rejects unobserved. */
  async abandon(): Promise<void> {
    const rest = this.#queue.splice(0);
    this.#inFlight.clear();
    await Promise.allSettled(rest.map((p) => p.encoded));
  }

  #submit(coords: readonly number[], key: string, data: NdArray): void {
    const raw = encodeValues(data, this.#t.dtype, this.#t.refs, this.#t.path);
    const encoded = this.#t.pipeline.encode(raw);
    encoded.catch(() => undefined); // observed in #storeOne, in order
    this.#queue.push({ coords, key, encoded });
    this.#inFlight.add(key);
  }

  async #storeOne(): Promise<void> {
    const head = this.#queue[0]!;
    const enc = await head.encoded;
    this.#queue.shift();
    const cs = this.#t.chunks;
    this.#t.writeChunk(head.coords.map((c, i) => c * cs[i]!), enc.bytes, enc.filterMask);
    if (!this.#queue.some((p) => p.key === head.key)) this.#inFlight.delete(head.key);
    this.#written++;
  }

  async #merge(chunk: PlannedChunk): Promise<NdArray> {
    const t = this.#t;
    const cs = t.chunks;
    const stored = t.readChunk(chunk.coords.map((c, i) => c * cs[i]!));
    if (!stored) return chunk.data; // unwritten elements already hold the fill value
    const base = await decodeChunk(t, stored, chunk.coords);
    const lanes = lanesOf(t.dtype);
    for (const box of chunk.written) {
      const slab = resolveSelection(cs, box.start.map((s, i) => [s, s + box.count[i]!, 1] as const));
      copyBox(chunk.data.data, cs, slab, base.data, cs, slab, lanes);
    }
    return base;
  }
}
