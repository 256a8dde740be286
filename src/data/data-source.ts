/**
 * What a dataset's data can be when handed to a backend: values in memory (NdArray),
 * a chunk stream (AbstractDataChunkIterator), either wrapped in DataIO with storage options,
 * or a lazy handle to data already stored somewhere (StoredDataset, from a read).
 */
import type { Dtype } from "./dtype.js";
import type { DataIO } from "./data-io.js";
import type { AbstractDataChunkIterator } from "./iterators.js";
import type { NdArray, JsonValue } from "./ndarray.js";
import type { Selection } from "./selection.js";
import type { CodecConfig } from "./codec-config.js";

/** Storage layout of a stored dataset, as its backend reports it. */
export interface StorageInfo {
  readonly layout: "contiguous" | "chunked" | "compact";
  readonly chunks: readonly number[] | null;
  /** null entries = unlimited. */
  readonly maxshape: readonly (number | null)[];
  /** The codec pipeline in application order (HDF5 filter order / Zarr filters then compressor). */
  readonly codecs: readonly CodecConfig[];
  readonly fillvalue: JsonValue | bigint;
  /**
   * The backend's own description, for inspection (`hdmf-ts manifest`): HDF5 `{layout, space}`
   * as the file records them (layout "virtual" included; space "null" for h5py.Empty, whose
   * shape reads [0]). Not needed to read or write.
   */
  readonly native?: Readonly<Record<string, JsonValue>>;
}

/** A raw chunk as stored (still encoded), for copying between backends without decoding. */
export interface RawChunk {
  /** Chunk grid coordinates. */
  readonly coords: readonly number[];
  readonly bytes: Uint8Array;
  /** HDF5 filter mask (bit i set = filter i was skipped); 0 for Zarr. */
  readonly filterMask: number;
}

/** A dataset that lives in a file or store: read lazily, region by region. */
export interface StoredDataset {
  readonly kind: "stored";
  /** Absolute path inside its file/store. */
  readonly path: string;
  /** The file or store it lives in. */
  readonly source: string;
  readonly shape: readonly number[];
  readonly dtype: Dtype;
  readonly storage: StorageInfo;
  /**
   * Read a region (the whole dataset without a selection), decoded. Numbers whose chunks codec
   * workers decode (blosc, zstd, shuffle, ...) may come back over a SharedArrayBuffer
   * (`data.buffer`), which a postMessage cannot transfer; `data.slice()` copies to a plain one.
   */
  read(selection?: Selection): Promise<NdArray>;
  /** Stored chunks, still encoded, in grid order; absent when the backend cannot. */
  rawChunks?(): AsyncIterable<RawChunk>;
}

/** True for a StoredDataset (any object with `kind: "stored"`). */
export function isStoredDataset(value: unknown): value is StoredDataset {
  return typeof value === "object" && value !== null && (value as { kind?: unknown }).kind === "stored";
}

/** A dataset's data other than a plain NdArray: DataIO, a chunk iterator, or a stored dataset. */
export type DatasetSource = DataIO | AbstractDataChunkIterator | StoredDataset;
