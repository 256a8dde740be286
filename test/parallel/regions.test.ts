import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { regionFor, regionSize, splitRegions } from "../../src/parallel/regions.js";

describe("splitRegions", () => {
  const cases: Array<[number[], number[], number]> = [];
  for (const n of [0, 1, 7, 8, 9, 100, 1000]) {
    for (const c of [1, 3, 8, 64]) for (const size of [1, 2, 3, 4, 7, 16]) cases.push([[n, 5], [c, 2], size]);
  }

  it.each(cases)("shape %j chunks %j over %i ranks: exact cover, chunk-aligned, balanced", (shape, chunks, size) => {
    const regions = splitRegions(shape, chunks, size);
    expect(regions.map((r) => r.rank)).toEqual([...Array(size).keys()]);
    // Exact cover: contiguous along axis 0, full on the other axes, no overlap.
    let next = 0;
    for (const r of regions) {
      expect(r.start[0]).toBe(Math.min(next, shape[0]!));
      expect(r.start.slice(1)).toEqual([0]);
      expect(r.stop.slice(1)).toEqual(shape.slice(1));
      if (!r.empty) next = r.stop[0]!;
      // Chunk-aligned: starts on a chunk boundary, ends on one or at the edge.
      if (r.start[0] !== shape[0]) expect(r.start[0]! % chunks[0]!).toBe(0);
      if (r.stop[0] !== shape[0]) expect(r.stop[0]! % chunks[0]!).toBe(0);
      expect(r.selection).toEqual(r.start.map((s, i) => [s, r.stop[i], 1]));
      expect(r.empty).toBe(regionSize(r) === 0);
    }
    expect(next).toBe(shape[0]);
    expect(regions.reduce((s, r) => s + regionSize(r), 0)).toBe(shape[0]! * shape[1]!);
    // Balanced: chunk counts differ by at most one, larger ones first.
    const counts = regions.map((r) => r.chunkRange[1] - r.chunkRange[0]);
    expect(Math.max(...counts) - Math.min(...counts)).toBeLessThanOrEqual(1);
    expect([...counts].sort((a, b) => b - a)).toEqual(counts);
    expect(counts.reduce((a, b) => a + b, 0)).toBe(Math.ceil(shape[0]! / chunks[0]!));
  });

  it("the tutorial's layout: (4,) in chunks of 1 -> rank i gets element i", () => {
    expect(splitRegions([4], [1], 4).map((r) => r.selection)).toEqual([[[0, 1, 1]], [[1, 2, 1]], [[2, 3, 1]], [[3, 4, 1]]]);
  });

  it("more ranks than chunks: the last ranks get empty regions", () => {
    const r = splitRegions([10], [8], 4);
    expect(r.map((x) => x.empty)).toEqual([false, false, true, true]);
    expect(r[1]!.selection).toEqual([[8, 10, 1]]);
    expect(regionSize(r[3]!)).toBe(0);
  });

  it("rejects bad arguments with InvalidInputError naming the option", () => {
    const bad = (f: () => unknown, option: string) => {
      try { f(); expect.unreachable(); } catch (e) {
        expect(e).toBeInstanceOf(InvalidInputError);
        expect((e as InvalidInputError).option).toBe(option);
      }
    };
    bad(() => regionFor([], [], 0, 1), "shape");
    bad(() => regionFor([4], [0], 0, 1), "chunks");
    bad(() => regionFor([4, 2], [2], 0, 1), "chunks");
    bad(() => regionFor([-1], [2], 0, 1), "shape");
    bad(() => regionFor([4], [2], 2, 2), "rank");
    bad(() => regionFor([4], [2], 0, 0), "size");
  });
});
