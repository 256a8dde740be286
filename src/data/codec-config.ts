/**
 * A codec as configuration (numcodecs style: `{"id": "zlib", "level": 4}`). The data layer
 * only describes pipelines; src/codecs turns configs into working codecs.
 */
import type { JsonValue } from "./ndarray.js";

/** A codec's numcodecs configuration: its `id` and JSON parameters, as in `.zarray` `compressor`/`filters`. */
export type CodecConfig = { readonly id: string } & { readonly [key: string]: JsonValue };

/** One entry of an HDF5 filter pipeline, as `H5Pget_filter2` reports it and h5py's `_filters` shows it. */
export interface Hdf5Filter {
  readonly id: number;
  /** HDF5 flags: bit 0 set = H5Z_FLAG_OPTIONAL (may decline a chunk), clear = mandatory. */
  readonly flags: number;
  readonly cdValues: readonly number[];
  /** The filter's registered name, when the file records one. */
  readonly name?: string;
}

/** HDF5 filter ids the data layer knows by name (h5py's built-ins and the common plugins). */
export const HDF5_FILTER_IDS = {
  gzip: 1,
  shuffle: 2,
  fletcher32: 3,
  szip: 4,
  nbit: 5,
  scaleoffset: 6,
  lzf: 32000,
  blosc: 32001,
  lz4: 32004,
  bitshuffle: 32008,
  zstd: 32015,
  bzip2: 307,
} as const;

/** Filters h5py builds in; anything else needs `allowPlugins` (hdmf allow_plugin_filters). */
export const BUILTIN_HDF5_FILTERS: ReadonlySet<number> = new Set([1, 2, 3, 32000]);

/** Plugin filter ids the codec layer can produce bytes for. */
export const PLUGIN_HDF5_FILTERS: ReadonlySet<number> = new Set([32001, 32004, 32008, 32015, 307]);

/** A plugin or built-in HDF5 filter given by id, with its raw cd_values. */
export function hdf5FilterConfig(filterId: number, cdValues: readonly number[] = []): CodecConfig {
  return { id: "hdf5-filter", filter_id: filterId, cd_values: [...cdValues] };
}
