/**
 * Data chunk iterators, as in hdmf's data_utils: a stream of DataChunks (data + where it goes)
 * that backends write one at a time, so a dataset never has to fit in memory.
 */
import { InvalidInputError } from "../errors.js";
import { parseDtype, type Dtype, type ZarrV2Dtype } from "./dtype.js";
import { array, emptyLike, NdArray } from "./ndarray.js";
import { product, type SliceSpec } from "./selection.js";

/** A block of data and the box it fills in the dataset (unit-step slices, one per axis). */
export interface DataChunk {
  readonly data: NdArray;
  readonly selection: readonly SliceSpec[];
}

/** The contract every iterator meets (hdmf's AbstractDataChunkIterator). */
export abstract class AbstractDataChunkIterator implements AsyncIterable<DataChunk> {
  abstract readonly dtype: Dtype;
  /** Final shape bounds; `null` = unlimited along that axis. */
  abstract readonly maxshape: readonly (number | null)[];
  /** The chunk shape the writer should use, or undefined to let it choose. */
  abstract recommendedChunkShape(): readonly number[] | undefined;
  /** The shape to allocate before the first chunk arrives. */
  abstract recommendedDataShape(): readonly number[];
  /** The chunks in write order; an iterator is consumed once. */
  abstract [Symbol.asyncIterator](): AsyncIterator<DataChunk>;
}

/** True for any AbstractDataChunkIterator (DataChunkIterator, GenericDataChunkIterator, user subclasses). */
export function isDataChunkIterator(value: unknown): value is AbstractDataChunkIterator {
  return value instanceof AbstractDataChunkIterator;
}

/** One element a DataChunkIterator source yields: a value, an array (one slice along `iterAxis`), or null/undefined for a gap. */
export type DataChunkElement = NdArray | ArrayLike<unknown> | number | bigint | boolean | string | null | undefined;
/** What a DataChunkIterator wraps: an NdArray, or a sync or async iterable of elements. */
export type DataChunkSource =
  | NdArray
  | Iterable<DataChunkElement>
  | AsyncIterable<DataChunkElement>;

/** Options of {@link DataChunkIterator}, in hdmf's DataChunkIterator terms. */
export interface DataChunkIteratorOptions {
  /** Elements along `iterAxis` collected into one DataChunk (hdmf buffer_size). Default 1. */
  bufferSize?: number;
  /** The axis the source iterates over (hdmf iter_axis). Default 0. */
  iterAxis?: number;
  /** Final shape bounds (null = unlimited); default: the array's shape, or `[null, ...element shape]`. */
  maxshape?: readonly (number | null)[];
  /** Element type; default: the array's, or the first element's (see `prime()`). */
  dtype?: string | Dtype | ZarrV2Dtype;
}

/**
 * Wraps an array, a (sync or async) generator or iterable, iterating over `iterAxis`.
 * A generator that yields `null`/`undefined` leaves a gap: that element is never written
 * (the tutorial's sparse write), and chunks it alone covers stay unallocated.
 */
export class DataChunkIterator extends AbstractDataChunkIterator {
  readonly bufferSize: number;
  readonly iterAxis: number;
  #dtype: Dtype | undefined;
  #maxshape: (number | null)[] | undefined;
  #source: DataChunkSource;
  #peeked: { element: NdArray; index: number } | undefined;
  #iter: Iterator<DataChunkElement> | AsyncIterator<DataChunkElement> | undefined;
  #position = 0;
  #started = false;

  constructor(source: DataChunkSource, options: DataChunkIteratorOptions = {}) {
    super();
    const bufferSize = options.bufferSize ?? 1;
    if (!Number.isInteger(bufferSize) || bufferSize < 1) {
      throw new InvalidInputError(`bufferSize must be a positive integer, got ${bufferSize}`, { option: "bufferSize" });
    }
    this.bufferSize = bufferSize;
    this.iterAxis = options.iterAxis ?? 0;
    this.#source = source;
    this.#dtype = options.dtype !== undefined ? parseDtype(options.dtype) : undefined;
    this.#maxshape = options.maxshape ? [...options.maxshape] : undefined;
    if (source instanceof NdArray) {
      if (this.iterAxis < 0 || this.iterAxis >= Math.max(source.ndim, 1)) {
        throw new InvalidInputError(`iterAxis ${this.iterAxis} is out of range for a ${source.ndim}-d array`, { option: "iterAxis" });
      }
      this.#dtype ??= source.dtype;
      this.#maxshape ??= [...source.shape];
    } else if (this.iterAxis !== 0) {
      throw new InvalidInputError("iterAxis other than 0 needs an NdArray source", { option: "iterAxis" });
    }
  }

  /**
   * Make dtype and maxshape known before writing: for a generator this reads the first
   * element (kept for iteration), as hdmf does when it inspects the first chunk.
   */
  async prime(): Promise<this> {
    if (this.#dtype && this.#maxshape) return this;
    const first = await this.#nextElement();
    if (first) {
      this.#peeked = first;
      this.#dtype ??= first.element.dtype;
      this.#maxshape ??= [null, ...first.element.shape];
    } else {
      this.#dtype ??= parseDtype("float64");
      this.#maxshape ??= [null];
    }
    return this;
  }

  get dtype(): Dtype {
    if (!this.#dtype) throw new InvalidInputError("dtype unknown until prime() is awaited or a dtype option is given", { option: "dtype" });
    return this.#dtype;
  }

  get maxshape(): readonly (number | null)[] {
    if (!this.#maxshape) throw new InvalidInputError("maxshape unknown until prime() is awaited or a maxshape option is given", { option: "maxshape" });
    return this.#maxshape;
  }

  recommendedChunkShape(): readonly number[] | undefined {
    return undefined;
  }

  recommendedDataShape(): readonly number[] {
    if (this.#source instanceof NdArray) return this.#source.shape;
    const ms = this.maxshape;
    return [0, ...ms.slice(1).map((d) => d ?? 1)];
  }

  /** Chunks of up to `bufferSize` elements along `iterAxis`; a gap splits a chunk. Consumable once. */
  async *[Symbol.asyncIterator](): AsyncIterator<DataChunk> {
    if (this.#started) throw new InvalidInputError("a DataChunkIterator can be consumed only once", { option: "data" });
    this.#started = true;
    if (this.#source instanceof NdArray) {
      yield* this.#fromArray(this.#source);
      return;
    }
    await this.prime();
    let block: NdArray[] = [];
    let blockStart = 0;
    for (;;) {
      const next = this.#peeked ?? (await this.#nextElement());
      this.#peeked = undefined;
      if (next && block.length > 0 && next.index === blockStart + block.length && block.length < this.bufferSize) {
        block.push(next.element);
        continue;
      }
      if (block.length > 0) yield this.#stack(block, blockStart);
      if (!next) return;
      block = [next.element];
      blockStart = next.index;
    }
  }

  async *#fromArray(source: NdArray): AsyncGenerator<DataChunk> {
    const axis = this.iterAxis;
    const n = source.ndim === 0 ? 1 : source.shape[axis]!;
    if (source.ndim === 0) {
      yield { data: source, selection: [] };
      return;
    }
    for (let i = 0; i < n; i += this.bufferSize) {
      const stop = Math.min(i + this.bufferSize, n);
      const sel: SliceSpec[] = source.shape.map((d, a) => (a === axis ? [i, stop, 1] : [0, d, 1]));
      yield { data: source.get(sel), selection: sel };
    }
  }

  async #nextElement(): Promise<{ element: NdArray; index: number } | undefined> {
    if (!this.#iter) {
      const src = this.#source as Iterable<DataChunkElement> | AsyncIterable<DataChunkElement>;
      this.#iter = Symbol.asyncIterator in src ? src[Symbol.asyncIterator]() : (src as Iterable<DataChunkElement>)[Symbol.iterator]();
    }
    for (;;) {
      const r = await this.#iter.next();
      if (r.done) return undefined;
      const index = this.#position++;
      if (r.value === null || r.value === undefined) continue; // a gap: never written
      const element = r.value instanceof NdArray ? r.value : array(r.value, this.#dtype ? { dtype: this.#dtype } : {});
      if (this.#maxshape) {
        const expect = this.#maxshape.slice(1);
        if (expect.length !== element.ndim || expect.some((d, k) => d !== null && d !== element.shape[k])) {
          throw new InvalidInputError(
            `element ${index} has shape [${element.shape.join(", ")}], expected [${expect.join(", ")}]`,
            { option: "data" },
          );
        }
      }
      return { element, index };
    }
  }

  #stack(block: NdArray[], start: number): DataChunk {
    const first = block[0]!;
    const shape = [block.length, ...first.shape];
    const per = first.data.length;
    const buf = emptyLike(first.dtype, first.size * block.length);
    block.forEach((el, k) => {
      if (el.dtype.kind !== first.dtype.kind || el.data.constructor !== first.data.constructor) {
        throw new InvalidInputError(`element ${start + k} has a different dtype than element ${start}`, { option: "data" });
      }
      if (ArrayBuffer.isView(buf)) (buf as Uint8Array).set(el.data as Uint8Array, k * per);
      else for (let i = 0; i < per; i++) (buf as unknown[])[k * per + i] = (el.data as unknown[])[i];
    });
    const data = new NdArray(buf, shape, first.dtype);
    const selection: SliceSpec[] = [[start, start + block.length, 1], ...first.shape.map((d) => [0, d, 1] as const)];
    return { data, selection };
  }
}

/** Options of {@link GenericDataChunkIterator}: give a chunk/buffer shape or a size budget, not both. */
export interface GenericDataChunkIteratorOptions {
  /** Target chunk size in MB when `chunkShape` is not given (hdmf chunk_mb, default 10). */
  chunkMb?: number;
  /** Buffer size in GB when `bufferShape` is not given (hdmf buffer_gb, default 1). */
  bufferGb?: number;
  chunkShape?: readonly number[];
  bufferShape?: readonly number[];
  /** Show a progress bar on stderr. */
  displayProgress?: boolean;
}

/**
 * hdmf's GenericDataChunkIterator: subclasses say how to read a box of the source
 * (`getData`), its full shape (`getMaxshape`) and dtype (`getDtype`); buffers are whole
 * multiples of the chunk shape, so every buffer writes whole chunks.
 */
export abstract class GenericDataChunkIterator extends AbstractDataChunkIterator {
  readonly displayProgress: boolean;
  #chunkShape: readonly number[] = [];
  #bufferShape: readonly number[] = [];
  #dtype: Dtype;
  #maxshape: readonly number[];

  /** Read one buffer box of the source; the result must have the box's shape. */
  protected abstract getData(selection: readonly SliceSpec[]): NdArray | Promise<NdArray>;
  /** The full shape of the source. */
  protected abstract getMaxshape(): readonly number[];
  /** The element type of the source. */
  protected abstract getDtype(): Dtype;

  constructor(options: GenericDataChunkIteratorOptions = {}) {
    super();
    if (options.chunkMb !== undefined && options.chunkShape !== undefined) {
      throw new InvalidInputError("give only one of chunkMb and chunkShape", { option: "chunkShape" });
    }
    if (options.bufferGb !== undefined && options.bufferShape !== undefined) {
      throw new InvalidInputError("give only one of bufferGb and bufferShape", { option: "bufferShape" });
    }
    this.displayProgress = options.displayProgress ?? false;
    // Subclass fields are not initialised yet inside super(); read lazily via init().
    this.#dtype = undefined as unknown as Dtype;
    this.#maxshape = [];
    this.#options = options;
  }

  #options: GenericDataChunkIteratorOptions;
  #ready = false;

  /** Resolve shapes; called on first use so subclass constructors finish first. */
  protected init(): void {
    if (this.#ready) return;
    this.#dtype = this.getDtype();
    this.#maxshape = this.getMaxshape().map((d) => Math.trunc(d));
    const itemsize = dtypeItemsize(this.#dtype);
    const chunk = this.#options.chunkShape ? [...this.#options.chunkShape] : defaultChunkShape(this.#maxshape, itemsize, this.#options.chunkMb ?? 10);
    const buffer = this.#options.bufferShape ? [...this.#options.bufferShape] : defaultBufferShape(this.#maxshape, chunk, itemsize, this.#options.bufferGb ?? 1);
    validateShapes(this.#maxshape, chunk, buffer);
    this.#chunkShape = chunk;
    this.#bufferShape = buffer;
    this.#ready = true;
  }

  /** Chunk shape (given, or hdmf's default for chunkMb). */
  get chunkShape(): readonly number[] { this.init(); return this.#chunkShape; }
  /** Buffer shape (given, or hdmf's default for bufferGb); a multiple of the chunk shape. */
  get bufferShape(): readonly number[] { this.init(); return this.#bufferShape; }
  get dtype(): Dtype { this.init(); return this.#dtype; }
  get maxshape(): readonly number[] { this.init(); return this.#maxshape; }
  get numBuffers(): number {
    this.init();
    return product(this.#maxshape.map((m, i) => Math.ceil(m / this.bufferShape[i]!)));
  }

  recommendedChunkShape(): readonly number[] { this.init(); return this.chunkShape; }
  recommendedDataShape(): readonly number[] { return this.maxshape; }

  /** The buffer boxes in hdmf's order (C order over the buffer grid). */
  *bufferSelections(): Iterable<SliceSpec[]> {
    this.init();
    const grid = this.#maxshape.map((m, i) => Math.ceil(m / this.bufferShape[i]!));
    const idx = new Array<number>(grid.length).fill(0);
    if (grid.some((g) => g === 0)) return;
    for (;;) {
      yield idx.map((k, a) => {
        const lo = k * this.bufferShape[a]!;
        return [lo, Math.min(lo + this.bufferShape[a]!, this.#maxshape[a]!), 1] as const;
      });
      let a = grid.length - 1;
      while (a >= 0 && ++idx[a]! >= grid[a]!) { idx[a] = 0; a--; }
      if (a < 0) return;
    }
  }

  /** One DataChunk per buffer, in `bufferSelections()` order; a wrongly shaped `getData` result is an InvalidInputError. */
  async *[Symbol.asyncIterator](): AsyncIterator<DataChunk> {
    this.init();
    const progress = this.displayProgress ? await import("./progress.js").then((m) => m.createProgress("buffers", this.numBuffers)) : undefined;
    try {
      for (const selection of this.bufferSelections()) {
        const data = await this.getData(selection);
        const expect = selection.map(([a, b]) => b! - a!);
        if (data.shape.join(",") !== expect.join(",")) {
          throw new InvalidInputError(`getData returned shape [${data.shape.join(", ")}] for a buffer of shape [${expect.join(", ")}]`, { option: "getData" });
        }
        progress?.increment();
        yield { data, selection };
      }
    } finally {
      progress?.stop();
    }
  }
}

function dtypeItemsize(dtype: Dtype): number {
  return dtype.kind === "numeric" ? { bool: 1, int8: 1, uint8: 1, int16: 2, uint16: 2, float16: 2, int32: 4, uint32: 4, float32: 4, int64: 8, uint64: 8, float64: 8, complex64: 8, complex128: 16 }[dtype.name] : 8;
}

/** hdmf `_get_default_chunk_shape`: keep the axes' ratios, stay under chunkMb. */
export function defaultChunkShape(maxshape: readonly number[], itemsize: number, chunkMb: number): number[] {
  if (!(chunkMb > 0)) throw new InvalidInputError(`chunkMb (${chunkMb}) must be greater than zero`, { option: "chunkMb" });
  if (maxshape.length === 0) return [];
  const chunkBytes = chunkMb * 1e6;
  const minMax = Math.min(...maxshape);
  if (minMax === 0) return maxshape.map(() => 1);
  let v = maxshape.map((m) => Math.floor(m / minMax));
  let prodV = product(v);
  while (prodV * itemsize > chunkBytes && prodV !== 1) {
    const nonUnitMin = Math.min(...v.filter((x) => x !== 1));
    v = v.map((x) => (x !== 1 ? Math.floor(x / nonUnitMin) : x));
    prodV = product(v);
  }
  const k = Math.floor((chunkBytes / (prodV * itemsize)) ** (1 / maxshape.length));
  return v.map((x, i) => Math.min(k * x, maxshape[i]!));
}

/** hdmf `_get_default_buffer_shape`: the largest multiple of the chunk shape under bufferGb. */
export function defaultBufferShape(maxshape: readonly number[], chunk: readonly number[], itemsize: number, bufferGb: number): number[] {
  if (!(bufferGb > 0)) throw new InvalidInputError(`bufferGb (${bufferGb}) must be greater than zero`, { option: "bufferGb" });
  if (chunk.some((c) => c <= 0)) throw new InvalidInputError(`chunk shape [${chunk.join(", ")}] has a non-positive axis`, { option: "chunkShape" });
  if (chunk.length === 0) return [];
  const k = Math.floor(((bufferGb * 1e9) / (product(chunk) * itemsize)) ** (1 / chunk.length));
  return chunk.map((x, j) => Math.min(Math.max(k * x, chunk[j]!), maxshape[j]!));
}

function validateShapes(maxshape: readonly number[], chunk: readonly number[], buffer: readonly number[]): void {
  const fail = (msg: string, option: string): never => { throw new InvalidInputError(msg, { option }); };
  if (chunk.length !== maxshape.length) fail(`chunkShape [${chunk}] has rank ${chunk.length}, data has ${maxshape.length}`, "chunkShape");
  if (buffer.length !== maxshape.length) fail(`bufferShape [${buffer}] has rank ${buffer.length}, data has ${maxshape.length}`, "bufferShape");
  if (buffer.some((b) => b <= 0)) fail(`some axes of bufferShape [${buffer}] are not positive`, "bufferShape");
  if (chunk.some((c, i) => c <= 0 || c > maxshape[i]!)) fail(`chunkShape [${chunk}] exceeds the data shape [${maxshape}] or has a non-positive axis`, "chunkShape");
  if (buffer.some((b, i) => b > maxshape[i]!)) fail(`bufferShape [${buffer}] exceeds the data shape [${maxshape}]`, "bufferShape");
  if (chunk.some((c, i) => c > buffer[i]!)) fail(`chunkShape [${chunk}] exceeds bufferShape [${buffer}]`, "chunkShape");
  if (buffer.some((b, i) => b !== maxshape[i] && b % chunk[i]! !== 0)) {
    fail(`chunkShape [${chunk}] does not evenly divide bufferShape [${buffer}]`, "bufferShape");
  }
}
