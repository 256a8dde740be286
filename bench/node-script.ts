/**
 * Bench scripts whose timings include the library's own loading (bench/nwb.ts: process start,
 * the lazy backend imports, wasm instantiation; bench/export-child.ts) run as users run the
 * package: plain `node` on the compiled `dist/`, not under tsx, whose loader hooks and on-the-fly
 * TypeScript transforms cost more than the work of a 17 MB write (measured: 0.5 s of 1.3 s).
 * The script is type-stripped with the TypeScript compiler (no bundling) into .cache/bench-js:
 * its `../src/…` imports point at `dist/…`, its `./x.js` imports at bench/x.ts stripped the same
 * way; any other relative import is refused.
 */
import { execFileSync } from "node:child_process";
import { mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import { basename, join, resolve } from "node:path";
import { pathToFileURL } from "node:url";
import ts from "typescript";

const ROOT = resolve(import.meta.dirname, "..");

function newestMtime(dir: string): number {
  let t = 0;
  for (const e of readdirSync(dir, { withFileTypes: true, recursive: true })) {
    if (e.isFile()) t = Math.max(t, statSync(join(e.parentPath, e.name)).mtimeMs);
  }
  return t;
}

let distChecked = false;

/** Build dist/ (`npm run build`) when a file under src/ is newer than dist/index.js (checked once per process). */
function ensureDist(): void {
  if (distChecked) return;
  distChecked = true;
  let built = 0;
  try { built = statSync(join(ROOT, "dist", "index.js")).mtimeMs; } catch { /* not built yet */ }
  if (built >= newestMtime(join(ROOT, "src"))) return;
  process.stderr.write("bench: dist/ is older than src/, building ...\n");
  execFileSync("npm", ["run", "build"], { cwd: ROOT, stdio: ["ignore", "ignore", "inherit"] });
}

/** The plain-JS twin of bench/<file>.ts on dist/ (built first if stale), for `node <returned path> …`. */
export function nodeScript(file: string, done = new Set<string>()): string {
  ensureDist();
  const src = resolve(ROOT, file);
  const dir = join(ROOT, ".cache", "bench-js");
  const target = join(dir, basename(file).replace(/\.ts$/, ".mjs"));
  if (done.has(src)) return target;
  done.add(src);
  const js = ts.transpileModule(readFileSync(src, "utf8"), {
    compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: false },
    fileName: src,
  }).outputText;
  const dist = pathToFileURL(join(ROOT, "dist")).href;
  const out = js
    .replace(/(["'])\.\.\/src\//g, `$1${dist}/`)
    .replace(/(["'])\.\/([\w-]+)\.js\1/g, (_m, q: string, name: string) => `${q}./${basename(nodeScript(`bench/${name}.ts`, done))}${q}`);
  const stray = /(?:from\s+|import\s*\(\s*)["']\.\.?\/(?![\w-]+\.mjs["'])/.exec(out);
  if (stray) throw new Error(`${file}: only ../src/ and ./ (bench) imports can run on dist/ (found ${stray[0]})`);
  mkdirSync(dir, { recursive: true });
  writeFileSync(target, out);
  return target;
}
