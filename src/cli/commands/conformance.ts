/**
 * `hdmf-ts conformance --backend NAME|all [--endpoint URL] [--json]`: run the backend
 * conformance suite and print pass / fail / unsupported per backend. Exit 1 if any case failed.
 */
import type { Command } from "commander";
import { parseBackends, setupBackend, BUILTIN_BACKENDS } from "../../conformance/backends.js";
import { formatTable, formatUnsupported, runConformance } from "../../conformance/run.js";
import type { ConformanceReport } from "../../conformance/types.js";

interface ConformanceOptions { backend: string; endpoint?: string; bucket?: string; json?: boolean; only?: string[]; timeout: string }

export function registerConformance(program: Command): void {
  program
    .command("conformance")
    .description("run the backend conformance suite and print pass/fail/unsupported per backend")
    .option("--backend <name>", `${BUILTIN_BACKENDS.join(", ")}, a comma list, or all`, "all")
    .option("--endpoint <url>", "S3 endpoint for the s3 backend (default: start a local moto_server)")
    .option("--bucket <name>", "S3 bucket for the s3 backend (created if missing)")
    .option("--only <prefix...>", "run only cases whose id starts with these prefixes (e.g. dtype. mode.)")
    .option("--timeout <ms>", "per-case time limit", "60000")
    .option("--json", "print {\"backends\": {NAME: {passed, failed, unsupported, failures}}}")
    .action(async (opts: ConformanceOptions) => {
      const names = parseBackends(opts.backend);
      const reports: ConformanceReport[] = [];
      for (const name of names) {
        const setup = await setupBackend(name, { endpoint: opts.endpoint, bucket: opts.bucket });
        try {
          if (!opts.json) process.stderr.write(`[conformance] ${name} …\n`);
          reports.push(await runConformance(name, setup.factory, { only: opts.only, timeoutMs: Number(opts.timeout) }));
        } finally {
          await setup.stop();
        }
      }
      if (opts.json) {
        const backends = Object.fromEntries(reports.map((r) => [r.backend, { passed: r.passed, failed: r.failed, unsupported: r.unsupported, failures: r.failures }]));
        process.stdout.write(`${JSON.stringify({ backends }, null, 2)}\n`);
      } else {
        const lines = [formatTable(reports), ""];
        for (const r of reports) lines.push(...formatUnsupported(r), ...r.failures.map((f) => `${r.backend}: FAILED ${f.case}: ${f.message}`));
        process.stdout.write(`${lines.join("\n").trimEnd()}\n`);
      }
      if (reports.some((r) => r.failed > 0)) process.exitCode = 1;
    });
}
