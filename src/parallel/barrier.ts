/**
 * A barrier over any Store (a shared directory, S3, memory): each rank that arrives writes a
 * small marker object `/<prefix>/.barrier/<name>/<rank>`, and a waiter polls for the markers
 * it needs, with backoff, until they are all there or the timeout passes.
 *
 * - Markers hold the run id: a marker a previous run left behind (same key, other run id)
 *   counts as absent, and a rerun simply overwrites it. Only one run per store at a time.
 * - A rank that fails posts a "failed" marker instead; waiters stop at once and name it.
 * - A rank that dies without a word (SIGKILL, lost node) makes the waiters fail at the
 *   timeout with a TimeoutError (a StoreError { op: "get" }) naming every rank that never arrived — never a hang.
 * - Waiters GET one key per missing rank (no LIST: cheap and strongly consistent on S3).
 */
import { hostname } from "node:os";
import { setTimeout as delay } from "node:timers/promises";
import { InvalidInputError, StoreError, TimeoutError } from "../errors.js";
import type { Store, StoreKey } from "../stores/store.js";
import { RUN_ID_ENV, type World } from "./rank.js";

/** Options of {@link StoreBarrier}: where markers go, the run id, and how long and how often to poll. */
export interface BarrierOptions {
  /** Key prefix the `.barrier` folder lives under ("" = the store root). */
  prefix?: string;
  /** Overrides `world.runId`. Required (here or there) when size > 1. */
  runId?: string;
  /** How long a wait may take before it fails (ms, default 600 000). */
  timeoutMs?: number;
  /** First poll interval (ms, default 20); grows by 1.5x per poll up to `maxPollMs`. */
  pollMs?: number;
  /** Longest poll interval (ms, default 1 000). */
  maxPollMs?: number;
  /** Abort a wait. */
  signal?: AbortSignal;
}

/** The JSON object a rank writes at a barrier: who it is, which run, and whether it arrived or failed. */
export interface BarrierMarker {
  /** The run it belongs to; a marker of another run counts as absent. */
  readonly runId: string;
  /** The rank that wrote it. */
  readonly rank: number;
  /** The run's number of ranks. */
  readonly size: number;
  /** "failed" stops the waiters at once. */
  readonly state: "arrived" | "failed";
  /** The failure's message, for "failed". */
  readonly message?: string;
  /** Host name of the writing process. */
  readonly host: string;
  /** Process id of the writing process. */
  readonly pid: number;
  /** When it was written (ISO 8601). */
  readonly time: string;
}

/** Marker GETs in flight while polling (many ranks: one round trip per batch, not per rank). */
const READ_BATCH = 32;
const NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;
const enc = new TextEncoder();
const dec = new TextDecoder();

/** A barrier between the ranks of a run over any shared Store (MPI_Barrier without MPI): marker objects, polled. */
export class StoreBarrier {
  readonly store: Store;
  readonly rank: number;
  readonly size: number;
  readonly runId: string;
  readonly #prefix: string;
  readonly #timeoutMs: number;
  readonly #pollMs: number;
  readonly #maxPollMs: number;
  readonly #signal: AbortSignal | undefined;

  constructor(store: Store, world: Pick<World, "rank" | "size" | "runId">, options: BarrierOptions = {}) {
    this.store = store;
    this.rank = world.rank;
    this.size = world.size;
    const runId = options.runId ?? world.runId;
    if (runId === undefined || runId === "") {
      if (world.size > 1) {
        throw new InvalidInputError(
          `a barrier between ${world.size} ranks needs a run id shared by all of them: set ${RUN_ID_ENV} ` +
            "(the same value in every rank, new for every run) or pass runId",
          { option: RUN_ID_ENV },
        );
      }
    }
    this.runId = runId || `single-${process.pid}-${Date.now()}`;
    const prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    this.#prefix = prefix === "" ? "" : `/${prefix}`;
    this.#timeoutMs = positive(options.timeoutMs ?? 600_000, "timeoutMs");
    this.#pollMs = positive(options.pollMs ?? 20, "pollMs");
    this.#maxPollMs = Math.max(this.#pollMs, positive(options.maxPollMs ?? 1_000, "maxPollMs"));
    this.#signal = options.signal;
  }

  /** The marker key of `rank` at barrier `name`. */
  markerKey(name: string, rank: number): StoreKey {
    if (!NAME.test(name)) throw new InvalidInputError(`invalid barrier name ${JSON.stringify(name)}`, { option: "name" });
    return `${this.#prefix}/.barrier/${name}/${rank}` as StoreKey;
  }

  /** Post this rank's marker at `name`. */
  async arrive(name: string): Promise<void> {
    await this.#post(name, "arrived");
  }

  /** Tell the waiters at `name` that this rank failed, so they stop instead of timing out. */
  async fail(name: string, error: unknown): Promise<void> {
    const message = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
    await this.#post(name, "failed", message.slice(0, 2000));
  }

  /** Wait until every rank in `ranks` (default all) has arrived at `name`. */
  async wait(name: string, ranks: readonly number[] = range(this.size)): Promise<void> {
    for (const r of ranks) {
      if (!Number.isInteger(r) || r < 0 || r >= this.size) throw new InvalidInputError(`rank ${r} is not in [0, ${this.size})`, { option: "ranks" });
    }
    const pending = new Set(ranks);
    const deadline = Date.now() + this.#timeoutMs;
    let pause = this.#pollMs;
    for (;;) {
      this.#signal?.throwIfAborted();
      const ranksNow = [...pending];
      const markers: Array<BarrierMarker | undefined> = [];
      for (let i = 0; i < ranksNow.length; i += READ_BATCH) {
        markers.push(...await Promise.all(ranksNow.slice(i, i + READ_BATCH).map((r) => this.#read(name, r))));
      }
      for (const [i, r] of ranksNow.entries()) {
        const marker = markers[i];
        if (!marker) continue;
        if (marker.size !== this.size) {
          throw new InvalidInputError(
            `rank ${r} runs with size ${marker.size}, this rank (${this.rank}) with size ${this.size}: the ranks disagree on the world size`,
            { option: "size" },
          );
        }
        if (marker.state === "failed") {
          throw new StoreError(`barrier "${name}": rank ${r} (${marker.host} pid ${marker.pid}) failed: ${marker.message ?? "no message"}`, {
            op: "get", key: this.markerKey(name, r),
          });
        }
        pending.delete(r);
      }
      if (pending.size === 0) return;
      const left = deadline - Date.now();
      if (left <= 0) {
        const missing = [...pending].sort((a, b) => a - b);
        throw new TimeoutError(
          `barrier "${name}" timed out after ${this.#timeoutMs / 1000} s in rank ${this.rank}: ` +
            `rank${missing.length > 1 ? "s" : ""} ${missing.join(", ")} of ${this.size} never arrived (run ${this.runId})` +
            (await this.#otherRuns(name, missing)),
          { key: this.markerKey(name, missing[0]!), waitedMs: this.#timeoutMs, missing },
        );
      }
      const jitter = 0.8 + 0.4 * Math.random();
      await delay(Math.min(pause * jitter, left), undefined, { signal: this.#signal });
      pause = Math.min(pause * 1.5, this.#maxPollMs);
    }
  }

  /** Arrive at `name` and wait for everyone. */
  async sync(name: string): Promise<void> {
    await this.arrive(name);
    await this.wait(name);
  }

  /** The marker `rank` left at `name` in this run, if any. */
  async marker(name: string, rank: number): Promise<BarrierMarker | undefined> {
    return this.#read(name, rank);
  }

  /** A hint for the timeout message: missing ranks whose marker carries another run id. */
  async #otherRuns(name: string, ranks: readonly number[]): Promise<string> {
    const notes: string[] = [];
    for (const r of ranks.slice(0, 8)) {
      const bytes = await this.store.get(this.markerKey(name, r)).catch(() => undefined);
      if (!bytes) continue;
      try {
        const m = JSON.parse(dec.decode(bytes)) as Partial<BarrierMarker>;
        if (typeof m.runId === "string") notes.push(`rank ${r} has a marker of run ${JSON.stringify(m.runId)} from ${String(m.time)}`);
      } catch { /* not ours */ }
    }
    return notes.length === 0 ? "" : `; ${notes.join("; ")} (an earlier run, or ranks that disagree on the run id: set ${RUN_ID_ENV} to one value for all ranks)`;
  }

  async #post(name: string, state: BarrierMarker["state"], message?: string): Promise<void> {
    const marker: BarrierMarker = {
      runId: this.runId, rank: this.rank, size: this.size, state,
      ...(message !== undefined ? { message } : {}),
      host: hostname(), pid: process.pid, time: new Date().toISOString(),
    };
    await this.store.set(this.markerKey(name, this.rank), enc.encode(JSON.stringify(marker)));
  }

  async #read(name: string, rank: number): Promise<BarrierMarker | undefined> {
    const key = this.markerKey(name, rank);
    const bytes = await this.store.get(key, undefined, { signal: this.#signal });
    if (!bytes) return undefined;
    let parsed: unknown;
    try {
      parsed = JSON.parse(dec.decode(bytes));
    } catch {
      return undefined; // a marker from some older tool: not ours, not this run
    }
    if (!isMarker(parsed) || parsed.runId !== this.runId) return undefined;
    return parsed;
  }
}

function isMarker(v: unknown): v is BarrierMarker {
  if (typeof v !== "object" || v === null) return false;
  const m = v as Record<string, unknown>;
  return typeof m.runId === "string" && typeof m.rank === "number" && typeof m.size === "number" &&
    (m.state === "arrived" || m.state === "failed");
}

function positive(v: number, name: string): number {
  if (!Number.isFinite(v) || v <= 0) throw new InvalidInputError(`${name} must be a positive number of ms, got ${v}`, { option: name });
  return v;
}

function range(n: number): number[] {
  return Array.from({ length: n }, (_, i) => i);
}
