/**
 * Pick a store from a path or URL:
 *   "memory://"               → MemoryStore
 *   "s3://bucket/prefix"      → S3Store
 *   "s3://bucket/key.zip"     → ZipStore read through S3 range GETs (read-only)
 *   "path/to/file.zip"        → ZipStore on a local file
 *   "file:///dir", "dir"      → FsStore
 *   "https://host/x.zarr"     → HttpStore (read-only; "w"/"a" is an UnsupportedError)
 */
import { InvalidInputError, UnsupportedError } from "../errors.js";
import { isUrl, parseLocation, urlScheme, ZIP_NAME } from "../location.js";
import { FsStore, type FsStoreOptions } from "./fs-store.js";
import { HttpStore, type HttpStoreOptions } from "./http-store.js";
import { MemoryStore } from "./memory-store.js";
import type { S3StoreOptions } from "./s3-store.js";
import { checkKey, type Store } from "./store.js";
import { ZipStore, rangeSourceFromStore } from "./zip-store.js";

/** How `openStore` opens a store: "r" read-only, "w" create/overwrite, "a" read and write. */
export type StoreMode = "r" | "w" | "a";

/** How to open the Store for a path or URL: mode, and the settings of the S3, folder or HTTP store it picks. */
export interface OpenStoreOptions {
  /** "r" read-only, "w" create/overwrite (zip: truncate), "a" read and write (default "r"). */
  mode?: StoreMode;
  /** S3 settings other than bucket and prefix, which come from the URL. */
  s3?: Omit<S3StoreOptions, "bucket" | "prefix" | "readOnly">;
  /** Local-folder settings (fsync). */
  fs?: Omit<FsStoreOptions, "readOnly">;
  /** Headers, retries, timeouts and concurrency for http(s):// URLs. */
  http?: HttpStoreOptions;
}

export async function openStore(url: string, options: OpenStoreOptions = {}): Promise<Store> {
  const mode = options.mode ?? "r";
  if (!["r", "w", "a"].includes(mode)) throw new InvalidInputError(`bad store mode ${String(mode)}`, { option: "mode" });
  const readOnly = mode === "r";
  if (typeof url !== "string" || url === "") throw new InvalidInputError("empty store URL", { option: "url" });
  if (url === "memory://" || url.startsWith("memory://")) return new MemoryStore({ readOnly });
  if (url.startsWith("s3://")) {
    // The AWS SDK takes ~90 ms to load: only s3:// locations pay for it.
    const { S3Store, parseS3Url } = await import("./s3-store.js");
    const { bucket, prefix } = parseS3Url(url);
    if (ZIP_NAME.test(prefix)) {
      if (!readOnly) throw new UnsupportedError(`writing a zip to S3 (${url})`, { feature: "zip on s3 in write mode", path: url });
      const slash = prefix.lastIndexOf("/");
      const s3 = new S3Store({ ...options.s3, bucket, prefix: prefix.slice(0, Math.max(0, slash)), readOnly: true });
      return ZipStore.openRemote(rangeSourceFromStore(s3, checkKey(`/${prefix.slice(slash + 1)}`), true), url);
    }
    return new S3Store({ ...options.s3, bucket, prefix, readOnly });
  }
  const scheme = urlScheme(url);
  if (scheme === "http" || scheme === "https") {
    if (!readOnly) throw new UnsupportedError(`cannot open ${url} in mode "${mode}": HTTP(S) is read-only`, { feature: "write over http", path: url });
    if (ZIP_NAME.test(url.replace(/\/+$/, ""))) {
      const slash = url.lastIndexOf("/");
      const http = new HttpStore(url.slice(0, slash), options.http);
      return ZipStore.openRemote(rangeSourceFromStore(http, checkKey(`/${decodeURIComponent(url.slice(slash + 1))}`), true), url);
    }
    return new HttpStore(url, options.http);
  }
  if (isUrl(url)) throw new UnsupportedError(`no store for URL scheme in ${url}`, { feature: "store URL scheme", path: url });
  const path = parseLocation(url).path;
  if (ZIP_NAME.test(path)) return ZipStore.open(path, { mode });
  return new FsStore(path, { ...options.fs, readOnly });
}
