import { describe, expect, it } from "vitest";
import { DataChunkIterator, GenericDataChunkIterator, defaultChunkShape, type DataChunk } from "../../src/data/iterators.js";
import { array, NdArray } from "../../src/data/ndarray.js";
import { dtypes, type Dtype } from "../../src/data/dtype.js";
import { product, type SliceSpec } from "../../src/data/selection.js";
import { ChunkPlanner, planChunks, type PlannedChunk } from "../../src/backends/chunk-plan.js";
import { InvalidInputError } from "../../src/errors.js";

async function collect(it: AsyncIterable<DataChunk>): Promise<DataChunk[]> {
  const out: DataChunk[] = [];
  for await (const c of it) out.push(c);
  return out;
}

function recordingSink() {
  const chunks: PlannedChunk[] = [];
  const resizes: number[][] = [];
  return {
    chunks, resizes,
    sink: {
      async resize(shape: readonly number[]) { resizes.push([...shape]); },
      async writeChunk(c: PlannedChunk) { chunks.push(c); },
    },
  };
}

describe("DataChunkIterator", () => {
  it("wraps an array, buffering along the iteration axis", async () => {
    const a = array([[1, 2], [3, 4], [5, 6]], { dtype: "<i4" });
    const chunks = await collect(new DataChunkIterator(a, { bufferSize: 2 }));
    expect(chunks.map((c) => c.selection[0])).toEqual([[0, 2, 1], [2, 3, 1]]);
    expect(chunks[1]!.data.toArray()).toEqual([5, 6]);
  });

  it("iterates over another axis of an array", async () => {
    const a = array([[1, 2, 3], [4, 5, 6]], { dtype: "<i4" });
    const chunks = await collect(new DataChunkIterator(a, { iterAxis: 1 }));
    expect(chunks).toHaveLength(3);
    expect(chunks[2]!.selection).toEqual([[0, 2, 1], [2, 3, 1]]);
    expect(chunks[2]!.data.toArray()).toEqual([3, 6]);
  });

  it("learns dtype and maxshape from the first element of a generator", async () => {
    function* gen() { for (let i = 0; i < 5; i++) yield Float64Array.from([i, i, i]); }
    const dci = await new DataChunkIterator(gen(), { bufferSize: 2 }).prime();
    expect(dci.dtype).toEqual(dtypes.float64);
    expect(dci.maxshape).toEqual([null, 3]);
    const chunks = await collect(dci);
    expect(chunks.map((c) => c.data.shape)).toEqual([[2, 3], [2, 3], [1, 3]]);
  });

  it("a generator with gaps yields a planner output that skips the gap chunks", async () => {
    // The tutorial's sparse write: rows 0-9 of 100, then only every 10th block of 10 rows.
    async function* sparse() {
      for (let i = 0; i < 100; i++) yield (Math.floor(i / 10) % 3 === 0 ? Float64Array.from({ length: 4 }, () => i) : null);
    }
    const dci = await new DataChunkIterator(sparse(), { bufferSize: 10, maxshape: [100, 4], dtype: "<f8" }).prime();
    const rec = recordingSink();
    await planChunks(dci, { shape: [100, 4], maxshape: [100, 4], chunks: [10, 4], dtype: dtypes.float64, fillvalue: NaN }, rec.sink);
    const written = rec.chunks.map((c) => c.coords[0]).sort((x, y) => x! - y!);
    expect(written).toEqual([0, 3, 6, 9]);
    expect(rec.chunks.every((c) => c.complete)).toBe(true);
    expect(rec.chunks.find((c) => c.coords[0] === 3)!.data.at(0, 0)).toBe(30);
  });

  it("rejects elements of the wrong shape with a typed error", async () => {
    const dci = new DataChunkIterator([Float64Array.from([1, 2]), Float64Array.from([1, 2, 3])], { dtype: "<f8" });
    await expect(collect(dci)).rejects.toThrow(InvalidInputError);
  });
});

class Virtual3D extends GenericDataChunkIterator {
  constructor(readonly dims: number[], opts: ConstructorParameters<typeof GenericDataChunkIterator>[0]) { super(opts); }
  reads: SliceSpec[][] = [];
  protected getDtype(): Dtype { return dtypes.int32; }
  protected getMaxshape(): number[] { return this.dims; }
  protected getData(sel: readonly SliceSpec[]): NdArray {
    this.reads.push([...sel]);
    const shape = sel.map(([a, b]) => b! - a!);
    const out = new Int32Array(product(shape));
    let k = 0;
    for (let i = sel[0]![0]!; i < sel[0]![1]!; i++)
      for (let j = sel[1]![0]!; j < sel[1]![1]!; j++)
        for (let l = sel[2]![0]!; l < sel[2]![1]!; l++) out[k++] = (i * this.dims[1]! + j) * this.dims[2]! + l;
    return new NdArray(out, shape, dtypes.int32);
  }
}

describe("GenericDataChunkIterator", () => {
  it("yields chunk-aligned buffers whose union is the whole 3-D array exactly once", async () => {
    const it3 = new Virtual3D([50, 37, 9], { chunkShape: [10, 8, 3], bufferShape: [20, 16, 9] });
    const seen = new Uint8Array(50 * 37 * 9);
    for await (const chunk of it3) {
      chunk.selection.forEach(([a, b], axis) => {
        expect(a! % it3.chunkShape[axis]!).toBe(0); // buffers start on chunk boundaries
        const len = b! - a!;
        if (b! !== it3.maxshape[axis]) expect(len % it3.chunkShape[axis]!).toBe(0);
      });
      for (const v of chunk.data.data as Int32Array) seen[v]!++;
    }
    expect(seen.every((x) => x === 1)).toBe(true);
    expect(it3.numBuffers).toBe(3 * 3 * 1);
  });

  it("derives default chunk and buffer shapes with hdmf's rules", () => {
    // hdmf: maxshape (1000, 10), int64, chunk_mb=10 -> keeps ratios, capped at maxshape
    expect(defaultChunkShape([1000, 10], 8, 10)).toEqual([1000, 10]);
    // value from hdmf 3.14 `_get_default_chunk_shape` evaluated in Python for the same input
    expect(defaultChunkShape([10_000_000, 384], 2, 10)).toEqual([338533, 13]);
    const v = new Virtual3D([400, 400, 400], { chunkMb: 1, bufferGb: 0.01 });
    expect(v.chunkShape.every((c) => c > 0)).toBe(true);
    expect(v.bufferShape.every((b, i) => b % v.chunkShape[i]! === 0 || b === 400)).toBe(true);
  });

  it("rejects buffer shapes that are not multiples of the chunk shape", () => {
    const bad = new Virtual3D([50, 37, 9], { chunkShape: [10, 8, 3], bufferShape: [15, 16, 9] });
    expect(() => bad.chunkShape && bad.maxshape).toThrow(/evenly divide/);
  });
});

describe("ChunkPlanner", () => {
  it("emits full chunks when complete and partial ones at the end", async () => {
    const rec = recordingSink();
    const p = new ChunkPlanner({ shape: [0, 2], maxshape: [null, 2], chunks: [4, 2], dtype: dtypes.float64, fillvalue: NaN }, rec.sink);
    for (let i = 0; i < 10; i++) await p.write({ data: array([[i, i]], { dtype: "<f8" }), selection: [[i, i + 1], [0, 2]] });
    expect(rec.chunks.map((c) => c.coords[0])).toEqual([0, 1]);
    await p.finish();
    const last = rec.chunks[2]!;
    expect(last.complete).toBe(false);
    expect(last.written).toEqual([{ start: [0, 0], count: [1, 2] }, { start: [1, 0], count: [1, 2] }]);
    expect(p.shape).toEqual([10, 2]);
    expect(rec.resizes.at(-1)).toEqual([10, 2]);
  });

  it("counts edge chunks of fixed-size datasets as complete", async () => {
    const rec = recordingSink();
    await planChunks([{ data: array([1, 2, 3, 4, 5], { dtype: "<i4" }), selection: [[0, 5]] }],
      { shape: [5], maxshape: [5], chunks: [3], dtype: dtypes.int32 }, rec.sink);
    expect(rec.chunks.map((c) => [c.coords[0], c.complete])).toEqual([[0, true], [1, true]]);
    expect(rec.chunks[1]!.data.toArray()).toEqual([4, 5, 0]);
  });

  it("never holds more open chunks than its buffer limit", async () => {
    const rec = recordingSink();
    const p = new ChunkPlanner({ shape: [1000, 1000], maxshape: [1000, 1000], chunks: [100, 100], dtype: dtypes.float64, bufferBytes: 3 * 80_000 }, rec.sink);
    // column stripes touch ten chunks each, none complete until ten stripes arrived
    for (let j = 0; j < 1000; j += 10) {
      await p.write({ data: new NdArray(new Float64Array(10 * 1000), [1000, 10], dtypes.float64), selection: [[0, 1000], [j, j + 10]] });
    }
    await p.finish();
    expect(rec.chunks.filter((c) => !c.complete).length).toBeGreaterThan(0);
    // every element was delivered exactly once across complete and partial chunks
    const delivered = rec.chunks.reduce((n, c) => n + c.written.reduce((m, b) => m + product(b.count), 0), 0);
    expect(delivered).toBe(1000 * 1000);
  });

  it("rejects writes past a fixed maxshape", async () => {
    const rec = recordingSink();
    const p = new ChunkPlanner({ shape: [4], maxshape: [4], chunks: [2], dtype: dtypes.int32 }, rec.sink);
    await expect(p.write({ data: array([1, 2], { dtype: "<i4" }), selection: [[3, 5]] })).rejects.toThrow(/maxshape/);
  });
});
