import { describe, expect, it } from "vitest";
import {
  compound, dtypes, float16ToNumber, numberToFloat16, numeric, parseDtype, toNumpyTypestr,
  toZarrV2Dtype, fromZarrV3DataType, describeDtype,
} from "../../src/data/dtype.js";
import { array, NdArray } from "../../src/data/ndarray.js";
import { InvalidInputError } from "../../src/errors.js";

describe("dtype table", () => {
  it.each([
    ["<i8", "int64"], ["|b1", "bool"], ["<f4", "float32"], [">f8", "float64"], ["<u8", "uint64"],
    ["|i1", "int8"], ["<f2", "float16"], ["<c16", "complex128"], ["|u1", "uint8"],
  ])("parses numpy typestr %s", (s, name) => {
    const d = parseDtype(s);
    expect(d.kind).toBe("numeric");
    expect(d.kind === "numeric" && d.name).toBe(name);
    expect(toNumpyTypestr(d)).toBe(s);
  });

  it("maps strings, references and objects", () => {
    expect(toNumpyTypestr(parseDtype("|S3"))).toBe("|S3");
    expect(toNumpyTypestr(parseDtype("<U5"))).toBe("<U5");
    expect(toNumpyTypestr(parseDtype("|O"))).toBe("|O");
    expect(describeDtype(parseDtype("text"))).toBe("string:utf-8:vlen");
    expect(describeDtype(parseDtype("ascii"))).toBe("string:ascii:vlen");
    expect(fromZarrV3DataType("float64")).toEqual(dtypes.float64);
  });

  it("accepts hdmf spec names", () => {
    expect(parseDtype("int")).toEqual(dtypes.int32);
    expect(parseDtype("float")).toEqual(dtypes.float32);
    expect(parseDtype("double")).toEqual(dtypes.float64);
    expect(parseDtype("isodatetime")).toEqual(dtypes.utf8);
  });

  it("builds compound dtypes with packed offsets and a zarr v2 form", () => {
    const c = compound([{ name: "idx_start", dtype: dtypes.int32 }, { name: "count", dtype: dtypes.int32 }, { name: "ts", dtype: dtypes.objectRef }]);
    expect(c.fields.map((f) => f.offset)).toEqual([0, 4, 8]);
    expect(c.itemsize).toBe(16);
    expect(toZarrV2Dtype(c)).toEqual([["idx_start", "<i4"], ["count", "<i4"], ["ts", "|O"]]);
    expect(parseDtype([["a", "<i4"], ["b", "<f8"]])).toMatchObject({ kind: "compound", itemsize: 12 });
  });

  it("rejects unknown dtypes with a typed error", () => {
    expect(() => parseDtype("<q7")).toThrow(InvalidInputError);
    expect(() => parseDtype("nonsense")).toThrow(/unknown dtype/);
    expect(() => compound([{ name: "a", dtype: dtypes.int8 }, { name: "a", dtype: dtypes.int8 }])).toThrow(InvalidInputError);
  });

  it("keeps int64 and uint64 extremes exact", () => {
    const i = array([-(2n ** 63n), 2n ** 63n - 1n, 0n], { dtype: "<i8" });
    expect(i.data).toBeInstanceOf(BigInt64Array);
    expect(i.toArray()).toEqual([-(2n ** 63n), 2n ** 63n - 1n, 0n]);
    const u = array([2n ** 64n - 1n, 0n], { dtype: "<u8" });
    expect(u.data).toBeInstanceOf(BigUint64Array);
    expect(u.at(0)).toBe(18446744073709551615n);
    // a bigint that does not fit a double exactly is refused for float storage, never rounded silently
    expect(() => array([2n ** 60n + 1n], { dtype: "<f8" })).toThrow(/without rounding/);
    // a JS number that is not an integer is refused for int64
    expect(() => array([1.5], { dtype: "<i8" })).toThrow(InvalidInputError);
  });

  it("converts float16 exactly (round to nearest even)", () => {
    for (const v of [0, 1, -2, 0.5, 65504, 6.103515625e-5, 5.960464477539063e-8, Infinity, -Infinity]) {
      expect(float16ToNumber(numberToFloat16(v))).toBe(v);
    }
    expect(Number.isNaN(float16ToNumber(numberToFloat16(NaN)))).toBe(true);
    expect(numberToFloat16(1 + 2 ** -11)).toBe(0x3c00); // tie rounds to even
    expect(numberToFloat16(1 + 3 * 2 ** -11)).toBe(0x3c02);
    expect(numberToFloat16(1e6)).toBe(0x7c00); // overflow to +inf
  });

  it("refuses a container that does not match the dtype", () => {
    expect(() => new NdArray(new Float32Array(2), [2], numeric("float64"))).toThrow(/Float64Array/);
    expect(() => new NdArray(new Float64Array(3), [2], numeric("float64"))).toThrow(/elements/);
  });
});
