/** The conformance suite against HDF5IO; the backdoor is h5wasm. */
import { describeBackendConformance } from "hdmf-ts/conformance/vitest";
import { hdf5Fixture } from "../../src/conformance/fixtures/hdf5.js";

describeBackendConformance("hdf5", hdf5Fixture(), { figureFile: ".cache/figures/conformance-hdf5.txt" });
