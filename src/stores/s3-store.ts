/**
 * A store in an S3 bucket (AWS or any S3-compatible endpoint: MinIO, Ceph, moto, R2 …):
 * key "/a/0" is object "<prefix>/a/0".
 *
 * - Bounded parallel writes: however many `set` calls are pending, at most `concurrency`
 *   PUTs are in flight; `setMany` streams from an iterable; `flush`/`close` wait for all.
 * - Objects larger than `multipartThreshold` go up as a multipart upload.
 * - Every request is retried on 5xx/429/timeouts/connection resets with exponential
 *   backoff (s3-retry.ts); when attempts run out the StoreError names the key.
 * - Range GETs send a Range header; a suffix range (`bytes=-N`) needs no HEAD first.
 * - `stats` counts every HTTP attempt by kind, so tests can hold request budgets.
 */
import {
  DeleteObjectCommand, DeleteObjectsCommand, GetObjectCommand, HeadObjectCommand,
  ListObjectsV2Command, PutObjectCommand, S3Client, type S3ClientConfig,
} from "@aws-sdk/client-s3";
import { InvalidInputError, StoreError, type StoreOp } from "../errors.js";
import { Limiter } from "../data/queue.js";
import { uploadMultipart } from "./s3-multipart.js";
import { backoffMs, isRetryable, resolveRetry, sleep, type ResolvedRetry, type RetryOptions } from "./s3-retry.js";
import {
  checkKey, checkPrefix, checkRangeNumbers, keyHasPrefix, throwIfAborted,
  type BatchWritableStore, type ByteRange, type StoreEntries, type GetOptions, type StoreCapabilities, type StoreKey,
} from "./store.js";

/** Options of the S3 store: bucket and prefix, endpoint and credentials, concurrency, multipart, retries and timeouts. */
export interface S3StoreOptions {
  /** The bucket (from the s3:// URL when opened by location). */
  bucket: string;
  /** Object-key prefix the store lives under ("" = bucket root). */
  prefix?: string;
  /** Endpoint URL of a non-AWS service (MinIO, moto); default: the AWS endpoint of `region`. */
  endpoint?: string;
  /** AWS region. */
  region?: string;
  /** Path-style addressing (`endpoint/bucket/key`), as MinIO and moto need. */
  forcePathStyle?: boolean;
  /** Static credentials; default is the standard AWS chain (env, profile, SSO, IMDS …). */
  credentials?: S3ClientConfig["credentials"];
  /** Use this client as is (its own retry settings then apply in addition to ours). */
  client?: S3Client;
  /** Refuse writes and deletes. */
  readOnly?: boolean;
  /** Max PUTs in flight (default 8); a multipart upload adds up to 4 parts of its own. */
  concurrency?: number;
  /** Max GETs in flight (default 16). Requests beyond wait in the store, not on a socket, so the timeout only runs once sent. */
  readConcurrency?: number;
  /** Objects above this many bytes use multipart upload (default 8 MiB). */
  multipartThreshold?: number;
  /** Part size for multipart uploads (default 8 MiB, minimum 5 MiB). */
  partSize?: number;
  /** Retries of throttling, 5xx and dropped connections, with jittered backoff. */
  retry?: RetryOptions;
  /** Whole-request timeout in ms (default 30 000); a stalled request counts as retryable. */
  requestTimeoutMs?: number;
  /** TCP connect timeout in ms (default 5 000). */
  connectionTimeoutMs?: number;
}

/** Request counts: one per HTTP attempt, retries included; `retries` counts the repeats. */
export interface S3Stats {
  gets: number;
  puts: number;
  lists: number;
  heads: number;
  deletes: number;
  multipartUploads: number;
  parts: number;
  retries: number;
}

export type S3RequestKind = "gets" | "puts" | "lists" | "heads" | "deletes" | "parts";

const MiB = 1 << 20;

/** Parse "s3://bucket/prefix" into bucket and prefix. */
export function parseS3Url(url: string): { bucket: string; prefix: string } {
  const m = /^s3:\/\/([^/]+)\/?(.*)$/.exec(url);
  if (!m || m[1] === "") throw new InvalidInputError(`not an s3:// URL: ${url}`, { option: "url" });
  return { bucket: m[1], prefix: m[2].replace(/\/+$/, "") };
}

function httpStatus(e: unknown): number | undefined {
  return (e as { $metadata?: { httpStatusCode?: number } } | null)?.$metadata?.httpStatusCode;
}

function isNotFound(e: unknown): boolean {
  const name = (e as { name?: string } | null)?.name;
  return name === "NoSuchKey" || name === "NotFound" || httpStatus(e) === 404;
}

export class S3Store implements BatchWritableStore {
  readonly client: S3Client;
  readonly bucket: string;
  readonly prefix: string;
  readonly readOnly: boolean;
  readonly capabilities: StoreCapabilities;
  readonly stats: S3Stats = { gets: 0, puts: 0, lists: 0, heads: 0, deletes: 0, multipartUploads: 0, parts: 0, retries: 0 };
  readonly retry: ResolvedRetry;
  readonly #ownClient: boolean;
  readonly #puts: Limiter;
  readonly #gets: Limiter;
  readonly #multipartThreshold: number;
  readonly #partSize: number;
  #closed = false;

  constructor(options: S3StoreOptions) {
    if (!options.bucket) throw new InvalidInputError("S3Store needs a bucket", { option: "bucket" });
    this.bucket = options.bucket;
    this.prefix = (options.prefix ?? "").replace(/^\/+|\/+$/g, "");
    this.readOnly = options.readOnly ?? false;
    this.capabilities = { writes: !this.readOnly, deletes: !this.readOnly, listing: true, freshGets: true }; // each get's body is a new array
    this.retry = resolveRetry(options.retry);
    const concurrency = options.concurrency ?? 8;
    this.#puts = new Limiter(concurrency);
    this.#gets = new Limiter(options.readConcurrency ?? 16);
    const sockets = concurrency + 4 + this.#gets.limit;
    this.#multipartThreshold = options.multipartThreshold ?? 8 * MiB;
    this.#partSize = Math.max(5 * MiB, options.partSize ?? 8 * MiB);
    this.#ownClient = options.client === undefined;
    this.client = options.client ?? new S3Client({
      endpoint: options.endpoint,
      region: options.region ?? process.env.AWS_REGION ?? process.env.AWS_DEFAULT_REGION ?? "us-east-1",
      forcePathStyle: options.forcePathStyle,
      credentials: options.credentials,
      maxAttempts: 1, // retries are ours (s3-retry.ts), so each attempt is counted and backed off once
      // Checksums only where S3 requires them: S3-compatible servers differ in CRC support.
      requestChecksumCalculation: "WHEN_REQUIRED",
      responseChecksumValidation: "WHEN_REQUIRED",
      requestHandler: {
        requestTimeout: options.requestTimeoutMs ?? 30_000,
        connectionTimeout: options.connectionTimeoutMs ?? 5_000,
        throwOnRequestTimeout: true,
        httpAgent: { keepAlive: true, maxSockets: sockets },
        httpsAgent: { keepAlive: true, maxSockets: sockets },
      },
    });
  }

  /** The object key for a store key. */
  objectKey(key: StoreKey): string {
    return this.prefix ? `${this.prefix}/${key.slice(1)}` : key.slice(1);
  }

  /**
   * Run one request with retries; `kind` is counted per attempt. Errors for which `isAnswer`
   * holds (404 on a GET) are passed through unwrapped for the caller to interpret; every
   * other failure becomes a StoreError naming the key.
   */
  async request<T>(
    kind: S3RequestKind, key: string, op: StoreOp, fn: () => Promise<T>,
    opts: { signal?: AbortSignal; isAnswer?: (e: unknown) => boolean } = {},
  ): Promise<T> {
    const { signal, isAnswer } = opts;
    for (let attempt = 1; ; attempt++) {
      throwIfAborted(signal);
      this.stats[kind]++;
      try {
        return await fn();
      } catch (e) {
        if (isAnswer?.(e)) throw e;
        if ((e as { name?: string } | null)?.name === "AbortError" || signal?.aborted) throw e;
        if (!isRetryable(e) || attempt >= this.retry.maxAttempts) {
          const why = isRetryable(e) ? `after ${attempt} attempts` : "(not retryable)";
          throw new StoreError(`s3 ${op} of ${key} in s3://${this.bucket}/${this.prefix} failed ${why}: ${String((e as Error)?.message ?? e)}`, {
            key, op, cause: e,
          });
        }
        this.stats.retries++;
        await sleep(backoffMs(this.retry, attempt), signal);
      }
    }
  }

  async get(key: StoreKey, range?: ByteRange, opts?: GetOptions): Promise<Uint8Array | undefined> {
    checkKey(key);
    throwIfAborted(opts?.signal);
    const signal = opts?.signal;
    let header: string | undefined;
    if (range) {
      checkRangeNumbers(range);
      const empty = ("suffix" in range && range.suffix === 0) || ("start" in range && range.end <= range.start);
      // An empty range still has to say whether the key exists.
      if (empty) return (await this.exists(key)) ? new Uint8Array(0) : undefined;
      header = "suffix" in range ? `bytes=-${range.suffix}`
        : "offset" in range ? `bytes=${range.offset}-` : `bytes=${range.start}-${range.end - 1}`;
    }
    try {
      return await this.#gets.run(() => this.request("gets", key, "get", async () => {
        const out = await this.client.send(
          new GetObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key), Range: header }),
          { abortSignal: signal },
        );
        // Reading the body is part of the attempt: a connection cut mid-body is retried too.
        const body = out.Body ? await out.Body.transformToByteArray() : new Uint8Array(0);
        const expected = out.ContentLength;
        if (expected !== undefined && body.byteLength !== expected) {
          throw Object.assign(new Error(`short body: ${body.byteLength} of ${expected} bytes`), { code: "ECONNRESET" });
        }
        return body;
      }, { signal, isAnswer: (e) => isNotFound(e) || httpStatus(e) === 416 }));
    } catch (e) {
      if (isNotFound(e)) return undefined;
      if (httpStatus(e) === 416) return new Uint8Array(0); // range starts past the end of an existing object
      throw e;
    }
  }

  async set(key: StoreKey, value: Uint8Array): Promise<void> {
    checkKey(key);
    this.#writable(key, "set");
    await this.#puts.run(() => this.#put(key, value));
  }

  /** Write many entries with at most `concurrency` PUTs in flight; pulls lazily from `entries`. */
  async setMany(entries: StoreEntries): Promise<void> {
    const it = Symbol.asyncIterator in entries
      ? (entries as AsyncIterable<readonly [StoreKey, Uint8Array]>)[Symbol.asyncIterator]()
      : (entries as Iterable<readonly [StoreKey, Uint8Array]>)[Symbol.iterator]();
    let failed: unknown;
    const worker = async (): Promise<void> => {
      while (failed === undefined) {
        const next = await it.next();
        if (next.done) return;
        const [key, value] = next.value;
        try {
          await this.set(key, value);
        } catch (e) {
          failed ??= e;
        }
      }
    };
    await Promise.all(Array.from({ length: this.#puts.limit }, worker));
    if (failed !== undefined) throw failed;
  }

  async #put(key: StoreKey, value: Uint8Array): Promise<void> {
    const Key = this.objectKey(key);
    if (value.byteLength > this.#multipartThreshold) {
      this.stats.multipartUploads++;
      await uploadMultipart(this, key, Key, value, this.#partSize);
      return;
    }
    await this.request("puts", key, "set", () =>
      this.client.send(new PutObjectCommand({ Bucket: this.bucket, Key, Body: value, ContentLength: value.byteLength })));
  }

  async delete(key: StoreKey): Promise<void> {
    checkKey(key);
    this.#writable(key, "delete");
    // S3 answers 204 for a missing key, so "missing is not an error" holds without a HEAD.
    await this.request("deletes", key, "delete", () =>
      this.client.send(new DeleteObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) })));
  }

  /** Delete many keys, 1000 per DeleteObjects request. */
  async deleteMany(keys: Iterable<StoreKey>): Promise<void> {
    const all = [...keys].map((k) => checkKey(k));
    if (all.length) this.#writable(all[0], "delete");
    for (let i = 0; i < all.length; i += 1000) {
      const batch = all.slice(i, i + 1000);
      const out = await this.request("deletes", batch[0], "delete", () => this.client.send(new DeleteObjectsCommand({
        Bucket: this.bucket, Delete: { Objects: batch.map((k) => ({ Key: this.objectKey(k) })), Quiet: true },
      })));
      const err = out.Errors?.[0];
      if (err) throw new StoreError(`s3 delete of ${err.Key} failed: ${err.Code} ${err.Message}`, { key: err.Key, op: "delete" });
    }
  }

  async exists(key: StoreKey): Promise<boolean> {
    checkKey(key);
    try {
      await this.request("heads", key, "get", () =>
        this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) })), { isAnswer: isNotFound });
      return true;
    } catch (e) {
      if (isNotFound(e)) return false;
      throw e;
    }
  }

  /** The size of the object under `key` (one HEAD); undefined when absent. */
  async byteLength(key: StoreKey): Promise<number | undefined> {
    checkKey(key);
    try {
      const out = await this.request("heads", key, "get", () =>
        this.client.send(new HeadObjectCommand({ Bucket: this.bucket, Key: this.objectKey(key) })), { isAnswer: isNotFound });
      return out.ContentLength;
    } catch (e) {
      if (isNotFound(e)) return undefined;
      throw e;
    }
  }

  async *list(prefix?: StoreKey): AsyncIterable<StoreKey> {
    for await (const [key] of this.#listed(prefix)) yield key;
  }

  /** ListObjectsV2 gives each object's size: no request beyond the listing. */
  async listSizes(prefix?: StoreKey): Promise<ReadonlyMap<StoreKey, number>> {
    const sizes = new Map<StoreKey, number>();
    for await (const [key, size] of this.#listed(prefix)) {
      if (size === undefined) throw new StoreError(`s3://${this.bucket}/${this.prefix}: the listing gave no size for ${key}`, { key, op: "list" });
      sizes.set(key, size);
    }
    return sizes;
  }

  async *#listed(prefix: StoreKey | undefined): AsyncIterable<readonly [StoreKey, number | undefined]> {
    const p = checkPrefix(prefix);
    const base = this.prefix ? `${this.prefix}/` : "";
    const Prefix = base + p.slice(1);
    let ContinuationToken: string | undefined;
    do {
      const page = await this.request("lists", p, "list", () => this.client.send(
        new ListObjectsV2Command({ Bucket: this.bucket, Prefix, ContinuationToken })));
      for (const obj of page.Contents ?? []) {
        if (!obj.Key?.startsWith(base)) continue;
        let key: StoreKey;
        try { key = checkKey(`/${obj.Key.slice(base.length)}`); } catch { continue; } // not addressable as a key
        if (keyHasPrefix(key, p)) yield [key, obj.Size];
      }
      ContinuationToken = page.IsTruncated ? page.NextContinuationToken : undefined;
    } while (ContinuationToken);
  }

  async flush(): Promise<void> {
    await this.#puts.idle();
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    await this.flush();
    if (this.#ownClient) this.client.destroy();
  }

  #writable(key: StoreKey, op: "set" | "delete"): void {
    if (this.readOnly) throw new StoreError(`s3://${this.bucket}/${this.prefix} is read-only: cannot ${op} ${key}`, { key, op });
    if (this.#closed) throw new StoreError(`s3://${this.bucket}/${this.prefix} is closed: cannot ${op} ${key}`, { key, op });
  }
}
