/** The conformance suite against ZarrIO on S3 (moto on 127.0.0.1, started and stopped here). */
import { afterAll, beforeAll } from "vitest";
import { describeBackendConformance } from "hdmf-ts/conformance/vitest";
import { zarrS3Fixture } from "../../src/conformance/fixtures/zarr.js";
import { MOTO_CREDENTIALS, startMotoServer, type MotoServer } from "../../src/conformance/moto.js";
import type { FixtureFactory } from "../../src/conformance/types.js";

let moto: MotoServer | undefined;
let factory: FixtureFactory | undefined;
beforeAll(async () => {
  moto = await startMotoServer();
  factory = zarrS3Fixture({ endpoint: moto.endpoint, bucket: moto.bucket, credentials: MOTO_CREDENTIALS }, { zarrFormat: 2 });
});
afterAll(async () => { await moto?.stop(); });

describeBackendConformance("zarr-s3", () => factory!(), { figureFile: ".cache/figures/conformance-zarr-s3.txt" });
