/** hdmf-ts: HDMF / NWB data in HDF5 files and Zarr stores. */
export * from "./errors.js";
export * from "./data/dtype.js";
export * from "./data/selection.js";
export * from "./data/reference.js";
export * from "./data/ndarray.js";
export * from "./data/iterators.js";
export * from "./data/data-io.js";
export * from "./data/data-source.js";
export * from "./data/codec-config.js";
export * from "./backends/io.js";
export * from "./backends/chunk-plan.js";
export * from "./backends/chunk-guess.js";
export * from "./schema/builders.js";
export { VERSION } from "./version.js";
export * from "./schema/index.js";
export * from "./nwb/index.js";
export { openIO, detectFormat, type OpenIOOptions, type BackendFormat, type S3Options } from "./backends/factory.js";
export type { HttpStoreOptions } from "./stores/http-store.js";
export type { HttpOptions } from "./stores/http-fetch.js";
export type { RetryOptions } from "./stores/s3-retry.js";
export type { RemoteDeviceOptions } from "./stores/remote-device.js";
export { exportFile, type ExportOptions, type ExportReport, type ExportProgress } from "./backends/export.js";
export { applyLinkPolicy, type LinkPolicy, type LinkPolicyOptions, type LinkReport, type OpenSource } from "./backends/link-policy.js";
export { openNWB, validateFile, catalogFor, readCachedSpecEntries, type OpenNWBOptions } from "./nwb-io.js";
export * from "./parallel/index.js";
export * from "./codecs/index.js";
export { exportTo, isIncomplete, INCOMPLETE_MARKER, type ExportToOptions } from "./backends/export-target.js";
export { manifest, manifestOf, type ManifestEntry, type ManifestObject, type ManifestOptions } from "./inspect/manifest.js";
export type { Json as ManifestJson } from "./inspect/render.js";
export { ls, lsLines, type LsLine } from "./inspect/ls.js";
export { manifestSha256, fieldSha256, valueKind, type ValueKind } from "./inspect/checksum.js";
// The byte-store contract under ZarrIO, for user-written stores (checked by hdmf-ts/conformance).
export {
  checkKey, checkPrefix, keyHasPrefix, sliceRange, resolveRange, checkRangeNumbers, listDir,
  type Store, type StoreKey, type ByteRange, type StoreCapabilities, type GetOptions, type DirListing,
} from "./stores/store.js";
export { MemoryStore, type MemoryStoreOptions } from "./stores/memory-store.js";
