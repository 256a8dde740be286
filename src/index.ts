/** hdmf-ts: HDMF / NWB data in HDF5 files and Zarr stores. */
export * from "./errors.js";
export * from "./data/dtype.js";
export * from "./data/selection.js";
export * from "./data/reference.js";
export * from "./data/ndarray.js";
export * from "./data/iterators.js";
export * from "./data/data-io.js";
export * from "./data/data-source.js";
export * from "./data/codec-config.js";
export * from "./backends/io.js";
export * from "./backends/chunk-plan.js";
export * from "./backends/chunk-guess.js";
export * from "./schema/builders.js";
export { VERSION } from "./version.js";
