/**
 * A local moto_server for tests: the library's starter (src/conformance/moto.ts: free
 * 127.0.0.1 port, own process group, stop by pid, exit hook) plus a client with dummy
 * credentials for backdoor reads and writes.
 *
 *   let moto: Moto;
 *   beforeAll(async () => { moto = await startMoto(); });
 *   afterAll(async () => { await moto?.stop(); });
 */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { freePort, MOTO_CREDENTIALS, startMotoServer } from "../../src/conformance/moto.js";

export { freePort, MOTO_CREDENTIALS };
export const MOTO_REGION = "us-east-1";

export interface Moto {
  readonly endpoint: string;
  readonly bucket: string;
  readonly pid: number;
  /** A client with dummy credentials, for backdoor reads and writes. */
  readonly client: S3Client;
  createBucket(name: string): Promise<void>;
  stop(): Promise<void>;
}

export function motoClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS,
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
  });
}

export async function startMoto(options: { bucket?: string; bin?: string } = {}): Promise<Moto> {
  const server = await startMotoServer({ bucket: options.bucket ?? "hdmf-test", ...(options.bin ? { bin: options.bin } : {}) });
  const client = motoClient(server.endpoint);
  let stopped: Promise<void> | undefined;
  return {
    endpoint: server.endpoint, bucket: server.bucket, pid: server.pid, client,
    async createBucket(name: string) { await client.send(new CreateBucketCommand({ Bucket: name })); },
    stop: () => (stopped ??= (async () => { client.destroy(); await server.stop(); })()),
  };
}
