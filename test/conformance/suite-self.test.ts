/**
 * The suite tests itself: a correct in-memory backend passes every case, and deliberately
 * broken backends fail with messages that say what broke.
 */
import { describe, expect, it } from "vitest";
import { runConformance } from "../../src/conformance/run.js";
import { describeBackendConformance } from "hdmf-ts/conformance/vitest";
import { BrokenIO, type Breakage } from "./broken-backend.js";
import { referenceFixture } from "./reference-fixture.js";

describeBackendConformance("ReferenceIO(memory)", async () => referenceFixture());

describe("the suite can fail", () => {
  const broken = (b: Breakage) => async () => referenceFixture({ wrap: (io) => new BrokenIO(io, b) });

  it("a backend that drops attributes fails the attribute cases, naming the attribute", async () => {
    const r = await runConformance("drops-attributes", broken("drop-attributes"));
    expect(r.failed).toBeGreaterThanOrEqual(4);
    const byCase = new Map(r.failures.map((f) => [f.case, f.message]));
    expect(byCase.get("attributes.scalars")).toMatch(/attribute "f64" is missing on \/g/);
    expect(byCase.get("attributes.arrays")).toMatch(/attribute "ints" is missing on \/d/);
    expect(byCase.has("dtype.int64")).toBe(false); // data cases still pass: the failure is specific
  });

  it("a backend that returns the fill value for written chunks fails the data cases with the first wrong value", async () => {
    const r = await runConformance("returns-fill", broken("fill-for-written-chunks"), { only: ["dtype.", "dataio.", "iterators."] });
    expect(r.passed).toBeLessThan(5);
    const msg = r.failures.find((f) => f.case === "dtype.int32")?.message;
    expect(msg).toMatch(/read back: \/x \(int32\): value \[0\] expected -2147483648, got 0/);
  });

  it("a backend that lets mode r write fails the mode cases with ModeError expected", async () => {
    const fixture = async () => referenceFixture({ openAs: (m) => (m === "r" ? "r+" : m), wrap: (io, m) => new BrokenIO(io, "ignore-read-only", m) });
    const r = await runConformance("ignores-r", fixture, { only: ["mode.r-forbids-writes"] });
    expect(r.failed).toBe(1);
    expect(r.failures[0]!.message).toMatch(/write in mode r: expected mode error, but it succeeded/);
  });

  it("capabilities a backend lacks are counted as unsupported, with the reason", async () => {
    const r = await runConformance("no-links", async () => referenceFixture({ capabilities: { softLinks: false, externalLinks: false, float16: false } }), { only: ["links.", "dtype.float16"] });
    expect(r.unsupported).toBe(3);
    expect(r.cases.find((c) => c.id === "links.external")?.message).toBe("backend lacks externalLinks");
  });
});
