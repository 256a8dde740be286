/** `hdmf-ts conformance`: JSON shape, table, bad backend name. */
import { Command } from "commander";
import { afterEach, describe, expect, it, vi } from "vitest";
import { registerConformance } from "../../src/cli/commands/conformance.js";
import { InvalidInputError } from "../../src/errors.js";

async function run(args: string[]): Promise<{ out: string; code: number | undefined }> {
  const program = new Command("hdmf-ts").exitOverride();
  registerConformance(program);
  let out = "";
  const spy = vi.spyOn(process.stdout, "write").mockImplementation((chunk: string | Uint8Array) => { out += String(chunk); return true; });
  const err = vi.spyOn(process.stderr, "write").mockImplementation(() => true);
  process.exitCode = undefined;
  try {
    await program.parseAsync(["node", "hdmf-ts", "conformance", ...args]);
  } finally {
    spy.mockRestore();
    err.mockRestore();
  }
  const code = typeof process.exitCode === "number" ? process.exitCode : undefined;
  process.exitCode = undefined;
  return { out, code };
}

describe("hdmf-ts conformance", () => {
  afterEach(() => { process.exitCode = undefined; });

  it("--json prints {backends: {NAME: {passed, failed, unsupported, failures}}}", async () => {
    const { out, code } = await run(["--backend", "memory,zarr-v3-dir", "--only", "dtype.int", "dataio.sharding", "--json"]);
    const doc = JSON.parse(out) as { backends: Record<string, { passed: number; failed: number; unsupported: number; failures: unknown[] }> };
    expect(Object.keys(doc.backends)).toEqual(["memory", "zarr-v3-dir"]);
    expect(doc.backends.memory).toEqual({ passed: 4, failed: 0, unsupported: 1, failures: [] });
    expect(code).toBeUndefined();
  });

  it("prints a table with the unsupported cases and their reasons", async () => {
    const { out } = await run(["--backend", "zip", "--only", "links.external", "dtype.uint8"]);
    expect(out).toMatch(/backend\s+passed\s+failed\s+unsupported\nzip\s+1\s+0\s+1/);
    expect(out).toContain("zip: links.external unsupported (backend lacks externalLinks)");
  });

  it("an unknown backend is an InvalidInputError naming the choices", async () => {
    await expect(run(["--backend", "ftp"])).rejects.toThrow(InvalidInputError);
    await expect(run(["--backend", "ftp"])).rejects.toThrow(/use hdf5, zarr-v2-dir/);
  });
});
