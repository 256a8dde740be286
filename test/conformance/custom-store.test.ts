/** The suite against ZarrIO on the user-written store of examples/custom-store.ts. */
import { describeBackendConformance } from "hdmf-ts/conformance/vitest";
import { kvStoreFixture } from "../../examples/custom-store.js";

describeBackendConformance("custom-store", kvStoreFixture, { figureFile: ".cache/figures/conformance-custom-store.txt" });
