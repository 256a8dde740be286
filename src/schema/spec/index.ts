export * from "./spec.js";
export * from "./dataset-spec.js";
export { GroupSpec, type GroupSpecInit } from "./group-spec.js";
export { NamespaceCatalog, SpecNamespace, type SchemaEntry, type SourceReader, type TypeSpec } from "./namespace.js";
export { SpecParser, PRIMARY_DTYPES, type SpecDict } from "./parse.js";
export { cacheSpecs, loadCachedSpecs, copyForCache, type CachedSpecEntry } from "./cache.js";
export { loadNamespaceFile, loadBundledCatalog, bundledSchemaDir, parseSpecText, BUNDLED_NAMESPACE_FILES } from "./load.js";
export { pyJsonDumps, parseYamlKeepingFloats, unwrapNumber, toPlain, type PyJson } from "./pyjson.js";
export { pyFloatRepr } from "../../data/py-json.js";
