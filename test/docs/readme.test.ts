/**
 * Every code block of README.md runs, as written, where a user runs it: in a fresh directory
 * outside the repository where the README's own `npm install hdmf-ts` block installed the packed
 * package (the one rewrite: the registry name becomes the tarball this run built, see
 * test/helpers/packed-package.ts). Rules per language: test/docs/readme-blocks.ts.
 *
 * - `bash`: bash -e -o pipefail in the project directory (`npx hdmf-ts` goes through npm's bin link);
 * - `ts`: saved as a `.mts` module in a directory of its own, type-checked together with tsc
 *   --strict against the shipped .d.ts, run with tsx; `js`: a `.mjs` module run with plain node;
 *   a `console.log(...);  // TEXT` line must print TEXT;
 *   `python`: run with the oracle's Python (pynwb 2.8, hdmf 3.14, hdf5plugin);
 * - every NWB file or store a block writes passes `hdmf-ts validate`, and those written by
 *   hdmf-ts also pass pynwb (the oracle's check_nwb.py);
 * - `text`: the CLI synopsis; its commands are exactly `hdmf-ts --help`'s, and every option it
 *   names is in that command's `--help`.
 */
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { ORACLE_DIR, oraclePython } from "../export/helpers.js";
import { NPM_QUIET_ENV, ok, packedPackage, ROOT, run, type Packed } from "../helpers/packed-package.js";
import { codeBlocks, isBlockLang, synopsis, type CodeBlock } from "./readme-blocks.js";

const README = join(ROOT, "README.md");
const TSX = join(ROOT, "node_modules/tsx/dist/cli.mjs");
const TSC = join(ROOT, "node_modules/typescript/bin/tsc");
const BLOCK_TIMEOUT = 240_000;

/** The blocks that do not run, by the start of their code; adding one here is a decision. */
const EXPECTED_NOT_RUN = [
  // `npm ci` reinstalls a checkout's dependencies; `bash scripts/test.sh` is the test command itself.
  "# 1. the main job",
];

/** The one rewrite: the README installs from the registry, the test from this run's tarball. */
const INSTALL = /\bnpm install hdmf-ts\b/;

const blocks = codeBlocks(readFileSync(README, "utf8"));
const runnable = blocks.filter((b) => b.notRun === undefined);
const where = (b: CodeBlock): string => `README.md:${b.line}`;
const dirOf = (b: CodeBlock): string => join(project, `block-${b.line}`);

let packed: Packed;
let tmp: string;
let project: string;
const counts: Record<string, number> = {};
const checkedOutputs: string[] = [];

beforeAll(async () => {
  packed = await packedPackage();
  tmp = mkdtempSync(join(tmpdir(), "hdmf-readme-"));
  project = join(tmp, "project");
  mkdirSync(project); // empty, as a user's new directory is: `npm install` makes the package.json
}, 480_000);

afterAll(() => {
  if (!tmp) return;
  rmSync(tmp, { recursive: true, force: true });
  const notRun = blocks.filter((b) => b.notRun !== undefined);
  const ran = Object.entries(counts).map(([k, n]) => `${k} ${n}`).join(", ");
  const line = `README: ${blocks.length} code blocks; ran ${ran}; ${checkedOutputs.length} files they wrote validated; `
    + `${notRun.length} not run (${notRun.map((b) => `${where(b)}: ${b.notRun}`).join("; ")})`;
  console.log(line);
  mkdirSync(join(ROOT, ".cache/figures"), { recursive: true });
  writeFileSync(join(ROOT, ".cache/figures/readme.txt"), `${line}\n`);
});

function count(kind: string): void {
  counts[kind] = (counts[kind] ?? 0) + 1;
}

/** The installed CLI through npm's bin link (what `npx hdmf-ts` runs, without npx's start-up). */
function cli(args: string[]): string {
  return ok(run(join(project, "node_modules/.bin/hdmf-ts"), args, project), `hdmf-ts ${args.join(" ")}`);
}

/** Every NWB file/store the block wrote validates in hdmf-ts; those hdmf-ts wrote also in pynwb. */
function checkOutputs(b: CodeBlock, ours: boolean): void {
  for (const name of readdirSync(dirOf(b))) {
    if (!/\.nwb(\.zarr)?$/.test(name)) continue;
    const path = join(dirOf(b), name);
    expect(cli(["validate", path])).toContain(": valid");
    if (ours) ok(run(oraclePython(), [join(ORACLE_DIR, "check_nwb.py"), path], dirOf(b)), `check_nwb.py ${name} (${where(b)})`);
    checkedOutputs.push(name);
  }
}

function runBlock(b: CodeBlock): void {
  switch (b.info) {
    case "bash": {
      const script = join(tmp, `block-${b.line}.sh`);
      writeFileSync(script, b.code.replace(INSTALL, `npm install ${packed.tarball}`));
      ok(run("bash", ["-e", "-o", "pipefail", script], project, BLOCK_TIMEOUT, NPM_QUIET_ENV), `bash block at ${where(b)}`);
      count("bash");
      return;
    }
    case "ts":
    case "js": {
      const file = join(dirOf(b), b.info === "ts" ? "example.mts" : "example.mjs");
      const cmd = b.info === "ts" ? [TSX, file] : [file];
      const out = ok(run("node", cmd, dirOf(b), BLOCK_TIMEOUT), `${b.info} block at ${where(b)}`);
      // `console.log(...);   // WHAT IT PRINTS`: the comment is what it prints.
      for (const m of b.code.matchAll(/console\.log\(.*\);\s*\/\/\s*(.+)$/gm)) expect(out, `output of ${where(b)}`).toContain(m[1]!.trim());
      checkOutputs(b, true);
      count(b.info);
      return;
    }
    case "python": {
      writeFileSync(join(dirOf(b), "example.py"), b.code);
      ok(run(oraclePython(), ["example.py"], dirOf(b), BLOCK_TIMEOUT), `python block at ${where(b)}`);
      checkOutputs(b, false);
      count("python");
      return;
    }
    case "text": {
      const help = cli(["--help"]);
      const entries = synopsis(b.code);
      const listed = [...help.matchAll(/^ {2}([a-z]+) /gm)].map((m) => m[1]).filter((c) => c !== "help");
      expect(entries.map((e) => e.command).sort(), `the synopsis at ${where(b)} lists every command, once`).toEqual(listed.sort());
      for (const e of entries) {
        const own = cli([e.command, "--help"]);
        for (const o of e.options) expect(own, `${o} of "hdmf-ts ${e.command}" (${where(b)}) in its --help`).toMatch(new RegExp(`${o}\\b`));
      }
      count("text (synopsis vs --help)");
      return;
    }
    default:
      throw new Error(`${where(b)}: no runner for a "${b.info}" block`);
  }
}

describe("the block rules (test/docs/readme-blocks.ts)", () => {
  it("finds fences with their language, line and not-run marker; a marker needs a reason", () => {
    const md = "text\n<!-- not-run: needs the network -->\n```bash\nnpm publish\n```\n\n```\nplain\n```\n";
    expect(codeBlocks(md)).toEqual([
      { line: 3, info: "bash", code: "npm publish\n", notRun: "needs the network" },
      { line: 7, info: "", code: "plain\n", notRun: undefined },
    ]);
    expect(() => codeBlocks("<!-- not-run: -->\n```ts\nx\n```\n")).toThrow(/without a reason/);
    expect(() => codeBlocks("```ts\nx\n")).toThrow(/never closed/);
  });

  it("reads a synopsis into commands and their options", () => {
    expect(synopsis("hdmf-ts export SRC DST [--format F]\n      [--overwrite]\nhdmf-ts ls PATH   the tree\n")).toEqual([
      { command: "export", options: ["--format", "--overwrite"] },
      { command: "ls", options: [] },
    ]);
    expect(() => synopsis("export SRC DST\n")).toThrow(/neither/);
  });
});

describe("README.md code blocks", () => {
  it("every block names a language with a runner; only the pinned blocks are marked not-run", () => {
    const unnamed = blocks.filter((b) => !isBlockLang(b.info)).map((b) => `${where(b)} "${b.info}"`);
    expect(unnamed, "blocks need one of ts, js, python, bash, text").toEqual([]);
    expect(blocks.filter((b) => b.notRun !== undefined).map((b) => b.code.split("\n")[0]!.slice(0, EXPECTED_NOT_RUN[0]!.length)))
      .toEqual(EXPECTED_NOT_RUN);
    expect(runnable.filter((b) => INSTALL.test(b.code)), "the install block").toHaveLength(1);
  });

  for (const b of runnable) {
    const first = b.code.split("\n").find((l) => l.trim() !== "" && !l.startsWith("import")) ?? "";
    it(`${b.info} at ${where(b)}: ${first.slice(0, 60)}`, () => {
      if (b.info === "ts" || b.info === "js" || b.info === "python") {
        mkdirSync(dirOf(b), { recursive: true });
        if (b.info !== "python") writeFileSync(join(dirOf(b), b.info === "ts" ? "example.mts" : "example.mjs"), b.code);
      }
      runBlock(b);
    }, BLOCK_TIMEOUT);
  }

  it("the ts blocks type-check with tsc --strict against the installed package's .d.ts", () => {
    const files = runnable.filter((b) => b.info === "ts").map((b) => join(dirOf(b), "example.mts"));
    expect(files.length).toBeGreaterThan(0);
    ok(run("node", [
      TSC, "--noEmit", "--strict", "--target", "es2022", "--module", "nodenext", "--moduleResolution", "nodenext",
      "--lib", "es2022,esnext.disposable", "--types", "node", "--typeRoots", join(ROOT, "node_modules/@types"), ...files,
    ], project), "tsc");
  }, 120_000);
});
