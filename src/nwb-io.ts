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

/** Read and validate a file against its cached spec; [] means valid. */
export async function validateFile(location: string, options: Omit<OpenIOOptions<unknown>, "manager"> = {}): Promise<ValidationError[]> {
  const io = await openIO(location, "r", options);
  try {
    const catalog = await catalogFor(io);
    const root = await io.readBuilder();
    return validate(root, catalog, catalog.namespaces.includes("core") ? "core" : catalog.namespaces[0] ?? "hdmf-common");
  } finally {
    await io.close();
  }
}
