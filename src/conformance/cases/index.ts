/** Every case of the suite, in report order. */
import type { ConformanceCase } from "../types.js";
import { dtypeCases } from "./dtypes.js";
import { linkCases } from "./links.js";
import { modeCases } from "./modes.js";
import { nwbCase } from "./nwb.js";
import { regionCases } from "./region.js";
import { specCases } from "./spec.js";
import { storageCases } from "./storage.js";
import { storeCases } from "./store.js";
import { structureCases } from "./structure.js";

/** Every case of the suite, in report order: structure, dtypes, links, storage, regions, modes, specs, NWB, store. */
export const CONFORMANCE_CASES: readonly ConformanceCase[] = [
  ...structureCases, ...dtypeCases, ...linkCases, ...storageCases, ...regionCases, ...modeCases, ...specCases, nwbCase, ...storeCases,
];
