/** The Zarr backend: ZarrIO (hdmf-zarr v2 layout and Zarr v3) and what callers configure it with. */
export { ZarrIO, openZarr, type ZarrIOOptions } from "./zarr-io.js";
export type { ShardOptions } from "./shard-layout.js";
export type { CodecResolver } from "./codec-bridge.js";
export type { CachedSpecEntry } from "./spec-cache.js";
export { ZarrDatasetHandle } from "./dataset-handle.js";
export type { ZarrFormat } from "./keys.js";
