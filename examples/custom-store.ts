/**
 * A user-written Store, and the conformance suite run against ZarrIO on it.
 *
 * The store keeps values as base64 text in a string-only key-value map — the shape of
 * localStorage, Redis or a KV service — to show that anything implementing the small
 * Store contract carries hdmf-ts data. It imports only from the package ("hdmf-ts",
 * "hdmf-ts/conformance"), as it would outside this repository (here tsconfig.json "paths"
 * and vitest.config.ts map those names to src/).
 *
 *   npx tsx examples/custom-store.ts            # runs the suite and prints the table
 *   describeBackendConformance("kv-store", kvStoreFixture)   # the same inside vitest (hdmf-ts/conformance/vitest)
 */
import { fileURLToPath } from "node:url";
import { StoreError } from "hdmf-ts";
import {
  checkKey, checkPrefix, formatTable, keyHasPrefix, rawStore, runConformance, sliceRange, zarrCapabilities, zarrFixture,
  type BackendFixture, type ByteRange, type Store, type StoreCapabilities, type StoreKey,
} from "hdmf-ts/conformance";

/** A string-only key-value map, as many KV services are. */
export type TextKV = Map<string, string>;

export class KVStore implements Store {
  readonly readOnly = false;
  readonly capabilities: StoreCapabilities = { writes: true, deletes: true, listing: true };
  #closed = false;

  constructor(readonly kv: TextKV = new Map()) {}

  async get(key: StoreKey, range?: ByteRange): Promise<Uint8Array | undefined> {
    const text = this.kv.get(checkKey(key));
    return text === undefined ? undefined : sliceRange(new Uint8Array(Buffer.from(text, "base64")), range);
  }

  async set(key: StoreKey, value: Uint8Array): Promise<void> {
    if (this.#closed) throw new StoreError(`store is closed: cannot set ${key}`, { key, op: "set" });
    this.kv.set(checkKey(key), Buffer.from(value).toString("base64"));
  }

  async delete(key: StoreKey): Promise<void> {
    this.kv.delete(checkKey(key));
  }

  async exists(key: StoreKey): Promise<boolean> {
    return this.kv.has(checkKey(key));
  }

  async *list(prefix?: StoreKey): AsyncIterable<StoreKey> {
    const p = checkPrefix(prefix);
    for (const key of [...this.kv.keys()]) if (keyHasPrefix(key as StoreKey, p)) yield key as StoreKey;
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    this.#closed = true;
  }
}

/** The fixture: one fresh KVStore per case; the backdoor reads the same store object. */
export async function kvStoreFixture(): Promise<BackendFixture> {
  const store = new KVStore();
  return zarrFixture(
    { target: store, raw: rawStore(store), options: { zarrFormat: 2, sourceName: "kv://example" }, destroy: async () => store.kv.clear() },
    // No second store to link to from here: external links are declared unsupported.
    zarrCapabilities({ zarrFormat: 2 }, { externalLinks: false }),
  );
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const report = await runConformance("kv-store (examples/custom-store.ts)", kvStoreFixture);
  console.log(formatTable([report]));
  for (const f of report.failures) console.log(`FAILED ${f.case}: ${f.message}`);
  process.exitCode = report.failed > 0 ? 1 : 0;
}
