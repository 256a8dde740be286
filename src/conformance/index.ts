/**
 * hdmf-ts/conformance: prove that a storage backend (ours, or one written against
 * src/backends/io.ts or the Store contract) behaves like the reference backends. Runner-
 * independent: nothing here imports a test framework (the vitest wrapper is
 * `hdmf-ts/conformance/vitest`).
 *
 *   import { runConformance, zarrFixture, rawStore, zarrCapabilities } from "hdmf-ts/conformance";
 *   const store = new MyStore();
 *   const report = await runConformance("my-store", async () => zarrFixture(
 *     { target: store, raw: rawStore(store), destroy: () => store.close() },
 *     zarrCapabilities({ zarrFormat: 2 }, { externalLinks: false })));
 *
 * @packageDocumentation
 */
export * from "./types.js";
export { runConformance, runCase, summarize, formatTable, formatUnsupported, missingCapabilities, describeError, type RunOptions } from "./run.js";
export { CONFORMANCE_CASES } from "./cases/index.js";
export { storeCases as STORE_CASES } from "./cases/store.js";
export { dtypeTag, CaseUnsupported } from "./check.js";
export {
  zarrFixture, zarrCapabilities, rawStore, rawDir, rawZip, rawS3,
  zarrDirFixture, zarrMemoryFixture, zarrZipFixture, zarrS3Fixture,
  type ZarrTarget, type ZarrLayout, type S3Endpoint,
} from "./fixtures/zarr.js";
export { peekZarr, type RawKeyReader } from "./fixtures/zarr-peek.js";
export { hdf5Fixture } from "./fixtures/hdf5.js";
// The backend options a fixture passes through (ZarrTarget.options, ZarrLayout, hdf5Fixture({io})).
export type { ZarrIOOptions, HDF5IOOptions, ZarrFormat, ShardOptions, CodecResolver } from "../backends/factory.js";
export type { OpenStoreOptions, StoreMode } from "../stores/open-store.js";
export type { S3StoreOptions } from "../stores/s3-store.js";
export type { FsStoreOptions } from "../stores/fs-store.js";
// What a user-written Store needs (the contract and the helpers our own stores use).
export {
  checkKey, checkPrefix, keyHasPrefix, sliceRange, resolveRange, checkRangeNumbers, listDir,
  type Store, type StoreKey, type ByteRange, type StoreCapabilities, type GetOptions, type DirListing,
} from "../stores/store.js";
export { MemoryStore, type MemoryStoreOptions } from "../stores/memory-store.js";
