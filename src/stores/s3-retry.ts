/**
 * Retry policy for S3 requests: which failures are worth another attempt, and how long to
 * wait before it (exponential backoff with full jitter, as in the AWS architecture blog's
 * "Exponential Backoff And Jitter"). The SDK's own retries are switched off in S3Store
 * (maxAttempts 1) so every HTTP attempt passes through here and is counted once.
 */

/** How often and how long to retry a failed request (S3 and HTTP stores). */
export interface RetryOptions {
  /** Attempts per request including the first (default 6). */
  maxAttempts?: number;
  /** First backoff ceiling in ms (default 100); doubles each attempt. */
  baseDelayMs?: number;
  /** Largest backoff in ms (default 5000). */
  maxDelayMs?: number;
}

export interface ResolvedRetry {
  readonly maxAttempts: number;
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
}

export function resolveRetry(o: RetryOptions = {}): ResolvedRetry {
  return {
    maxAttempts: Math.max(1, o.maxAttempts ?? 6),
    baseDelayMs: Math.max(0, o.baseDelayMs ?? 100),
    maxDelayMs: Math.max(0, o.maxDelayMs ?? 5000),
  };
}

const RETRYABLE_NAMES = new Set([
  "TimeoutError", "RequestTimeout", "RequestTimeoutException", "InternalError", "ServiceUnavailable",
  "SlowDown", "ThrottlingException", "Throttling", "RequestThrottled", "TooManyRequestsException",
]);
const RETRYABLE_CODES = new Set([
  "ECONNRESET", "ECONNREFUSED", "EPIPE", "ETIMEDOUT", "ECONNABORTED", "EAI_AGAIN", "ENOTFOUND",
  "ERR_STREAM_PREMATURE_CLOSE", "UND_ERR_SOCKET",
]);

interface ErrorLike {
  name?: string;
  code?: string;
  message?: string;
  $metadata?: { httpStatusCode?: number };
  $retryable?: unknown;
  cause?: unknown;
}

/** 5xx, 429, throttling, timeouts, connection resets and truncated bodies are retryable. */
export function isRetryable(e: unknown): boolean {
  if (typeof e !== "object" || e === null) return false;
  const err = e as ErrorLike;
  if (err.name === "AbortError") return false;
  const status = err.$metadata?.httpStatusCode;
  if (status !== undefined && (status >= 500 || status === 429 || status === 408)) return true;
  if (err.$retryable) return true;
  if (err.name && RETRYABLE_NAMES.has(err.name)) return true;
  if (err.code && RETRYABLE_CODES.has(err.code)) return true;
  const msg = err.message ?? "";
  if (/socket hang up|ECONNRESET|EPIPE|timed? ?out|aborted|premature close|Deserialization error/i.test(msg)) return true;
  return err.cause !== undefined && err.cause !== e && isRetryable(err.cause);
}

/** Backoff before attempt `attempt` (1 = the first retry): uniform in [0, min(max, base·2^(attempt-1))]. */
export function backoffMs(policy: ResolvedRetry, attempt: number, random: () => number = Math.random): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** (attempt - 1));
  return Math.floor(random() * ceiling);
}

export function sleep(ms: number, signal?: AbortSignal): Promise<void> {
  return new Promise((resolve, reject) => {
    if (signal?.aborted) return reject(signal.reason);
    const t = setTimeout(() => { signal?.removeEventListener("abort", onAbort); resolve(); }, ms);
    const onAbort = () => { clearTimeout(t); reject(signal?.reason); };
    signal?.addEventListener("abort", onAbort, { once: true });
  });
}
