/**
 * hdmf-ts/conformance: prove that a storage backend (ours, or one written against
 * src/backends/io.ts or the Store contract) behaves like the reference backends.
 *
 *   import { describeBackendConformance } from "hdmf-ts/conformance";
 *   describeBackendConformance("MyIO", async () => myFixture());   // in a vitest file
 *
 *   const report = await runConformance("MyIO", async () => myFixture());  // any runner
 */
export * from "./types.js";
export { runConformance, runCase, summarize, formatTable, formatUnsupported, missingCapabilities, describeError, type RunOptions } from "./run.js";
export { describeBackendConformance, type DescribeOptions } from "./vitest.js";
export { CONFORMANCE_CASES } from "./cases/index.js";
export { dtypeTag } from "./check.js";
