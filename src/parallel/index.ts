/** Parallel and distributed writes: launcher-given rank/size, a store barrier, chunk-aligned regions, the collective pattern. */
export * from "./rank.js";
export * from "./regions.js";
export * from "./barrier.js";
export * from "./collective.js";
export { consolidateStore, type ConsolidateResult } from "../backends/factory.js";
