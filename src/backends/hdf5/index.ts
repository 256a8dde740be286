/** The HDF5 backend: HDF5IO over the wasm core, chunks through the shared codec pipeline. */
export { HDF5IO, openHdf5, type HDF5IOOptions } from "./hdf5-io.js";
export { Hdf5Dataset } from "./dataset.js";
export { planCreate, requestFor, filterEntry, numpyItemsize, type CreatePlan } from "./dcpl.js";
export { SPEC_GROUP } from "./spec-cache.js";
