/**
 * A store in a local directory: key "/a/b/c" is file "<root>/a/b/c".
 *
 * Writes are atomic: the bytes go to a temp file in the same directory, which is renamed over
 * the final name, so a crash (even SIGKILL) mid-write leaves either the old value or the new
 * one at the key, never a half chunk. Durability against power loss comes at `flush`/`close`
 * (the default `fsync: "flush"`): every file written since the last flush and its directory
 * are fsynced then, once per write instead of once per key. Stray temp files from a crash end
 * in `.hdmf-tmp` and are skipped by `list`.
 */
import { randomBytes } from "node:crypto";
import { constants as fsc } from "node:fs";
import { mkdir, open, readdir, rename, rm, stat, unlink } from "node:fs/promises";
import path from "node:path";
import { InvalidInputError, StoreError } from "../errors.js";
import { mapLimit } from "../data/queue.js";
import {
  checkKey, checkPrefix, checkRangeNumbers, keyHasPrefix, throwIfAborted,
  type ByteRange, type GetOptions, type Store, type StoreCapabilities, type StoreKey,
} from "./store.js";

export const TEMP_SUFFIX = ".hdmf-tmp";

/** Options of the local-folder store (each key a file, written to a temporary name and renamed). */
export interface FsStoreOptions {
  /** Refuse writes and deletes. */
  readOnly?: boolean;
  /**
   * When written files reach the disk: "flush" (default) fsyncs every file written since the last
   * flush, and the directories holding them, at `flush()`/`close()` (ZarrIO flushes at the end of
   * each `write` and at close); "each" (or true) fsyncs each file before its rename; false never
   * (zarr-python's DirectoryStore: safe against a killed process, not against power loss).
   */
  fsync?: boolean | "each" | "flush";
  /** With `fsync: "each"`: also fsync the directory after each rename (default false). */
  fsyncDirectory?: boolean;
}

function isErrno(e: unknown, ...codes: string[]): boolean {
  return typeof e === "object" && e !== null && codes.includes((e as { code?: string }).code ?? "");
}

export class FsStore implements Store {
  readonly root: string;
  readonly readOnly: boolean;
  readonly capabilities: StoreCapabilities;
  readonly #fsync: "each" | "flush" | "none";
  readonly #fsyncDir: boolean;
  /** "flush": files renamed into place since the last flush, fsynced (with their directories) by it. */
  readonly #unsynced = new Set<string>();

  constructor(root: string, options: FsStoreOptions = {}) {
    if (typeof root !== "string" || root === "" || root.includes("\0")) {
      throw new InvalidInputError(`invalid store root ${JSON.stringify(root)}`, { path: String(root) });
    }
    this.root = path.resolve(root);
    this.readOnly = options.readOnly ?? false;
    const fsync = options.fsync ?? "flush";
    if (![true, false, "each", "flush"].includes(fsync)) {
      throw new InvalidInputError(`FsStore option fsync must be "flush", "each", true or false, not ${JSON.stringify(fsync)}`, { option: "fsync", path: this.root });
    }
    this.#fsync = fsync === true || fsync === "each" ? "each" : fsync === "flush" ? "flush" : "none";
    this.#fsyncDir = options.fsyncDirectory ?? false;
    this.capabilities = { writes: !this.readOnly, deletes: !this.readOnly, listing: true, freshGets: true }; // get reads into a new buffer per call
  }

  /** The file path for a key; throws InvalidInputError if it would leave the root. */
  pathOf(key: StoreKey): string {
    checkKey(key);
    const p = path.resolve(this.root, ...key.slice(1).split("/"));
    // checkKey already forbids "..", "\\" and drive letters; this is the belt to those braces.
    if (!p.startsWith(this.root + path.sep)) {
      throw new InvalidInputError(`store key ${JSON.stringify(key)} resolves outside ${this.root}`, { path: key });
    }
    return p;
  }

  async get(key: StoreKey, range?: ByteRange, opts?: GetOptions): Promise<Uint8Array | undefined> {
    const file = this.pathOf(key);
    throwIfAborted(opts?.signal);
    if (range) checkRangeNumbers(range);
    let fh;
    try {
      fh = await open(file, fsc.O_RDONLY);
    } catch (e) {
      if (isErrno(e, "ENOENT", "ENOTDIR", "EISDIR")) return undefined;
      throw new StoreError(`cannot open ${key} in ${this.root}`, { key, op: "get", cause: e });
    }
    try {
      const st = await fh.stat();
      if (!st.isFile()) return undefined;
      const size = st.size;
      let start = 0;
      let end = size;
      if (range) {
        if ("suffix" in range) start = Math.max(0, size - range.suffix);
        else if ("offset" in range) start = Math.min(range.offset, size);
        else { start = Math.min(range.start, size); end = Math.min(Math.max(range.end, start), size); }
      }
      const out = new Uint8Array(end - start);
      let done = 0;
      while (done < out.length) {
        throwIfAborted(opts?.signal);
        const { bytesRead } = await fh.read(out, done, out.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return done === out.length ? out : out.subarray(0, done);
    } catch (e) {
      if (isErrno(e, "EISDIR")) return undefined;
      if (e instanceof Error && e.name === "AbortError") throw e;
      throw new StoreError(`cannot read ${key} in ${this.root}`, { key, op: "get", cause: e });
    } finally {
      await fh.close();
    }
  }

  async set(key: StoreKey, value: Uint8Array): Promise<void> {
    const file = this.pathOf(key);
    this.#writable(key, "set");
    const dir = path.dirname(file);
    const tmp = path.join(dir, `.${path.basename(file)}.${randomBytes(6).toString("hex")}${TEMP_SUFFIX}`);
    try {
      await mkdir(dir, { recursive: true });
      const fh = await open(tmp, fsc.O_WRONLY | fsc.O_CREAT | fsc.O_EXCL, 0o644);
      try {
        let done = 0;
        while (done < value.byteLength) {
          const { bytesWritten } = await fh.write(value, done, value.byteLength - done, done);
          done += bytesWritten;
        }
        if (this.#fsync === "each") await fh.sync();
      } finally {
        await fh.close();
      }
      await rename(tmp, file);
      if (this.#fsync === "each" && this.#fsyncDir) await syncPath(dir);
    } catch (e) {
      await unlink(tmp).catch(() => undefined);
      throw new StoreError(`cannot write ${key} in ${this.root}`, { key, op: "set", cause: e });
    }
    if (this.#fsync === "flush") {
      this.#unsynced.add(file);
      if (this.#unsynced.size >= SYNC_BATCH) await this.#sync();
    }
  }

  async delete(key: StoreKey): Promise<void> {
    const file = this.pathOf(key);
    this.#writable(key, "delete");
    try {
      await unlink(file);
    } catch (e) {
      if (isErrno(e, "ENOENT", "ENOTDIR")) return;
      // A "directory" key: delete what lies under it, like zarr-python's LocalStore.delete_dir.
      if (isErrno(e, "EISDIR", "EPERM")) {
        await rm(file, { recursive: true, force: true });
        return;
      }
      throw new StoreError(`cannot delete ${key} in ${this.root}`, { key, op: "delete", cause: e });
    }
  }

  async exists(key: StoreKey): Promise<boolean> {
    const file = this.pathOf(key);
    try {
      return (await stat(file)).isFile();
    } catch (e) {
      if (isErrno(e, "ENOENT", "ENOTDIR")) return false;
      throw new StoreError(`cannot stat ${key} in ${this.root}`, { key, op: "get", cause: e });
    }
  }

  async *list(prefix?: StoreKey): AsyncIterable<StoreKey> {
    const p = checkPrefix(prefix);
    // Start at the deepest directory the prefix names, then filter (a prefix may be a partial name).
    const dirPart = p === "/" ? "" : p.endsWith("/") ? p.slice(1, -1) : path.posix.dirname(p.slice(1));
    const startKey = dirPart === "" || dirPart === "." ? "" : dirPart;
    for await (const key of this.#walk(startKey)) if (keyHasPrefix(key, p)) yield key;
  }

  async *#walk(rel: string): AsyncIterable<StoreKey> {
    const dir = rel === "" ? this.root : path.join(this.root, ...rel.split("/"));
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch (e) {
      if (isErrno(e, "ENOENT", "ENOTDIR")) return;
      throw new StoreError(`cannot list ${dir}`, { key: `/${rel}`, op: "list", cause: e });
    }
    for (const ent of entries) {
      const child = rel === "" ? ent.name : `${rel}/${ent.name}`;
      if (ent.isDirectory()) yield* this.#walk(child);
      else if (ent.isFile() && !ent.name.endsWith(TEMP_SUFFIX)) yield `/${child}` as StoreKey;
    }
  }

  /** Make every file written since the last flush durable (`fsync: "flush"`), then their directories. */
  async flush(): Promise<void> {
    await this.#sync();
  }

  async close(): Promise<void> {
    await this.#sync();
  }

  async #sync(): Promise<void> {
    if (this.#unsynced.size === 0) return;
    const files = [...this.#unsynced];
    this.#unsynced.clear();
    const dirs = [...new Set(files.map((f) => path.dirname(f)))];
    const one = async (p: string, isDir: boolean) => {
      try {
        await syncPath(p);
      } catch (e) {
        if (isErrno(e, "ENOENT", "ENOTDIR")) return; // deleted or replaced since: nothing of ours to keep
        for (const f of files) this.#unsynced.add(f); // a later flush tries again
        const key = `/${path.relative(this.root, p).split(path.sep).join("/")}`;
        throw new StoreError(`cannot sync ${isDir ? "directory" : "file"} ${p} in ${this.root}`, { key: key as StoreKey, op: "set", cause: e });
      }
    };
    await mapLimit(files, SYNC_CONCURRENCY, (f) => one(f, false));
    await mapLimit(dirs, SYNC_CONCURRENCY, (d) => one(d, true));
  }

  #writable(key: StoreKey, op: "set" | "delete"): void {
    if (this.readOnly) throw new StoreError(`store ${this.root} is read-only: cannot ${op} ${key}`, { key, op });
  }
}

/** fsyncs in flight during a flush. */
const SYNC_CONCURRENCY = 16;
/** Files a "flush" store lets accumulate before `set` syncs them itself (bounded bookkeeping). */
const SYNC_BATCH = 4096;

/** fsync a file or a directory by its path. */
async function syncPath(p: string): Promise<void> {
  const fh = await open(p, fsc.O_RDONLY);
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}
