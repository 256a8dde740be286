/** Shared by the remote tests: fixtures served by the range server and uploaded to moto. */
import { readdirSync, readFileSync, statSync } from "node:fs";
import { join, relative } from "node:path";
import { PutObjectCommand, type S3Client } from "@aws-sdk/client-s3";
import { FIXTURES } from "../export/helpers.js";

export { FIXTURES };
export const HDF5_FIXTURES = ["a_h5dataio.nwb", "b_datachunkiterator.nwb", "c_link_container.nwb", "c_link_copy.nwb", "c_link_source.nwb", "f_tables_refs.nwb"];
export const ZARR_FIXTURES = ["e_zarr_direct.nwb.zarr"];

/** Upload a fixture (file or folder) to s3://bucket/prefix/name through a backdoor client. */
export async function upload(client: S3Client, bucket: string, prefix: string, name: string): Promise<void> {
  const root = join(FIXTURES, name);
  const files: string[] = [];
  const walk = (p: string): void => {
    if (statSync(p).isDirectory()) for (const n of readdirSync(p)) walk(join(p, n));
    else files.push(p);
  };
  walk(root);
  for (const f of files) {
    const rel = relative(FIXTURES, f).split("\\").join("/");
    await client.send(new PutObjectCommand({ Bucket: bucket, Key: `${prefix}/${rel}`, Body: readFileSync(f) }));
  }
}
