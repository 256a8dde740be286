/**
 * The built-in backends the CLI can check, by name. Each gives a fixture factory and a stop()
 * for anything it started (moto for s3 without an endpoint).
 */
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { InvalidInputError } from "../errors.js";
import { MOTO_CREDENTIALS, startMotoServer } from "./moto.js";
import type { FixtureFactory } from "./types.js";

export const BUILTIN_BACKENDS = ["hdf5", "zarr-v2-dir", "zarr-v3-dir", "zarr-v3-sharded", "memory", "zip", "s3"] as const;
export type BuiltinBackend = (typeof BUILTIN_BACKENDS)[number];

export interface BackendSetup {
  readonly name: BuiltinBackend;
  readonly factory: FixtureFactory;
  stop(): Promise<void>;
}

export interface SetupOptions {
  /** S3 endpoint; without it a local moto_server is started. */
  endpoint?: string;
  bucket?: string;
}

export function parseBackends(spec: string): BuiltinBackend[] {
  if (spec === "all") return [...BUILTIN_BACKENDS];
  return spec.split(",").map((s) => s.trim()).map((s) => {
    if (!(BUILTIN_BACKENDS as readonly string[]).includes(s)) {
      throw new InvalidInputError(`unknown backend "${s}": use ${BUILTIN_BACKENDS.join(", ")} or all`, { option: "backend" });
    }
    return s as BuiltinBackend;
  });
}

async function ensureBucket(endpoint: string, bucket: string, credentials: { accessKeyId: string; secretAccessKey: string }): Promise<void> {
  const client = new S3Client({ endpoint, region: process.env.AWS_REGION ?? "us-east-1", forcePathStyle: true, credentials });
  try {
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
  } catch (e) {
    const name = (e as { name?: string }).name;
    if (name !== "BucketAlreadyOwnedByYou" && name !== "BucketAlreadyExists") throw e;
  } finally {
    client.destroy();
  }
}

export async function setupBackend(name: BuiltinBackend, options: SetupOptions = {}): Promise<BackendSetup> {
  const nothing = async (): Promise<void> => undefined;
  const zarr = await import("./fixtures/zarr.js");
  switch (name) {
    case "hdf5": {
      const { hdf5Fixture } = await import("./fixtures/hdf5.js");
      return { name, factory: hdf5Fixture(), stop: nothing };
    }
    case "zarr-v2-dir": return { name, factory: zarr.zarrDirFixture({ zarrFormat: 2 }), stop: nothing };
    case "zarr-v3-dir": return { name, factory: zarr.zarrDirFixture({ zarrFormat: 3 }), stop: nothing };
    case "zarr-v3-sharded": return { name, factory: zarr.zarrDirFixture({ zarrFormat: 3, shards: { chunksPerShard: 8 } }), stop: nothing };
    case "memory": return { name, factory: zarr.zarrMemoryFixture({ zarrFormat: 2 }), stop: nothing };
    case "zip": return { name, factory: zarr.zarrZipFixture({ zarrFormat: 2 }), stop: nothing };
    case "s3": {
      const env = process.env;
      const credentials = env.AWS_ACCESS_KEY_ID && env.AWS_SECRET_ACCESS_KEY
        ? { accessKeyId: env.AWS_ACCESS_KEY_ID, secretAccessKey: env.AWS_SECRET_ACCESS_KEY }
        : { ...MOTO_CREDENTIALS };
      if (options.endpoint) {
        const bucket = options.bucket ?? "hdmf-conformance";
        await ensureBucket(options.endpoint, bucket, credentials);
        return { name, factory: zarr.zarrS3Fixture({ endpoint: options.endpoint, bucket, credentials }, { zarrFormat: 2 }), stop: nothing };
      }
      const moto = await startMotoServer({ bucket: options.bucket });
      return {
        name,
        factory: zarr.zarrS3Fixture({ endpoint: moto.endpoint, bucket: moto.bucket, credentials: { ...MOTO_CREDENTIALS } }, { zarrFormat: 2 }),
        stop: () => moto.stop(),
      };
    }
  }
}
