/**
 * Every dtype of the data layer round-trips between the core and h5py, as datasets and as
 * attributes, in both directions.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";

import { initHdf5, type H5File, type Hdf5Core } from "../../src/backends/hdf5/core.js";
import {
  compound, describeDtype, dtypes, fixedString, numberToFloat16, numeric, NUMERIC_TABLE, type Dtype, type NumericDtype,
} from "../../src/data/dtype.js";
import { py, tempDir } from "./core-h5py.js";

type Json = null | boolean | number | string | Json[] | { [k: string]: Json };

interface Case {
  name: string;
  dtype: Dtype;
  /** JS values: numbers/bigints for numeric (complex interleaved), strings, or reference paths. */
  values: Array<number | bigint | string>;
  /** The same data as a numpy expression, for h5py to write. */
  py: string;
  /** What h5py reports for the core-written data: dtype kind and JSON value. */
  kind: string;
  expect: Json;
}

function numericBytes(d: NumericDtype, values: Array<number | bigint | string>): Uint8Array {
  const info = NUMERIC_TABLE[d.name];
  const arr = new info.ctor(values.length) as unknown as { [i: number]: number | bigint; buffer: ArrayBuffer };
  values.forEach((v, i) => { arr[i] = d.name === "float16" ? numberToFloat16(v as number) : (v as number | bigint); });
  const bytes = new Uint8Array(arr.buffer);
  const w = info.itemsize / info.lanes;
  if (d.endian === ">" && w > 1) for (let i = 0; i < bytes.length; i += w) bytes.subarray(i, i + w).reverse();
  return bytes;
}

const N = (name: NumericDtype["name"], endian: "<" | ">" = "<") => numeric(name, endian);
const CASES: Case[] = [
  { name: "bool", dtype: dtypes.bool, values: [1, 0, 1], py: "np.array([True, False, True])", kind: "|b1", expect: [true, false, true] },
  { name: "i8", dtype: N("int8"), values: [-1, 2, -3], py: "np.array([-1, 2, -3], 'i1')", kind: "|i1", expect: [-1, 2, -3] },
  { name: "i16", dtype: N("int16"), values: [-300, 2, 30000], py: "np.array([-300, 2, 30000], '<i2')", kind: "<i2", expect: [-300, 2, 30000] },
  { name: "i32", dtype: N("int32"), values: [-70000, 1, 2], py: "np.array([-70000, 1, 2], '<i4')", kind: "<i4", expect: [-70000, 1, 2] },
  { name: "i64", dtype: N("int64"), values: [-(2n ** 40n), 1n, 2n ** 50n], py: "np.array([-(2**40), 1, 2**50], '<i8')", kind: "<i8", expect: [-(2 ** 40), 1, 2 ** 50] },
  { name: "u8", dtype: N("uint8"), values: [0, 255, 7], py: "np.array([0, 255, 7], 'u1')", kind: "|u1", expect: [0, 255, 7] },
  { name: "u16", dtype: N("uint16"), values: [0, 65535, 7], py: "np.array([0, 65535, 7], '<u2')", kind: "<u2", expect: [0, 65535, 7] },
  { name: "u32", dtype: N("uint32"), values: [0, 4294967295, 7], py: "np.array([0, 4294967295, 7], '<u4')", kind: "<u4", expect: [0, 4294967295, 7] },
  { name: "u64", dtype: N("uint64"), values: [0n, 2n ** 52n, 7n], py: "np.array([0, 2**52, 7], '<u8')", kind: "<u8", expect: [0, 2 ** 52, 7] },
  { name: "f16", dtype: N("float16"), values: [1.5, -2, 65504], py: "np.array([1.5, -2, 65504], '<f2')", kind: "<f2", expect: [1.5, -2, 65504] },
  { name: "f32", dtype: N("float32"), values: [1.5, -2.25, 1024], py: "np.array([1.5, -2.25, 1024], '<f4')", kind: "<f4", expect: [1.5, -2.25, 1024] },
  { name: "f64", dtype: N("float64"), values: [Math.PI, 1e300, -7.5], py: "np.array([math.pi, 1e300, -7.5], '<f8')", kind: "<f8", expect: [Math.PI, 1e300, -7.5] },
  { name: "i32be", dtype: N("int32", ">"), values: [1, -2, 3], py: "np.array([1, -2, 3], '>i4')", kind: ">i4", expect: [1, -2, 3] },
  { name: "f64be", dtype: N("float64", ">"), values: [1.5, 2.5, -3], py: "np.array([1.5, 2.5, -3], '>f8')", kind: ">f8", expect: [1.5, 2.5, -3] },
  { name: "c64", dtype: N("complex64"), values: [1, 2, 3, 4], py: "np.array([1+2j, 3+4j], '<c8')", kind: "<c8", expect: [[1, 2], [3, 4]] },
  { name: "c128", dtype: N("complex128"), values: [1.5, -2, 0, 1e10], py: "np.array([1.5-2j, 1e10j], '<c16')", kind: "<c16", expect: [[1.5, -2], [0, 1e10]] },
  { name: "s5", dtype: fixedString(5), values: ["abc", "hello"], py: "np.array([b'abc', b'hello'], 'S5')", kind: "str:ascii:5", expect: [{ bytes: "abc" }, { bytes: "hello" }] },
  { name: "vutf8", dtype: dtypes.utf8, values: ["héllo", "wörld ✓", ""], py: "np.array(['héllo', 'wörld ✓', ''], dtype=h5py.string_dtype())", kind: "str:utf-8:vlen", expect: ["héllo", "wörld ✓", ""] },
  { name: "vascii", dtype: dtypes.ascii, values: ["abc", "de"], py: "np.array([b'abc', b'de'], dtype=h5py.string_dtype('ascii'))", kind: "str:ascii:vlen", expect: ["abc", "de"] },
  { name: "refs", dtype: dtypes.objectRef, values: ["/grp", "/ds/i32"], py: "np.array([F['grp'].ref, F['ds/i32'].ref], dtype=h5py.ref_dtype)", kind: "ref:object", expect: [{ ref: "/grp" }, { ref: "/ds/i32" }] },
];
const RECORD = compound([{ name: "idx", dtype: N("int32") }, { name: "val", dtype: N("float64") }, { name: "ref", dtype: dtypes.objectRef }]);

let core: Hdf5Core;
const tmp = tempDir("dtypes");
beforeAll(async () => { core = await initHdf5(); });
afterAll(() => tmp.dispose());

/** Bytes (or strings) the core writes for a case; references are created in `f`. */
function payload(f: H5File, c: Case): Uint8Array | string[] {
  const d = c.dtype;
  if (d.kind === "numeric") return numericBytes(d, c.values);
  if (d.kind === "string" && d.length === null) return c.values as string[];
  if (d.kind === "string") {
    const out = new Uint8Array(d.length! * c.values.length);
    c.values.forEach((s, i) => out.set(new TextEncoder().encode(s as string), i * d.length!));
    return out;
  }
  const out = new Uint8Array(8 * c.values.length);
  c.values.forEach((p, i) => out.set(core.createReference(f, p as string), i * 8));
  return out;
}

function records(f: H5File): Uint8Array {
  const out = new Uint8Array(40), dv = new DataView(out.buffer);
  [[1, 2.5, "/grp"], [3, 4.5, "/ds/i32"]].forEach(([i, v, p], k) => {
    dv.setInt32(k * 20, i as number, true);
    dv.setFloat64(k * 20 + 4, v as number, true);
    out.set(core.createReference(f, p as string), k * 20 + 12);
  });
  return out;
}

const READ_ALL = `
F = h5py.File(sys.argv[1], "r")
def kind(dt):
    s = h5py.check_string_dtype(dt)
    if s is not None: return "str:%s:%s" % (s.encoding, "vlen" if s.length is None else s.length)
    r = h5py.check_ref_dtype(dt)
    if r is not None: return "ref:" + ("region" if r is h5py.RegionReference else "object")
    if dt.names: return "compound:" + ",".join(n + "=" + kind(dt.fields[n][0]) for n in dt.names)
    return dt.str
out = {}
for name, d in F["ds"].items():
    s = h5py.check_string_dtype(d.dtype)
    v = d.asstr()[()] if (s is not None and s.length is None) else d[()]
    out["ds/" + name] = {"kind": kind(d.dtype), "value": enc(v)}
for name in F["ds"].attrs:
    out["attr/" + name] = {"kind": kind(F["ds"].attrs.get_id(name).dtype), "value": enc(F["ds"].attrs[name])}
print(json.dumps(out))
`;

describe("dtype round trips with h5py", () => {
  it("core writes, h5py reads: datasets and attributes of every dtype", () => {
    const path = tmp.path("ours.h5");
    const f = core.openFile(path, "w");
    core.createGroup(f, "grp");
    const ds = core.createGroup(f, "ds");
    for (const c of CASES.filter((x) => x.name !== "refs")) {
      const shape = [c.dtype.kind === "numeric" && NUMERIC_TABLE[c.dtype.name].lanes === 2 ? c.values.length / 2 : c.values.length];
      const data = payload(f, c);
      const d = core.createDataset(ds, c.name, { dtype: c.dtype, shape });
      if (Array.isArray(data)) core.writeStrings(d, undefined, data); else core.writeRaw(d, undefined, data);
      core.writeAttribute(ds, c.name, c.dtype, shape, data);
    }
    const refs = CASES.find((x) => x.name === "refs")!;
    const refBytes = payload(f, refs) as Uint8Array;
    core.writeRaw(core.createDataset(ds, "refs", { dtype: refs.dtype, shape: [2] }), undefined, refBytes);
    core.writeAttribute(ds, "refs", refs.dtype, [2], refBytes);
    core.writeRaw(core.createDataset(ds, "cmp", { dtype: RECORD, shape: [2] }), undefined, records(f));
    core.writeAttribute(ds, "cmp", RECORD, [2], records(f));
    core.writeAttribute(ds, "scalar_f64", dtypes.float64, [], numericBytes(N("float64"), [2.5]));
    core.writeAttribute(ds, "scalar_str", dtypes.utf8, [], ["hi ✓"]);
    const region = core.createRegionReference(f, "/ds/f64", { start: [1], count: [2] });
    core.writeRaw(core.createDataset(f, "region", { dtype: dtypes.regionRef, shape: [] }), undefined, region);
    expect(core.resolveReference(f, region)).toEqual({ path: "/ds/f64", kind: "dataset", selection: { type: "hyperslabs", blocks: [[1, 2]] } });
    core.closeFile(f);

    const got = py<Record<string, { kind: string; value: Json }>>(READ_ALL, path);
    for (const c of CASES) {
      expect(got[`ds/${c.name}`], c.name).toEqual({ kind: c.kind, value: c.expect });
      expect(got[`attr/${c.name}`], `attr ${c.name}`).toEqual({ kind: c.kind, value: c.expect });
    }
    const cmp = { kind: "compound:idx=<i4,val=<f8,ref=ref:object", value: [[1, 2.5, { ref: "/grp" }], [3, 4.5, { ref: "/ds/i32" }]] };
    expect(got["ds/cmp"]).toEqual(cmp);
    expect(got["attr/cmp"]).toEqual(cmp);
    expect(got["attr/scalar_f64"]).toEqual({ kind: "<f8", value: 2.5 });
    expect(got["attr/scalar_str"]).toEqual({ kind: "str:utf-8:vlen", value: "hi ✓" });
    expect(py<Json>(`F = h5py.File(sys.argv[1], "r"); r = F["region"][()]; print(json.dumps([F[r].name, F["ds/f64"][r].tolist()]))`, path))
      .toEqual(["/ds/f64", [1e300, -7.5]]);
  });

  it("h5py writes, core reads: same dtypes and bytes", () => {
    const path = tmp.path("theirs.h5");
    py<null>(`
F = h5py.File(sys.argv[1], "w")
F.create_group("grp"); ds = F.create_group("ds")
${CASES.filter((c) => c.name !== "refs").map((c) => `ds[${JSON.stringify(c.name)}] = ${c.py}\nds.attrs[${JSON.stringify(c.name)}] = ${c.py}`).join("\n")}
ds["refs"] = ${CASES.find((c) => c.name === "refs")!.py}
rec = np.dtype([("idx", "<i4"), ("val", "<f8"), ("ref", h5py.ref_dtype)])
ds["cmp"] = np.array([(1, 2.5, F["grp"].ref), (3, 4.5, F["ds/i32"].ref)], dtype=rec)
ds.attrs["scalar_str"] = "hi ✓"
F["region"] = F["ds/f64"].regionref[1:3]
print("null")
`, path);
    const f = core.openFile(path, "r");
    const ds = core.open(f, "ds");
    for (const c of CASES) {
      const d = core.open(ds, c.name);
      const info = core.datasetInfo(d);
      expect(describeDtype(info.dtype!), c.name).toBe(describeDtype(c.dtype));
      if (c.dtype.kind === "string" && c.dtype.length === null) {
        expect(core.readStrings(d), c.name).toEqual(c.values);
        const a = core.readAttribute(ds, c.name);
        expect(a.kind === "strings" && a.strings, `attr ${c.name}`).toEqual(c.values);
      } else if (c.dtype.kind === "reference") {
        const raw = core.readRaw(d);
        expect([0, 8].map((o) => core.resolveReference(f, raw.subarray(o, o + 8))?.path)).toEqual(c.values);
      } else {
        const want = payload(f, c) as Uint8Array;
        expect(core.readRaw(d), c.name).toEqual(want);
        const a = core.readAttribute(ds, c.name);
        expect(a.kind === "bytes" && a.bytes, `attr ${c.name}`).toEqual(want);
        expect(describeDtype(a.dtype!)).toBe(describeDtype(c.dtype));
      }
      core.close(d);
    }
    const cmp = core.open(ds, "cmp");
    expect(describeDtype(core.datasetInfo(cmp).dtype!)).toBe(describeDtype(RECORD));
    const raw = core.readRaw(cmp), dv = new DataView(raw.buffer);
    expect([dv.getInt32(0, true), dv.getFloat64(4, true), dv.getInt32(20, true), dv.getFloat64(24, true)]).toEqual([1, 2.5, 3, 4.5]);
    expect(core.resolveReference(f, raw.subarray(32, 40))?.path).toBe("/ds/i32");
    const s = core.readAttribute(ds, "scalar_str");
    expect(s.kind === "strings" && s.strings).toEqual(["hi ✓"]);
    expect(s.shape).toEqual([]);
    const region = core.readRaw(core.open(f, "region"));
    expect(core.resolveReference(f, region)).toEqual({ path: "/ds/f64", kind: "dataset", selection: { type: "hyperslabs", blocks: [[1, 2]] } });
    core.closeFile(f);
  });
});
