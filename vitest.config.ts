import { fileURLToPath } from "node:url";
import { defineConfig } from "vitest/config";

const src = (p: string): string => fileURLToPath(new URL(`./src/${p}`, import.meta.url));

export default defineConfig({
  // The package's own name resolves to the sources (as tsconfig.json "paths" does for tsc and tsx).
  resolve: {
    alias: [
      { find: /^hdmf-ts$/, replacement: src("index.ts") },
      { find: /^hdmf-ts\/conformance$/, replacement: src("conformance/index.ts") },
      { find: /^hdmf-ts\/conformance\/vitest$/, replacement: src("conformance/vitest.ts") },
    ],
  },
  test: {
    include: ["test/**/*.test.ts"],
    // One temporary directory per run, shared by the test files (the packed package is built there once).
    globalSetup: ["test/helpers/run-dir.ts"],
    testTimeout: 60_000,
    hookTimeout: 120_000,
    pool: "forks",
  },
});
