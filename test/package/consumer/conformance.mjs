// runConformance from the installed package, no test framework installed. Prints one JSON line
// per store: passed / failed / unsupported and the failing case ids.
import { rawStore, runConformance, zarrCapabilities, zarrFixture } from "hdmf-ts/conformance";
import { IgnoresRanges, MapStore } from "./user-store.mjs";

const fixture = (Make) => async () => {
  const store = new Make();
  return zarrFixture(
    { target: store, raw: rawStore(store), options: { zarrFormat: 2, sourceName: "map://user" }, destroy: () => store.close() },
    zarrCapabilities({ zarrFormat: 2 }, { externalLinks: false }),
  );
};
for (const Make of [MapStore, IgnoresRanges]) {
  const r = await runConformance(Make.name, fixture(Make));
  console.log(JSON.stringify({ store: Make.name, passed: r.passed, failed: r.failed, unsupported: r.unsupported, failures: r.failures.map((f) => f.case) }));
}
