/**
 * Mutation test of the published suite: the user-written KVStore passes it whole on Zarr v2
 * and on sharded Zarr v3, and each of 17 broken variants (test/conformance/store-mutants.ts)
 * fails it on both layouts. Broken variants run the store.* cases only (failing a part of the
 * suite fails the suite); the figure file lists which cases caught each one.
 */
import { mkdirSync, writeFileSync } from "node:fs";
import { afterAll, describe, expect, it } from "vitest";
import {
  STORE_CASES, rawStore, runConformance, zarrCapabilities, zarrFixture, type BackendFixture, type Store, type ZarrLayout,
} from "hdmf-ts/conformance";
import { KVStore } from "../../examples/custom-store.js";
import { STORE_MUTANTS } from "./store-mutants.js";

const LAYOUTS: Record<string, ZarrLayout> = {
  v2: { zarrFormat: 2 },
  "v3-sharded": { zarrFormat: 3, shards: { chunksPerShard: 8 } },
};

function fixtureOf(make: () => Store, layout: ZarrLayout): () => Promise<BackendFixture> {
  return async () => {
    const store = make();
    return zarrFixture(
      { target: store, raw: rawStore(store), options: { ...layout, sourceName: "kv://mutant" }, destroy: () => store.close() },
      zarrCapabilities(layout, { externalLinks: false }),
    );
  };
}

const caught: string[] = [];
afterAll(() => {
  mkdirSync(".cache/figures", { recursive: true });
  writeFileSync(".cache/figures/conformance-store-mutants.txt", `store mutants: ${caught.length} of ${Object.keys(STORE_MUTANTS).length * 2} runs failed the suite\n${caught.map((l) => `  ${l}`).join("\n")}\n`);
});

describe.each(Object.entries(LAYOUTS))("ZarrIO %s over a user-written store", (layoutName, layout) => {
  it("the correct store passes every case", async () => {
    const report = await runConformance(`kv ${layoutName}`, fixtureOf(() => new KVStore(), layout));
    expect(report.failures).toEqual([]);
    expect(report.passed).toBeGreaterThanOrEqual(STORE_CASES.length + 50);
    expect(report.cases.filter((c) => c.id.startsWith("store.")).every((c) => c.status === "passed")).toBe(true);
  }, 300_000);

  it.each(Object.keys(STORE_MUTANTS))("fails a store whose %s", async (name) => {
    const report = await runConformance(`${name} ${layoutName}`, fixtureOf(STORE_MUTANTS[name]!, layout), { only: ["store."] });
    expect(report.passed + report.failed).toBe(STORE_CASES.length);
    expect(report.failed, `${name}: no case failed`).toBeGreaterThan(0);
    caught.push(`${layoutName} "${name}": ${report.failures.map((f) => f.case).join(", ")}`);
  }, 120_000);
});
