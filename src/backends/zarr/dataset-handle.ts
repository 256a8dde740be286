/**
 * `ZarrIO.dataset(path)`: a stored array opened for region reads and writes (the tutorial's
 * user-defined write: allocate (0, 10), keep the IO open, resize, slice-assign, close).
 * Writes are read-modify-write per chunk; metadata changes (resize) land in the hierarchy and
 * are flushed with the consolidated metadata on flush/close.
 */
import type { DatasetHandle } from "../io.js";
import type { NdArray } from "../../data/ndarray.js";
import type { Selection } from "../../data/selection.js";
import type { RawChunk, StorageInfo } from "../../data/data-source.js";
import type { Dtype } from "../../data/dtype.js";
import type { ZarrArray } from "./array.js";
import type { Hdf5Filter } from "../../data/codec-config.js";

export class ZarrDatasetHandle implements DatasetHandle {
  readonly kind = "stored" as const;

  constructor(
    readonly array: ZarrArray,
    /** Throws ModeError when the IO is read-only or closed. */
    readonly assertWritable: (what: string) => void,
    readonly assertOpen: () => void,
  ) {}

  get path(): string { return this.array.path; }
  get source(): string { return this.array.source; }
  get shape(): readonly number[] { return this.array.shape; }
  get dtype(): Dtype { return this.array.dtype; }
  get storage(): StorageInfo { return this.array.storage; }
  /** Zarr arrays grow without a bound on every axis. */
  get maxshape(): readonly (number | null)[] { return this.array.shape.map(() => null); }
  get filters(): readonly Hdf5Filter[] { return []; }

  async storedChunkCount(): Promise<number> {
    this.assertOpen();
    return this.array.engine.storedChunkCount();
  }

  /** Nothing to release: the IO owns the store. */
  close(): void {}

  async read(selection?: Selection): Promise<NdArray> {
    this.assertOpen();
    return this.array.read(selection);
  }

  rawChunks(): AsyncIterable<RawChunk> {
    this.assertOpen();
    return this.array.rawChunks();
  }

  async write(selection: Selection, data: NdArray | number | bigint | boolean | string): Promise<void> {
    this.assertWritable(`write to ${this.path}`);
    await this.array.writeSelection(selection, data);
  }

  /** Store one chunk already encoded with this array's codecs (export's raw copy); not for sharded arrays. */
  async writeRawChunk(coords: readonly number[], bytes: Uint8Array): Promise<void> {
    this.assertWritable(`write to ${this.path}`);
    await this.array.writeRawChunk(coords, bytes);
  }

  async resize(shape: readonly number[]): Promise<void> {
    this.assertWritable(`resize ${this.path}`);
    await this.array.resize(shape);
  }
}
