/**
 * Array metadata that cannot be read is refused while parsing, with a FormatError naming the
 * array: extents beyond 2^53 - 1, absurd chunk grids and chunks, fill values of the wrong
 * type, chunk key separators other than "/" and ".".
 */
import { describe, expect, it } from "vitest";
import { FormatError } from "../../src/errors.js";
import { parseZarray } from "../../src/backends/zarr/metadata-v2.js";
import { parseZarrJsonArray } from "../../src/backends/zarr/metadata-v3.js";
import { isJsonObject, pyParse } from "../../src/data/py-json.js";

function v2(fields: string): () => unknown {
  const base = { zarr_format: 2, shape: [100], chunks: [10], dtype: "<i2", compressor: null, fill_value: 0, order: "C", filters: null };
  const text = `{${Object.entries(base).map(([k, v]) => `"${k}": ${JSON.stringify(v)}`).join(", ")}${fields ? `, ${fields}` : ""}}`;
  // later keys win in the parser, as in Python's json
  return () => parseZarray(pyParse(text, "/x/.zarray"), {}, "/x");
}

function v3(edit: (doc: Record<string, unknown>) => void): () => unknown {
  const doc: Record<string, unknown> = {
    zarr_format: 3, node_type: "array", shape: [100], data_type: "int16",
    chunk_grid: { name: "regular", configuration: { chunk_shape: [10] } },
    chunk_key_encoding: { name: "default", configuration: { separator: "/" } },
    fill_value: 0, codecs: [{ name: "bytes", configuration: { endian: "little" } }],
  };
  edit(doc);
  const parsed = pyParse(JSON.stringify(doc), "/x/zarr.json");
  if (!isJsonObject(parsed)) throw new Error("test document is not an object");
  return () => parseZarrJsonArray(parsed, {}, "/x");
}

function refused(action: () => unknown, words: RegExp): void {
  let err: unknown;
  try { action(); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(FormatError);
  expect((err as FormatError).path).toBe("/x");
  expect((err as FormatError).message).toMatch(/^\/x\//);
  expect((err as FormatError).message).toMatch(words);
}

describe("shapes and chunk grids", () => {
  it("accepts an ordinary array", () => {
    expect(v2("")()).toMatchObject({ shape: [100], chunks: [10] });
    expect(v3(() => undefined)()).toMatchObject({ shape: [100], chunks: [10] });
  });
  it("refuses extents beyond 2^53 - 1 (parsed as bigint) without a BigInt TypeError", () => {
    refused(v2(`"shape": [1152921504606846976]`), /beyond 2\^53 - 1/);
    refused(v2(`"chunks": [1152921504606846976]`), /"chunks".*beyond/);
    refused(v3((d) => { d.shape = [2 ** 60]; }), /"shape".*beyond 2\^53 - 1/);
  });
  it("refuses element counts, chunk grids and chunks that cannot be addressed or allocated", () => {
    refused(v2(`"shape": [1099511627776, 1048576], "chunks": [1048576, 1048576]`), /more than 2\^53 - 1 elements/);
    refused(v2(`"shape": [4294967296], "chunks": [4294967296]`), /one chunk \[4294967296\] would need 8589934592 bytes/);
    refused(v3((d) => { d.shape = [4294967296]; d.chunk_grid = { name: "regular", configuration: { chunk_shape: [4294967296] } }; }), /one chunk/);
  });
  it("keeps a large sparse array whose chunks are small", () => {
    expect(v2(`"shape": [1099511627776], "chunks": [1048576]`)()).toMatchObject({ shape: [1099511627776] });
  });
});

describe("fill values", () => {
  it("reads zarr-python's spellings", () => {
    expect(v2(`"fill_value": null`)()).toMatchObject({ fill: null });
    expect(v2(`"fill_value": -3`)()).toMatchObject({ fill: -3 });
    expect(v2(`"dtype": "<f8", "fill_value": "NaN"`)()).toMatchObject({ fill: NaN });
    expect(v2(`"dtype": "<f4", "fill_value": 0.5`)()).toMatchObject({ fill: 0.5 });
    expect(v2(`"dtype": "<i8", "fill_value": 9007199254740993`)()).toMatchObject({ fill: 9007199254740993n });
    expect(v2(`"dtype": "|b1", "fill_value": true`)()).toMatchObject({ fill: true });
    expect(v2(`"dtype": "|S4", "fill_value": "AAAAAA=="`)()).toMatchObject({ fill: "" });
    expect(v2(`"dtype": "|S4", "fill_value": "YWI="`)()).toMatchObject({ fill: "ab" }); // numpy drops the NUL padding
    expect(v2(`"dtype": "<U3", "fill_value": "xy"`)()).toMatchObject({ fill: "xy" });
    expect(v2(`"dtype": "<c16", "fill_value": [1.0, "NaN"]`)()).toMatchObject({ fill: [1, NaN] });
    expect(v3((d) => { d.data_type = "complex64"; d.fill_value = ["NaN", "-Infinity"]; })()).toMatchObject({ fill: [NaN, -Infinity] });
    expect(v3((d) => { d.data_type = "float64"; d.fill_value = "0x7ff8000000000000"; })()).toMatchObject({ fill: NaN });
    expect(v3((d) => { d.fill_value = 7; })()).toMatchObject({ fill: 7 });
  });
  it("refuses a fill value of the wrong type for the dtype", () => {
    refused(v2(`"fill_value": {"evil": true}`), /fill_value \{"evil":true\} does not fit dtype "<i2"/);
    refused(v2(`"fill_value": "NaN"`), /fill_value "NaN" does not fit/);
    refused(v2(`"dtype": "|b1", "fill_value": "yes"`), /fill_value "yes"/);
    refused(v2(`"dtype": "<f8", "fill_value": [1, 2]`), /fill_value \[1,2\]/);
    refused(v3((d) => { d.fill_value = { evil: true }; }), /fill_value \{"evil":true\} does not fit data_type int16/);
    refused(v3((d) => { d.fill_value = "Infinity"; }), /fill_value "Infinity"/);
  });
});

describe("chunk key separators", () => {
  it("reads '/' and '.', and the encoding's default when absent", () => {
    expect(v3((d) => { d.chunk_key_encoding = { name: "v2", configuration: { separator: "." } }; })()).toMatchObject({ separator: ".", keyEncoding: "v2" });
    expect(v3((d) => { d.chunk_key_encoding = { name: "v2" }; })()).toMatchObject({ separator: "." });
    expect(v3((d) => { d.chunk_key_encoding = { name: "default" }; })()).toMatchObject({ separator: "/" });
  });
  it("refuses any other separator", () => {
    refused(v3((d) => { d.chunk_key_encoding = { name: "default", configuration: { separator: ".." } }; }), /separator must be "\/" or "\.", got "\.\."/);
    refused(v3((d) => { d.chunk_key_encoding = { name: "default", configuration: { separator: "/../" } }; }), /separator/);
    refused(v2(`"dimension_separator": ".."`), /dimension_separator/);
  });
});

describe("Zarr v3 as zarr-python 3.4 writes it, and malformed v3 metadata", () => {
  const bytes = { name: "bytes", configuration: { endian: "little" } };
  it("reads data types given as objects", () => {
    expect(v3((d) => { d.data_type = { name: "null_terminated_bytes", configuration: { length_bytes: 5 } }; d.fill_value = "YWI="; })()).toMatchObject({ dtype: { kind: "string", length: 5 }, fill: "ab" });
    expect(v3((d) => { d.data_type = { name: "fixed_length_utf32", configuration: { length_bytes: 12 } }; d.fill_value = "xy"; })()).toMatchObject({ dtype: { kind: "string", length: 3, unicodeFixed: true }, fill: "xy" });
    expect(v3((d) => { d.data_type = { name: "numpy.datetime64", configuration: { unit: "ms", scale_factor: 10 } }; d.fill_value = -5; })()).toMatchObject({ dtype: { name: "int64", datetime: { kind: "M", unit: "10ms" } }, fill: -5n });
    const st = v3((d) => {
      d.data_type = { name: "struct", configuration: { fields: [{ name: "a", data_type: "int32" }, { name: "in", data_type: { name: "struct", configuration: { fields: [{ name: "p", data_type: "float32" }] } } }] } };
      d.fill_value = { a: 3, in: { p: 0.5 } };
    })() as { dtype: { itemsize: number }; fill: unknown };
    expect(st.dtype.itemsize).toBe(8);
    expect(st.fill).toEqual({ a: 3, in: { p: 0.5 } });
    expect(v3((d) => { d.data_type = { name: "structured", configuration: { fields: [["a", "uint8"], ["b", "int16"]] } }; d.fill_value = "AQIA"; })()).toMatchObject({ fill: { a: 1, b: 2 } });
  });
  it("reads array->array codecs before bytes, and a shard index at the start", () => {
    const m = v3((d) => { d.shape = [10, 4]; d.chunk_grid = { name: "regular", configuration: { chunk_shape: [5, 2] } }; d.codecs = [{ name: "transpose", configuration: { order: [1, 0] } }, { name: "numcodecs.delta", configuration: { dtype: "<i2" } }, bytes, { name: "gzip", configuration: { level: 1 } }]; })() as { codecs: Array<{ id: string }> };
    expect(m.codecs.map((c) => c.id)).toEqual(["transpose", "delta", "gzip"]);
    const s = v3((d) => { d.codecs = [{ name: "sharding_indexed", configuration: { chunk_shape: [5], codecs: [bytes], index_codecs: [bytes, { name: "crc32c" }], index_location: "start" } }]; })();
    expect(s).toMatchObject({ shards: [10], chunks: [5], shardIndexAtStart: true, shardIndexCrc: true });
  });
  it("refuses malformed v3 metadata with a FormatError naming the array and what is wrong", () => {
    refused(v3((d) => { d.codecs = [bytes, { name: "transpose", configuration: { order: [0] } }]; }), /invalid codec order: "transpose" cannot come after "bytes"/);
    refused(v3((d) => { d.codecs = [{ name: "transpose", configuration: { order: [1] } }, bytes]; }), /transpose order \[1\] is not a permutation of 1 axes/);
    refused(v3((d) => { d.codecs = [bytes, bytes]; }), /invalid codec order/);
    refused(v3((d) => { d.codecs = [{ configuration: {} }]; }), /every codec entry needs a name/);
    refused(v3((d) => { d.data_type = { name: "fixed_length_utf32", configuration: { length_bytes: 5 } }; }), /not a multiple of 4/);
    refused(v3((d) => { d.data_type = { name: "struct", configuration: { fields: [] } }; }), /needs a list of fields/);
    refused(v3((d) => { d.data_type = 7; }), /"data_type" must be a name or \{name, configuration\}/);
    refused(v3((d) => { d.codecs = [{ name: "sharding_indexed", configuration: { chunk_shape: [5], codecs: [bytes], index_location: "middle" } }]; }), /index_location must be "start" or "end"/);
    refused(v3((d) => { d.data_type = "complex64"; d.fill_value = [1, "nope"]; }), /fill_value \[1,"nope"\] does not fit data_type complex64/);
  });
});
