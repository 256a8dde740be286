/** The JSON fast path of spec parsing reads exactly what the YAML parser reads, floats included. */
import { describe, expect, it } from "vitest";
import { loadBundledCatalog } from "../../src/schema/spec/load.js";
import { cacheSpecs } from "../../src/schema/spec/cache.js";
import { parseJsonKeepingFloats, parseYamlDocument, parseYamlKeepingFloats, pyJsonDumps, PyFloat } from "../../src/schema/spec/pyjson.js";

const same = (text: string) => {
  const fast = parseJsonKeepingFloats(text);
  expect(fast, text.slice(0, 80)).not.toBeUndefined();
  expect(pyJsonDumps(fast)).toBe(pyJsonDumps(parseYamlDocument(text, "test")));
};

describe("parseJsonKeepingFloats", () => {
  it("reads hdmf's cached specs (json.dumps of NWB core and hdmf-common) as the YAML parser does", async () => {
    const entries = cacheSpecs(await loadBundledCatalog());
    const texts = entries.map((e) => e.text);
    expect(texts.length).toBeGreaterThan(10);
    for (const t of texts) same(t);
  });

  it("keeps float spellings and leaves numbers inside strings alone", () => {
    const text = String.raw`{"a":"x \" 1.0, \\","b":[1,1.0,-2.5e-3,1E5,0,-0.0],"c":{"d":"1.5","e\\":2.0},"f":"\\\\","g":[true,false,null]}`;
    same(text);
    const v = parseJsonKeepingFloats(text) as Record<string, unknown>;
    expect(v.a).toBe('x " 1.0, \\');
    expect((v.b as unknown[]).map((x) => x instanceof PyFloat)).toEqual([false, true, true, true, false, true]);
    expect((v.c as Record<string, unknown>).d).toBe("1.5");
  });

  it("gives way to the YAML parser for what strict JSON cannot hold", () => {
    expect(parseJsonKeepingFloats('{"a": NaN}')).toBeUndefined();
    expect(parseJsonKeepingFloats('{"a": "unterminated}')).toBeUndefined();
    expect(pyJsonDumps(parseYamlKeepingFloats('{"a": 1.0, "b": .nan}', "t"))).toBe(pyJsonDumps(parseYamlDocument('{"a": 1.0, "b": .nan}', "t")));
    expect(parseYamlKeepingFloats("a: 1.0\nb: [x, 2]\n", "t")).toEqual({ a: new PyFloat(1), b: ["x", 2] });
  });
});
