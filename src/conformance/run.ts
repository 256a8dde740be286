/**
 * The runner-independent core: run every case against a fixture factory and count passed,
 * failed and unsupported. The vitest wrapper and the CLI both sit on this.
 */
import { AssertionError } from "node:assert";
import { isHdmfError } from "../errors.js";
import { CONFORMANCE_CASES } from "./cases/index.js";
import { CaseUnsupported } from "./check.js";
import type {
  BackendCapabilities, CaseResult, ConformanceCase, ConformanceReport, FixtureFactory,
} from "./types.js";

/** Options of {@link runConformance}. */
export interface RunOptions {
  /** Run only cases whose id starts with one of these prefixes ("dtype.", "mode.w-truncates"). */
  only?: readonly string[];
  /** Per-case limit; a case still running then fails as a hang (default 60 s). */
  timeoutMs?: number;
  /** Called after each case (progress output). */
  onCase?(result: CaseResult): void;
  /** The cases to run (default: the whole suite). */
  cases?: readonly ConformanceCase[];
}

/** Why a case cannot run on these capabilities, or undefined when it can. */
export function missingCapabilities(c: ConformanceCase, caps: BackendCapabilities): string | undefined {
  const missing = (c.requires ?? []).filter((name) => !caps[name]);
  return missing.length ? `backend lacks ${missing.join(", ")}` : undefined;
}

/** A one-line description of an unexpected error: typed errors by kind, untyped ones flagged. */
export function describeError(e: unknown): string {
  if (e instanceof AssertionError) return e.message;
  if (isHdmfError(e)) return `unexpected ${e.name} (${e.kind}): ${e.message}`;
  if (e instanceof Error) {
    const at = e.stack?.split("\n").find((l) => l.trim().startsWith("at "))?.trim();
    return `untyped ${e.name}: ${e.message.split("\n")[0]}${at ? ` (${at})` : ""}`;
  }
  return `a non-Error was thrown: ${String(e)}`;
}

class Hang extends AssertionError {}

function withTimeout<T>(p: Promise<T>, ms: number, what: string): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const t = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Hang({ message: `${what} did not finish within ${ms} ms (hang)` })), ms);
  });
  return Promise.race([p, t]).finally(() => clearTimeout(timer));
}

/** Run one case on a fresh fixture. Never throws: every outcome is a CaseResult. */
export async function runCase(c: ConformanceCase, factory: FixtureFactory, timeoutMs = 60_000): Promise<CaseResult> {
  const started = Date.now();
  const done = (status: CaseResult["status"], message?: string): CaseResult => ({ id: c.id, title: c.title, status, message, ms: Date.now() - started });
  const prerequisite = c.available ? await c.available() : undefined;
  if (prerequisite) return done("unsupported", prerequisite);
  let fixture;
  try {
    fixture = await withTimeout(factory(), timeoutMs, "creating the fixture");
  } catch (e) {
    return done("failed", `fixture: ${describeError(e)}`);
  }
  try {
    const missing = missingCapabilities(c, fixture.capabilities);
    if (missing) return done("unsupported", missing);
    await withTimeout(c.run({ fixture }), timeoutMs, c.id);
    return done("passed");
  } catch (e) {
    if (e instanceof CaseUnsupported) return done("unsupported", e.message);
    return done("failed", describeError(e));
  } finally {
    await withTimeout(fixture.destroy(), timeoutMs, "fixture.destroy()").catch(() => undefined);
  }
}

function selected(c: ConformanceCase, only: readonly string[] | undefined): boolean {
  return !only || only.length === 0 || only.some((p) => c.id === p || c.id.startsWith(p));
}

/** Run the suite (cases one after another: fixtures may share a server). */
export async function runConformance(name: string, factory: FixtureFactory, options: RunOptions = {}): Promise<ConformanceReport> {
  const results: CaseResult[] = [];
  for (const c of (options.cases ?? CONFORMANCE_CASES).filter((x) => selected(x, options.only))) {
    const r = await runCase(c, factory, options.timeoutMs);
    results.push(r);
    options.onCase?.(r);
  }
  return summarize(name, results);
}

/** Count a list of case results into a ConformanceReport for backend `name`. */
export function summarize(name: string, results: readonly CaseResult[]): ConformanceReport {
  const count = (s: CaseResult["status"]) => results.filter((r) => r.status === s).length;
  return {
    backend: name,
    passed: count("passed"),
    failed: count("failed"),
    unsupported: count("unsupported"),
    failures: results.filter((r) => r.status === "failed").map((r) => ({ case: r.id, message: r.message ?? "" })),
    cases: results,
  };
}

/** The pass/fail/unsupported table, one row per backend (CLI output and the README figure). */
export function formatTable(reports: readonly ConformanceReport[]): string {
  const w = Math.max(7, ...reports.map((r) => r.backend.length));
  const lines = [`${"backend".padEnd(w)}  passed  failed  unsupported`];
  for (const r of reports) {
    lines.push(`${r.backend.padEnd(w)}  ${String(r.passed).padStart(6)}  ${String(r.failed).padStart(6)}  ${String(r.unsupported).padStart(11)}`);
  }
  return lines.join("\n");
}

/** Unsupported cases with their reasons, for the notes under the table. */
export function formatUnsupported(report: ConformanceReport): string[] {
  return report.cases.filter((c) => c.status === "unsupported").map((c) => `${report.backend}: ${c.id} unsupported (${c.message})`);
}
