/**
 * The API reference is complete and current. typedoc (typedoc.json) validates the public entry
 * points (`hdmf-ts`, `hdmf-ts/conformance`, `hdmf-ts/conformance/vitest`):
 *
 * - no warning: every public export has a TSDoc comment (`notDocumented`), every type the public
 *   API names is itself exported (`notExported`), every `{@link}` resolves (`invalidLink`);
 * - the committed docs/api is exactly what `npm run docs` writes from today's sources.
 *
 * One typedoc run into a temporary directory serves both checks (about 30 s).
 */
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, relative } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const ROOT = fileURLToPath(new URL("../..", import.meta.url));
const TYPEDOC = join(ROOT, "node_modules/typedoc/bin/typedoc");
const COMMITTED = join(ROOT, "docs/api");
// eslint-disable-next-line no-control-regex
const ANSI = /\x1b\[[0-9;]*m/g;

interface TypedocRun { code: number; output: string }

function typedoc(args: readonly string[]): Promise<TypedocRun> {
  return new Promise((resolve) => {
    execFile(process.execPath, [TYPEDOC, ...args], {
      cwd: ROOT, maxBuffer: 64 * 1024 * 1024, env: { ...process.env, NO_COLOR: "1", FORCE_COLOR: "0" },
    }, (error, stdout, stderr) => {
      const code = error ? (typeof error.code === "number" ? error.code : 1) : 0;
      resolve({ code, output: `${stdout}${stderr}`.replace(ANSI, "") });
    });
  });
}

/** Every file under `dir`, as sorted paths relative to it. */
function filesUnder(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string): void => {
    for (const e of readdirSync(d, { withFileTypes: true })) {
      if (e.isDirectory()) walk(join(d, e.name));
      else out.push(relative(dir, join(d, e.name)));
    }
  };
  walk(dir);
  return out.sort();
}

describe("API reference (typedoc, docs/api)", () => {
  let out = "";
  let run: TypedocRun;

  beforeAll(async () => {
    out = mkdtempSync(join(tmpdir(), "hdmf-ts-api-"));
    // Warnings are collected here rather than made fatal, so the freshness check still has output.
    run = await typedoc(["--out", out, "--treatWarningsAsErrors", "false"]);
  }, 180_000);

  afterAll(() => {
    if (out) rmSync(out, { recursive: true, force: true });
  });

  it("typedoc runs without errors", () => {
    expect(run.code, run.output).toBe(0);
  });

  it("every public export is documented, and every type the API names is exported", () => {
    const warnings = run.output.split("\n")
      .filter((l) => l.startsWith("[warning]") && !/^\[warning\] Found \d+ errors? and \d+ warnings?/.test(l));
    expect(warnings, `typedoc reported ${warnings.length} warnings:\n${warnings.join("\n")}`).toEqual([]);
  });

  it("the committed docs/api is current (else: run npm run docs)", () => {
    const fresh = filesUnder(out);
    const committed = filesUnder(COMMITTED);
    const missing = fresh.filter((f) => !committed.includes(f));
    const extra = committed.filter((f) => !fresh.includes(f));
    expect({ missing, extra }, "docs/api has a different file list than typedoc writes now: run npm run docs").toEqual({ missing: [], extra: [] });
    const stale = fresh.filter((f) => readFileSync(join(out, f), "utf8") !== readFileSync(join(COMMITTED, f), "utf8"));
    expect(stale, `docs/api is out of date in ${stale.length} files: run npm run docs`).toEqual([]);
  });
});
