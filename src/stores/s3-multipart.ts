/**
 * Multipart upload for one large value: create, upload parts (each retried on its own, at
 * most 4 in flight), complete; on failure the upload is aborted so no parts linger billed.
 */
import {
  AbortMultipartUploadCommand, CompleteMultipartUploadCommand, CreateMultipartUploadCommand, UploadPartCommand,
  type CompletedPart,
} from "@aws-sdk/client-s3";
import { Limiter } from "../data/queue.js";
import type { S3Store } from "./s3-store.js";
import type { StoreKey } from "./store.js";

const PARTS_IN_FLIGHT = 4;

export async function uploadMultipart(
  store: S3Store, key: StoreKey, objectKey: string, value: Uint8Array, partSize: number,
): Promise<void> {
  const { client, bucket } = store;
  const created = await store.request("puts", key, "set", () =>
    client.send(new CreateMultipartUploadCommand({ Bucket: bucket, Key: objectKey })));
  const UploadId = created.UploadId;
  try {
    const limiter = new Limiter(PARTS_IN_FLIGHT);
    const count = Math.ceil(value.byteLength / partSize);
    const parts: CompletedPart[] = await Promise.all(Array.from({ length: count }, (_, i) => limiter.run(async () => {
      const Body = value.subarray(i * partSize, Math.min(value.byteLength, (i + 1) * partSize));
      const out = await store.request("parts", key, "set", () => client.send(new UploadPartCommand({
        Bucket: bucket, Key: objectKey, UploadId, PartNumber: i + 1, Body, ContentLength: Body.byteLength,
      })));
      return { PartNumber: i + 1, ETag: out.ETag };
    })));
    await store.request("puts", key, "set", () => client.send(new CompleteMultipartUploadCommand({
      Bucket: bucket, Key: objectKey, UploadId, MultipartUpload: { Parts: parts },
    })));
  } catch (e) {
    await client.send(new AbortMultipartUploadCommand({ Bucket: bucket, Key: objectKey, UploadId })).catch(() => undefined);
    throw e;
  }
}
