/** Shared by the export tests: the oracle Python (compare.py, check_nwb.py), tree hashes, temp folders. */
import { spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdtempSync, readdirSync, readFileSync, statSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";

export const FIXTURES = process.env.HDMF_TS_SHARED ? join(process.env.HDMF_TS_SHARED, "fixtures") : resolve("../shared/fixtures");
export const ORACLE_DIR = resolve(FIXTURES, "../oracle");

/** $ORACLE_VENV/bin/python (default .cache/oracle); a clear failure when it is missing. */
export function oraclePython(): string {
  const venv = resolve(process.env.ORACLE_VENV ?? ".cache/oracle");
  const py = join(venv, "bin", "python");
  if (!existsSync(py)) {
    throw new Error(`oracle Python not found at ${py}: run \`ORACLE_VENV=${venv} bash ${ORACLE_DIR}/setup.sh\` (scripts/test.sh does it) or set ORACLE_VENV`);
  }
  return py;
}

export interface PyResult { code: number; out: string }

export function oracle(script: "compare.py" | "check_nwb.py" | "manifest.py", args: string[]): PyResult {
  const r = spawnSync(oraclePython(), [join(ORACLE_DIR, script), ...args], { encoding: "utf8", timeout: 120_000 });
  return { code: r.status ?? -1, out: `${r.stdout ?? ""}${r.stderr ?? ""}` };
}

/** compare.py A B: the differing lines ([] when equal). */
export function compare(a: string, b: string, resolveLinks = false): string[] {
  const r = oracle("compare.py", [a, b, "--max", "50", ...(resolveLinks ? ["--resolve-links"] : [])]);
  if (r.code === 0) return [];
  return r.out.split("\n").filter((l) => l.startsWith("  ")).map((l) => l.trim()).concat(r.code !== 1 ? [r.out] : []);
}

/** SHA-256 over every file below `path` (names and bytes), to prove a source was not modified. */
export function treeHash(path: string): string {
  const h = createHash("sha256");
  const visit = (p: string, rel: string): void => {
    if (statSync(p).isDirectory()) {
      for (const n of readdirSync(p).sort()) visit(join(p, n), `${rel}/${n}`);
    } else {
      h.update(rel).update(readFileSync(p));
    }
  };
  visit(path, "");
  return h.digest("hex");
}

export function tempDir(tag: string): string {
  return mkdtempSync(join(tmpdir(), `hdmf-export-${tag}-`));
}

export const FALLBACK = { id: "zlib", level: 4 } as const;
