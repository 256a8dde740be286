/**
 * One HTTP(S) GET with a byte range, as every remote reader here needs it (HttpStore for Zarr,
 * the HDF5 file device through it): Node's built-in fetch (undici), redirects followed (DANDI
 * answers 302 to a signed S3 URL; undici drops Authorization on a cross-origin hop), retries
 * with backoff on 5xx / 429 / 408 / timeouts / resets / truncated bodies (s3-retry.ts policy),
 * and a strict check of what came back: a ranged request must get 206 with the Content-Range it
 * asked for and exactly that many bytes. A server that ignores Range (200 with the whole body),
 * a wrong Content-Range or a short body is a StoreError naming the URL, never a partial value.
 */
import { StoreError } from "../errors.js";
import { backoffMs, isRetryable, resolveRetry, sleep, type ResolvedRetry, type RetryOptions } from "./s3-retry.js";
import { checkRangeNumbers, type ByteRange } from "./store.js";

/** How every HTTP(S) request is made: headers, retries on transient failures, and a timeout. */
export interface HttpOptions {
  /** Extra request headers (Authorization, cookies, ...), sent with every request. */
  headers?: Readonly<Record<string, string>>;
  /** Retries of transient failures (5xx, 429, resets) with jittered exponential backoff. */
  retry?: RetryOptions;
  /** Per-attempt timeout in ms, body included (default 30 000). */
  timeoutMs?: number;
}

/** Counts over a store's life: one per HTTP attempt; `bytes` = body bytes received. */
export interface HttpStats {
  requests: number;
  retries: number;
  bytes: number;
}

export interface HttpResult {
  readonly bytes: Uint8Array;
  /** Size of the whole resource when the server said (Content-Range "/N", or Content-Length of a 200). */
  readonly total: number | undefined;
  readonly contentType: string | undefined;
}

export interface ResolvedHttp {
  readonly headers: Readonly<Record<string, string>>;
  readonly retry: ResolvedRetry;
  readonly timeoutMs: number;
}

export function resolveHttp(o: HttpOptions = {}): ResolvedHttp {
  return { headers: { ...(o.headers ?? {}) }, retry: resolveRetry(o.retry), timeoutMs: o.timeoutMs ?? 30_000 };
}

/** An attempt that failed in a way worth repeating (status, short body). */
class Retryable extends Error {
  readonly retryable = true;
}

function rangeHeader(range: ByteRange): string {
  if ("suffix" in range) return `bytes=-${range.suffix}`;
  if ("offset" in range) return `bytes=${range.offset}-`;
  return `bytes=${range.start}-${range.end - 1}`;
}

/** Parse "bytes a-b/N" (N may be "*"); "bytes * /N" (416) gives start -1. */
function parseContentRange(v: string | null): { start: number; end: number; total: number | undefined } | undefined {
  if (!v) return undefined;
  const m = /^bytes\s+(?:(\d+)-(\d+)|\*)\/(\d+|\*)$/i.exec(v.trim());
  if (!m) return undefined;
  const total = m[3] === "*" ? undefined : Number(m[3]);
  return m[1] === undefined ? { start: -1, end: -1, total } : { start: Number(m[1]), end: Number(m[2]) + 1, total };
}

async function readBody(res: Response): Promise<Uint8Array> {
  return new Uint8Array(await res.arrayBuffer());
}

/**
 * GET `url` (all of it, or `range`). Undefined for 404/410 (absent). Throws StoreError naming the
 * URL when retries run out or the answer is wrong.
 */
export async function httpGet(
  url: string, range: ByteRange | undefined, http: ResolvedHttp, stats: HttpStats, signal?: AbortSignal,
): Promise<HttpResult | undefined> {
  if (range) checkRangeNumbers(range);
  const headers: Record<string, string> = { "accept-encoding": "identity", ...http.headers };
  if (range) headers.range = rangeHeader(range);
  for (let attempt = 1; ; attempt++) {
    signal?.throwIfAborted();
    stats.requests++;
    try {
      return await attemptGet(url, range, headers, http, stats, signal);
    } catch (e) {
      if (signal?.aborted) throw e;
      const again = e instanceof Retryable || (!(e instanceof StoreError) && isRetryable(e)) || isTimeout(e);
      if (!again || attempt >= http.retry.maxAttempts) {
        if (e instanceof StoreError) throw e;
        const why = again ? `after ${attempt} attempts` : "(not retryable)";
        throw new StoreError(`GET ${url}${range ? ` (${headers.range})` : ""} failed ${why}: ${describe(e)}`, { key: url, op: "get", cause: e });
      }
      stats.retries++;
      await sleep(backoffMs(http.retry, attempt), signal);
    }
  }
}

async function attemptGet(
  url: string, range: ByteRange | undefined, headers: Record<string, string>, http: ResolvedHttp, stats: HttpStats, signal?: AbortSignal,
): Promise<HttpResult | undefined> {
  const timeout = AbortSignal.timeout(http.timeoutMs);
  const res = await fetch(url, { headers, redirect: "follow", signal: signal ? AbortSignal.any([signal, timeout]) : timeout });
  const contentType = res.headers.get("content-type") ?? undefined;
  const fail = (msg: string): never => {
    throw new StoreError(`GET ${url}${range ? ` (${headers.range})` : ""}: ${msg}`, { key: url, op: "get" });
  };
  if (res.status === 404 || res.status === 410) {
    await res.body?.cancel();
    return undefined;
  }
  if (res.status === 416) {
    // a range starting past the end of an existing resource: empty, like S3Store and resolveRange
    await res.body?.cancel();
    return { bytes: new Uint8Array(0), total: parseContentRange(res.headers.get("content-range"))?.total, contentType };
  }
  if (res.status >= 500 || res.status === 429 || res.status === 408) {
    await res.body?.cancel();
    throw new Retryable(`HTTP ${res.status} ${res.statusText}`);
  }
  if (res.status !== 200 && res.status !== 206) {
    await res.body?.cancel();
    return fail(`HTTP ${res.status} ${res.statusText}`);
  }
  const lengthHeader = res.headers.get("content-length");
  const declared = lengthHeader === null ? undefined : Number(lengthHeader);
  if (range && res.status === 200) {
    // The server sent the whole resource: it does not do Range. Do not download it to slice it.
    await res.body?.cancel();
    return fail(`the server ignored the Range header (200 with the whole body${declared !== undefined ? `, ${declared} bytes` : ""}): it needs HTTP range requests`);
  }
  if (!range && res.status === 206) {
    await res.body?.cancel();
    return fail("206 Partial Content for a request without Range");
  }
  let bytes: Uint8Array;
  try {
    bytes = await readBody(res);
  } catch (e) {
    throw new Retryable(`body cut off: ${describe(e)}`, { cause: e });
  }
  stats.bytes += bytes.byteLength;
  if (declared !== undefined && bytes.byteLength !== declared) throw new Retryable(`short body: ${bytes.byteLength} of ${declared} bytes`);
  if (!range) return { bytes, total: bytes.byteLength, contentType };
  const cr = parseContentRange(res.headers.get("content-range"));
  if (!cr || cr.start < 0) return fail(`206 without a usable Content-Range (${res.headers.get("content-range") ?? "none"})`);
  const want = expectedSpan(range, cr.total);
  if ((want && (cr.start !== want.start || cr.end !== want.end)) || cr.end - cr.start !== bytes.byteLength) {
    if (cr.end - cr.start > bytes.byteLength && want && cr.start === want.start && cr.end === want.end) {
      throw new Retryable(`short body: ${bytes.byteLength} of ${cr.end - cr.start} bytes`);
    }
    return fail(`Content-Range "${res.headers.get("content-range")}" does not match the request (${bytes.byteLength} bytes received)`);
  }
  return { bytes, total: cr.total, contentType };
}

/** The [start, end) a correct server answers for `range`, given the total it reports. */
function expectedSpan(range: ByteRange, total: number | undefined): { start: number; end: number } | undefined {
  if ("suffix" in range) return total === undefined ? undefined : { start: Math.max(0, total - range.suffix), end: total };
  const start = "offset" in range ? range.offset : range.start;
  const stop = "offset" in range ? Infinity : range.end;
  if (total === undefined) return Number.isFinite(stop) ? { start, end: stop } : undefined;
  return { start, end: Math.min(stop, total) };
}

function isTimeout(e: unknown): boolean {
  const n = (e as { name?: string } | null)?.name;
  return n === "TimeoutError" || n === "AbortError";
}

function describe(e: unknown): string {
  if (!(e instanceof Error)) return String(e);
  const c = (e as { cause?: unknown }).cause;
  const inner = c instanceof Error && c.message && !e.message.includes(c.message) ? `: ${c.message}` : "";
  return `${e.message}${inner}`;
}

/** HEAD `url`: the resource's size, or undefined when absent. */
export async function httpSize(url: string, http: ResolvedHttp, stats: HttpStats, signal?: AbortSignal): Promise<number | undefined> {
  // A one-byte range GET instead of HEAD: its Content-Range carries the size, and servers that
  // refuse Range fail here, at open, rather than on the first real read.
  const r = await httpGet(url, { start: 0, end: 1 }, http, stats, signal);
  if (!r) return undefined;
  if (r.total === undefined) {
    throw new StoreError(`GET ${url}: the server did not say the resource's size (Content-Range "/*")`, { key: url, op: "get" });
  }
  return r.total;
}
