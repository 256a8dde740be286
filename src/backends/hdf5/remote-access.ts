/**
 * What HDF5IO needs to read a file at a URL, supplied by the factory (which knows locations and
 * stores: location.ts, stores/remote-device.ts) so this backend imports neither: whether a
 * location is remote, how an external link's file name resolves against a remote file, and a
 * mount that gives a synchronous device for the core plus an async reader for chunk data.
 */
import { FormatError } from "../../errors.js";
import { registerDevice, unregisterDevice, type SyncDevice } from "./remote-fs.js";

/** Async byte ranges of one file (chunk data, past the core). */
export interface RangeReader {
  read(start: number, end: number): Promise<Uint8Array>;
}

export interface RemoteFileStats {
  requests: number;
  bytes: number;
  retries: number;
  cacheHits: number;
}

export interface MountedRemote {
  readonly device: SyncDevice;
  readonly remote: RangeReader;
  stats(): RemoteFileStats;
  close(): Promise<void>;
}

export interface RemoteAccess {
  isRemote(location: string): boolean;
  /** An external link's file name stored in the remote file `base`, as an absolute location. */
  resolve(base: string, fileName: string): string;
  mount(url: string): Promise<MountedRemote>;
}

/** A mounted remote HDF5 file: the path the core opens, its chunk reader, its counts. */
export interface OpenedRemote {
  readonly path: string;
  readonly remote: RangeReader;
  stats(): RemoteFileStats;
  close(): Promise<void>;
}

const SIGNATURE = [0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a];

/** Mount `url`, check it is HDF5 (signature at 0 or a user-block offset 512, 1024, …), register it for the core. */
export async function openRemote(access: RemoteAccess, url: string): Promise<OpenedRemote> {
  const m = await access.mount(url);
  try {
    const head = m.device.readSync(0, Math.min(m.device.size, 4096)); // cached: read ahead at mount
    let found = false;
    for (let at = 0; at + 8 <= head.byteLength && !found; at = at === 0 ? 512 : at * 2) found = SIGNATURE.every((b, i) => head[at + i] === b);
    if (!found) {
      const html = /^\s*(<!doctype html|<html)/i.test(new TextDecoder().decode(head.subarray(0, 64)));
      throw new FormatError(`${url}: not an HDF5 file (${html ? "the server sent an HTML page" : "no HDF5 signature"})`, { path: url });
    }
  } catch (e) {
    await m.close();
    throw e;
  }
  const path = registerDevice(m.device);
  let closed = false;
  return {
    path, remote: m.remote, stats: () => m.stats(),
    async close() {
      if (closed) return;
      closed = true;
      unregisterDevice(path);
      await m.close();
    },
  };
}
