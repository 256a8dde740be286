/** Codecs shared by the HDF5 and Zarr backends: registry, pipelines, mappings. */
export * from "./codec.js";
export { CodecRegistry, type CodecEntry, type CodecRole, type CodecLoader, type Hdf5FilterLoader, type ZarrV3Loader } from "./registry.js";
export { createDefaultRegistry } from "./default-registry.js";
export { CodecPipeline, type ChunkInput, type ManyOptions } from "./pipeline.js";
export { mapOrdered } from "../data/queue.js";
export { contextChain, type Hdf5Encoded } from "./chain.js";
export { CodecWorkerPool, sharedWorkerPool } from "./worker-pool.js";
export type { DecodeTarget } from "./decode-target.js";
export {
  canCopyRaw, pipelineFromHdf5Filters, pipelineToHdf5Filters, pipelineFromZarrV2, pipelineToZarrV2,
  pipelineFromZarrV3, pipelineToZarrV3, type MapOptions,
} from "./mapping.js";
export { fletcher32 } from "./fletcher32.js";
export { PICKLE_GLOBALS } from "./pickle-numpy.js";
