/**
 * Reliability matrix, part 1: malformed inputs. Every case must end in a typed HdmfError
 * that names the path — no crash (untyped error), no hang (each case under a timeout), no
 * write outside its own target directory (a sentinel directory beside the targets is
 * compared before and after). The figure goes to .cache/figures/reliability-malformed.txt.
 */
import { mkdir, mkdtemp, readdir, readFile, rm, stat, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { describeError } from "../../src/conformance/run.js";
import { isHdmfError } from "../../src/errors.js";
import { HDF5_CASES, MODE_AND_PATH_CASES, SPEC_CASES } from "./malformed-other.js";
import { PICKLE_CASES, ZARR_CASES, type MalformedCase } from "./malformed-zarr.js";
import { writeFigure } from "./figures.js";

const CASE_TIMEOUT_MS = 10_000;

let outer: string;
let sentinelFile: string;
const outcomes: Array<{ name: string; ok: boolean; why: string }> = [];

async function snapshot(dir: string): Promise<string[]> {
  const out: string[] = [];
  const walk = async (d: string, rel: string): Promise<void> => {
    for (const e of await readdir(d, { withFileTypes: true })) {
      const r = `${rel}/${e.name}`;
      if (r === "/targets") continue; // each case may write inside its own target
      out.push(e.isDirectory() ? `${r}/` : `${r} ${(await stat(path.join(d, e.name))).size}`);
      if (e.isDirectory()) await walk(path.join(d, e.name), r);
    }
  };
  await walk(dir, "");
  return out.sort();
}

/** Whether the HDF5 core can run here (it is built from Debian sources by another task). */
async function hdf5Ready(): Promise<string | undefined> {
  try {
    const { openHdf5 } = await import("../../src/backends/hdf5/index.js");
    const f = path.join(outer, "probe.h5");
    await (await openHdf5(f, "w")).close();
    await rm(f, { force: true });
    return undefined;
  } catch (e) {
    return describeError(e);
  }
}

let hdf5Missing: string | undefined;
let before: string[];

beforeAll(async () => {
  outer = await mkdtemp(path.join(tmpdir(), "hdmf-malformed-"));
  await mkdir(path.join(outer, "targets"));
  await mkdir(path.join(outer, "sentinel"));
  sentinelFile = path.join(outer, "sentinel", "pickle-ran");
  await writeFile(path.join(outer, "sentinel", "keep.txt"), "untouched");
  hdf5Missing = await hdf5Ready();
  before = await snapshot(outer);
});

afterAll(async () => {
  const ran = outcomes.length;
  const good = outcomes.filter((o) => o.ok).length;
  const byPolicy = outcomes.filter((o) => o.ok && o.why.startsWith("succeeded as specified"));
  const lines = [
    `reliability: malformed inputs: ${ran} cases tried, ${good} as specified (${good - byPolicy.length} typed errors naming the path, ${byPolicy.length} legitimate input read), ${ran - good} not`,
    `  crashes (untyped errors): ${outcomes.filter((o) => o.why.startsWith("untyped")).length}, hangs (> ${CASE_TIMEOUT_MS / 1000} s): ${outcomes.filter((o) => o.why.startsWith("hang")).length}, writes outside the target: ${(await snapshot(outer)).join() === before.join() ? 0 : "SOME"}`,
    ...(hdf5Missing ? [`  HDF5 cases not run (${HDF5_CASES.length}): the HDF5 core is not available: ${hdf5Missing}`] : []),
    ...byPolicy.map((o) => `  OK by policy ${o.name}: ${o.why}`),
    ...outcomes.filter((o) => !o.ok).map((o) => `  NOT OK ${o.name}: ${o.why}`),
  ];
  writeFigure("reliability-malformed", lines);
  await rm(outer, { recursive: true, force: true });
});

async function check(c: MalformedCase, dir: string): Promise<{ ok: boolean; why: string }> {
  const action = await c.make(dir);
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<"hang">((r) => { timer = setTimeout(() => r("hang"), CASE_TIMEOUT_MS); });
  let outcome: unknown = "no error";
  try {
    const r = await Promise.race([action().then(() => "succeeded" as const), hang]);
    if (r === "hang") return { ok: false, why: `hang: no answer within ${CASE_TIMEOUT_MS} ms` };
    if (c.succeeds) return { ok: true, why: `succeeded as specified: ${c.succeeds}` };
    return { ok: false, why: "succeeded: expected a typed error" };
  } catch (e) {
    outcome = e;
  } finally {
    clearTimeout(timer);
  }
  if (c.succeeds) return { ok: false, why: `expected success (${c.succeeds}), got ${describeError(outcome)}` };
  if (!isHdmfError(outcome)) return { ok: false, why: describeError(outcome) };
  if (c.kinds && !c.kinds.includes(outcome.kind)) return { ok: false, why: `${outcome.name} (${outcome.kind}), expected ${c.kinds.join("/")}: ${outcome.message}` };
  const f = outcome as unknown as { path?: string; key?: string; target?: string };
  const named = [f.path, f.key, f.target, outcome.message].some((s) => typeof s === "string" && s.includes(c.names));
  if (!named) return { ok: false, why: `${outcome.name} does not name ${JSON.stringify(c.names)}: ${outcome.message}` };
  return { ok: true, why: `${outcome.name}: ${outcome.message}` };
}

function matrix(title: string, cases: () => MalformedCase[], skip?: () => string | undefined): void {
  describe(title, () => {
    for (const c of cases()) {
      it(c.name, async (ctx) => {
        const reason = skip?.();
        if (reason) ctx.skip(reason);
        const dir = await mkdtemp(path.join(outer, "targets", "case-"));
        const r = await check(c, dir);
        outcomes.push({ name: c.name, ...r });
        expect(r.ok, `${c.name}: ${r.why}`).toBe(true);
      }, CASE_TIMEOUT_MS + 30_000);
    }
  });
}

matrix("malformed Zarr metadata and chunks", () => ZARR_CASES);
matrix("malicious pickles", () => PICKLE_CASES(path.join(tmpdir(), "hdmf-pickle-must-not-exist")));
matrix("mode violations, bad paths, wrong neurodata_type", () => MODE_AND_PATH_CASES);
matrix("spec YAML", () => SPEC_CASES);
matrix("malformed HDF5 files", () => HDF5_CASES, () => (hdf5Missing ? `HDF5 core not available: ${hdf5Missing}` : undefined));

describe("after the matrix", () => {
  it("nothing outside the targets changed and no pickle ran", async () => {
    expect(await snapshot(outer)).toEqual(before);
    expect(await readFile(path.join(outer, "sentinel", "keep.txt"), "utf8")).toBe("untouched");
    await expect(stat(path.join(tmpdir(), "hdmf-pickle-must-not-exist"))).rejects.toThrow();
    expect(outcomes.length).toBeGreaterThanOrEqual(40 - (hdf5Missing ? HDF5_CASES.length : 0));
  });
});
