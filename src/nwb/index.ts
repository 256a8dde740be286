/** NWB containers and the NWB BuildManager (pynwb's I/O half). */
import { BuildManager } from "../schema/build/manager.js";
import { hdmfCommonTypeMap } from "../schema/build/defaults.js";
import type { ContainerClass, TypeMap, TypeMapOptions } from "../schema/build/type-map.js";
import { loadBundledCatalog } from "../schema/spec/load.js";
import type { NamespaceCatalog } from "../schema/spec/namespace.js";
import {
  Device, ElectricalSeries, ElectrodeGroup, NWBContainer, NWBDataInterface, ProcessingModule, ScratchData, Subject,
  TimeSeries, TimeSeriesReferenceVectorData,
} from "./base.js";
import { NWBFile } from "./file.js";
import { TimeIntervals, Units } from "./tables.js";

export * from "./base.js";
export * from "./file.js";
export * from "./tables.js";

/** The container classes for NWB core types that nwbTypeMap registers (NWBFile, TimeSeries, ElectricalSeries, Units...). */
export const NWB_CLASSES: readonly ContainerClass[] = [
  NWBContainer, NWBDataInterface, TimeSeries, ElectricalSeries, ProcessingModule, Device, ElectrodeGroup,
  Subject as unknown as ContainerClass, ScratchData, TimeSeriesReferenceVectorData as unknown as ContainerClass,
  NWBFile as unknown as ContainerClass, TimeIntervals, Units as unknown as ContainerClass,
];

/** hdmf-common + NWB classes over a catalog that has the "core" namespace. */
export function nwbTypeMap(catalog: NamespaceCatalog, options: TypeMapOptions = {}): TypeMap {
  return hdmfCommonTypeMap(catalog, options).register(...NWB_CLASSES);
}

/**
 * A BuildManager for NWB files. `catalog` defaults to the bundled schemas; pass the catalog
 * from a file's cached spec (loadCachedSpecs) to read that file with its own spec.
 */
export async function createNwbBuildManager(options: { catalog?: NamespaceCatalog } & TypeMapOptions = {}): Promise<BuildManager> {
  const catalog = options.catalog ?? (await loadBundledCatalog());
  return new BuildManager(nwbTypeMap(catalog, options));
}
