/**
 * The one place that picks a backend from a path or URL (ARCHITECTURE.md: nothing above
 * backends/ imports a backend folder directly). Backends load lazily, so reading a Zarr
 * store never instantiates the HDF5 WebAssembly module and vice versa.
 *
 *   *.nwb, *.h5, *.hdf5 (or a file starting with the HDF5 signature)  -> HDF5IO
 *   *.zarr, *.zip, a directory, s3://..., memory://...                -> ZarrIO
 *   http(s):// and s3:// URLs: by name; else s3:// is Zarr and http(s):// is probed (HDF5 signature -> HDF5IO)
 */
import { open as openFile, stat } from "node:fs/promises";
import { InvalidInputError, UnsupportedError } from "../errors.js";
import { parseLocation, resolveAgainst } from "../location.js";
import type { CodecConfig } from "../data/codec-config.js";
import type { HDMFIO, IOOptions, OpenExternal, OpenMode, StorageFormat } from "./io.js";
import type { GroupBuilder } from "../schema/builders.js";
import type { CachedSpecEntry } from "../schema/spec/cache.js";
import type { Store } from "../stores/store.js";
import type { ConsolidateResult } from "./zarr/consolidate-store.js";
import type { HDF5IOOptions } from "./hdf5/hdf5-io.js";
import type { ZarrIOOptions } from "./zarr/zarr-io.js";
import type { ZarrFormat } from "./zarr/keys.js";
import type { ShardOptions } from "./zarr/shard-layout.js";
import type { CodecResolver } from "./zarr/codec-bridge.js";
import type { HttpStoreOptions } from "../stores/http-store.js";
import type { RemoteDeviceOptions } from "../stores/remote-device.js";
import type { RemoteAccess } from "./hdf5/remote-access.js";

// The backends' option types, for callers above the factory (the conformance fixtures, users).
export type { ConsolidateResult, HDF5IOOptions, ZarrIOOptions, ZarrFormat, ShardOptions, CodecResolver };

/** "hdf5", "zarr" (hdmf-zarr's Zarr v2 layout) or "zarr3". */
export type BackendFormat = StorageFormat;

/** Where and how to reach an S3-compatible object store for `s3://` locations. */
export interface S3Options {
  /** Endpoint URL of a non-AWS service (MinIO, moto, ...); default: the AWS endpoint of `region`. */
  endpoint?: string;
  /** AWS region (default from the AWS configuration chain). */
  region?: string;
  /** Address buckets as `endpoint/bucket/key` instead of `bucket.endpoint/key` (MinIO, moto). */
  forcePathStyle?: boolean;
  /** Static credentials (default: the AWS chain: env, profile, SSO, IMDS). */
  credentials?: { accessKeyId: string; secretAccessKey: string; sessionToken?: string };
}

/** Options of {@link openIO}: the backend choice plus the options of whichever backend and store it opens. */
export interface OpenIOOptions<C = unknown> extends IOOptions<C> {
  /** Force a backend; default: from the location (extension, signature, URL scheme). */
  format?: BackendFormat;
  /**
   * Zarr v3 default sharding (sharding_indexed) for datasets whose ZarrDataIO says nothing:
   * this many chunks along the first axis per shard, or "auto" (zarr-python's automatic shape).
   */
  shards?: number | "auto";
  /** Default compressor for Zarr datasets that name none (null = none). */
  defaultCompressor?: CodecConfig | null;
  /** Cached specs to write on `write` (schema layer `cacheSpecs`). */
  specs?: readonly CachedSpecEntry[];
  /** s3:// locations: endpoint, region, path style, credentials. */
  s3?: S3Options;
  /** http(s):// locations: headers (credentials), retries, timeout, requests in flight. */
  http?: HttpStoreOptions;
  /** Remote HDF5 files: the metadata page cache (block size, bytes, readahead). */
  remoteCache?: RemoteDeviceOptions;
  /**
   * Zarr on a local folder: when files reach the disk (FsStore's `fsync`): "flush" (default) all
   * at the end of each write and at close, "each" (or true) every key before its rename, false
   * never. Export turns it off for its temporary sibling, whose final rename is the commit.
   */
  fsync?: boolean | "each" | "flush";
  /** HDF5: read external links whose target cannot be opened as dangling links (export's allowBrokenLinks). */
  allowBrokenLinks?: boolean;
}

const HDF5_SIGNATURE = Buffer.from([0x89, 0x48, 0x44, 0x46, 0x0d, 0x0a, 0x1a, 0x0a]);

/** Decide the backend for a location; reads the first bytes of an existing local file. */
export async function detectFormat(location: string, options: Pick<OpenIOOptions, "http" | "s3"> = {}): Promise<BackendFormat> {
  const loc = parseLocation(location);
  if (loc.scheme === "memory") return "zarr";
  if (loc.remote) {
    if (loc.formatGuess) return loc.formatGuess;
    // s3:// without a telling name stays a Zarr prefix (as before remote HDF5); an http(s) URL is probed
    if (loc.scheme === "s3") return "zarr";
    return (await remoteStartsWithSignature(location, options)) ? "hdf5" : "zarr";
  }
  const path = loc.path;
  const info = await stat(path).catch(() => undefined);
  if (info?.isDirectory()) return "zarr";
  if (info?.isFile()) {
    const fh = await openFile(path, "r");
    try {
      const head = Buffer.alloc(8);
      await fh.read(head, 0, 8, 0);
      if (head.equals(HDF5_SIGNATURE)) return "hdf5";
      if (head[0] === 0x50 && head[1] === 0x4b) return "zarr";
    } finally {
      await fh.close();
    }
  }
  if (loc.formatGuess) return loc.formatGuess;
  if (info?.isFile()) throw new InvalidInputError(`${location} is neither an HDF5 file nor a Zarr store`, { path: location });
  throw new InvalidInputError(`cannot tell the format of ${location} from its name: give format "hdf5", "zarr" or "zarr3"`, { option: "format", path: location });
}

/** Whether the object at a URL begins with the HDF5 signature (false when absent or not a file). */
async function remoteStartsWithSignature(location: string, options: Pick<OpenIOOptions, "http" | "s3">): Promise<boolean> {
  const { openRemoteFile } = await import("../stores/remote-file.js");
  const f = openRemoteFile({ url: location, ...(options.http ? { http: options.http } : {}), ...(options.s3 ? { s3: options.s3 } : {}) });
  try {
    const head = await f.read(0, 8).catch(() => undefined);
    return head !== undefined && Buffer.from(head).equals(HDF5_SIGNATURE);
  } finally {
    await f.close();
  }
}

/**
 * Opens link targets read-only on behalf of one IO: each location once, all closed with it.
 * A location whose read is still in progress (a link cycle) is refused, so the reader keeps
 * that link unresolved instead of waiting on itself.
 */
function externalOpener<C>(options: OpenIOOptions<C>): { open: OpenExternal; closeAll: () => Promise<void> } {
  const roots = new Map<string, Promise<GroupBuilder>>();
  const pending = new Set<string>();
  const ios: HDMFIO<C>[] = [];
  const open: OpenExternal = async (location) => {
    if (pending.has(location)) throw new UnsupportedError(`link cycle through ${location}`, { feature: "link-cycle", path: location });
    let p = roots.get(location);
    if (!p) {
      pending.add(location);
      p = (async () => {
        const io = await openIO<C>(location, "r", { ...options, manager: undefined, openExternal: open });
        ios.push(io);
        return io.readBuilder();
      })().finally(() => pending.delete(location));
      roots.set(location, p);
    }
    return p;
  };
  return { open, closeAll: async () => { await Promise.allSettled(ios.splice(0).map((io) => io.close())); } };
}


/**
 * Rebuild a Zarr store's consolidated metadata from the node documents it holds
 * (zarr-python's `consolidate_metadata`), e.g. after ranks wrote in parallel.
 */
export async function consolidateStore(store: Store): Promise<ConsolidateResult> {
  const { consolidateStore: run } = await import("./zarr/consolidate-store.js");
  return run(store);
}

/**
 * How HDF5IO reads files at http(s):// and s3:// URLs: locations and stores are known here, not
 * in the backend. Mounting loads the remote device (and the AWS SDK for s3://) on first use.
 */
export function remoteAccess(o: Pick<OpenIOOptions, "http" | "s3" | "remoteCache"> = {}): RemoteAccess {
  return {
    isRemote: (location) => ["http", "https", "s3"].includes(parseLocation(location).scheme),
    resolve: (base, fileName) => resolveAgainst(base.slice(0, base.lastIndexOf("/") + 1), fileName),
    mount: async (url) => {
      const { mountRemote } = await import("../stores/remote-device.js");
      return mountRemote(url, { ...(o.http ? { http: o.http } : {}), ...(o.s3 ? { s3: o.s3 } : {}), ...(o.remoteCache ? { device: o.remoteCache } : {}) });
    },
  };
}

/** Open an HDF5 file (local; http(s):// or s3:// read-only) with HDF5IO's own options (openIO picks the backend by location instead). */
export async function openHdf5File<C = unknown>(path: string, mode: OpenMode = "r", options: HDF5IOOptions<C> = {}): Promise<HDMFIO<C>> {
  const { openHdf5 } = await import("./hdf5/hdf5-io.js");
  return openHdf5<C>(path, mode, { remote: remoteAccess(), ...options });
}

/** Open a Zarr store (a location or a Store object) with ZarrIO's own options. */
export async function openZarrStore<C = unknown>(target: string | Store, mode: OpenMode = "r", options: ZarrIOOptions<C> = {}): Promise<HDMFIO<C>> {
  const { openZarr } = await import("./zarr/zarr-io.js");
  return openZarr<C>(target, mode, options);
}

/** Open a file or store with the backend its location calls for. */
export async function openIO<C = unknown>(location: string, mode: OpenMode = "r", options: OpenIOOptions<C> = {}): Promise<HDMFIO<C>> {
  if (!options.openExternal) {
    const ext = externalOpener(options);
    const io = await openIO(location, mode, { ...options, openExternal: ext.open });
    io.onClose(ext.closeAll);
    return io;
  }
  const format = options.format ?? (await detectFormat(location, options));
  const s3 = options.s3 ?? {};
  if (format === "hdf5") {
    return openHdf5File<C>(location, mode, { manager: options.manager, specs: options.specs, ...(options.allowBrokenLinks ? { allowBrokenLinks: true } : {}), remote: remoteAccess(options) });
  }
  return openZarrStore<C>(location, mode, {
    manager: options.manager,
    openExternal: options.openExternal,
    specs: options.specs,
    ...(format === "zarr3" ? { zarrFormat: 3 as const } : {}),
    ...(options.shards ? { shards: options.shards === "auto" ? { auto: true } : { chunksPerShard: options.shards } } : {}),
    ...(options.defaultCompressor !== undefined ? { defaultCompressor: options.defaultCompressor } : {}),
    storeOptions: {
      ...(options.fsync !== undefined ? { fs: { fsync: options.fsync } } : {}),
      ...(options.http ? { http: options.http } : {}),
      s3: { ...(s3.endpoint ? { endpoint: s3.endpoint } : {}), ...(s3.region ? { region: s3.region } : {}), ...(s3.forcePathStyle !== undefined ? { forcePathStyle: s3.forcePathStyle } : {}), ...(s3.credentials ? { credentials: s3.credentials } : {}) },
    },
  });
}
