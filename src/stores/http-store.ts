/**
 * A read-only store over HTTP(S): key "/a/0" is `<base>/a/0` (segments URL-encoded). Reads are
 * range GETs through http-fetch.ts (retries, redirects, strict Content-Range checks), at most
 * `concurrency` in flight (queue.ts Limiter). Writes are an UnsupportedError.
 *
 * HTTP has no listing. `list()` walks the server's directory index where it gives one (an HTML
 * page of links for `<dir>/`, as nginx/Apache autoindex and python's http.server do); otherwise
 * it answers from the Zarr metadata: consolidated metadata (`.zmetadata`, or a v3 root
 * `zarr.json` with `consolidated_metadata`), then each array's chunk keys, probed with bounded
 * parallel one-byte GETs (one request per grid cell). Only manifest-style callers that count
 * stored chunks list; opening a store reads the consolidated metadata in one request.
 * `listSizes` answers only for an index listing (sizes from the reads done, else Content-Range).
 */
import { InvalidInputError, StoreError, UnsupportedError } from "../errors.js";
import { Limiter, mapLimit } from "../data/queue.js";
import { httpGet, httpSize, resolveHttp, type HttpOptions, type HttpStats, type ResolvedHttp } from "./http-fetch.js";
import {
  checkKey, checkPrefix, keyHasPrefix, throwIfAborted,
  type ByteRange, type GetOptions, type Store, type StoreCapabilities, type StoreKey,
} from "./store.js";

/** Options for http(s):// locations: request headers, retries, timeout, and requests in flight. */
export interface HttpStoreOptions extends HttpOptions {
  /** Most requests in flight (default 16). */
  concurrency?: number;
}

export class HttpStore implements Store {
  readonly base: string;
  readonly readOnly = true;
  readonly capabilities: StoreCapabilities = { writes: false, deletes: false, listing: false, freshGets: true }; // each get's body is a new array
  readonly stats: HttpStats = { requests: 0, retries: 0, bytes: 0 };
  readonly http: ResolvedHttp;
  readonly #limit: Limiter;
  readonly #sizes = new Map<StoreKey, number>();

  constructor(url: string, options: HttpStoreOptions = {}) {
    if (!/^https?:\/\//i.test(url)) throw new InvalidInputError(`not an http(s):// URL: ${url}`, { option: "url", path: url });
    this.base = url.replace(/\/+$/, "");
    this.http = resolveHttp(options);
    this.#limit = new Limiter(options.concurrency ?? 16);
  }

  /** The URL of a key. */
  url(key: StoreKey): string {
    return `${this.base}/${key.slice(1).split("/").map(encodeURIComponent).join("/")}`;
  }

  async get(key: StoreKey, range?: ByteRange, opts?: GetOptions): Promise<Uint8Array | undefined> {
    checkKey(key);
    throwIfAborted(opts?.signal);
    const r = await this.#limit.run(() => httpGet(this.url(key), range, this.http, this.stats, opts?.signal));
    if (r?.total !== undefined) this.#sizes.set(key, r.total);
    return r?.bytes;
  }

  /** The size of the object under `key` (undefined when absent); known from an earlier ranged GET, else one request. */
  async byteLength(key: StoreKey, opts?: GetOptions): Promise<number | undefined> {
    checkKey(key);
    const known = this.#sizes.get(key);
    if (known !== undefined) return known;
    const n = await this.#limit.run(() => httpSize(this.url(key), this.http, this.stats, opts?.signal));
    if (n !== undefined) this.#sizes.set(key, n);
    return n;
  }

  async exists(key: StoreKey): Promise<boolean> {
    checkKey(key);
    return (await this.get(key, { start: 0, end: 1 })) !== undefined;
  }

  async set(key: StoreKey, _value?: Uint8Array): Promise<void> {
    checkKey(key);
    throw new UnsupportedError(`${this.base} is read over HTTP: cannot write ${key}`, { feature: "write over http", path: this.url(key) });
  }

  async delete(key: StoreKey): Promise<void> {
    checkKey(key);
    throw new UnsupportedError(`${this.base} is read over HTTP: cannot delete ${key}`, { feature: "write over http", path: this.url(key) });
  }

  async *list(prefix?: StoreKey): AsyncIterable<StoreKey> {
    const p = checkPrefix(prefix);
    for (const key of (await this.#discover()).keys) if (keyHasPrefix(key, p)) yield key;
  }

  /**
   * Sizes of the keys a directory index lists: known from earlier GETs (a manifest has read every
   * metadata document and chunk by then: no request), else one 1-byte range GET per key, bounded in
   * flight. `undefined` without a directory index: a listing from consolidated metadata misses what
   * the metadata does not name (hdmf-zarr's cached specs), so its total would be silently short.
   */
  async listSizes(prefix?: StoreKey): Promise<ReadonlyMap<StoreKey, number> | undefined> {
    const p = checkPrefix(prefix);
    const { keys, fromIndex } = await this.#discover();
    if (!fromIndex) return undefined;
    const mine = keys.filter((k) => keyHasPrefix(k, p)).sort();
    const sizes = await mapLimit(mine, 16, async (key) => {
      const n = await this.byteLength(key);
      if (n === undefined) throw new StoreError(`${this.url(key)}: listed by the directory index but absent (404)`, { key: this.url(key), op: "list" });
      return n;
    });
    return new Map(mine.map((k, i) => [k, sizes[i]!]));
  }

  #discovered: Promise<{ keys: StoreKey[]; fromIndex: boolean }> | undefined;

  #discover(): Promise<{ keys: StoreKey[]; fromIndex: boolean }> {
    this.#discovered ??= (async () => {
      const indexed = await crawlIndex(this, "/");
      return indexed ? { keys: indexed, fromIndex: true } : { keys: await discoverKeys(this), fromIndex: false };
    })();
    return this.#discovered;
  }

  /** GET a directory index page (`<base><dir>`, dir ending in "/"); undefined when there is none. */
  async index(dir: string): Promise<string | undefined> {
    const url = `${this.base}${dir.split("/").map(encodeURIComponent).join("/")}`;
    const r = await this.#limit.run(() => httpGet(url, undefined, this.http, this.stats)).catch(() => undefined);
    if (!r || !/html/i.test(r.contentType ?? "")) return undefined;
    return new TextDecoder().decode(r.bytes);
  }

  async flush(): Promise<void> {}

  async close(): Promise<void> {
    await this.#limit.idle();
  }
}

type Doc = Record<string, unknown>;

function parseJson(bytes: Uint8Array | undefined): Doc | undefined {
  if (!bytes) return undefined;
  try {
    const v: unknown = JSON.parse(new TextDecoder().decode(bytes).replace(/\bNaN\b|-?\bInfinity\b/g, "null"));
    return v !== null && typeof v === "object" && !Array.isArray(v) ? (v as Doc) : undefined;
  } catch {
    return undefined;
  }
}

/** Every key under `dir` from the server's directory index pages; undefined when the server has none. */
async function crawlIndex(store: HttpStore, dir: string): Promise<StoreKey[] | undefined> {
  const page = await store.index(dir);
  if (page === undefined) return undefined;
  const names = new Set<string>();
  for (const m of page.matchAll(/href\s*=\s*"([^"]*)"/gi)) {
    const href = m[1]!.replace(/&amp;/g, "&");
    if (!href || /^[a-z][a-z0-9+.-]*:|^[/?#]|^\.\.?(\/|$)/i.test(href)) continue; // other sites, absolute paths, sorting links, ./ and ../
    let name: string;
    try { name = decodeURIComponent(href.split(/[?#]/)[0]!); } catch { continue; }
    if (name && !name.slice(0, -1).includes("/")) names.add(name);
  }
  const keys: StoreKey[] = [];
  const dirs = [...names].filter((n) => n.endsWith("/"));
  for (const n of names) if (!n.endsWith("/")) { try { keys.push(checkKey(`${dir}${n}`)); } catch { /* not a key */ } }
  const sub = await mapLimit(dirs, 8, (d) => crawlIndex(store, `${dir}${d}`));
  for (const s of sub) keys.push(...(s ?? []));
  return keys;
}

/** Metadata keys from consolidated metadata, plus every stored chunk key of every array (probed). */
async function discoverKeys(store: HttpStore): Promise<StoreKey[]> {
  const keys = new Set<StoreKey>();
  const arrays: Array<{ path: string; meta: Doc; v3: boolean }> = [];
  const zmeta = parseJson(await store.get("/.zmetadata"));
  if (zmeta && typeof zmeta.metadata === "object" && zmeta.metadata) {
    keys.add("/.zmetadata");
    for (const [k, v] of Object.entries(zmeta.metadata as Doc)) {
      const key = checkKey(`/${k}`);
      keys.add(key);
      if (k === ".zarray" || k.endsWith("/.zarray")) arrays.push({ path: k.slice(0, -".zarray".length).replace(/\/$/, ""), meta: v as Doc, v3: false });
    }
    // hdmf-zarr 0.6 writes cached specs after consolidating: their nodes are not in .zmetadata.
    for (const extra of ["/.zattrs", "/.zgroup"] as const) if (!keys.has(extra) && (await store.exists(extra))) keys.add(extra);
  } else {
    const root = parseJson(await store.get("/zarr.json"));
    if (!root) return [];
    keys.add("/zarr.json");
    if (root.node_type === "array") arrays.push({ path: "", meta: root, v3: true });
    const cm = root.consolidated_metadata as Doc | undefined;
    for (const [k, v] of Object.entries((cm?.metadata as Doc | undefined) ?? {})) {
      keys.add(checkKey(`/${k}/zarr.json`));
      if ((v as Doc).node_type === "array") arrays.push({ path: k, meta: v as Doc, v3: true });
    }
  }
  for (const a of arrays) for (const k of await storedChunkKeys(store, a.path, a.meta, a.v3)) keys.add(k);
  return [...keys];
}

async function storedChunkKeys(store: HttpStore, path: string, meta: Doc, v3: boolean): Promise<StoreKey[]> {
  const shape = (meta.shape as number[] | undefined) ?? [];
  const chunks = v3 ? (((meta.chunk_grid as Doc | undefined)?.configuration as Doc | undefined)?.chunk_shape as number[] | undefined) : (meta.chunks as number[] | undefined);
  if (!chunks || chunks.length !== shape.length) return [];
  const grid = shape.map((n, i) => Math.ceil(n / Math.max(1, chunks[i]!)));
  const enc = v3 ? ((meta.chunk_key_encoding as Doc | undefined) ?? {}) : {};
  const sep = v3 ? String(((enc.configuration as Doc | undefined)?.separator) ?? (enc.name === "v2" ? "." : "/")) : String(meta.dimension_separator ?? ".");
  const v3default = v3 && enc.name !== "v2";
  const names: string[] = [];
  const visit = (axis: number, at: number[]): void => {
    if (axis === grid.length) {
      const body = at.length ? at.join(sep) : "0";
      names.push(v3default ? (at.length ? `c${sep}${body}` : "c") : body);
      return;
    }
    for (let i = 0; i < grid[axis]!; i++) visit(axis + 1, [...at, i]);
  };
  if (grid.every((g) => g > 0)) visit(0, []);
  const prefix = path ? `/${path}/` : "/";
  const found = await mapLimit(names, 16, async (n) => {
    const key = checkKey(`${prefix}${n}`);
    return (await store.exists(key)) ? key : undefined;
  });
  return found.filter((k): k is StoreKey => k !== undefined);
}
