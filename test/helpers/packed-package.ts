/**
 * The package as npm publishes it: `npm run build` then `npm pack`, once per test run however
 * many test files ask (test/package/installed.test.ts, test/docs/readme.test.ts). The first
 * caller builds under a lock in the run's shared directory (test/helpers/run-dir.ts); the others
 * wait for its result. Also the shell a user has: processes run with no npm/vitest variables of
 * this run and no repository bins on PATH.
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from "node:fs";
import { delimiter, join, resolve } from "node:path";
import { setTimeout as sleep } from "node:timers/promises";
import { expect, inject } from "vitest";

export const ROOT = resolve(".");

/** The environment of a user's shell: no npm/vitest variables of this run, no repo bins on PATH. */
export function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = {};
  for (const [k, v] of Object.entries(process.env)) {
    if (/^(npm_|VITEST|NODE_OPTIONS$|NODE_ENV$|TEST$)/i.test(k)) continue;
    env[k] = v;
  }
  env.PATH = (process.env.PATH ?? "").split(delimiter).filter((p) => !p.startsWith(ROOT)).join(delimiter);
  return env;
}

export interface Run { code: number; out: string; err: string }

/** Run a command in a user's environment (plus `env`), never through a shell. */
export function run(cmd: string, args: readonly string[], cwd: string, timeout = 120_000, env: NodeJS.ProcessEnv = {}): Run {
  const r = spawnSync(cmd, args, { cwd, encoding: "utf8", timeout, env: { ...userEnv(), ...env } });
  return { code: r.status ?? -1, out: r.stdout ?? "", err: `${r.stderr ?? ""}${r.error ? String(r.error) : ""}` };
}

/** Expect exit 0; return stdout. */
export function ok(r: Run, what: string): string {
  expect(r.code, `${what} exited ${r.code}:\n${r.err}\n${r.out}`).toBe(0);
  return r.out;
}

export interface Packed {
  /** Absolute path of the .tgz. */
  readonly tarball: string;
  /** Packed size in bytes. */
  readonly size: number;
  readonly files: readonly { path: string; size: number }[];
}

/** npm's options for installing into a throwaway project: the local npm cache first, no audit or fund requests. */
export const NPM_QUIET_ENV: NodeJS.ProcessEnv = {
  npm_config_prefer_offline: "true", npm_config_audit: "false", npm_config_fund: "false", npm_config_loglevel: "error",
};

/** `npm install <tarball> --omit=dev` into `project`. */
export function installTarball(project: string, tarball: string): void {
  ok(run("npm", ["install", tarball, "--omit=dev"], project, 240_000, NPM_QUIET_ENV), "npm install <tarball>");
}

function buildAndPack(dest: string): Packed {
  ok(run("npm", ["run", "build", "--silent"], ROOT, 240_000), "npm run build");
  // The build just ran; --ignore-scripts keeps `prepare` from compiling a second time.
  const pack = ok(run("npm", ["pack", "--ignore-scripts", "--json", "--pack-destination", dest], ROOT), "npm pack");
  const info = (JSON.parse(pack) as { filename: string; size: number; files: { path: string; size: number }[] }[])[0]!;
  return { tarball: join(dest, info.filename), size: info.size, files: info.files };
}

/** The packed tarball of this checkout, built once per test run. */
export async function packedPackage(): Promise<Packed> {
  const dir = join(inject("runDir"), "package");
  const done = join(dir, "packed.json");
  const failed = join(dir, "failed.txt");
  let mine = false;
  try {
    mkdirSync(dir); // the lock: exactly one caller creates it
    mine = true;
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
  }
  if (mine) {
    try {
      const packed = buildAndPack(dir);
      writeFileSync(`${done}.tmp`, JSON.stringify(packed));
      renameSync(`${done}.tmp`, done); // readers never see half a file
      return packed;
    } catch (e) {
      writeFileSync(failed, String(e));
      throw e;
    }
  }
  for (const end = Date.now() + 480_000; Date.now() < end; await sleep(500)) {
    if (existsSync(done)) return JSON.parse(readFileSync(done, "utf8")) as Packed;
    if (existsSync(failed)) throw new Error(`building the package failed in another test file:\n${readFileSync(failed, "utf8")}`);
  }
  throw new Error("timed out waiting for another test file to build and pack the package");
}
