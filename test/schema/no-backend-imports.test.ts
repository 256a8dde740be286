import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative, resolve, dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const BACKENDS = join(ROOT, "src/backends");

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") ? [p] : [];
  });
}

const IMPORT = /(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

describe("the schema layer knows no backend", () => {
  const all = [...files(join(ROOT, "src/schema")), ...files(join(ROOT, "src/nwb"))];

  it("scans a non-empty set of files, imports included", () => {
    expect(all.length).toBeGreaterThan(10);
    const someImports = all.flatMap((f) => [...readFileSync(f, "utf8").matchAll(IMPORT)]);
    expect(someImports.length).toBeGreaterThan(20);
  });

  it("has no import from src/backends under src/schema or src/nwb", () => {
    const bad: string[] = [];
    for (const f of all) {
      for (const m of readFileSync(f, "utf8").matchAll(IMPORT)) {
        const spec = m[1] ?? m[2]!;
        if (!spec.startsWith(".")) continue;
        const target = resolve(dirname(f), spec);
        if (target === BACKENDS || target.startsWith(`${BACKENDS}/`)) bad.push(`${relative(ROOT, f)} -> ${spec}`);
      }
    }
    expect(bad).toEqual([]);
  });
});
