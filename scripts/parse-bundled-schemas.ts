/**
 * Writes src/schema/bundled/parsed.json: every bundled spec file (YAML) parsed, floats kept by
 * path, so loading the bundled schemas is a JSON.parse instead of a YAML parse (load.ts).
 * Run after changing a bundled schema:  npx tsx scripts/parse-bundled-schemas.ts
 * (test/schema/bundled-parsed.test.ts fails while the table is stale).
 */
import { readdirSync, readFileSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { bundledSchemaDir, PARSED_BUNDLE, parseSpecText, toParsedEntry } from "../src/schema/spec/load.js";

export function parseBundled(): Record<string, ReturnType<typeof toParsedEntry>> {
  const dir = bundledSchemaDir();
  const files = readdirSync(dir, { recursive: true, encoding: "utf8" }).filter((f) => f.endsWith(".yaml")).map((f) => f.split("\\").join("/")).sort();
  return Object.fromEntries(files.map((f) => [f, toParsedEntry(parseSpecText(readFileSync(join(dir, f), "utf8"), f))]));
}

if (process.argv[1]?.endsWith("parse-bundled-schemas.ts")) {
  const out = join(bundledSchemaDir(), PARSED_BUNDLE);
  writeFileSync(out, `${JSON.stringify(parseBundled())}\n`);
  process.stdout.write(`wrote ${out}\n`);
}
