/** The conformance suite against ZarrIO: v2 and v3 directories, v3 sharded, memory, zip. */
import { describeBackendConformance } from "hdmf-ts/conformance/vitest";
import { zarrDirFixture, zarrMemoryFixture, zarrZipFixture } from "../../src/conformance/fixtures/zarr.js";

const fig = (n: string) => `.cache/figures/conformance-${n}.txt`;

describeBackendConformance("zarr-v2-dir", zarrDirFixture({ zarrFormat: 2 }), { figureFile: fig("zarr-v2-dir") });
describeBackendConformance("zarr-v3-dir", zarrDirFixture({ zarrFormat: 3 }), { figureFile: fig("zarr-v3-dir") });
describeBackendConformance("zarr-v3-sharded", zarrDirFixture({ zarrFormat: 3, shards: { chunksPerShard: 8 } }), { figureFile: fig("zarr-v3-sharded") });
describeBackendConformance("zarr-memory", zarrMemoryFixture({ zarrFormat: 2 }), { figureFile: fig("zarr-memory") });
describeBackendConformance("zarr-zip", zarrZipFixture({ zarrFormat: 2 }), { figureFile: fig("zarr-zip") });
