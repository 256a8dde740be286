import { describe, expect, it } from "vitest";
import { array, full, NdArray } from "../../src/data/ndarray.js";
import { dtypes } from "../../src/data/dtype.js";
import { resolveSelection } from "../../src/data/selection.js";
import { InvalidInputError } from "../../src/errors.js";

const arange = (n: number, shape: number[]) => new NdArray(Float64Array.from({ length: n }, (_, i) => i), shape, dtypes.float64);

describe("selections (h5py vocabulary)", () => {
  it("resolves ints, slices with steps and negative bounds", () => {
    const s = resolveSelection([10, 6], [-1, [1, null, 2]]);
    expect(s.start).toEqual([9, 1]);
    expect(s.count).toEqual([1, 3]);
    expect(s.outShape).toEqual([3]);
    expect(resolveSelection([5], [[7, 9]]).outShape).toEqual([0]);
  });

  it("rejects out-of-range indices and bad steps", () => {
    expect(() => resolveSelection([3], [3])).toThrow(InvalidInputError);
    expect(() => resolveSelection([3], [[0, 3, 0]])).toThrow(/step/);
    expect(() => resolveSelection([3], [0, 0])).toThrow(/axes/);
  });
});

describe("NdArray", () => {
  it("gets a strided 2-D selection in C order", () => {
    const a = arange(24, [4, 6]);
    const b = a.get([[1, 4, 2], [0, 6, 3]]);
    expect(b.shape).toEqual([2, 2]);
    expect(Array.from(b.data as Float64Array)).toEqual([6, 9, 18, 21]);
    expect(a.get([2]).shape).toEqual([6]);
    expect(a.at(3, 5)).toBe(23);
  });

  it("sets a selection from an array and broadcasts scalars", () => {
    const a = full(dtypes.int32, [3, 4], 0);
    a.set([[0, 2], [1, 3]], array([[1, 2], [3, 4]], { dtype: "<i4" }));
    a.set([2], 9);
    expect(Array.from(a.data as Int32Array)).toEqual([0, 1, 2, 0, 0, 3, 4, 0, 9, 9, 9, 9]);
    expect(() => a.set([[0, 2]], array([1, 2, 3], { dtype: "<i4" }))).toThrow(/cannot assign/);
  });

  it("holds strings, converts numeric types on assignment", () => {
    const s = array(["a", "bb", "ccc"]);
    expect(s.dtype).toEqual(dtypes.utf8);
    expect(s.get([[1, 3]]).toArray()).toEqual(["bb", "ccc"]);
    const f = full(dtypes.float64, [3], NaN);
    f.set([[0, 2]], array([1, 2], { dtype: "<i4" }));
    expect(f.toArray().slice(0, 2)).toEqual([1, 2]);
    expect(Number.isNaN(f.at(2) as number)).toBe(true);
    const big = full(dtypes.int64, [2], -1n);
    expect(big.toArray()).toEqual([-1n, -1n]);
  });

  it("infers shapes from nesting and rejects ragged input", () => {
    expect(array([[1, 2, 3], [4, 5, 6]]).shape).toEqual([2, 3]);
    expect(() => array([[1, 2], [3]])).toThrow(/ragged/);
  });
});
