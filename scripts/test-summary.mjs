// Prints the closing "N passed, N failed, N skipped" line from vitest's JSON report, plus the
// figures tests recorded in .cache/figures/*.json (reliability matrix, conformance tables).
import { existsSync, readdirSync, readFileSync } from "node:fs";
import { join } from "node:path";

const report = process.argv[2];
if (!report || !existsSync(report)) {
  console.log("0 passed, 1 failed");
  process.exit(1);
}
const r = JSON.parse(readFileSync(report, "utf8"));
const figuresDir = join(".cache", "figures");
if (existsSync(figuresDir)) {
  for (const f of readdirSync(figuresDir).filter((x) => x.endsWith(".txt")).sort()) {
    process.stdout.write(`\n${readFileSync(join(figuresDir, f), "utf8").trimEnd()}\n`);
  }
}
const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
console.log(`\n${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`);
