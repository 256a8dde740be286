import { randomUUID } from "node:crypto";
import {
  DeleteBucketCommand, DeleteObjectsCommand, GetObjectCommand, ListObjectsV2Command, PutObjectCommand,
} from "@aws-sdk/client-s3";
import { afterAll, beforeAll } from "vitest";
import { S3Store } from "../../src/stores/s3-store.js";
import type { StoreKey } from "../../src/stores/store.js";
import { MOTO_CREDENTIALS, startMoto, type Moto } from "../helpers/moto.js";
import { describeStoreSuite, type Entries } from "./store-suite.js";

let moto: Moto;
beforeAll(async () => { moto = await startMoto(); });
afterAll(async () => { await moto?.stop(); });

const PREFIX = "runs/one";

describeStoreSuite("S3Store(moto)", async () => {
  // A fresh bucket per case, so the backdoor listing sees anything written outside the prefix too.
  const bucket = `b-${randomUUID().slice(0, 8)}`;
  await moto.createBucket(bucket);
  const c = moto.client;
  const seed = async (entries: Entries | undefined) => {
    for (const [k, v] of entries ?? []) {
      await c.send(new PutObjectCommand({ Bucket: bucket, Key: `${PREFIX}${k}`, Body: v }));
    }
  };
  const make = (readOnly: boolean) => new S3Store({
    bucket, prefix: PREFIX, endpoint: moto.endpoint, forcePathStyle: true, credentials: MOTO_CREDENTIALS, readOnly,
  });
  const allKeys = async (): Promise<string[]> => {
    const out = await c.send(new ListObjectsV2Command({ Bucket: bucket }));
    return (out.Contents ?? []).map((o) => o.Key!);
  };
  return {
    async open(entries?: Entries) { await seed(entries); return make(false); },
    async openReadOnly(entries: Entries) { await seed(entries); return make(true); },
    async peek(key: StoreKey) {
      try {
        const out = await c.send(new GetObjectCommand({ Bucket: bucket, Key: `${PREFIX}${key}` }));
        return await out.Body!.transformToByteArray();
      } catch (e) {
        if ((e as { name?: string }).name === "NoSuchKey") return undefined;
        throw e;
      }
    },
    async peekKeys() {
      return (await allKeys()).map((k) => (k.startsWith(`${PREFIX}/`) ? k.slice(PREFIX.length) : `/OUTSIDE/${k}`) as StoreKey).sort();
    },
    async dispose() {
      const keys = await allKeys();
      if (keys.length) await c.send(new DeleteObjectsCommand({ Bucket: bucket, Delete: { Objects: keys.map((Key) => ({ Key })) } }));
      await c.send(new DeleteBucketCommand({ Bucket: bucket }));
    },
  };
});
