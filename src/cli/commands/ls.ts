/** `hdmf-ts ls PATH`: the tree with types, shapes, dtypes, chunking, codecs and links. */
import type { Command } from "commander";
import type { OpenIOOptions } from "../../backends/factory.js";
import { ls } from "../../inspect/ls.js";

export interface RemoteFlags { endpoint?: string; region?: string }

/** --endpoint / --region for s3:// paths (credentials: the AWS default chain). */
export function withRemoteOptions(cmd: Command): Command {
  return cmd
    .option("--endpoint <url>", "S3-compatible endpoint for s3:// paths (credentials from the AWS default chain)")
    .option("--region <name>", "S3 region for s3:// paths");
}

export function openOptionsOf(flags: RemoteFlags): Omit<OpenIOOptions<unknown>, "manager"> {
  if (!flags.endpoint && !flags.region) return {};
  return { s3: { ...(flags.endpoint ? { endpoint: flags.endpoint, forcePathStyle: true } : {}), ...(flags.region ? { region: flags.region } : {}) } };
}

export function registerLs(program: Command): void {
  withRemoteOptions(program.command("ls").argument("<path>", "HDF5 file, Zarr store or s3:// URL"))
    .description("list a file or store: groups, datasets (dtype, shape, chunks, codecs) and links")
    .action(async (path: string, flags: RemoteFlags) => {
      process.stdout.write(`${await ls(path, openOptionsOf(flags))}\n`);
    });
}
