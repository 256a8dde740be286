/**
 * `exportTo(src, dst)`: export between locations, safely. The destination is either complete
 * or clearly marked incomplete, whatever happens (an error, Ctrl-C, SIGKILL):
 *
 * - local file or folder: written to a temporary sibling `.NAME.incomplete-PID-RAND` and renamed
 *   to NAME only after the last byte is flushed (rename is atomic within a folder), so NAME
 *   never holds a partial export; a killed run leaves only the marked sibling.
 * - object storage (s3://): an `.incomplete` object is written under the prefix first and
 *   deleted last.
 *
 * A missing parent folder of a local destination is created (as `mkdir -p`; noted in the report,
 * removed again if the export fails). An existing destination is an error unless `overwrite`; the
 * source is opened read-only.
 *
 * With links preserved, files linked in the other format family are converted with the
 * destination, beside it, and the links pointed at them (export-set.ts); each file is written
 * the same safe way, and if one fails the ones already written are removed again.
 */
import { randomBytes } from "node:crypto";
import { access, constants, mkdir, rename, rm, rmdir, stat } from "node:fs/promises";
import { basename, dirname, join, resolve } from "node:path";
import { ModeError, NotFoundError, StoreError } from "../errors.js";
import { detectFormat, openIO, type BackendFormat, type OpenIOOptions } from "./factory.js";
import type { HDMFIO } from "./io.js";
import { exportFile, type ExportOptions, type ExportReport } from "./export.js";
import { planLinkedSet } from "./export-set.js";
import { InvalidInputError } from "../errors.js";
import { isUrl, parseLocation, sameLocation } from "../location.js";

/** The key `exportTo` writes first under an s3:// destination and deletes last; present = the export did not finish. */
export const INCOMPLETE_MARKER = ".incomplete";

/** Options of {@link exportTo}: ExportOptions plus the destination format, sharding and overwrite. */
export interface ExportToOptions<C = unknown> extends Omit<ExportOptions<C>, "openOptions"> {
  /** Destination format; default from the destination's name (`.nwb`/`.h5` HDF5, else Zarr v2). */
  format?: BackendFormat;
  /** Zarr v3: chunks per shard along axis 0, or "auto" (zarr-python's automatic shard shape). */
  shards?: number | "auto";
  /** Replace an existing destination (default: fail with ModeError). */
  overwrite?: boolean;
  /** S3 endpoint / region / path style, and other open options for the source and linked files. */
  openOptions?: OpenIOOptions<C>;
}

async function exists(path: string): Promise<boolean> {
  return stat(path).then(() => true, () => false);
}

/**
 * Export the file or store at `src` to a new file or store at `dst`, and, with links preserved,
 * the linked files of the other format family beside it (report.files lists every one written).
 */
export async function exportTo<C = unknown>(src: string, dst: string, options: ExportToOptions<C> = {}): Promise<ExportReport> {
  if (sameLocation(src, dst)) throw new InvalidInputError(`export source and destination are the same (${src})`, { path: dst });
  const open = options.openOptions ?? {};
  const format: BackendFormat = options.format ?? (parseLocation(dst).formatGuess === "hdf5" ? "hdf5" : "zarr");
  if (options.shards !== undefined && format !== "zarr3") throw new InvalidInputError(`shards need a Zarr v3 destination (format zarr3), not ${format}`, { option: "shards", path: dst });
  if (!isUrl(src) && !(await exists(src))) throw new NotFoundError(`export source ${src} does not exist`, { path: src });
  const linked = (options.links ?? "preserve") === "preserve" ? await planLinkedSet(src, dst, format, open) : [];
  if (linked.length === 0) return exportOne(src, dst, format, options);
  for (const l of linked) {
    if ([src, ...linked.map((x) => x.source)].some((s) => sameLocation(s, l.destination))) {
      throw new InvalidInputError(`linked file ${l.source} would be converted to ${l.destination}, which is a file of the set itself: export into another folder`, { path: l.destination });
    }
    if (!options.overwrite && (await exists(l.destination))) {
      throw new ModeError(`${l.destination} (the converted copy of linked file ${l.source}) already exists: pass overwrite (--overwrite) to replace it`, { mode: "w-", path: l.destination });
    }
  }
  const linkTargets = new Map<string, string>([[resolve(src), resolve(dst)], ...linked.map((l) => [l.source, l.destination] as [string, string])]);
  const written: string[] = [];
  const reports: ExportReport[] = [];
  try {
    for (const l of linked) {
      reports.push(await exportOne(l.source, l.destination, format, { ...options, linkTargets }));
      written.push(l.destination);
    }
    const main = await exportOne(src, dst, format, { ...options, linkTargets });
    return mergeSet(main, reports, linked.map((l) => `converted linked file ${l.source} -> ${l.destination}`));
  } catch (e) {
    await Promise.allSettled(written.map((w) => rm(w, { recursive: true, force: true })));
    throw e;
  }
}

/** The set's report: the main file's, with the linked files' counts, notes and files added. */
function mergeSet(main: ExportReport, others: readonly ExportReport[], notes: readonly string[]): ExportReport {
  const all = [main, ...others];
  const sum = (f: (r: ExportReport) => number): number => all.reduce((n, r) => n + f(r), 0);
  return {
    ...main,
    links: { preserved: sum((r) => r.links.preserved), resolved: sum((r) => r.links.resolved), broken: all.flatMap((r) => r.links.broken) },
    datasets: sum((r) => r.datasets), chunks: sum((r) => r.chunks), rawChunks: sum((r) => r.rawChunks), bytes: sum((r) => r.bytes),
    notes: [...main.notes, ...others.flatMap((r) => r.notes), ...notes],
    files: all.flatMap((r) => r.files),
    seconds: sum((r) => r.seconds),
  };
}

/** One file or store of the export (exportTo's checks done). */
async function exportOne<C>(src: string, dst: string, format: BackendFormat, options: ExportToOptions<C>): Promise<ExportReport> {
  const open = options.openOptions ?? {};
  const source = await openIO<C>(src, "r", { ...open, ...(options.allowBrokenLinks ? { allowBrokenLinks: true } : {}) });
  try {
    const specs = await source.readCachedSpecs();
    const dstOptions: OpenIOOptions<C> = { ...open, format, specs, ...(options.shards ? { shards: options.shards } : {}) };
    const onProgress = options.onProgress;
    const run = (io: HDMFIO<C>): Promise<ExportReport> => exportFile(source, io, { ...options, openOptions: open, ...(onProgress ? { onProgress: (p) => onProgress({ ...p, file: dst }) } : {}) });
    const before: string[] = [];
    const report = isUrl(dst) ? await exportToUrl(dst, dstOptions, options.overwrite ?? false, run) : await exportToPath(dst, dstOptions, options.overwrite ?? false, run, (n) => before.push(n));
    return before.length ? { ...report, notes: [...before, ...report.notes] } : report;
  } finally {
    await source.close();
  }
}

async function exportToPath<C>(dst: string, opts: OpenIOOptions<C>, overwrite: boolean, run: (io: HDMFIO<C>) => Promise<ExportReport>, onCreated: (note: string) => void): Promise<ExportReport> {
  const final = resolve(dst);
  const parent = dirname(final);
  const info = await stat(parent).catch(() => undefined);
  let created: string | undefined;
  if (!info) {
    // like `mkdir -p`: cp, h5py and zarr-python create the file in place, export creates its folder
    try {
      created = await mkdir(parent, { recursive: true });
    } catch (e) {
      throw new StoreError(`cannot write ${dst}: cannot create folder ${parent}: ${(e as Error).message}`, { op: "open", key: parent, cause: e });
    }
    onCreated(`created folder ${created ?? parent}`);
  } else if (!info.isDirectory()) {
    throw new StoreError(`cannot write ${dst}: ${parent} is not a folder`, { op: "open", key: parent });
  }
  try {
    await access(parent, constants.W_OK);
  } catch (e) {
    throw new StoreError(`cannot write ${dst}: folder ${parent} is not writable`, { op: "open", key: parent, cause: e });
  }
  if (!overwrite && (await exists(final))) {
    throw new ModeError(`${dst} already exists: pass overwrite (--overwrite) to replace it`, { mode: "w-", path: dst });
  }
  const tmp = join(parent, `.${basename(final)}${INCOMPLETE_MARKER}-${process.pid}-${randomBytes(4).toString("hex")}`);
  let io: HDMFIO<C> | undefined;
  try {
    // all-or-nothing by the final rename: no per-key fsync in the temporary sibling
    io = await openIO<C>(tmp, "w-", { ...opts, fsync: false });
    const report = await run(io);
    await io.close();
    io = undefined;
    if (overwrite && (await exists(final))) await rm(final, { recursive: true, force: true });
    await rename(tmp, final);
    return { ...report, destination: dst, files: [dst] };
  } catch (e) {
    await io?.close().catch(() => undefined);
    await rm(tmp, { recursive: true, force: true }).catch(() => undefined);
    // the folders made for this export go too: a failed export leaves nothing behind
    if (created !== undefined) await removeEmptyFolders(parent, created);
    throw wrapWriteError(e, dst);
  }
}

async function exportToUrl<C>(dst: string, opts: OpenIOOptions<C>, overwrite: boolean, run: (io: HDMFIO<C>) => Promise<ExportReport>): Promise<ExportReport> {
  if (opts.format === "hdf5") throw new InvalidInputError(`HDF5 is written to local paths only; export ${dst} as Zarr (--format zarr)`, { option: "format", path: dst });
  const { openStore } = await import("../stores/open-store.js"); // a store, not a backend: probing needs no IO
  const s3 = opts.s3 ?? {};
  const probe = await openStore(dst, { mode: "r", s3: { ...(s3.endpoint ? { endpoint: s3.endpoint } : {}), ...(s3.region ? { region: s3.region } : {}), ...(s3.forcePathStyle !== undefined ? { forcePathStyle: s3.forcePathStyle } : {}) } });
  let empty = true;
  try {
    for await (const _k of probe.list("/")) { empty = false; break; }
  } finally {
    await probe.close();
  }
  if (!empty && !overwrite) throw new ModeError(`${dst} already exists: pass overwrite (--overwrite) to replace it`, { mode: "w-", path: dst });
  const io = await openIO<C>(dst, "w", opts);
  const marker = io.store;
  if (!marker) throw new InvalidInputError(`${dst}: ${io.format} destinations on object storage have no store to mark`, { option: "format", path: dst });
  await marker.set(`/${INCOMPLETE_MARKER}`, new TextEncoder().encode(`export in progress (pid ${process.pid}, ${new Date().toISOString()})\n`));
  try {
    const report = await run(io); // flushes data and metadata
    await marker.delete(`/${INCOMPLETE_MARKER}`);
    await io.close();
    return { ...report, files: [dst] };
  } catch (e) {
    await io.close().catch(() => undefined);
    throw wrapWriteError(e, dst);
  }
}

/** Remove `created` (the first folder `mkdir -p` made) and what is below it down to `leaf`, if left empty. */
async function removeEmptyFolders(leaf: string, created: string): Promise<void> {
  for (let d = leaf; d.length >= created.length; d = dirname(d)) {
    if (!(await rmdir(d).then(() => true, () => false))) return;
    if (d === created) return;
  }
}

function wrapWriteError(e: unknown, dst: string): unknown {
  const code = (e as { code?: unknown } | undefined)?.code;
  if (typeof code === "string" && ["EACCES", "EPERM", "EROFS", "ENOSPC", "ENOTDIR"].includes(code)) {
    return new StoreError(`cannot write ${dst}: ${(e as Error).message}`, { op: "set", key: dst, cause: e });
  }
  return e;
}

/** Whether a location holds an export that was interrupted (marker object or temporary name). */
export async function isIncomplete(location: string, open: OpenIOOptions<unknown> = {}): Promise<boolean> {
  if (basename(location).includes(INCOMPLETE_MARKER)) return true;
  if (!isUrl(location)) return exists(join(location, INCOMPLETE_MARKER));
  const fmt = await detectFormat(location);
  const io = await openIO(location, "r", { ...open, format: fmt });
  try {
    return (await io.store?.get(`/${INCOMPLETE_MARKER}`)) !== undefined;
  } finally {
    await io.close();
  }
}
