/**
 * The tiny per-backend part of the chunked-array engine: where one chunk's stored bytes live.
 * HDF5 maps it to direct chunk I/O (`H5Dread_chunk` / `H5Dwrite_chunk` with the filter mask),
 * Zarr to one store key per chunk; Zarr v3 sharding wraps a chunk store (zarr/sharding.ts).
 * Everything above it (element bytes, codecs, regions, read-modify-write, the planner sink,
 * bounded parallelism, raw copies, error context) is written once in chunked-array.ts.
 */

/** One chunk as stored: encoded bytes, and HDF5's filter mask (bit i = filter i skipped; 0 for Zarr). */
export interface StoredChunk {
  readonly bytes: Uint8Array;
  readonly filterMask: number;
  /**
   * The bytes were made for this one read and nothing else holds them (not a view into a batch,
   * not a cached value): a decode may hand their buffer to a codec worker, detaching it.
   */
  readonly disposable?: boolean;
}

export interface ChunkStore {
  /** The chunk at grid coordinates `coords`; undefined when it was never written. */
  get(coords: readonly number[]): Promise<StoredChunk | undefined>;
  /**
   * Several chunks at once, in the order asked (undefined where never written). Stores where one
   * fetch of many chunks beats many fetches (a remote HDF5 file: neighbours coalesced into one
   * range GET, the rest in parallel) provide it; the engine then reads selections in windows.
   */
  getMany?(coords: ReadonlyArray<readonly number[]>): Promise<Array<StoredChunk | undefined>>;
  /** Store one encoded chunk (replacing what was there). */
  set(coords: readonly number[], chunk: StoredChunk): Promise<void>;
  /**
   * Grid coordinates of the stored chunks; undefined when the store cannot list them cheaply
   * (the engine then visits the grid and skips absent chunks).
   */
  list?(): AsyncIterable<readonly number[]>;
  /** The extent changed from `old` to `shape` (HDF5 set_extent; Zarr metadata and chunks beyond it). */
  resize(shape: readonly number[], old: readonly number[]): Promise<void>;
  /** How chunks are named in errors: "[0,3]" (HDF5) or the store key "/x/0.3" (Zarr). */
  label(coords: readonly number[]): string;
  /**
   * A storage unit of several chunks (a Zarr v3 shard), in chunks per axis' elements; writes come
   * one unit at a time and end with `commit(unit)`. Undefined: every chunk is its own unit.
   */
  readonly unit?: readonly number[];
  /** Write out everything `set` since the last commit of storage unit `unitCoords`. */
  commit?(unitCoords: readonly number[]): Promise<void>;
  /** Raw chunk writes are possible (not into shards). */
  readonly rawWrites: boolean;
}
