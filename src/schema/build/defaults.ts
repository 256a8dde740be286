/**
 * Ready-made TypeMaps: the bundled hdmf-common classes over a catalog (bundled by default).
 * NWB classes are added by src/nwb (createNwbBuildManager), which knows about them.
 */
import { Container, Data } from "../containers/container.js";
import { DynamicTable, DynamicTableRegion, ElementIdentifiers, VectorData, VectorIndex } from "../containers/table.js";
import { loadBundledCatalog } from "../spec/load.js";
import type { NamespaceCatalog } from "../spec/namespace.js";
import { BuildManager } from "./manager.js";
import { TypeMap, type ContainerClass, type TypeMapOptions } from "./type-map.js";

class HdmfContainer extends Container {
  static override readonly dataType: string = "Container";
  static override readonly namespace: string = "hdmf-common";
}
class HdmfData extends Data {
  static override readonly dataType: string = "Data";
  static override readonly namespace: string = "hdmf-common";
}

/** The container classes for hdmf-common types: Container, Data, VectorData, VectorIndex, ElementIdentifiers, DynamicTableRegion, DynamicTable. */
export const HDMF_COMMON_CLASSES: readonly ContainerClass[] = [
  HdmfContainer, HdmfData as unknown as ContainerClass, VectorData, VectorIndex, ElementIdentifiers as unknown as ContainerClass,
  DynamicTableRegion, DynamicTable,
];

/** A TypeMap over `catalog` with the hdmf-common classes registered (nwbTypeMap adds the NWB ones). */
export function hdmfCommonTypeMap(catalog: NamespaceCatalog, options: TypeMapOptions = {}): TypeMap {
  return new TypeMap(catalog, options).register(...HDMF_COMMON_CLASSES);
}

/** A BuildManager for hdmf-common types (catalog: the bundled one without NWB). */
export async function createBuildManager(options: { catalog?: NamespaceCatalog } & TypeMapOptions = {}): Promise<BuildManager> {
  const catalog = options.catalog ?? (await loadBundledCatalog({ nwb: false }));
  return new BuildManager(hdmfCommonTypeMap(catalog, options));
}
