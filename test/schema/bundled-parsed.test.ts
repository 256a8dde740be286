/**
 * src/schema/bundled/parsed.json (the bundled schemas parsed ahead of time) must be exactly what
 * parsing their YAML gives, floats included: loadBundledCatalog reads the table, not the YAML.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { describe, expect, it } from "vitest";
import { bundledSchemaDir, PARSED_BUNDLE, withFloats, type ParsedSpecFile } from "../../src/schema/spec/load.js";
import { loadBundledCatalog, loadNamespaceFile, BUNDLED_NAMESPACE_FILES } from "../../src/schema/spec/index.js";
import { NamespaceCatalog } from "../../src/schema/spec/namespace.js";
import { cacheSpecs } from "../../src/schema/spec/cache.js";
import { pyJsonDumps } from "../../src/schema/spec/pyjson.js";
import { parseBundled } from "../../scripts/parse-bundled-schemas.js";

const table = JSON.parse(readFileSync(join(bundledSchemaDir(), PARSED_BUNDLE), "utf8")) as Record<string, ParsedSpecFile>;

describe("bundled/parsed.json", () => {
  it("holds every bundled YAML file, equal to its YAML parse (run scripts/parse-bundled-schemas.ts if not)", () => {
    const fresh = parseBundled();
    expect(Object.keys(table).sort()).toEqual(Object.keys(fresh).sort());
    for (const [file, entry] of Object.entries(fresh)) {
      // pyJsonDumps spells a PyFloat 1.0 and a number 1: a lost or extra float fails here
      expect(pyJsonDumps(withFloats(structuredClone(table[file]!))), file).toBe(pyJsonDumps(withFloats(entry)));
    }
    expect(Object.values(fresh).some((e) => e.floats.length > 0)).toBe(true);
  });

  it("gives the same catalog as loading the YAML, and each caller its own documents", async () => {
    const fromYaml = new NamespaceCatalog();
    for (const f of BUNDLED_NAMESPACE_FILES) await loadNamespaceFile(join(bundledSchemaDir(), f), fromYaml);
    const a = await loadBundledCatalog();
    const b = await loadBundledCatalog();
    expect(a.namespaces).toEqual(fromYaml.namespaces);
    // the spec cache a file gets (what hdmf writes) is byte for byte the same
    expect(JSON.stringify(cacheSpecs(a))).toBe(JSON.stringify(cacheSpecs(fromYaml)));
    expect(a).not.toBe(b);
    expect(a.getSpec("core", "TimeSeries")).not.toBe(b.getSpec("core", "TimeSeries"));
  });
});
