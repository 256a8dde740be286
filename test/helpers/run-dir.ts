/**
 * vitest globalSetup: one temporary directory per test run, shared by every test file (they run
 * in separate processes) and removed when the run ends. Work that several files need once per
 * run — building and packing the package (test/helpers/packed-package.ts) — is done there
 * under a lock instead of once per file.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import type { TestProject } from "vitest/node";

declare module "vitest" {
  export interface ProvidedContext {
    /** This run's shared temporary directory. */
    runDir: string;
  }
}

export default function setup(project: TestProject): () => void {
  const dir = mkdtempSync(join(tmpdir(), "hdmf-ts-run-"));
  project.provide("runDir", dir);
  return () => rmSync(dir, { recursive: true, force: true });
}
