// A TypeScript consumer compiled with `tsc --noEmit --strict` against the shipped .d.ts.
// The @ts-expect-error lines fail the compile if the types were `any` (they must be real).
import { H5DataIO, openNWB, StoreError, TimeSeries, type HDMFIO, type NWBFile } from "hdmf-ts";
import {
  checkKey, checkPrefix, keyHasPrefix, rawStore, runConformance, sliceRange, zarrCapabilities, zarrFixture,
  type BackendFixture, type ByteRange, type ConformanceReport, type Store, type StoreCapabilities, type StoreKey,
} from "hdmf-ts/conformance";

class MapStore implements Store {
  readonly readOnly = false;
  readonly capabilities: StoreCapabilities = { writes: true, deletes: true, listing: true };
  readonly map = new Map<StoreKey, Uint8Array>();
  async get(key: StoreKey, range?: ByteRange): Promise<Uint8Array | undefined> {
    const v = this.map.get(checkKey(key));
    return v === undefined ? undefined : sliceRange(v, range).slice();
  }
  async set(key: StoreKey, value: Uint8Array): Promise<void> {
    if (value.byteLength > 1 << 30) throw new StoreError(`value too large for ${key}`, { key, op: "set" });
    this.map.set(checkKey(key), value.slice());
  }
  async delete(key: StoreKey): Promise<void> { this.map.delete(checkKey(key)); }
  async exists(key: StoreKey): Promise<boolean> { return this.map.has(checkKey(key)); }
  async *list(prefix?: StoreKey): AsyncIterable<StoreKey> {
    const p = checkPrefix(prefix);
    for (const k of [...this.map.keys()]) if (keyHasPrefix(k, p)) yield k;
  }
  async flush(): Promise<void> {}
  async close(): Promise<void> {}
}

export async function fixture(): Promise<BackendFixture> {
  const store = new MapStore();
  return zarrFixture({ target: store, raw: rawStore(store), destroy: () => store.close() }, zarrCapabilities({ zarrFormat: 2 }, { externalLinks: false }));
}

export async function run(path: string): Promise<number> {
  const io: HDMFIO<NWBFile> = await openNWB(path, "r");
  try {
    const nwbfile: NWBFile = await io.read();
    const ts = nwbfile.acquisition.get("test_gzipped_timeseries") as TimeSeries;
    const wrapped = new H5DataIO({ data: [1, 2, 3], chunks: true, maxshape: [null] });
    // @ts-expect-error openNWB takes a mode string, not a number
    await openNWB(path, 3);
    // @ts-expect-error a ConformanceReport's passed is a number
    const bad: string = ({} as ConformanceReport).passed;
    void bad; void wrapped;
    const report: ConformanceReport = await runConformance("map", fixture, { only: ["store."] });
    return report.failed + ts.name.length;
  } finally {
    await io.close();
  }
}
