/** The suite against ZarrIO on the user-written store of examples/custom-store.ts. */
import { describeBackendConformance } from "../../src/conformance/vitest.js";
import { kvStoreFixture } from "../../examples/custom-store.js";

describeBackendConformance("custom-store", kvStoreFixture, { figureFile: ".cache/figures/conformance-custom-store.txt" });
