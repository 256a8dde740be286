// Copies non-TypeScript assets (the bundled schema YAML files and their licences) into dist/
// so `import.meta.url`-relative lookups work from the built package. Run after `tsc`.
import { cpSync, existsSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const root = join(dirname(fileURLToPath(import.meta.url)), "..");
const assets = [
  ["src/schema/bundled", "dist/schema/bundled"],
  ["src/backends/hdf5/wasm", "dist/backends/hdf5/wasm"],
  ["src/codecs/wasm", "dist/codecs/wasm"],
];
for (const [from, to] of assets) {
  const src = join(root, from);
  if (!existsSync(src)) throw new Error(`asset folder ${from} is missing`);
  cpSync(src, join(root, to), { recursive: true });
}
