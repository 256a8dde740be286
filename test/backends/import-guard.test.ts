/**
 * The layer graph of src/, checked from the import statements themselves.
 *
 * A layer is a top-level folder of src/ (backends/hdf5, backends/zarr and backends/engine count
 * as their own layers; the files directly in src/backends are the "backends" layer, whose
 * factory is the one door to the two formats). Each layer may import only the layers listed
 * for it here; a new edge is a design decision and is made by editing this table.
 */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { dirname, join, relative, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { describe, expect, it } from "vitest";

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), "../..");
const SRC = join(ROOT, "src");

const ALLOWED: Record<string, readonly string[]> = {
  errors: [],
  version: [],
  location: ["errors"],
  data: ["errors"],
  codecs: ["data", "errors"],
  stores: ["data", "errors", "location"],
  schema: ["data", "errors"],
  nwb: ["errors", "schema"],
  engine: ["backends", "codecs", "data", "errors"],
  hdf5: ["backends", "codecs", "data", "engine", "errors", "schema"],
  zarr: ["backends", "codecs", "data", "engine", "errors", "location", "schema", "stores"],
  backends: ["codecs", "data", "errors", "hdf5", "location", "schema", "stores", "zarr"],
  parallel: ["backends", "data", "errors", "location", "stores"],
  inspect: ["backends", "data", "errors", "location", "schema", "stores"],
  "nwb-io": ["backends", "inspect", "nwb", "schema"],
  conformance: ["backends", "data", "errors", "nwb", "schema", "stores"],
  cli: ["backends", "conformance", "data", "errors", "inspect", "nwb", "nwb-io", "schema", "version"],
  /** src/index.ts is the package's public surface: it may re-export any layer but the formats. */
  index: ["backends", "codecs", "data", "errors", "inspect", "nwb", "nwb-io", "parallel", "schema", "stores", "version"],
};

/** Files directly in src/backends that may import the formats: the factory only. */
const FORMAT_DOOR = new Set(["src/backends/factory.ts"]);

function files(dir: string): string[] {
  return readdirSync(dir).flatMap((n) => {
    const p = join(dir, n);
    return statSync(p).isDirectory() ? files(p) : p.endsWith(".ts") && !p.endsWith(".d.ts") ? [p] : [];
  });
}

function layerOf(file: string): string {
  const rel = relative(SRC, file).replace(/\.ts$/, "");
  const parts = rel.split("/");
  if (parts[0] === "backends" && parts.length > 2 && ["hdf5", "zarr", "engine"].includes(parts[1]!)) return parts[1]!;
  return parts[0]!;
}

const IMPORT = /(?:import|export)\s[^;]*?from\s+["']([^"']+)["']|import\(\s*["']([^"']+)["']\s*\)/g;

interface Edge { from: string; to: string; file: string; spec: string }

function edges(): Edge[] {
  const out: Edge[] = [];
  for (const f of files(SRC)) {
    for (const m of readFileSync(f, "utf8").matchAll(IMPORT)) {
      const spec = m[1] ?? m[2]!;
      if (!spec.startsWith(".")) continue;
      const target = resolve(dirname(f), spec).replace(/\.js$/, ".ts");
      const from = layerOf(f);
      const to = layerOf(target);
      if (from !== to) out.push({ from, to, file: relative(ROOT, f), spec });
    }
  }
  return out;
}

describe("src/ layer graph", () => {
  const all = edges();

  it("sees the imports it judges (a broken scanner would pass everything)", () => {
    expect(all.length).toBeGreaterThan(100);
    expect(all.some((e) => e.from === "zarr" && e.to === "engine")).toBe(true);
    expect(all.some((e) => e.from === "hdf5" && e.to === "engine")).toBe(true);
  });

  it("every layer imports only what the table allows", () => {
    const bad = all
      .filter((e) => !(ALLOWED[e.from] ?? []).includes(e.to))
      .map((e) => `${e.file} (${e.from}) -> ${e.spec} (${e.to})`);
    expect(bad).toEqual([]);
  });

  it("only the factory opens the formats; hdf5 and zarr do not know each other", () => {
    const bad = all
      .filter((e) => (e.to === "hdf5" || e.to === "zarr") && !FORMAT_DOOR.has(e.file))
      .map((e) => `${e.file} -> ${e.spec}`);
    expect(bad).toEqual([]);
  });

  it("schema and nwb know no backend and no store", () => {
    const bad = all
      .filter((e) => (e.from === "schema" || e.from === "nwb") && ["backends", "hdf5", "zarr", "engine", "stores"].includes(e.to))
      .map((e) => `${e.file} -> ${e.spec}`);
    expect(bad).toEqual([]);
  });

  it("the AWS SDK loads only when an s3:// location is opened (it takes ~90 ms to import)", () => {
    const STATIC = /^\s*(?:import|export)\s+(?!type\b)[^;]*?from\s+["']([^"']+)["']/gm;
    const s3 = new Set(["src/stores/s3-store.ts", "src/stores/s3-multipart.ts"]);
    const bad: string[] = [];
    let seen = 0;
    for (const f of files(SRC)) {
      const rel = relative(ROOT, f);
      if (s3.has(rel) || rel.startsWith("src/conformance/")) continue; // the conformance entry point starts moto and S3 itself
      for (const m of readFileSync(f, "utf8").matchAll(STATIC)) {
        seen++;
        const spec = m[1]!;
        const target = spec.startsWith(".") ? relative(ROOT, resolve(dirname(f), spec).replace(/\.js$/, ".ts")) : spec;
        if (spec.startsWith("@aws-sdk/") || s3.has(target)) bad.push(`${rel} -> ${spec}`);
      }
    }
    expect(seen).toBeGreaterThan(500);
    expect(bad).toEqual([]);
  });

  it("the table names only layers that exist", () => {
    const present = new Set(files(SRC).map(layerOf));
    for (const [layer, deps] of Object.entries(ALLOWED)) {
      expect(present.has(layer), layer).toBe(true);
      for (const d of deps) expect(present.has(d), `${layer} -> ${d}`).toBe(true);
    }
  });
});
