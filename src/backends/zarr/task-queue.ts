/**
 * A bounded pool of async tasks: `push` waits while `limit` tasks are in flight, so a writer
 * never holds more than `limit` encoded chunks in memory; tasks with the same key run one
 * after the other (read-modify-write of one chunk never races). The first failure is kept
 * and rethrown by the next push and by `drain`.
 */
export class TaskQueue {
  readonly #limit: number;
  readonly #running = new Set<Promise<void>>();
  readonly #byKey = new Map<string, Promise<void>>();
  #error: unknown;
  #failed = false;

  constructor(limit: number) {
    this.#limit = Math.max(1, Math.floor(limit));
  }

  get inFlight(): number {
    return this.#running.size;
  }

  async push(key: string, task: () => Promise<void>): Promise<void> {
    this.#rethrow();
    while (this.#running.size >= this.#limit) {
      await Promise.race(this.#running);
      this.#rethrow();
    }
    const before = this.#byKey.get(key);
    const run = (async () => {
      if (before) await before.catch(() => undefined);
      await task();
    })();
    const tracked = run.then(
      () => undefined,
      (e: unknown) => {
        if (!this.#failed) {
          this.#failed = true;
          this.#error = e;
        }
      },
    ).finally(() => {
      this.#running.delete(tracked);
      if (this.#byKey.get(key) === tracked) this.#byKey.delete(key);
    });
    this.#running.add(tracked);
    this.#byKey.set(key, tracked);
  }

  /** Wait for every task; rethrow the first failure. */
  async drain(): Promise<void> {
    while (this.#running.size > 0) await Promise.all([...this.#running]);
    this.#rethrow();
  }

  #rethrow(): void {
    if (this.#failed) throw this.#error;
  }
}

/** Map with at most `limit` calls of `fn` in flight, results in input order. */
export async function mapLimit<T, R>(items: readonly T[], limit: number, fn: (item: T, index: number) => Promise<R>): Promise<R[]> {
  const out = new Array<R>(items.length);
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < items.length) {
      const i = next++;
      out[i] = await fn(items[i]!, i);
    }
  };
  await Promise.all(Array.from({ length: Math.min(Math.max(1, limit), items.length) }, worker));
  return out;
}
