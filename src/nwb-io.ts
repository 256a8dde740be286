/**
 * NWB files on any backend: what pynwb's NWBHDF5IO and hdmf-zarr's NWBZarrIO are. Opening
 * for reading loads the file's cached spec first (a file's own spec wins, as in pynwb), so
 * extension types round-trip; writing caches the namespaces' specs in the file.
 *
 *   await using io = await openNWB("session.nwb", "r");
 *   const nwbfile = await io.read();
 */
import type { HDMFIO, OpenMode } from "./backends/io.js";
import { openIO, type OpenIOOptions } from "./backends/factory.js";
import type { BuildManager } from "./schema/build/manager.js";
import { cacheSpecs, loadCachedSpecs, type CachedSpecEntry } from "./schema/spec/cache.js";
import { loadBundledCatalog } from "./schema/spec/load.js";
import type { NamespaceCatalog } from "./schema/spec/namespace.js";
import { validate, type ValidationError } from "./schema/validate/index.js";
import { createNwbBuildManager, type NWBFile } from "./nwb/index.js";
import { checkIntegrity } from "./inspect/integrity.js";

function oneLine(e: unknown): string {
  return (e instanceof Error ? e.message : String(e)).split("\n")[0]!.trim();
}

/** Options of openNWB: openIO's options (format, S3/HTTP access, Zarr sharding and compressor...) plus the BuildManager or spec catalog to use. */
export interface OpenNWBOptions extends Omit<OpenIOOptions<unknown>, "manager" | "specs"> {
  /** Share one manager between several files (the tutorial's multi-file pattern). */
  manager?: BuildManager;
  /** Use these specs instead of the file's cache (reading) or the bundled ones (writing). */
  catalog?: NamespaceCatalog;
}

/** The cached spec entries of an open file or store ([] when it has none). */
export async function readCachedSpecEntries(io: HDMFIO<unknown>): Promise<CachedSpecEntry[]> {
  return io.readCachedSpecs();
}

/** The spec catalog to read a file with: its cached spec when present, else the bundled one. */
export async function catalogFor(io: HDMFIO<unknown>): Promise<NamespaceCatalog> {
  const entries = await readCachedSpecEntries(io);
  if (entries.length === 0) return loadBundledCatalog();
  const catalog = loadCachedSpecs(entries);
  return catalog.namespaces.includes("core") ? catalog : loadCachedSpecs(entries, await loadBundledCatalog());
}

/** Open an NWB file (HDF5) or store (Zarr) with a BuildManager set up for it. */
export async function openNWB(location: string, mode: OpenMode = "r", options: OpenNWBOptions = {}): Promise<HDMFIO<NWBFile>> {
  let catalog = options.catalog;
  if (!catalog && !options.manager && (mode === "r" || mode === "r+" || mode === "a")) {
    const probe = await openIO(location, "r", options).catch(() => undefined);
    if (probe) {
      try { catalog = await catalogFor(probe); } finally { await probe.close(); }
    }
  }
  const manager = options.manager ?? (await createNwbBuildManager(catalog ? { catalog } : {}));
  const specCatalog = manager.catalog;
  return (await openIO<unknown>(location, mode, { ...options, manager, specs: cacheSpecs(specCatalog) })) as HDMFIO<NWBFile>;
}

/**
 * Read and validate a file against its cached spec, and check what would break a reader
 * (src/inspect/integrity.ts: dangling links and references, regions out of range, broken
 * indexes; a cached spec that does not parse; a file that does not read); [] means valid.
 */
export async function validateFile(location: string, options: Omit<OpenIOOptions<unknown>, "manager"> & { maxBytes?: number } = {}): Promise<ValidationError[]> {
  const { maxBytes, ...openOptions } = options;
  const io = await openIO(location, "r", { ...openOptions, allowBrokenLinks: true });
  try {
    const errors: ValidationError[] = [];
    let catalog: NamespaceCatalog;
    try {
      catalog = await catalogFor(io);
    } catch (e) {
      const where = (e as { path?: unknown }).path;
      const message = oneLine(e);
      const named = /^(\/\S+?): (.*)$/.exec(message); // "/specifications/NS/VER/FILE: why"
      const path = typeof where === "string" ? where : named ? named[1]! : "/specifications";
      errors.push({ path, kind: "spec", message: `cached spec does not parse: ${named && named[1] === path ? named[2] : message}` });
      catalog = await loadBundledCatalog();
    }
    let root;
    try {
      root = await io.readBuilder();
    } catch (e) {
      const where = (e as { path?: unknown }).path;
      const path = typeof where === "string" ? where : "/";
      const message = oneLine(e);
      errors.push({ path, kind: "unreadable", message: message.startsWith(`${path}: `) ? message.slice(path.length + 2) : message });
      return errors;
    }
    errors.push(...validate(root, catalog, catalog.namespaces.includes("core") ? "core" : catalog.namespaces[0] ?? "hdmf-common"));
    errors.push(...(await checkIntegrity(io, root, { openOptions, ...(maxBytes !== undefined ? { maxBytes } : {}) })));
    return errors;
  } finally {
    await io.close();
  }
}
