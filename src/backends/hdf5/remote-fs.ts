/**
 * The `fs` the HDF5 wasm module is loaded with (core-module.ts): real paths and descriptors go to
 * node's fs unchanged; virtual paths (under `/.hdmf-remote/`) are served by a registered
 * synchronous device (a remote file: the factory supplies it, stores/remote-device.ts), read-only.
 * Emscripten's NODERAWFS calls only the synchronous functions below on a file HDF5 opens
 * (stat/lstat, open, fstat, read, close); the rest refuse with EROFS.
 */
import * as realFs from "node:fs";
import { HdmfError, StoreError } from "../../errors.js";

/** A file the core can read synchronously. */
export interface SyncDevice {
  readonly url: string;
  readonly size: number;
  /** Unique per device (HDF5 tells files apart by device and inode). */
  readonly ino: number;
  /** Bytes [pos, pos+len) clamped to the file; throws a typed error when the read fails. */
  readSync(pos: number, len: number): Uint8Array;
}

type RemoteDevice = SyncDevice;

const PREFIX = "/.hdmf-remote/";
const FD_BASE = 0x40000000;
const devices = new Map<string, SyncDevice>();
const fds = new Map<number, SyncDevice>();
let nextFd = FD_BASE;
/** The failure of the last device read, handed to the core's error translation (Heap.error). */
let pendingError: HdmfError | undefined;

/** Make `device` openable by the core; returns the path to open. */
export function registerDevice(device: SyncDevice): string {
  const name = encodeURIComponent(device.url.slice(device.url.lastIndexOf("/") + 1)) || "file";
  const path = `${PREFIX}${device.ino}/${name}`;
  devices.set(path, device);
  return path;
}

export function unregisterDevice(path: string): void {
  const d = devices.get(path);
  devices.delete(path);
  for (const [fd, x] of fds) if (x === d) fds.delete(fd);
}

/** The device error behind the HDF5 failure being translated, if any (cleared on read). */
export function takeDeviceError(): HdmfError | undefined {
  const e = pendingError;
  pendingError = undefined;
  return e;
}

/** `text` with every virtual path replaced by its URL, so HDF5's messages name it. */
export function displayName(text: string): string {
  if (!text.includes(PREFIX)) return text;
  return text.replace(/\/\.hdmf-remote\/\d+\/[^\s:"']*/g, (p) => devices.get(p)?.url ?? p);
}

function erofs(path: string): Error {
  return Object.assign(new Error(`EROFS: read-only remote file, ${path}`), { code: "EROFS" });
}

/** The fields emscripten reads from a Stats (SYSCALLS.doStat, NODEFS.getMode, isDirectory …). */
function statOf(d: RemoteDevice): Record<string, unknown> {
  const t = new Date(0);
  const st = {
    dev: 0x7e7e, ino: d.ino, mode: 0o100444, nlink: 1, uid: 0, gid: 0, rdev: 0, size: d.size, blksize: 4096,
    blocks: Math.ceil(d.size / 512), atime: t, mtime: t, ctime: t, birthtime: t, atimeMs: 0, mtimeMs: 0, ctimeMs: 0, birthtimeMs: 0,
    isFile: () => true, isDirectory: () => false, isSymbolicLink: () => false, isBlockDevice: () => false,
    isCharacterDevice: () => false, isFIFO: () => false, isSocket: () => false,
  };
  return st;
}

function deviceOfPath(p: unknown): RemoteDevice | undefined {
  return typeof p === "string" && p.startsWith(PREFIX) ? devices.get(p) : undefined;
}

function missing(path: string): Error {
  return Object.assign(new Error(`ENOENT: no such remote file, ${path}`), { code: "ENOENT" });
}

/**
 * `fs` for the wasm module: real paths and descriptors go to node's fs unchanged; virtual
 * remote paths are served by their device (read-only).
 */
type Fn = (...a: unknown[]) => unknown;

/** node's own function `name`, called on node's fs. */
function real(name: string): Fn {
  const f: unknown = Reflect.get(realFs, name);
  if (typeof f !== "function") return () => { throw new Error(`fs.${name} is not a function`); };
  return (...a) => Reflect.apply(f, realFs, a);
}

export function deviceFs(): Readonly<Record<string, unknown>> {
  const fs: Record<string, unknown> = { ...realFs };
  const onPath = (name: string, remote: (d: RemoteDevice, ...a: unknown[]) => unknown): void => {
    const node = real(name);
    fs[name] = (p: unknown, ...a: unknown[]): unknown => {
      if (typeof p === "string" && p.startsWith(PREFIX)) {
        const d = deviceOfPath(p);
        if (!d) throw missing(p);
        return remote(d, ...a);
      }
      return node(p, ...a);
    };
  };
  const onFd = (name: string, remote: (d: RemoteDevice, ...a: unknown[]) => unknown): void => {
    const node = real(name);
    fs[name] = (fd: unknown, ...a: unknown[]): unknown => {
      const d = typeof fd === "number" ? fds.get(fd) : undefined;
      return d ? remote(d, ...a) : node(fd, ...a);
    };
  };
  onPath("statSync", (d) => statOf(d));
  onPath("lstatSync", (d) => statOf(d));
  onPath("openSync", (d, flags) => {
    if (typeof flags === "number" && (flags & 3) !== 0) throw erofs(d.url);
    if (typeof flags === "string" && flags !== "r") throw erofs(d.url);
    const fd = nextFd++;
    fds.set(fd, d);
    return fd;
  });
  for (const name of ["writeFileSync", "truncateSync", "unlinkSync", "renameSync", "chmodSync", "chownSync", "utimesSync", "mkdirSync", "rmdirSync"]) {
    onPath(name, (d) => { throw erofs(d.url); });
  }
  onFd("fstatSync", (d) => statOf(d));
  // readSync(fd, view, offset, length, position), as NODERAWFS calls it
  onFd("readSync", (d, buffer, offset, length, position) => {
    if (!ArrayBuffer.isView(buffer)) throw Object.assign(new Error("readSync: not a buffer"), { code: "EINVAL" });
    const pos = position === null || position === undefined ? 0 : Number(position);
    try {
      const bytes = d.readSync(pos, Number(length));
      new Uint8Array(buffer.buffer, buffer.byteOffset + Number(offset), bytes.byteLength).set(bytes);
      return bytes.byteLength;
    } catch (e) {
      const err = e instanceof HdmfError ? e : new StoreError(`${d.url}: read failed: ${String(e)}`, { key: d.url, op: "get", cause: e });
      pendingError = err;
      throw Object.assign(new Error(err.message), { code: "EIO" });
    }
  });
  for (const name of ["writeSync", "ftruncateSync", "fchmodSync", "fchownSync", "fsyncSync"]) {
    onFd(name, (d) => { throw erofs(d.url); });
  }
  // closing a virtual descriptor forgets it
  const closeNode = real("closeSync");
  fs.closeSync = (fd: unknown) => {
    if (typeof fd === "number" && fds.delete(fd)) return;
    closeNode(fd);
  };
  return fs;
}
