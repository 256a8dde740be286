/** The schema layer: specs, containers, builders <-> containers, validation. Knows no backend. */
export * from "./spec/index.js";
export * from "./build/index.js";
export { createBuildManager, hdmfCommonTypeMap, HDMF_COMMON_CLASSES } from "./build/defaults.js";
export * from "./containers/container.js";
export * from "./containers/table.js";
export * from "./builders.js";
export * from "./validate/index.js";
