/**
 * Loading the HDF5 wasm module and the low-level calling convention of its C layer
 * (native/hdf5/h5c.h): hid_t crosses as bigint, pointers and doubles as number, every
 * failure is a negative return with a message and a class kept in C.
 *
 * Nothing here is exported from the package; core.ts wraps it into a typed API.
 */
import { readFileSync } from "node:fs";
import { createRequire } from "node:module";
import { dirname } from "node:path";
import { fileURLToPath } from "node:url";
import { compileFunction } from "node:vm";

import {
  FormatError,
  HdmfError,
  InvalidInputError,
  ModeError,
  NotFoundError,
  StoreError,
  type StoreOp,
} from "../../errors.js";
import { deviceFs, displayName, takeDeviceError } from "./remote-fs.js";

/** An HDF5 identifier (hid_t). Branded so a plain bigint cannot be passed by mistake. */
export type H5Id = bigint & { readonly __h5id: unique symbol };

type Ptr = number;

/** The C functions, as emscripten exports them (names with a leading underscore). */
export interface H5cExports {
  _malloc(size: number): Ptr;
  _free(ptr: Ptr): void;
  _h5c_init(): number;
  _h5c_error_message(): Ptr;
  _h5c_error_class(): number;
  _h5c_out_ptr(): Ptr;
  _h5c_close(id: bigint): number;
  _h5c_open_count(file: bigint): number;
  _h5c_version(out3: Ptr): number;
  _h5c_file_open(path: Ptr, mode: number, low: number, high: number, trackOrder: number): bigint;
  _h5c_file_flush(file: bigint): number;
  _h5c_file_close(file: bigint): number;
  _h5c_file_is_hdf5(path: Ptr): number;
  _h5c_file_intent(file: bigint): number;
  _h5c_group_create(loc: bigint, path: Ptr, trackOrder: number): bigint;
  _h5c_open(loc: bigint, path: Ptr): bigint;
  _h5c_exists(loc: bigint, path: Ptr): number;
  _h5c_list(loc: bigint, path: Ptr): number;
  _h5c_link_info(loc: bigint, path: Ptr): number;
  _h5c_link_soft(target: Ptr, loc: bigint, path: Ptr): number;
  _h5c_link_hard(objLoc: bigint, objPath: Ptr, loc: bigint, path: Ptr): number;
  _h5c_link_external(file: Ptr, objPath: Ptr, loc: bigint, path: Ptr): number;
  _h5c_link_delete(loc: bigint, path: Ptr): number;
  _h5c_object_info(loc: bigint, path: Ptr): number;
  _h5c_object_name(obj: bigint): number;
  _h5c_type_int(size: number, signed: number, bigEndian: number): bigint;
  _h5c_type_float(size: number, bigEndian: number): bigint;
  _h5c_type_bool(): bigint;
  _h5c_type_complex(size: number, bigEndian: number): bigint;
  _h5c_type_string(length: number, utf8: number, pad: number): bigint;
  _h5c_type_reference(region: number): bigint;
  _h5c_type_compound(size: number): bigint;
  _h5c_type_insert(compound: bigint, name: Ptr, offset: number, member: bigint): number;
  _h5c_type_size(type: bigint): number;
  _h5c_type_describe(type: bigint): number;
  _h5c_dataset_type(dset: bigint): bigint;
  _h5c_dcpl_create(): bigint;
  _h5c_dcpl_layout(dcpl: bigint, layout: number, rank: number, chunks: Ptr): number;
  _h5c_dcpl_filter(dcpl: bigint, id: number, flags: number, n: number, cd: Ptr): number;
  _h5c_dcpl_fill(dcpl: bigint, type: bigint, value: Ptr, fillTime: number, allocTime: number): number;
  _h5c_dcpl_track_times(dcpl: bigint, on: number): number;
  _h5c_dataset_create(loc: bigint, path: Ptr, type: bigint, rank: number, dims: Ptr, maxdims: Ptr, dcpl: bigint): bigint;
  _h5c_dataset_info(dset: bigint): number;
  _h5c_dataset_fill_value(dset: bigint, buf: Ptr, size: number): number;
  _h5c_dataset_set_extent(dset: bigint, rank: number, dims: Ptr): number;
  _h5c_dataset_read(dset: bigint, memtype: bigint, rank: number, start: Ptr, count: Ptr, buf: Ptr, size: number): number;
  _h5c_dataset_write(dset: bigint, memtype: bigint, rank: number, start: Ptr, count: Ptr, buf: Ptr, size: number): number;
  _h5c_dataset_read_strings(dset: bigint, rank: number, start: Ptr, count: Ptr): number;
  _h5c_dataset_write_strings(dset: bigint, rank: number, start: Ptr, count: Ptr, packed: Ptr, size: number, n: number): number;
  _h5c_chunk_write(dset: bigint, offset: Ptr, mask: number, buf: Ptr, size: number): number;
  _h5c_chunk_read(dset: bigint, offset: Ptr, buf: Ptr, size: number, mask: Ptr): number;
  _h5c_chunk_storage_size(dset: bigint, offset: Ptr): number;
  _h5c_chunk_count(dset: bigint): number;
  _h5c_chunk_info(dset: bigint, index: number, offset: Ptr, mask: Ptr, addrSize: Ptr): number;
  _h5c_chunk_info_at(dset: bigint, offset: Ptr, mask: Ptr, addrSize: Ptr): number;
  _h5c_attr_names(obj: bigint): number;
  _h5c_attr_exists(obj: bigint, name: Ptr): number;
  _h5c_attr_info(obj: bigint, name: Ptr): number;
  _h5c_attr_write(obj: bigint, name: Ptr, type: bigint, rank: number, dims: Ptr, buf: Ptr, size: number): number;
  _h5c_attr_write_strings(obj: bigint, name: Ptr, type: bigint, rank: number, dims: Ptr, packed: Ptr, size: number, n: number): number;
  _h5c_attr_read(obj: bigint, name: Ptr, memtype: bigint, buf: Ptr, size: number): number;
  _h5c_attr_read_strings(obj: bigint, name: Ptr): number;
  _h5c_attr_delete(obj: bigint, name: Ptr): number;
  _h5c_attr_type(obj: bigint, name: Ptr): bigint;
  _h5c_ref_create(loc: bigint, path: Ptr, out8: Ptr): number;
  _h5c_ref_region_create(loc: bigint, path: Ptr, rank: number, start: Ptr, count: Ptr, out12: Ptr): number;
  _h5c_ref_resolve(loc: bigint, ref: Ptr, region: number): number;
  HEAPU8: Uint8Array;
}

type ModuleFactory = (options: { wasmBinary: Uint8Array }) => Promise<H5cExports>;

const WASM_DIR = new URL("./wasm/", import.meta.url);

export async function loadModule(): Promise<H5cExports> {
  // The .cjs is emscripten's MODULARIZE output; wasmBinary is passed in so the loader never looks
  // for the file itself (3.1.6's tried Node 20's fetch() on a path: ../shared/research/hdf5-wasm-build.md).
  // It is evaluated as CommonJS with a `require` whose "fs" is remote-device.ts's: real paths pass
  // through to node's fs, virtual remote files are served by their device (no rebuild of the core).
  const file = fileURLToPath(new URL("hdf5core.cjs", WASM_DIR));
  const realRequire = createRequire(file);
  const fs = deviceFs();
  const load = (id: string): unknown => (id === "fs" || id === "node:fs" ? fs : realRequire(id));
  const mod: { exports: unknown } = { exports: {} };
  compileFunction(readFileSync(file, "utf8"), ["exports", "require", "module", "__filename", "__dirname"], { filename: file })(
    mod.exports, load, mod, file, dirname(file));
  const factory = mod.exports as ModuleFactory;
  const wasmBinary = readFileSync(new URL("hdf5core.wasm", WASM_DIR));
  return factory({ wasmBinary });
}

const STACK_MARK = "; HDF5 error stack:";

/**
 * The C layer's message ("what failed; HDF5 error stack:\n  #0 fn(): why [major]\n  #1 ...") as one
 * line: what failed plus the innermost reason, without repeating the path the context already names.
 * A file that cannot be opened at all reads "FILE: not a readable HDF5 file: REASON".
 */
function oneLine(ctx: ErrorContext, text: string, format: boolean): { message: string; detail?: string } {
  const at = text.indexOf(STACK_MARK);
  let head = (at < 0 ? text : text.slice(0, at)).replace(/\s+/g, " ").trim();
  const stack = at < 0 ? "" : text.slice(at + STACK_MARK.length).trim();
  const first = head.split(": ")[0]!;
  if (head.length > first.length && (ctx.path === first || ctx.path.endsWith(`:${first}`))) head = head.slice(first.length + 2);
  const inner = /#0 \S+\(\): (.*?)(?: \[[^\]]*\])?$/m.exec(stack)?.[1]?.trim();
  const truncated = inner && /truncated file: eof = (\d+).*stored_eof = (\d+)/.exec(inner);
  const reason = truncated ? `truncated (eof ${truncated[1]}, expected ${truncated[2]})`
    : inner === "file signature not found" ? "no HDF5 signature" : inner;
  const fileOpen = ctx.op === "open" && /^cannot open \(mode/.test(head) && format;
  const message = fileOpen ? `${ctx.path}: not a readable HDF5 file: ${reason ?? head}`
    : `${ctx.path}: ${head}${reason && !head.endsWith(reason) ? `: ${reason}` : ""}`;
  return stack ? { message, detail: text } : { message };
}

/** Error classes of h5c.h. */
const ERR = { ARG: 1, NOTFOUND: 2, EXISTS: 3, READONLY: 4, FORMAT: 5, IO: 6, NOMEM: 7 } as const;

export interface ErrorContext {
  /** HDF5 path (or file name) the call was about. */
  path: string;
  op: StoreOp;
  /** The file's open mode, for ModeError. */
  mode?: string;
}

/**
 * Memory and call helpers bound to one module instance. A scope collects every allocation and
 * frees them together, so no exit path of a wrapper can leak heap memory.
 */
export class Heap {
  #broken: Error | undefined;
  constructor(readonly m: H5cExports) {}

  get u8(): Uint8Array {
    return this.m.HEAPU8; // re-read every time: memory growth replaces the view
  }

  /** Run fn with a scope whose allocations are freed afterwards. */
  scoped<T>(fn: (s: Scope) => T): T {
    if (this.#broken) throw new StoreError("the HDF5 module aborted earlier and cannot be used", { op: "open", cause: this.#broken });
    const scope = new Scope(this);
    try {
      return fn(scope);
    } catch (e) {
      // A WebAssembly trap (RuntimeError) leaves the C heap in an unknown state: refuse further use.
      if (e instanceof Error && e.name === "RuntimeError") {
        this.#broken = e;
        throw new StoreError(`HDF5 module aborted: ${e.message}`, { op: "open", cause: e });
      }
      throw e;
    } finally {
      scope.free();
    }
  }

  readCString(ptr: Ptr): string {
    const u8 = this.u8;
    let end = ptr;
    while (u8[end] !== 0) end++;
    return new TextDecoder().decode(u8.subarray(ptr, end));
  }

  /** The C output buffer after a call that returned its length. */
  out(len: number): Uint8Array {
    const p = this.m._h5c_out_ptr();
    return this.u8.slice(p, p + len);
  }

  outText(len: number): string {
    return new TextDecoder().decode(this.out(len));
  }

  /** Translate the C layer's last error into an HdmfError: one line; the HDF5 error stack goes in `detail`. */
  error(ctx: ErrorContext): HdmfError {
    const device = takeDeviceError(); // a remote read failed under HDF5: that is the error
    if (device) return device;
    const cls = this.m._h5c_error_class();
    const text = displayName(this.readCString(this.m._h5c_error_message()) || "unknown HDF5 failure");
    ctx = { ...ctx, path: displayName(ctx.path) };
    const { message, detail } = oneLine(ctx, text, cls === ERR.FORMAT);
    const o = detail === undefined ? {} : { detail };
    switch (cls) {
      case ERR.ARG: return new InvalidInputError(message, { ...o, path: ctx.path });
      case ERR.NOTFOUND: return new NotFoundError(message, { ...o, path: ctx.path });
      case ERR.EXISTS:
        // only file opens report EXISTS for the file itself: that is mode "w-" over an existing file
        return ctx.op === "open"
          ? new ModeError(message, { ...o, mode: ctx.mode ?? "w-", path: ctx.path })
          : new InvalidInputError(message, { ...o, path: ctx.path, option: "name" });
      case ERR.READONLY: return new ModeError(message, { ...o, mode: ctx.mode ?? "r", path: ctx.path });
      case ERR.FORMAT: return new FormatError(message, { ...o, path: ctx.path });
      default: return new StoreError(message, { ...o, op: ctx.op, key: ctx.path });
    }
  }

  /** Throw the translated error if a status is negative; return it otherwise. */
  check(status: number, ctx: ErrorContext): number {
    if (status < 0) throw this.error(ctx);
    return status;
  }

  checkId(id: bigint, ctx: ErrorContext): H5Id {
    if (id < 0n) throw this.error(ctx);
    return id as H5Id;
  }

  /** Close an id after a failure without replacing the error being thrown. */
  closeQuietly(id: bigint | undefined): void {
    if (id !== undefined && id >= 0n) this.m._h5c_close(id);
  }
}

export class Scope {
  readonly #ptrs: Ptr[] = [];
  constructor(private readonly heap: Heap) {}

  alloc(size: number): Ptr {
    const p = this.heap.m._malloc(Math.max(1, size));
    if (p === 0) throw new StoreError(`out of wasm memory allocating ${size} bytes`, { op: "get" });
    this.#ptrs.push(p);
    return p;
  }

  bytes(data: Uint8Array): Ptr {
    const p = this.alloc(data.byteLength);
    this.heap.u8.set(data, p);
    return p;
  }

  /** NUL-terminated UTF-8. */
  str(s: string): Ptr {
    const enc = new TextEncoder().encode(s);
    const p = this.alloc(enc.byteLength + 1);
    const u8 = this.heap.u8;
    u8.set(enc, p);
    u8[p + enc.byteLength] = 0;
    return p;
  }

  doubles(values: readonly number[]): Ptr {
    const p = this.alloc(values.length * 8);
    new Float64Array(this.heap.u8.buffer, p, values.length).set(values);
    return p;
  }

  u32s(values: readonly number[]): Ptr {
    const p = this.alloc(values.length * 4);
    new Uint32Array(this.heap.u8.buffer, p, values.length).set(values);
    return p;
  }

  readDoubles(p: Ptr, n: number): number[] {
    return Array.from(new Float64Array(this.heap.u8.buffer, p, n));
  }

  readU32(p: Ptr): number {
    return new Uint32Array(this.heap.u8.buffer, p, 1)[0]!;
  }

  free(): void {
    for (const p of this.#ptrs) this.heap.m._free(p);
    this.#ptrs.length = 0;
  }
}

/** Pack strings as the C layer expects: each UTF-8 string followed by a NUL byte. */
export function packStrings(values: readonly string[], path: string): Uint8Array {
  const enc = new TextEncoder();
  const parts = values.map((v, i) => {
    if (typeof v !== "string") throw new InvalidInputError(`${path}: element ${i} is not a string`, { path });
    if (v.includes("\0")) throw new InvalidInputError(`${path}: element ${i} contains a NUL character, which HDF5 strings cannot hold`, { path });
    return enc.encode(v);
  });
  const out = new Uint8Array(parts.reduce((n, p) => n + p.byteLength + 1, 0));
  let at = 0;
  for (const p of parts) {
    out.set(p, at);
    at += p.byteLength + 1;
  }
  return out;
}

export function unpackStrings(bytes: Uint8Array, n: number): string[] {
  const dec = new TextDecoder();
  const out: string[] = [];
  let start = 0;
  for (let i = 0; i < n; i++) {
    const end = bytes.indexOf(0, start);
    out.push(dec.decode(bytes.subarray(start, end)));
    start = end + 1;
  }
  return out;
}
