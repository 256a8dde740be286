/**
 * The HDF5 core: HDF5 1.14.6 compiled to WebAssembly with our C layer (native/hdf5), wrapped as
 * one typed object. `await initHdf5()` loads it once and returns the same handle every time.
 *
 * Every method validates its arguments in TypeScript first (so the C side never sees garbage),
 * frees its wasm heap memory on every path, and turns a failure into an HdmfError subclass with a
 * one-line message (`file:path`, what failed, HDF5's innermost reason) and HDF5's whole error
 * stack in `detail`. Methods that write refuse read-only files
 * with ModeError before HDF5 is asked.
 *
 * Data crosses as raw bytes in the dataset's stored element layout (or in a memory Dtype HDF5
 * converts to); vlen strings cross as string[]. Chunk data crosses as the stored (filtered) bytes.
 */
import type { Dtype } from "../../data/dtype.js";
import { InvalidInputError, ModeError, NotFoundError } from "../../errors.js";
import * as attr from "./core-attr.js";
import * as dset from "./core-dataset.js";
import { Heap, loadModule } from "./core-module.js";
import type {
  AttributeInfo, AttributeValue, ChunkInfo, CreateDatasetOptions, DatasetInfo, FileMode, H5File, H5Location,
  H5Object, Libver, LinkInfo, ObjectInfo, OpenFileOptions, RawChunk, Region, ResolvedReference,
} from "./core-types.js";
import { ctx, fileOf, joinPath, product, requireName, requireWritable } from "./core-util.js";

export type * from "./core-types.js";
export { createHdf5Type, dtypeFromHdf5 } from "./core-dtype.js";

const MODES: Record<FileMode, number> = { r: 0, "r+": 1, w: 2, "w-": 3, a: 4 };
/** H5F_libver_t values; -1 = H5F_LIBVER_LATEST of the linked library (the C layer resolves it). */
const LIBVER: Record<Libver, number> = { earliest: 0, v108: 1, v18: 1, v110: 2, v112: 3, v114: 4, latest: -1 };
/** Files this core creates read in HDF5 1.10 unless the caller asks for newer formats. */
const CREATE_LIBVER: readonly [Libver, Libver] = ["earliest", "v110"];

export class Hdf5Core {
  readonly #heap: Heap;
  readonly #closed = new WeakSet<H5Location>();
  /** HDF5 library version, e.g. "1.14.6". */
  readonly hdf5Version: string;

  /** Use initHdf5(); the constructor is for that function only. */
  constructor(heap: Heap) {
    this.#heap = heap;
    this.hdf5Version = heap.scoped((s) => {
      const p = s.alloc(12);
      heap.check(heap.m._h5c_version(p), { path: "hdf5", op: "open" });
      return Array.from(new Int32Array(heap.u8.buffer, p, 3)).join(".");
    });
  }

  // ---------------------------------------------------------------- files

  openFile(path: string, mode: FileMode, options: OpenFileOptions = {}): H5File {
    requireName(path, "file");
    if (!(mode in MODES)) throw new InvalidInputError(`${path}: unknown mode "${mode}" (r, r+, w, w-, a)`, { option: "mode", path });
    const [low, high] = options.libver ?? (mode === "r" || mode === "r+" ? ["earliest", "latest"] : CREATE_LIBVER);
    if (!(low in LIBVER) || !(high in LIBVER)) {
      throw new InvalidInputError(`${path}: libver ${low}..${high}: bounds are ${Object.keys(LIBVER).join(", ")}`, { option: "libver", path });
    }
    const h = this.#heap;
    const id = h.scoped((s) => h.checkId(h.m._h5c_file_open(s.str(path), MODES[mode], LIBVER[low], LIBVER[high], options.trackOrder ? 1 : 0),
      { path, op: "open", mode }));
    return { kind: "file", id, path, mode, writable: mode !== "r" };
  }

  /** true if `path` is an HDF5 file; NotFoundError if it does not exist. */
  isHdf5(path: string): boolean {
    requireName(path, "file");
    const h = this.#heap;
    return h.scoped((s) => h.check(h.m._h5c_file_is_hdf5(s.str(path)), { path, op: "open" }) === 1);
  }

  flush(file: H5File): void {
    this.#live(file);
    this.#heap.scoped(() => this.#heap.check(this.#heap.m._h5c_file_flush(file.id), { path: file.path, op: "flush", mode: file.mode }));
  }

  /** Close the file and every object still open in it. Idempotent. */
  closeFile(file: H5File): void {
    if (this.#closed.has(file)) return;
    this.#heap.scoped(() => this.#heap.check(this.#heap.m._h5c_file_close(file.id), { path: file.path, op: "close", mode: file.mode }));
    this.#closed.add(file);
  }

  /** Ids open in the file, the file included (1 = nothing leaked). */
  openObjectCount(file: H5File): number {
    this.#live(file);
    return this.#heap.scoped(() => this.#heap.check(this.#heap.m._h5c_open_count(file.id), { path: file.path, op: "get" }));
  }

  // ---------------------------------------------------------------- groups, links, objects

  createGroup(loc: H5Location, path: string, options: { trackOrder?: boolean } = {}): H5Object {
    return this.#create(loc, path, "create a group", (s) => this.#heap.m._h5c_group_create(loc.id, s.str(path), options.trackOrder ? 1 : 0));
  }

  /** Open a group, dataset or named datatype (NotFoundError if absent). */
  open(loc: H5Location, path: string): H5Object {
    this.#live(loc);
    requireName(path, "open");
    const h = this.#heap;
    const id = h.scoped((s) => h.checkId(h.m._h5c_open(loc.id, s.str(path)), ctx(loc, path, "get")));
    return { kind: "object", id, file: fileOf(loc), path: joinPath(loc, path) };
  }

  /** Close a group/dataset. Idempotent; a no-op once its file is closed. */
  close(obj: H5Object): void {
    if (this.#closed.has(obj) || this.#closed.has(obj.file)) return;
    this.#heap.scoped(() => this.#heap.check(this.#heap.m._h5c_close(obj.id), ctx(obj, "", "close")));
    this.#closed.add(obj);
  }

  /** true if the link exists and its parents are groups (a dangling link exists too). */
  exists(loc: H5Location, path: string): boolean {
    this.#live(loc);
    requireName(path, "exists");
    const h = this.#heap;
    return h.scoped((s) => h.check(h.m._h5c_exists(loc.id, s.str(path)), ctx(loc, path, "get")) === 1);
  }

  /** Members of a group with their link kind, in h5py's order. */
  list(loc: H5Location, path = "."): LinkInfo[] {
    this.#live(loc);
    const h = this.#heap;
    return JSON.parse(h.scoped((s) => h.outText(h.check(h.m._h5c_list(loc.id, s.str(path)), ctx(loc, path, "list"))))) as LinkInfo[];
  }

  linkInfo(loc: H5Location, path: string): LinkInfo {
    this.#live(loc);
    requireName(path, "link");
    const h = this.#heap;
    return JSON.parse(h.scoped((s) => h.outText(h.check(h.m._h5c_link_info(loc.id, s.str(path)), ctx(loc, path, "get"))))) as LinkInfo;
  }

  createSoftLink(loc: H5Location, path: string, target: string): void {
    requireName(target, "soft link target");
    this.#mutate(loc, path, "create a soft link", (s) => this.#heap.m._h5c_link_soft(s.str(target), loc.id, s.str(path)));
  }

  createHardLink(loc: H5Location, path: string, targetLoc: H5Location, targetPath: string): void {
    requireName(targetPath, "hard link target");
    this.#live(targetLoc);
    this.#mutate(loc, path, "create a hard link", (s) => this.#heap.m._h5c_link_hard(targetLoc.id, s.str(targetPath), loc.id, s.str(path)));
  }

  createExternalLink(loc: H5Location, path: string, file: string, objectPath: string): void {
    requireName(file, "external link file");
    requireName(objectPath, "external link target");
    this.#mutate(loc, path, "create an external link", (s) => this.#heap.m._h5c_link_external(s.str(file), s.str(objectPath), loc.id, s.str(path)));
  }

  deleteLink(loc: H5Location, path: string): void {
    this.#mutate(loc, path, "delete a link", (s) => this.#heap.m._h5c_link_delete(loc.id, s.str(path)), "delete");
  }

  objectInfo(loc: H5Location, path = "."): ObjectInfo {
    this.#live(loc);
    const h = this.#heap;
    const raw = JSON.parse(h.scoped((s) => h.outText(h.check(h.m._h5c_object_info(loc.id, s.str(path)), ctx(loc, path, "get"))))) as
      { kind: ObjectInfo["kind"]; fileno: number; addr: number; rc: number; num_attrs: number };
    return { kind: raw.kind, fileno: raw.fileno, addr: raw.addr, rc: raw.rc, numAttrs: raw.num_attrs };
  }

  /** The path HDF5 knows an open object by. */
  objectName(obj: H5Object): string {
    this.#live(obj);
    const h = this.#heap;
    return h.scoped(() => h.outText(h.check(h.m._h5c_object_name(obj.id), ctx(obj, "", "get"))));
  }

  // ---------------------------------------------------------------- datasets

  createDataset(loc: H5Location, path: string, options: CreateDatasetOptions): H5Object {
    this.#live(loc);
    requireName(path, "dataset");
    requireWritable(loc, path, "create a dataset");
    const id = dset.createDataset(this.#heap, loc, path, options);
    return { kind: "object", id, file: fileOf(loc), path: joinPath(loc, path) };
  }

  datasetInfo(ds: H5Object): DatasetInfo {
    this.#live(ds);
    return dset.datasetInfo(this.#heap, ds);
  }

  /** One element of fill value in the stored layout; undefined if the fill value is undefined. */
  fillValue(ds: H5Object): Uint8Array | undefined {
    return dset.fillValue(this.#heap, ds, this.datasetInfo(ds).itemsize);
  }

  setExtent(ds: H5Object, shape: readonly number[]): void {
    this.#live(ds);
    requireWritable(ds, "", "resize");
    dset.setExtent(this.#heap, ds, shape);
  }

  /** Raw element bytes of a region (whole dataset if omitted), in the stored type or in `memDtype`. */
  readRaw(ds: H5Object, region?: Region, memDtype?: Dtype): Uint8Array {
    this.#live(ds);
    return dset.readRaw(this.#heap, ds, region, memDtype, () => product(this.datasetInfo(ds).shape));
  }

  writeRaw(ds: H5Object, region: Region | undefined, data: Uint8Array, memDtype?: Dtype): void {
    this.#live(ds);
    requireWritable(ds, "", "write");
    dset.writeRaw(this.#heap, ds, region, data, memDtype);
  }

  readStrings(ds: H5Object, region?: Region): string[] {
    this.#live(ds);
    return dset.readStrings(this.#heap, ds, region, () => product(this.datasetInfo(ds).shape));
  }

  writeStrings(ds: H5Object, region: Region | undefined, values: readonly string[]): void {
    this.#live(ds);
    requireWritable(ds, "", "write");
    dset.writeStrings(this.#heap, ds, region, values);
  }

  // ---------------------------------------------------------------- direct chunk I/O

  /** Store already-filtered chunk bytes at a chunk's first element (bit i of filterMask = filter i skipped). */
  writeChunk(ds: H5Object, offset: readonly number[], data: Uint8Array, filterMask = 0): void {
    this.#live(ds);
    requireWritable(ds, "", "write a chunk");
    dset.writeChunk(this.#heap, ds, offset, data, filterMask);
  }

  /** The stored bytes and filter mask of a chunk; undefined if it was never written. */
  readChunk(ds: H5Object, offset: readonly number[]): RawChunk | undefined {
    this.#live(ds);
    return dset.readChunk(this.#heap, ds, offset);
  }

  chunkInfo(ds: H5Object, offset: readonly number[]): ChunkInfo | undefined {
    this.#live(ds);
    return dset.chunkInfoAt(this.#heap, ds, offset);
  }

  chunkCount(ds: H5Object): number {
    this.#live(ds);
    return dset.chunkCount(this.#heap, ds);
  }

  /** Stored chunks in storage order (quadratic: each H5Dget_chunk_info lookup walks the index). */
  listChunks(ds: H5Object): ChunkInfo[] {
    const n = this.chunkCount(ds);
    const rank = this.datasetInfo(ds).shape.length;
    return Array.from({ length: n }, (_, i) => dset.chunkInfoByIndex(this.#heap, ds, i, rank));
  }

  // ---------------------------------------------------------------- attributes

  attributeNames(loc: H5Location): string[] {
    this.#live(loc);
    return attr.attributeNames(this.#heap, loc);
  }

  hasAttribute(loc: H5Location, name: string): boolean {
    this.#live(loc);
    return attr.hasAttribute(this.#heap, loc, name);
  }

  attributeInfo(loc: H5Location, name: string): AttributeInfo {
    this.#live(loc);
    return attr.attributeInfo(this.#heap, loc, name);
  }

  /** `data`: raw bytes in dtype's stored layout, or string[] for a vlen string dtype. shape [] = scalar. */
  writeAttribute(loc: H5Location, name: string, dtype: Dtype, shape: readonly number[], data: Uint8Array | readonly string[],
    options: { replace?: boolean } = {}): void {
    this.#live(loc);
    requireWritable(loc, "", `write attribute ${name}`);
    attr.writeAttribute(this.#heap, loc, name, dtype, shape, data, options.replace ?? false);
  }

  readAttribute(loc: H5Location, name: string, memDtype?: Dtype): AttributeValue {
    this.#live(loc);
    return attr.readAttribute(this.#heap, loc, name, memDtype);
  }

  deleteAttribute(loc: H5Location, name: string): void {
    this.#live(loc);
    requireWritable(loc, "", `delete attribute ${name}`);
    attr.deleteAttribute(this.#heap, loc, name);
  }

  // ---------------------------------------------------------------- references

  /** The 8 bytes of an object reference (hobj_ref_t) to `path`. */
  createReference(loc: H5Location, path: string): Uint8Array {
    this.#live(loc);
    requireName(path, "reference");
    return attr.createReference(this.#heap, loc, path);
  }

  /** The 12 bytes of a region reference to a hyperslab of the dataset at `path` (writes the global heap). */
  createRegionReference(loc: H5Location, path: string, region: Region): Uint8Array {
    this.#live(loc);
    requireName(path, "reference");
    requireWritable(loc, path, "create a region reference");
    return attr.createRegionReference(this.#heap, loc, path, region);
  }

  /** Path (and region) a reference points to; undefined for a null reference. */
  resolveReference(loc: H5Location, ref: Uint8Array): ResolvedReference | undefined {
    this.#live(loc);
    return attr.resolveReference(this.#heap, loc, ref);
  }

  // ---------------------------------------------------------------- internals

  #live(loc: H5Location): void {
    const f = fileOf(loc);
    if (this.#closed.has(f) || this.#closed.has(loc)) {
      // a closed handle is a state error of the caller, like any use of a closed IO
      throw new ModeError(`${f.path}:${loc.kind === "file" ? "/" : loc.path}: already closed`, { mode: f.mode, path: loc.kind === "file" ? "/" : loc.path });
    }
  }

  #mutate(loc: H5Location, path: string, what: string, call: (s: import("./core-module.js").Scope) => number, op: "set" | "delete" = "set"): void {
    this.#live(loc);
    requireName(path, what);
    requireWritable(loc, path, what);
    this.#heap.scoped((s) => this.#heap.check(call(s), ctx(loc, path, op)));
  }

  #create(loc: H5Location, path: string, what: string, call: (s: import("./core-module.js").Scope) => bigint): H5Object {
    this.#live(loc);
    requireName(path, what);
    requireWritable(loc, path, what);
    const id = this.#heap.scoped((s) => this.#heap.checkId(call(s), ctx(loc, path, "set")));
    return { kind: "object", id, file: fileOf(loc), path: joinPath(loc, path) };
  }
}

let pending: Promise<Hdf5Core> | undefined;

/** Load the wasm core once; every call returns the same instance. */
export function initHdf5(): Promise<Hdf5Core> {
  pending ??= (async () => {
    const m = await loadModule();
    const heap = new Heap(m);
    heap.check(m._h5c_init(), { path: "hdf5", op: "open" });
    return new Hdf5Core(heap);
  })().catch((e: unknown) => {
    pending = undefined; // a failed load (missing file) may be retried
    throw e;
  });
  return pending;
}
