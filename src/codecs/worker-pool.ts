/**
 * A bounded pool of worker threads for the codecs that run in JS/wasm on the calling thread
 * (blosc, zstd, lz4, bz2, lzf, shuffle, …). Workers start on demand, are unref'd while idle
 * (an idle pool never keeps the process alive) and terminate after `idleMs`; `close()` ends
 * them all. A worker that dies fails its task with a CodecError and is replaced.
 */
import { availableParallelism } from "node:os";
import { Worker } from "node:worker_threads";
import { CodecError, UnsupportedError } from "../errors.js";
import type { WorkerReply, WorkerTask } from "./codec-worker.js";

/**
 * One chunk's job. `owned`: the caller hands `data` over (made for this job alone, nothing else
 * holds it); when it views its whole ArrayBuffer that buffer is transferred to the worker (and
 * detached here) instead of copied.
 */
type Job = Omit<WorkerTask, "id"> & { readonly owned?: boolean };
/** A job's result: the bytes (empty for a job with `into`), their length, the HDF5 filter mask. */
export interface JobResult { readonly data: Uint8Array; readonly length: number; readonly filterMask: number }
interface Pending { job: Job; resolve: (r: JobResult) => void; reject: (e: Error) => void }
interface Slot { worker: Worker; busy?: Pending & { id: number }; timer?: NodeJS.Timeout }

const HERE = import.meta.url;
const IS_TS = HERE.endsWith(".ts");

/** Worker threads that run codec chains off the calling thread; pass one as `ManyOptions.workers`. */
export class CodecWorkerPool {
  readonly size: number;
  readonly idleMs: number;
  #slots: Slot[] = [];
  #queue: Pending[] = [];
  #nextId = 1;
  #closed = false;

  constructor(opts: { size?: number; idleMs?: number } = {}) {
    this.size = Math.max(1, opts.size ?? availableParallelism());
    this.idleMs = opts.idleMs ?? 2000;
  }

  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Run one chunk's codec chain on a free worker (queued while all are busy).
   * @internal The CodecPipeline's hand-off; callers use `encodeMany`/`decodeMany`.
   */
  run(job: Job): Promise<JobResult> {
    if (this.#closed) return Promise.reject(new UnsupportedError("codec worker pool is closed", { feature: "closed worker pool" }));
    return new Promise((resolve, reject) => {
      this.#queue.push({ job, resolve, reject });
      this.#pump();
    });
  }

  /** Terminate every worker; queued and running jobs reject with a CodecError. Later `run`s are refused. */
  async close(): Promise<void> {
    this.#closed = true;
    const err = new CodecError("codec worker pool closed", { codecId: "worker-pool" });
    for (const p of this.#queue.splice(0)) p.reject(err);
    const slots = this.#slots.splice(0);
    await Promise.all(slots.map(async (s) => {
      if (s.timer) clearTimeout(s.timer);
      s.busy?.reject(err);
      await s.worker.terminate();
    }));
  }

  #pump(): void {
    while (this.#queue.length) {
      let slot = this.#slots.find((s) => !s.busy);
      if (!slot) {
        if (this.#slots.length >= this.size) return;
        slot = this.#spawn();
      }
      const p = this.#queue.shift()!;
      const id = this.#nextId++;
      slot.busy = { ...p, id };
      if (slot.timer) { clearTimeout(slot.timer); slot.timer = undefined; }
      slot.worker.ref();
      // Hand the chunk over without a copy when the caller gave it up and it owns its whole buffer;
      // otherwise copy only the chunk: structured-cloning a view would copy its whole backing
      // ArrayBuffer (a 4 MiB chunk of a 256 MB array costs 256 MB per message), and a buffer the
      // caller, the user or a cache still holds must never be detached.
      // A view of a SharedArrayBuffer (a staging buffer) is shared as it is: the worker reads it in place.
      const { owned, ...job } = p.job;
      if (job.data.buffer instanceof SharedArrayBuffer) {
        slot.worker.postMessage({ ...job, id } satisfies WorkerTask);
        continue;
      }
      const data = owned && ownsWholeBuffer(job.data) ? job.data : job.data.slice();
      slot.worker.postMessage({ ...job, data, id } satisfies WorkerTask, [data.buffer as ArrayBuffer]);
    }
  }

  #spawn(): Slot {
    // From TypeScript sources (tests, tsx) the worker registers tsx's loader first; from dist it is plain JS.
    const worker = IS_TS
      ? new Worker(`import("tsx/esm/api").then((m) => { m.register(); return import(${JSON.stringify(new URL("./codec-worker.ts", HERE).href)}); });`, { eval: true })
      : new Worker(new URL("./codec-worker.js", HERE));
    const slot: Slot = { worker };
    worker.on("message", (msg: WorkerReply) => {
      const busy = slot.busy;
      if (!busy || busy.id !== msg.id) return;
      slot.busy = undefined;
      if (msg.ok) busy.resolve({ data: msg.data, length: msg.length, filterMask: msg.filterMask });
      else busy.reject(rebuildError(msg.error));
      this.#idle(slot);
      this.#pump();
    });
    const fail = (e: unknown) => {
      this.#slots = this.#slots.filter((s) => s !== slot);
      if (slot.timer) clearTimeout(slot.timer);
      const busy = slot.busy;
      slot.busy = undefined;
      busy?.reject(new CodecError(`codec worker died: ${e instanceof Error ? e.message : String(e)}`, { codecId: "worker-pool", cause: e }));
      if (!this.#closed) this.#pump();
    };
    worker.on("error", fail);
    worker.on("exit", (code) => { if (this.#slots.includes(slot)) fail(new Error(`exit code ${code}`)); });
    this.#slots.push(slot);
    return slot;
  }

  #idle(slot: Slot): void {
    if (this.#queue.length) return;
    slot.worker.unref();
    slot.timer = setTimeout(() => {
      if (slot.busy) return;
      this.#slots = this.#slots.filter((s) => s !== slot);
      void slot.worker.terminate();
    }, this.idleMs);
    slot.timer.unref();
  }
}

/** A view over all of a (transferable, not shared) ArrayBuffer. */
function ownsWholeBuffer(v: Uint8Array): boolean {
  return v.buffer instanceof ArrayBuffer && v.byteOffset === 0 && v.byteLength === v.buffer.byteLength;
}

function rebuildError(e: { message: string; kind?: string; codecId?: string; direction?: string; feature?: string }): Error {
  if (e.kind === "unsupported") return new UnsupportedError(e.message, { feature: e.feature ?? "codec" });
  const direction = e.direction === "encode" || e.direction === "decode" ? e.direction : undefined;
  return new CodecError(e.message, { codecId: e.codecId ?? "unknown", direction });
}

let shared: CodecWorkerPool | undefined;
/** One pool for the process, created on first use; idle workers never hold the process open. */
export function sharedWorkerPool(): CodecWorkerPool {
  if (!shared || shared.closed) shared = new CodecWorkerPool();
  return shared;
}
