/**
 * A remote file (HTTP(S), S3) that can be read synchronously: the HDF5 core reads through
 * `readSync` (HDF5's sec2 driver calls pread; see backends/hdf5/remote-fs.ts), the network is
 * async. A read that misses the block cache posts the byte range to one worker thread
 * (range-worker.ts), which fetches it through remote-file.ts (retries, redirects, range checks)
 * into a SharedArrayBuffer while this thread waits in Atomics.wait.
 *
 * Small reads go through a bounded LRU cache of aligned blocks, filled with the file's first bytes
 * at mount (HDF5 metadata is mostly at the front); larger reads (contiguous data) go straight to
 * the network and are not cached. Bulk data (chunks) uses `read`: async, fetched by the worker
 * and transferred back, so receiving bodies does not compete with decoding on this thread.
 */
import { Worker } from "node:worker_threads";
import { FormatError, NotFoundError, StoreError } from "../errors.js";
import { collectableSharedBuffer } from "../data/shared-buffer.js";
import { openRemoteFile, type RemoteFile, type RemoteFileSpec, type RemoteStats } from "./remote-file.js";
import type { FetchReply, RangeReply, RangeRequest } from "./range-worker.js";

/** The block cache of a remote HDF5 file read over HTTP(S) or S3. */
export interface RemoteDeviceOptions {
  /** Cache block size in bytes (default 64 KiB). */
  blockSize?: number;
  /** Most bytes the block cache holds (default 32 MiB). */
  cacheBytes?: number;
  /** Bytes read from the front of the file at open, in one request (default 512 KiB). */
  readahead?: number;
  /** Longest wait for one synchronous read in ms (default: the HTTP timeout × attempts + 10 s). */
  waitMs?: number;
}

const HERE = import.meta.url;
const IS_TS = HERE.endsWith(".ts");

/** What the device did: synchronous (metadata) reads through the worker, and cache hits. */
export interface DeviceStats extends RemoteStats {
  cacheHits: number;
}

let worker: Worker | undefined;
let workerReady: Promise<void> | undefined;
let mounted = 0;
let nextId = 1;
let nextFetch = 1;
const fetches = new Map<number, { resolve: (r: FetchReply) => void }>();

function startWorker(): Promise<void> {
  if (workerReady) return workerReady;
  const w = IS_TS
    ? new Worker(`import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(new URL("./range-worker.ts", HERE).href)}); });`, { eval: true })
    : new Worker(new URL("./range-worker.js", HERE));
  w.unref();
  worker = w;
  w.on("message", (m: FetchReply | { ready: true }) => {
    if (!("id" in m)) return;
    const p = fetches.get(m.id);
    fetches.delete(m.id);
    p?.resolve(m);
  });
  workerReady = new Promise<void>((resolve, reject) => {
    w.once("message", () => resolve());
    w.once("error", (e) => reject(new StoreError(`HDF5 range worker failed to start: ${e.message}`, { op: "open", cause: e })));
  });
  w.on("exit", () => {
    if (worker === w) { worker = undefined; workerReady = undefined; }
    for (const [id, p] of fetches) { fetches.delete(id); p.resolve({ id, error: { kind: "store", message: "the HDF5 range worker exited" } }); }
  });
  return workerReady;
}

/** End the worker once no remote file is mounted. */
function stopWorkerIfIdle(): void {
  if (mounted > 0 || !worker) return;
  void worker.terminate();
  worker = undefined;
  workerReady = undefined;
}

export class RemoteDevice {
  readonly url: string;
  readonly size: number;
  readonly ino: number;
  readonly stats: DeviceStats = { requests: 0, bytes: 0, retries: 0, cacheHits: 0 };
  readonly #spec: RemoteFileSpec;
  readonly #block: number;
  readonly #maxBlocks: number;
  readonly #waitMs: number;
  readonly #blocks = new Map<number, Uint8Array>();
  readonly #ctrl = new Int32Array(new SharedArrayBuffer(16));
  readonly #msg = new SharedArrayBuffer(4096);

  private constructor(spec: RemoteFileSpec, size: number, head: Uint8Array, o: Required<Omit<RemoteDeviceOptions, "waitMs">> & { waitMs: number }) {
    this.#spec = spec;
    this.url = spec.url;
    this.ino = nextId++;
    this.size = size;
    this.#block = o.blockSize;
    this.#maxBlocks = Math.max(4, Math.floor(o.cacheBytes / o.blockSize));
    this.#waitMs = o.waitMs;
    this.#store(0, head);
  }

  /**
   * Mount a remote file: its size and first `readahead` bytes (one or two requests on `main`,
   * the caller's async reader), the worker started.
   */
  static async mount(spec: RemoteFileSpec, main: RemoteFile, options: RemoteDeviceOptions = {}): Promise<RemoteDevice> {
    const blockSize = Math.max(4096, options.blockSize ?? 64 * 1024);
    const readahead = Math.max(blockSize, Math.ceil((options.readahead ?? 512 * 1024) / blockSize) * blockSize);
    let head: Uint8Array, size: number;
    try {
      [head] = await Promise.all([main.read(0, readahead), startWorker()]);
      size = await main.size();
    } catch (e) {
      // a worker nobody uses must not outlive the failure (a starting worker can hold the process open)
      await workerReady?.catch(() => undefined);
      stopWorkerIfIdle();
      throw e;
    }
    const http = spec.http ?? {};
    const attempts = http.retry?.maxAttempts ?? 6;
    const waitMs = options.waitMs ?? ((http.timeoutMs ?? 30_000) + (http.retry?.maxDelayMs ?? 5000)) * attempts + 10_000;
    const dev = new RemoteDevice(spec, size, head, {
      blockSize, readahead, cacheBytes: options.cacheBytes ?? 32 * 1024 * 1024, waitMs,
    });
    mounted++;
    return dev;
  }

  #unmounted = false;

  unmount(): void {
    if (this.#unmounted) return;
    this.#unmounted = true;
    mounted--;
    this.#blocks.clear();
    worker?.postMessage({ op: "close", url: this.url } satisfies RangeRequest);
    stopWorkerIfIdle();
  }

  #store(start: number, bytes: Uint8Array): void {
    const B = this.#block;
    for (let off = 0; off < bytes.byteLength; off += B) {
      if ((start + off) % B !== 0) continue;
      this.#blocks.set((start + off) / B, bytes.slice(off, off + B));
    }
    while (this.#blocks.size > this.#maxBlocks) this.#blocks.delete(this.#blocks.keys().next().value!);
  }

  /** Bytes [pos, pos+len) clamped to the file, synchronously (blocks until the worker answers). */
  readSync(pos: number, len: number): Uint8Array {
    const end = Math.min(this.size, pos + len);
    if (end <= pos) return new Uint8Array(0);
    const B = this.#block;
    const first = Math.floor(pos / B), last = Math.floor((end - 1) / B);
    let missing = 0, lo = -1, hi = -1;
    for (let b = first; b <= last; b++) {
      if (!this.#blocks.has(b)) { missing++; if (lo < 0) lo = b; hi = b; }
    }
    if (missing > 0 && end - pos > 2 * B) return this.#fetch(pos, end); // bulk data: once, uncached
    if (missing > 0) this.#store(lo * B, this.#fetch(lo * B, Math.min(this.size, (hi + 1) * B)));
    else this.stats.cacheHits++;
    const out = new Uint8Array(end - pos);
    for (let b = first; b <= last; b++) {
      const blk = this.#blocks.get(b)!;
      this.#blocks.delete(b); // LRU: re-insert at the back
      this.#blocks.set(b, blk);
      const s = Math.max(pos, b * B), e = Math.min(end, (b + 1) * B);
      out.set(blk.subarray(s - b * B, e - b * B), s - pos);
    }
    return out;
  }

  /**
   * Bytes [start, end) fetched by the worker and transferred back (chunk data; not cached): the
   * worker's thread receives the bodies while this one decodes.
   */
  async read(start: number, end: number): Promise<Uint8Array> {
    if (end <= start) return new Uint8Array(0);
    const w = worker;
    if (!w) throw new StoreError(`${this.url}: the HDF5 range worker is not running`, { key: this.url, op: "get" });
    const id = nextFetch++;
    w.ref(); // pending network work keeps the process alive
    const reply = await new Promise<FetchReply>((resolve) => {
      fetches.set(id, { resolve });
      w.postMessage({ op: "fetch", id, spec: this.#spec, start, end } satisfies RangeRequest);
    }).finally(() => { if (fetches.size === 0) w.unref(); });
    this.stats.requests++;
    if ("error" in reply) {
      const { kind, message } = reply.error;
      throw kind === "not-found" ? new NotFoundError(message, { path: this.url })
        : kind === "format" ? new FormatError(message, { path: this.url })
          : new StoreError(message, { key: this.url, op: "get" });
    }
    this.stats.retries += reply.retries;
    this.stats.bytes += reply.bytes.byteLength;
    const want = Math.min(end, this.size) - start;
    if (reply.bytes.byteLength !== want) throw new StoreError(`${this.url}: asked for bytes ${start}-${end - 1}, got ${reply.bytes.byteLength} bytes`, { key: this.url, op: "get" });
    return reply.bytes;
  }

  #fetch(start: number, end: number): Uint8Array {
    const w = worker;
    if (!w) throw new StoreError(`${this.url}: the HDF5 range worker is not running`, { key: this.url, op: "get" });
    const data = collectableSharedBuffer(end - start); // dropped after the read: the collector must see it
    Atomics.store(this.#ctrl, 0, 0);
    w.postMessage({ op: "read", spec: this.#spec, start, end, ctrl: this.#ctrl.buffer as SharedArrayBuffer, data, msg: this.#msg } satisfies RangeRequest);
    const r = Atomics.wait(this.#ctrl, 0, 0, this.#waitMs);
    if (r === "timed-out") throw new StoreError(`${this.url}: no answer for bytes ${start}-${end - 1} within ${this.#waitMs} ms`, { key: this.url, op: "get" });
    const state = Atomics.load(this.#ctrl, 0) as RangeReply;
    this.stats.requests += Atomics.load(this.#ctrl, 2);
    this.stats.retries += Atomics.load(this.#ctrl, 3);
    if (state !== 1) {
      const n = Atomics.load(this.#ctrl, 1);
      const { kind, message } = JSON.parse(new TextDecoder().decode(new Uint8Array(this.#msg).slice(0, n))) as { kind: string; message: string };
      throw kind === "not-found" ? new NotFoundError(message, { path: this.url })
        : kind === "format" ? new FormatError(message, { path: this.url })
          : new StoreError(message, { key: this.url, op: "get" });
    }
    const n = Atomics.load(this.#ctrl, 1);
    this.stats.bytes += n;
    if (n !== end - start) throw new StoreError(`${this.url}: asked for bytes ${start}-${end - 1}, got ${n} bytes`, { key: this.url, op: "get" });
    return new Uint8Array(data);
  }
}

/** Options for remote files read through a device. */
export interface RemoteMountOptions {
  http?: RemoteFileSpec["http"];
  s3?: RemoteFileSpec["s3"];
  device?: RemoteDeviceOptions;
}

export interface MountedFile {
  readonly device: RemoteDevice;
  /** The async reader chunk data comes through (fetched in the worker). */
  readonly remote: RemoteFile;
  /** Requests and bytes so far, synchronous (device) and chunk reads together. */
  stats(): DeviceStats;
  close(): Promise<void>;
}

/** Mount `url`: a synchronous device (block cache + worker) and an async reader for bulk data. */
export async function mountRemote(url: string, o: RemoteMountOptions = {}): Promise<MountedFile> {
  const spec: RemoteFileSpec = { url, ...(o.http ? { http: o.http } : {}), ...(o.s3 ? { s3: o.s3 } : {}) };
  const remote = openRemoteFile(spec);
  let device: RemoteDevice;
  try {
    device = await RemoteDevice.mount(spec, remote, o.device);
  } catch (e) {
    await remote.close();
    throw e;
  }
  let closed = false;
  const chunks: RemoteFile = {
    url, stats: device.stats,
    size: async () => device.size,
    read: (start, end) => device.read(start, end),
    close: async () => undefined,
  };
  return {
    device, remote: chunks,
    stats: () => {
      const a = device.stats, b = remote.stats;
      return { requests: a.requests + b.requests, bytes: a.bytes + b.bytes, retries: a.retries + b.retries, cacheHits: a.cacheHits };
    },
    async close() {
      if (closed) return;
      closed = true;
      device.unmount();
      await remote.close();
    },
  };
}
