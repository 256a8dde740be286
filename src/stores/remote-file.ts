/**
 * One remote file read by byte ranges (an HDF5 file over HTTP(S) or in S3), described by a
 * plain, cloneable spec so a worker thread can open the same file (the HDF5 file device's
 * synchronous reads run there) while the main thread reads chunks from it asynchronously.
 * Reads go through HttpStore / S3Store, so retries, redirects and range checks are theirs.
 */
import { InvalidInputError, NotFoundError, StoreError } from "../errors.js";
import { parseLocation } from "../location.js";
import type { HttpStoreOptions } from "./http-store.js";
import { HttpStore } from "./http-store.js";
import type { S3StoreOptions } from "./s3-store.js";
import { checkKey, type StoreKey } from "./store.js";

/** S3 settings that survive structured cloning (no client objects, static credentials only). */
export type CloneableS3Options = Omit<S3StoreOptions, "bucket" | "prefix" | "client" | "credentials" | "readOnly"> & {
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
};

export interface RemoteFileSpec {
  /** http(s):// or s3:// URL of the file. */
  readonly url: string;
  readonly http?: HttpStoreOptions;
  readonly s3?: CloneableS3Options;
}

export interface RemoteStats {
  requests: number;
  bytes: number;
  retries: number;
}

export interface RemoteFile {
  readonly url: string;
  /** The file's size in bytes (NotFoundError when it does not exist). */
  size(signal?: AbortSignal): Promise<number>;
  /** Bytes [start, end), fewer only where the file ends; StoreError otherwise. */
  read(start: number, end: number, signal?: AbortSignal): Promise<Uint8Array>;
  readonly stats: RemoteStats;
  close(): Promise<void>;
}

/** Open a remote file for range reads (no request is made until the first read or size). */
export function openRemoteFile(spec: RemoteFileSpec): RemoteFile {
  const loc = parseLocation(spec.url);
  const slash = spec.url.lastIndexOf("/");
  let get: (key: StoreKey, start: number, end: number, signal?: AbortSignal) => Promise<Uint8Array | undefined>;
  let len: (key: StoreKey, signal?: AbortSignal) => Promise<number | undefined>;
  let counts: () => { requests: number; retries: number };
  let close: () => Promise<void>;
  let key: StoreKey;
  if (loc.scheme === "http" || loc.scheme === "https") {
    const store = new HttpStore(spec.url.slice(0, slash), spec.http);
    key = checkKey(`/${decodeURIComponent(spec.url.slice(slash + 1))}`);
    get = (k, start, end, signal) => store.get(k, { start, end }, { signal });
    len = (k, signal) => store.byteLength(k, { signal });
    counts = () => store.stats;
    close = () => store.close();
  } else if (loc.scheme === "s3") {
    // The AWS SDK loads on first use: an HTTP-only process (and the device's worker) never pays for it.
    const m = /^s3:\/\/([^/]+)\/(.+)$/.exec(spec.url);
    if (!m) throw new InvalidInputError(`not an s3:// file URL: ${spec.url}`, { option: "location", path: spec.url });
    const bucket = m[1]!, prefix = m[2]!.replace(/\/+$/, "");
    const cut = prefix.lastIndexOf("/");
    const store = import("./s3-store.js").then(({ S3Store }) => new S3Store({ ...spec.s3, bucket, prefix: cut < 0 ? "" : prefix.slice(0, cut), readOnly: true }));
    let s3stats = { gets: 0, heads: 0, retries: 0 };
    void store.then((s) => { s3stats = s.stats; }, () => undefined);
    key = checkKey(`/${prefix.slice(cut + 1)}`);
    get = async (k, start, end, signal) => (await store).get(k, { start, end }, { signal });
    len = async (k) => (await store).byteLength(k);
    counts = () => ({ requests: s3stats.gets + s3stats.heads, retries: s3stats.retries });
    close = async () => (await store).close();
  } else {
    throw new InvalidInputError(`not a remote file URL: ${spec.url}`, { option: "location", path: spec.url });
  }
  let bytes = 0;
  let size: number | undefined;
  const file: RemoteFile = {
    url: spec.url,
    get stats(): RemoteStats {
      const c = counts();
      return { requests: c.requests, retries: c.retries, bytes };
    },
    async size(signal) {
      if (size !== undefined) return size;
      const n = await len(key, signal);
      if (n === undefined) throw new NotFoundError(`${spec.url}: no such file (404)`, { path: spec.url });
      size = n;
      return n;
    },
    async read(start, end, signal) {
      if (end <= start) return new Uint8Array(0);
      const b = await get(key, start, end, signal);
      if (b === undefined) throw new NotFoundError(`${spec.url}: no such file (404)`, { path: spec.url });
      bytes += b.byteLength;
      // Without the size yet, a shorter answer is the end of the file (the stores check Content-Range / Content-Length).
      const want = size === undefined ? Math.min(end - start, b.byteLength) : Math.max(0, Math.min(end, size) - start);
      if (b.byteLength !== want) {
        throw new StoreError(`${spec.url}: asked for bytes ${start}-${end - 1}, got ${b.byteLength} bytes`, { key: spec.url, op: "get" });
      }
      return b;
    },
    close,
  };
  return file;
}
