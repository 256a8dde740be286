/** `hdmf-ts ls PATH`: the tree with types, shapes, dtypes, chunking, codecs and links. */
import type { Command } from "commander";
import type { OpenIOOptions } from "../../backends/factory.js";
import { ls } from "../../inspect/ls.js";
import { InvalidInputError } from "../../errors.js";

export interface RemoteFlags { endpoint?: string; region?: string; header?: string[] }

/** --endpoint / --region for s3:// paths (credentials: the AWS default chain); --header for http(s):// URLs. */
export function withRemoteOptions(cmd: Command): Command {
  return cmd
    .option("--endpoint <url>", "S3-compatible endpoint for s3:// paths (credentials from the AWS default chain)")
    .option("--region <name>", "S3 region for s3:// paths")
    .option("--header <name:value...>", "HTTP header for http(s):// URLs, e.g. \"Authorization: Bearer TOKEN\" (repeatable)");
}

export function openOptionsOf(flags: RemoteFlags): Omit<OpenIOOptions<unknown>, "manager"> {
  const headers: Record<string, string> = {};
  for (const h of flags.header ?? []) {
    const at = h.indexOf(":");
    if (at <= 0) throw new InvalidInputError(`--header "${h}": expected "Name: value"`, { option: "header" });
    headers[h.slice(0, at).trim()] = h.slice(at + 1).trim();
  }
  const http = Object.keys(headers).length ? { http: { headers } } : {};
  if (!flags.endpoint && !flags.region) return http;
  return { ...http, s3: { ...(flags.endpoint ? { endpoint: flags.endpoint, forcePathStyle: true } : {}), ...(flags.region ? { region: flags.region } : {}) } };
}

export function registerLs(program: Command): void {
  withRemoteOptions(program.command("ls").argument("<path>", "HDF5 file, Zarr store, s3:// or http(s):// URL"))
    .description("list a file or store: groups, datasets (dtype, shape, chunks, codecs) and links")
    .action(async (path: string, flags: RemoteFlags) => {
      process.stdout.write(`${await ls(path, openOptionsOf(flags))}\n`);
    });
}
