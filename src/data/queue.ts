/**
 * The concurrency helpers, in one place: a bounded TaskQueue (writers: at most `limit` tasks in
 * flight, tasks with one key in order, the first failure rethrown), `mapLimit` / `mapOrdered`
 * (bounded parallel maps, results in input order; the second streams), and a Limiter
 * (a counting semaphore returning each task's result: S3 requests).
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

/** Map with at most `concurrency` calls in flight; results come out in input order. */
export async function* mapOrdered<T, R>(source: Iterable<T> | AsyncIterable<T>, fn: (item: T) => Promise<R>, concurrency: number): AsyncGenerator<R> {
  const it: AsyncIterator<T> | Iterator<T> = Symbol.asyncIterator in source ? source[Symbol.asyncIterator]() : source[Symbol.iterator]();
  const queue: Promise<R>[] = [];
  let done = false;
  try {
    for (;;) {
      while (!done && queue.length < concurrency) {
        const next = await it.next();
        if (next.done) { done = true; break; }
        const p = fn(next.value);
        p.catch(() => undefined); // surfaced in order below
        queue.push(p);
      }
      if (!queue.length) return;
      yield await queue.shift()!;
    }
  } finally {
    if (!done) await it.return?.();
    await Promise.allSettled(queue);
  }
}

/** A counting semaphore: at most `limit` tasks run at once; `idle()` waits for all of them. */
export class Limiter {
  readonly limit: number;
  #active = 0;
  readonly #waiting: (() => void)[] = [];
  readonly #idle: (() => void)[] = [];

  constructor(limit: number) {
    this.limit = Math.max(1, Math.floor(limit));
  }

  get active(): number {
    return this.#active;
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.#active >= this.limit) await new Promise<void>((r) => this.#waiting.push(r));
    else this.#active++;
    try {
      return await task();
    } finally {
      const next = this.#waiting.shift();
      if (next) next(); // hand the slot over without releasing it
      else if (--this.#active === 0) for (const r of this.#idle.splice(0)) r();
    }
  }

  /** Resolves when nothing is running or waiting. */
  idle(): Promise<void> {
    return this.#active === 0 ? Promise.resolve() : new Promise((r) => this.#idle.push(r));
  }
}
