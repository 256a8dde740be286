/**
 * Public types of the HDF5 core (src/backends/hdf5/core.ts).
 */
import type { Hdf5Filter } from "../../data/codec-config.js";
import type { Dtype } from "../../data/dtype.js";
import type { Hdf5TypeDescription } from "./core-dtype.js";
import type { H5Id } from "./core-module.js";

export type { H5Id } from "./core-module.js";
export type { Hdf5TypeDescription } from "./core-dtype.js";

export type FileMode = "r" | "r+" | "w" | "w-" | "a";

/**
 * File-format version bounds, by h5py's names ("v18" is the old spelling of "v108"). "latest" is the
 * newest format this core writes (1.14's). The low bound picks the oldest format each object may use.
 */
export type Libver = "earliest" | "v108" | "v18" | "v110" | "v112" | "v114" | "latest";

export interface OpenFileOptions {
  /**
   * Default: earliest..v110 when the mode may create a file (w, w-, a), so every file written reads
   * in HDF5 1.10 (Debian bookworm's h5py 3.7, pynwb 2.8); earliest..latest for r and r+.
   */
  libver?: readonly [Libver, Libver];
  /** Track creation order of links and attributes in the root group (h5py `track_order`). */
  trackOrder?: boolean;
}

export interface H5File {
  readonly kind: "file";
  readonly id: H5Id;
  /** The file name as given to openFile. */
  readonly path: string;
  readonly mode: FileMode;
  readonly writable: boolean;
}

/** An open group, dataset or named datatype. */
export interface H5Object {
  readonly kind: "object";
  readonly id: H5Id;
  readonly file: H5File;
  /** Absolute path it was opened by. */
  readonly path: string;
}

export type H5Location = H5File | H5Object;

export type ObjectKind = "group" | "dataset" | "datatype" | "unknown";

export type LinkInfo =
  | { readonly name: string; readonly link: "hard"; readonly kind: ObjectKind; readonly addr: number; readonly rc: number }
  | { readonly name: string; readonly link: "soft"; readonly target: string }
  | { readonly name: string; readonly link: "external"; readonly file: string; readonly target: string }
  | { readonly name: string; readonly link: "root"; readonly kind: "group" }
  | { readonly name: string; readonly link: "user"; readonly type: number };

/** (fileno, addr) identifies an object whatever path reached it. */
export interface ObjectInfo {
  readonly kind: ObjectKind;
  readonly fileno: number;
  readonly addr: number;
  /** Number of hard links to the object. */
  readonly rc: number;
  readonly numAttrs: number;
}


export type Layout = "contiguous" | "compact" | "chunked";
export type FillTime = "ifset" | "alloc" | "never";
export type AllocTime = "early" | "late" | "incr";

export interface CreateDatasetOptions {
  readonly dtype: Dtype;
  /** [] for a scalar dataset. */
  readonly shape: readonly number[];
  /** null = unlimited. Defaults to shape. */
  readonly maxshape?: readonly (number | null)[];
  /** Defaults to "chunked" when chunks are given, else "contiguous". */
  readonly layout?: Layout;
  readonly chunks?: readonly number[];
  /** Pipeline in order (h5py gzip+shuffle+fletcher32 is [2, 1, 3]). */
  readonly filters?: readonly Hdf5Filter[];
  /** One element in the stored layout of dtype; undefined keeps HDF5's default (zeros). */
  readonly fillvalue?: Uint8Array;
  readonly fillTime?: FillTime;
  readonly allocTime?: AllocTime;
  /** Object timestamps (h5py default false). */
  readonly trackTimes?: boolean;
}

export interface DatasetInfo {
  readonly space: "simple" | "scalar" | "null";
  readonly shape: readonly number[];
  readonly maxshape: readonly (number | null)[];
  readonly layout: Layout | "virtual" | "unknown";
  readonly chunks: readonly number[] | null;
  readonly filters: readonly Hdf5Filter[];
  readonly fill: "undefined" | "default" | "user";
  readonly fillTime: FillTime;
  readonly allocTime: AllocTime;
  readonly storageSize: number;
  readonly hdf5Type: Hdf5TypeDescription;
  /** undefined for HDF5 types the data layer has no Dtype for (opaque, arrays, non-string vlen). */
  readonly dtype: Dtype | undefined;
  readonly itemsize: number;
}

/** A rectangular selection: start and count per axis (stride 1). */
export interface Region {
  readonly start: readonly number[];
  readonly count: readonly number[];
}

export interface ChunkInfo {
  readonly offset: readonly number[];
  readonly filterMask: number;
  readonly addr: number;
  readonly size: number;
}

export interface RawChunk {
  readonly data: Uint8Array;
  readonly filterMask: number;
}

export interface AttributeInfo {
  readonly space: "simple" | "scalar" | "null";
  readonly shape: readonly number[];
  readonly hdf5Type: Hdf5TypeDescription;
  readonly dtype: Dtype | undefined;
}

export type AttributeValue =
  | (AttributeInfo & { readonly kind: "bytes"; readonly bytes: Uint8Array })
  | (AttributeInfo & { readonly kind: "strings"; readonly strings: readonly string[] });

export type Selection =
  | { readonly type: "hyperslabs"; readonly blocks: readonly (readonly number[])[] }
  | { readonly type: "points"; readonly points: readonly (readonly number[])[] }
  | { readonly type: "all" }
  | { readonly type: "none" };

export interface ResolvedReference {
  readonly path: string;
  readonly kind: "group" | "dataset" | "datatype";
  /** Region references only; hyperslab blocks are [start..., end...] with inclusive ends. */
  readonly selection?: Selection;
}
