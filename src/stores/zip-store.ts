/**
 * A Zarr store in one zip file, like zarr-python's ZipStore: entries are STORED (chunks are
 * already compressed), named by the key without its leading "/".
 *
 * Reading uses only the central directory and range reads, from a local file or any
 * `RangeSource` (e.g. a zip object in S3 via `rangeSourceFromStore`). Writing ("w" or "a")
 * appends each value at the end of the file as it arrives; `flush()`/`close()` write the
 * central directory after the last entry. An overwritten or deleted key leaves its old bytes
 * unreferenced (zip readers go by the central directory), so the zip never holds duplicates.
 */
import { open as openFile, type FileHandle } from "node:fs/promises";
import { inflateRawSync } from "node:zlib";
import { FormatError, InvalidInputError, StoreError, UnsupportedError } from "../errors.js";
import {
  checkKey, checkPrefix, keyHasPrefix, resolveRange, throwIfAborted,
  type ByteRange, type GetOptions, type Store, type StoreCapabilities, type StoreKey,
} from "./store.js";
import {
  MAX_TAIL, METHOD_DEFLATE, METHOD_STORED, centralDirectory, checksum, dataOffsetFromLocalHeader,
  locateCentralDirectory, parseCentralDirectory, storedLocalHeader, type ZipEntry,
} from "./zip-format.js";

/** Random access to the bytes of a zip: a range read; a suffix read must work without knowing the size. */
export interface RangeSource {
  read(range: ByteRange, opts?: GetOptions): Promise<Uint8Array>;
  close?(): Promise<void>;
}

export type ZipMode = "r" | "w" | "a";

export interface ZipStoreOptions {
  mode?: ZipMode;
  /** Write ZIP64 records even when nothing overflows (tests; default false = only when needed). */
  forceZip64?: boolean;
}

interface Located extends ZipEntry { dataOffset?: number }

/** Read a zip object through another store (a zip in S3, or inside any store); `owns` closes it with the zip. */
export function rangeSourceFromStore(store: Store, key: StoreKey, owns = false): RangeSource {
  return {
    close: owns ? () => store.close() : undefined,
    async read(range, opts) {
      const b = await store.get(key, range, opts);
      if (b === undefined) throw new StoreError(`zip object ${key} not found`, { key, op: "get" });
      return b;
    },
  };
}

function fileSource(fh: FileHandle): RangeSource {
  return {
    async read(range) {
      const { size } = await fh.stat();
      const [start, end] = resolveRange(range, size);
      const out = new Uint8Array(end - start);
      let done = 0;
      while (done < out.length) {
        const { bytesRead } = await fh.read(out, done, out.length - done, start + done);
        if (bytesRead === 0) break;
        done += bytesRead;
      }
      return out.subarray(0, done);
    },
  };
}

export class ZipStore implements Store {
  readonly readOnly: boolean;
  readonly capabilities: StoreCapabilities;
  readonly name: string;
  readonly #entries = new Map<StoreKey, Located>();
  readonly #source: RangeSource;
  readonly #fh: FileHandle | undefined;
  readonly #zip64: boolean;
  #end = 0; // where the next entry (or the central directory) goes
  #dirty = false;
  #closed = false;

  private constructor(name: string, source: RangeSource, fh: FileHandle | undefined, options: ZipStoreOptions) {
    this.name = name;
    this.#source = source;
    this.#fh = fh;
    this.readOnly = (options.mode ?? "r") === "r";
    this.#zip64 = options.forceZip64 ?? false;
    this.capabilities = { writes: !this.readOnly, deletes: !this.readOnly, listing: true };
  }

  /** Open a zip file on disk: "r" reads, "w" creates or truncates, "a" appends to an existing zip (or creates). */
  static async open(file: string, options: ZipStoreOptions = {}): Promise<ZipStore> {
    const mode = options.mode ?? "r";
    if (!["r", "w", "a"].includes(mode)) throw new InvalidInputError(`bad zip mode ${mode}`, { option: "mode" });
    let fh: FileHandle;
    try {
      fh = await openFile(file, mode === "r" ? "r" : mode === "w" ? "w+" : "a+");
      if (mode === "a") { await fh.close(); fh = await openFile(file, "r+"); }
    } catch (e) {
      throw new StoreError(`cannot open zip ${file}`, { op: "open", key: file, cause: e });
    }
    const store = new ZipStore(file, fileSource(fh), fh, options);
    try {
      if (mode !== "w" && (await fh.stat()).size > 0) await store.#readDirectory();
    } catch (e) {
      await fh.close();
      throw e;
    }
    return store;
  }

  /** Open a zip read-only from a range source (a remote object). */
  static async openRemote(source: RangeSource, name = "zip"): Promise<ZipStore> {
    const store = new ZipStore(name, source, undefined, { mode: "r" });
    await store.#readDirectory();
    return store;
  }

  async #readDirectory(): Promise<void> {
    // One suffix read gets the EOCD (and, for small zips, the whole central directory).
    const tail = await this.#source.read({ suffix: MAX_TAIL + 76 });
    const loc = locateCentralDirectory(tail);
    if (!loc) throw new FormatError(`${this.name} is not a zip file (no end-of-central-directory record)`, { path: this.name });
    const tailStart = loc.fileSize - tail.length;
    const cd = loc.offset >= tailStart
      ? tail.subarray(loc.offset - tailStart, loc.offset - tailStart + loc.length)
      : await this.#source.read({ start: loc.offset, end: loc.offset + loc.length });
    for (const ent of parseCentralDirectory(cd, loc.count)) {
      if (ent.name.endsWith("/")) continue; // directory entry
      let key: StoreKey;
      try { key = checkKey(`/${ent.name}`); } catch { continue; } // a name no key can address
      this.#entries.set(key, ent);
    }
    this.#end = loc.offset;
    if (this.readOnly) this.#rootOneLevelDown();
  }

  /**
   * A zip packed from the parent folder (`zip -r x.zip x.zarr`) holds the hierarchy one level
   * down: when the top level has no Zarr metadata and every entry lies in one folder that has,
   * that folder is the root (as zarrita.js and zarr-python's ZipStore users expect). Read-only.
   */
  #rootOneLevelDown(): void {
    const META = [".zgroup", ".zarray", "zarr.json", ".zmetadata"];
    const keys = [...this.#entries.keys()];
    if (keys.length === 0 || keys.some((k) => META.includes(k.slice(1)))) return;
    const top = new Set(keys.map((k) => k.split("/")[1]));
    const dir = [...top][0]!;
    if (top.size !== 1 || !keys.some((k) => META.some((m) => k === `/${dir}/${m}`))) return;
    const moved = keys.map((k) => [k.slice(dir.length + 1) as StoreKey, this.#entries.get(k)!] as const);
    this.#entries.clear();
    for (const [k, ent] of moved) this.#entries.set(k, ent);
  }

  async get(key: StoreKey, range?: ByteRange, opts?: GetOptions): Promise<Uint8Array | undefined> {
    checkKey(key);
    throwIfAborted(opts?.signal);
    const ent = this.#entries.get(key);
    if (!ent) return undefined;
    try {
      if (ent.dataOffset === undefined) {
        const h = await this.#source.read({ start: ent.localHeaderOffset, end: ent.localHeaderOffset + 30 }, opts);
        ent.dataOffset = dataOffsetFromLocalHeader(ent, h);
      }
      const at = ent.dataOffset;
      if (ent.method === METHOD_STORED) {
        const [s, e] = range ? resolveRange(range, ent.size) : [0, ent.size];
        return await this.#source.read({ start: at + s, end: at + e }, opts);
      }
      if (ent.method === METHOD_DEFLATE) {
        const raw = await this.#source.read({ start: at, end: at + ent.compressedSize }, opts);
        const whole = new Uint8Array(inflateRawSync(raw));
        if (!range) return whole;
        const [s, e] = resolveRange(range, whole.length);
        return whole.slice(s, e);
      }
    } catch (e) {
      if (e instanceof InvalidInputError || (e instanceof Error && e.name === "AbortError")) throw e;
      throw new StoreError(`cannot read ${key} from ${this.name}`, { key, op: "get", cause: e });
    }
    throw new UnsupportedError(`zip entry ${ent.name} uses compression method ${ent.method}`, {
      feature: `zip compression method ${ent.method}`, path: key,
    });
  }

  async set(key: StoreKey, value: Uint8Array): Promise<void> {
    checkKey(key);
    const fh = this.#writable(key, "set");
    const crc = checksum(value);
    const header = storedLocalHeader(key.slice(1), value, crc, this.#zip64);
    // Reserve the region before awaiting, so concurrent sets never overlap.
    const offset = this.#end;
    this.#end += header.length + value.byteLength;
    this.#dirty = true;
    try {
      await writeAll(fh, header, offset);
      await writeAll(fh, value, offset + header.length);
    } catch (e) {
      throw new StoreError(`cannot write ${key} to ${this.name}`, { key, op: "set", cause: e });
    }
    this.#entries.set(key, {
      name: key.slice(1), method: METHOD_STORED, crc, compressedSize: value.byteLength, size: value.byteLength,
      localHeaderOffset: offset, dataOffset: offset + header.length,
    });
  }

  async delete(key: StoreKey): Promise<void> {
    checkKey(key);
    this.#writable(key, "delete");
    if (this.#entries.delete(key)) this.#dirty = true;
  }

  async exists(key: StoreKey): Promise<boolean> {
    return this.#entries.has(checkKey(key));
  }

  async *list(prefix?: StoreKey): AsyncIterable<StoreKey> {
    const p = checkPrefix(prefix);
    for (const key of [...this.#entries.keys()]) if (keyHasPrefix(key, p)) yield key;
  }

  /** Write the central directory after the last entry; the file is a complete zip afterwards. */
  async flush(): Promise<void> {
    if (this.readOnly || !this.#dirty || !this.#fh) return;
    const fh = this.#fh;
    const entries = [...this.#entries.values()].sort((a, b) => a.localHeaderOffset - b.localHeaderOffset);
    const cd = centralDirectory(entries, this.#end, this.#zip64);
    try {
      await writeAll(fh, cd, this.#end);
      await fh.truncate(this.#end + cd.length);
      await fh.sync();
    } catch (e) {
      throw new StoreError(`cannot write the central directory of ${this.name}`, { op: "flush", key: this.name, cause: e });
    }
    this.#dirty = false;
  }

  async close(): Promise<void> {
    if (this.#closed) return;
    this.#closed = true;
    try {
      await this.flush();
    } finally {
      await this.#fh?.close();
      await this.#source.close?.();
    }
  }

  #writable(key: StoreKey, op: "set" | "delete"): FileHandle {
    if (this.readOnly || !this.#fh) throw new StoreError(`zip ${this.name} is read-only: cannot ${op} ${key}`, { key, op });
    if (this.#closed) throw new StoreError(`zip ${this.name} is closed: cannot ${op} ${key}`, { key, op });
    return this.#fh;
  }
}

async function writeAll(fh: FileHandle, data: Uint8Array, position: number): Promise<void> {
  let done = 0;
  while (done < data.byteLength) {
    const { bytesWritten } = await fh.write(data, done, data.byteLength - done, position + done);
    done += bytesWritten;
  }
}
