/**
 * hdmf-ts/conformance/vitest: `describeBackendConformance(name, factory)`, the suite as vitest
 * tests, one `it` per case (vitest is an optional peer dependency; only this entry needs it).
 * A case the backend declares unsupported shows as skipped with the reason in the report
 * (never silently: the count and the reasons also go in the optional figure file).
 */
import { AssertionError } from "node:assert";
import { mkdirSync, writeFileSync } from "node:fs";
import { dirname } from "node:path";
import { afterAll, describe, it } from "vitest";
import { CONFORMANCE_CASES } from "./cases/index.js";
import { formatUnsupported, runCase, summarize } from "./run.js";
import type { CaseResult, ConformanceReport, FixtureFactory } from "./types.js";

/** Options of describeBackendConformance. */
export interface DescribeOptions {
  /** Run only cases whose id starts with one of these prefixes. */
  only?: readonly string[];
  /** Per-case limit in ms (default 60 000). */
  timeoutMs?: number;
  /** Write the summary line and the unsupported cases to this file when the suite ends. */
  figureFile?: string;
  /** Called with the report when the suite ends. */
  onReport?(report: ConformanceReport): void;
}

/** Register one vitest `describe` for the backend with one `it` per conformance case. */
export function describeBackendConformance(name: string, factory: FixtureFactory, options: DescribeOptions = {}): void {
  const timeoutMs = options.timeoutMs ?? 60_000;
  const cases = CONFORMANCE_CASES.filter((c) => !options.only?.length || options.only.some((p) => c.id === p || c.id.startsWith(p)));
  describe(`${name} conforms to HDMFIO`, () => {
    const results: CaseResult[] = [];
    for (const c of cases) {
      it(`${c.id}: ${c.title}`, async (ctx) => {
        const r = await runCase(c, factory, timeoutMs);
        results.push(r);
        if (r.status === "unsupported") ctx.skip(`unsupported: ${r.message}`);
        if (r.status === "failed") throw new AssertionError({ message: `${name} fails ${c.id}: ${r.message}` });
      }, timeoutMs * 2 + 5_000);
    }
    afterAll(() => {
      const report = summarize(name, results);
      options.onReport?.(report);
      if (options.figureFile) {
        const lines = [
          `conformance ${name}: ${report.passed} passed, ${report.failed} failed, ${report.unsupported} unsupported (of ${cases.length} cases)`,
          ...formatUnsupported(report).map((l) => `  ${l}`),
          ...report.failures.map((f) => `  FAILED ${f.case}: ${f.message}`),
        ];
        mkdirSync(dirname(options.figureFile), { recursive: true });
        writeFileSync(options.figureFile, `${lines.join("\n")}\n`);
      }
    });
  });
}
