/**
 * CodecPipeline: the ordered codecs of one dataset, in encode order (Zarr v2: filters then
 * compressor; Zarr v3: the codec chain; HDF5: the filter pipeline). `encodeMany`/`decodeMany`
 * keep output order with a bounded number of chunks in flight: node:zlib codecs run on the
 * libuv pool from this thread, other built-in codecs on a worker-thread pool.
 */
import { availableParallelism } from "node:os";
import { UnsupportedError } from "../errors.js";
import { isObjectCodec, type ChunkContext, type Codec, type CodecConfig, type ObjectCodec, type ObjectValue } from "./codec.js";
import { contextChain, decodeChain, decodeChainWith, encodeChain, type Hdf5Encoded } from "./chain.js";
import { BaseCodec } from "./codec.js";
import { createDefaultRegistry } from "./default-registry.js";
import { CodecWorkerPool, sharedWorkerPool } from "./worker-pool.js";
import { copyIntoTarget, type DecodeTarget } from "./decode-target.js";
import { mapOrdered } from "../data/queue.js";
import { product } from "../data/selection.js";

/**
 * One chunk for `encodeMany`/`decodeMany`: bytes, or bytes with their own context and HDF5 filter
 * mask. `owned`: the caller gives `data` up (made for this call alone; it is not read again), so a
 * worker may take its buffer instead of a copy; the buffer is then detached.
 */
export type ChunkInput = Uint8Array | { readonly data: Uint8Array; readonly ctx?: ChunkContext; readonly filterMask?: number; readonly owned?: boolean };

/** Options of {@link CodecPipeline.encodeMany} / {@link CodecPipeline.decodeMany}. */
export interface ManyOptions {
  /** Chunks in flight at once (default 2 × cores). */
  readonly concurrency?: number;
  /** Context for chunks that bring none. */
  readonly ctx?: ChunkContext;
  /** "auto" (default): workers when a codec would block this thread; false: never; or a pool. */
  readonly workers?: "auto" | false | CodecWorkerPool;
  /** HDF5 semantics: optional filters may decline a chunk (filter mask). */
  readonly hdf5?: boolean;
  /** Stops the run: chunks not yet started reject with the abort reason. */
  readonly signal?: AbortSignal;
}

const PORTABLE = new Set(createDefaultRegistry().ids());

/**
 * Chunks below this many bytes (default 64 KiB; environment `HDMF_TS_INLINE_BYTES`, 0 = none) are
 * coded on the calling thread: their codecs take microseconds, less than a hand-off to a worker,
 * and a file's many small datasets (NWB scalars and short arrays, Blosc by hdmf-zarr's default)
 * would otherwise start the worker pool for nothing. A server that wants no codec work on its
 * event loop sets 0.
 */
export function inlineBytes(): number {
  const v = process.env.HDMF_TS_INLINE_BYTES;
  const n = v === undefined || v === "" ? NaN : Number(v);
  return Number.isFinite(n) && n >= 0 ? n : 64 * 1024;
}

/** The ordered codecs of one dataset, in encode order, with the element context they run in. */
export class CodecPipeline {
  readonly codecs: readonly Codec[];
  readonly ctx: ChunkContext;

  constructor(codecs: readonly Codec[], ctx: ChunkContext = {}) {
    codecs.forEach((c, i) => {
      if (isObjectCodec(c) && i !== 0) {
        throw new UnsupportedError(`object codec ${c.id} must come first in a pipeline`, { feature: "object codec position" });
      }
    });
    this.codecs = codecs;
    this.ctx = ctx;
  }

  get objectCodec(): ObjectCodec | undefined {
    const c = this.codecs[0];
    return c && isObjectCodec(c) ? c : undefined;
  }

  /** The numcodecs configs, in order. */
  toConfigs(): CodecConfig[] {
    return this.codecs.map((c) => c.toConfig());
  }

  #ctxs(ctx?: ChunkContext): ChunkContext[] {
    return contextChain(this.codecs, { ...this.ctx, ...ctx });
  }

  /** Encode one chunk's element bytes through every codec, on this thread. */
  async encodeChunk(data: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array> {
    return (await encodeChain(this.codecs, this.#ctxs(ctx), data)).bytes;
  }

  /** Decode one stored chunk back to element bytes; an object pipeline needs `decodeObjects`. */
  async decodeChunk(bytes: Uint8Array, ctx?: ChunkContext): Promise<Uint8Array> {
    if (this.objectCodec) throw new UnsupportedError(`pipeline starts with object codec ${this.objectCodec.id}: use decodeObjects`, { feature: "bytes decode of an object pipeline" });
    return decodeChain(this.codecs, this.#ctxs(ctx), bytes);
  }

  /** HDF5 write: returns the bytes and the chunk's filter mask. */
  encodeChunkHdf5(data: Uint8Array, ctx?: ChunkContext): Promise<Hdf5Encoded> {
    return encodeChain(this.codecs, this.#ctxs(ctx), data, true);
  }

  /** HDF5 read: filters whose bit is set in `filterMask` were skipped when the chunk was written. */
  decodeChunkHdf5(bytes: Uint8Array, filterMask: number, ctx?: ChunkContext): Promise<Uint8Array> {
    return decodeChain(this.codecs, this.#ctxs(ctx), bytes, filterMask);
  }

  /** Encode one chunk of object values (the pipeline must start with an object codec). */
  async encodeObjects(values: readonly ObjectValue[], ctx?: ChunkContext): Promise<Uint8Array> {
    const oc = this.#needObject();
    const ctxs = this.#ctxs(ctx);
    const first = await oc.encodeObjects(values, ctxs[0]);
    return (await encodeChain(this.codecs.slice(1), ctxs.slice(1), first)).bytes;
  }

  /** Decode one stored chunk to its object values (the pipeline must start with an object codec). */
  async decodeObjects(bytes: Uint8Array, ctx?: ChunkContext): Promise<ObjectValue[]> {
    const oc = this.#needObject();
    const ctxs = this.#ctxs(ctx);
    const raw = await decodeChain(this.codecs, ctxs, bytes, 0, 1);
    return oc.decodeObjects(raw, ctxs[0]);
  }

  #needObject(): ObjectCodec {
    const oc = this.objectCodec;
    if (!oc) throw new UnsupportedError("pipeline has no object codec (json2, vlen-*, pickle) first", { feature: "object values" });
    return oc;
  }

  /** True when chunks (of `bytes` decoded bytes, when known) are better sent to worker threads to `direction` them. */
  prefersWorkers(direction: "encode" | "decode", bytes = Infinity): boolean {
    if (this.objectCodec || bytes < inlineBytes()) return false;
    const portable = this.codecs.every((c) => c instanceof BaseCodec && PORTABLE.has(c.id));
    return portable && this.codecs.some((c) => c.offThread !== true && c.offThread !== direction);
  }

  /** Encode a stream of chunks in parallel, yielding results in input order. */
  encodeMany(chunks: Iterable<ChunkInput> | AsyncIterable<ChunkInput>, opts: ManyOptions = {}): AsyncGenerator<Uint8Array> {
    return bytesOnly(this.#many("encode", chunks, opts));
  }

  /** HDF5 writes: each result carries the chunk's filter mask (optional filters may decline). */
  encodeManyHdf5(chunks: Iterable<ChunkInput> | AsyncIterable<ChunkInput>, opts: ManyOptions = {}): AsyncGenerator<Hdf5Encoded> {
    return this.#many("encode", chunks, { ...opts, hdf5: true });
  }

  /**
   * Decode a stream of chunks in parallel, yielding results in input order. Items may carry
   * an HDF5 `filterMask` (filters whose bit is set are skipped).
   */
  decodeMany(chunks: Iterable<ChunkInput> | AsyncIterable<ChunkInput>, opts: ManyOptions = {}): AsyncGenerator<Uint8Array> {
    return bytesOnly(this.#many("decode", chunks, opts));
  }

  /**
   * Decode one stored chunk and copy its selected part into a shared output ({@link DecodeTarget}),
   * on the worker pool when the codecs prefer it (the decoded bytes then never come back to this
   * thread), else here. Resolves to the decoded byte length; nothing was copied when that is
   * shorter than a whole chunk, so the caller checks it as it checks returned bytes. HDF5: filters
   * whose bit is set in `filterMask` are skipped. `owned`: as {@link ChunkInput}'s.
   */
  async decodeInto(bytes: Uint8Array, filterMask: number, target: DecodeTarget, ctx?: ChunkContext, owned = false): Promise<number> {
    if (this.objectCodec) throw new UnsupportedError(`pipeline starts with object codec ${this.objectCodec.id}: use decodeObjects`, { feature: "bytes decode of an object pipeline" });
    if (this.prefersWorkers("decode", product(target.chunkShape) * target.elementSize)) {
      const configs = this.#workerConfigs();
      const r = await sharedWorkerPool().run({ configs, ctxs: this.#ctxs(ctx), direction: "decode", data: bytes, hdf5: false, filterMask, into: target, owned });
      return r.length;
    }
    return decodeChainWith(this.codecs, this.#ctxs(ctx), bytes, filterMask, (out) => copyIntoTarget(out, target));
  }

  /** The configs a codec worker rebuilds this pipeline from. */
  #workerConfigs(): CodecConfig[] {
    return this.codecs.map((c) => c.workerConfig?.() ?? c.toConfig());
  }

  #many(direction: "encode" | "decode", chunks: Iterable<ChunkInput> | AsyncIterable<ChunkInput>, opts: ManyOptions): AsyncGenerator<Hdf5Encoded> {
    const chosen = opts.workers instanceof CodecWorkerPool;
    const pool = opts.workers === false ? undefined
      : chosen ? opts.workers
      : this.prefersWorkers(direction) ? sharedWorkerPool() : undefined;
    const concurrency = Math.max(1, opts.concurrency ?? (pool ? pool.size * 2 : availableParallelism() * 2));
    const configs = pool ? this.#workerConfigs() : [];
    const hdf5 = opts.hdf5 ?? false;
    const run = async (item: ChunkInput): Promise<Hdf5Encoded> => {
      opts.signal?.throwIfAborted();
      const data = item instanceof Uint8Array ? item : item.data;
      const ctx = { ...opts.ctx, ...(item instanceof Uint8Array ? undefined : item.ctx) };
      const mask = item instanceof Uint8Array ? 0 : item.filterMask ?? 0;
      // unless the caller chose the pool, a small chunk is encoded here (a compressed one's size
      // says little about its decoded size)
      if (pool && (chosen || direction === "decode" || data.byteLength >= inlineBytes())) {
        const owned = !(item instanceof Uint8Array) && item.owned === true;
        const r = await pool.run({ configs, ctxs: this.#ctxs(ctx), direction, data, hdf5, filterMask: mask, owned });
        return { bytes: r.data, filterMask: r.filterMask };
      }
      if (direction === "encode") return encodeChain(this.codecs, this.#ctxs(ctx), data, hdf5);
      return { bytes: await decodeChain(this.codecs, this.#ctxs(ctx), data, mask), filterMask: 0 };
    };
    return mapOrdered(chunks, run, concurrency);
  }
}

async function* bytesOnly(source: AsyncGenerator<Hdf5Encoded>): AsyncGenerator<Uint8Array> {
  for await (const r of source) yield r.bytes;
}
