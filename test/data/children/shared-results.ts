/**
 * Child of shared-results.test.ts: allocates `count` shared 64 MiB results the way a worker-decoded
 * read does (`full(..., shared)`), writes every page of each and drops it; prints the RSS growth.
 */
import { full } from "../../../src/data/ndarray.js";
import { dtypes } from "../../../src/data/dtype.js";

const count = Number(process.argv[2]);
const n = 8 * 1024 * 1024;
const start = process.memoryUsage().rss;
let shared = true;
for (let i = 0; i < count; i++) {
  const a = full(dtypes.float64, [n], 0, true).data as Float64Array;
  shared &&= a.buffer instanceof SharedArrayBuffer;
  a.fill(i);
}
console.log(JSON.stringify({ shared, growthMiB: (process.resourceUsage().maxRSS * 1024 - start) / 2 ** 20 }));
