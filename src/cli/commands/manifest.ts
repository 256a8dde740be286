/** `hdmf-ts manifest PATH`: JSON in the format of ../shared/fixtures/manifest.json's per-file entry. */
import type { Command } from "commander";
import { manifest } from "../../inspect/manifest.js";
import { stringifyJson } from "../../inspect/render.js";
import { DEFAULT_MAX_BYTES, formatBytes, parseByteSize } from "../../inspect/size-limit.js";
import { openOptionsOf, withRemoteOptions, type RemoteFlags } from "./ls.js";

export interface MaxBytesFlags { maxBytes?: string }

/** --max-bytes: the per-dataset bound on values read (manifest checksums, validate scans). */
export function withMaxBytes(cmd: Command, what: string): Command {
  return cmd.option("--max-bytes <size>", `most bytes of values ${what} per dataset, e.g. 64GiB, 1e12 or none (default ${formatBytes(DEFAULT_MAX_BYTES)}); a larger dataset is refused with an error naming it`);
}

export function maxBytesOf(flags: MaxBytesFlags): { maxBytes?: number } {
  return flags.maxBytes === undefined ? {} : { maxBytes: parseByteSize(flags.maxBytes) };
}

export function registerManifest(program: Command): void {
  withMaxBytes(withRemoteOptions(program.command("manifest").argument("<path>", "HDF5 file, Zarr store, s3:// or http(s):// URL")), "checksummed")
    .description("describe every object and checksum every dataset (oracle manifest format, diffable with manifest.json)")
    .action(async (path: string, flags: RemoteFlags & MaxBytesFlags) => {
      process.stdout.write(`${stringifyJson(await manifest(path, { ...openOptionsOf(flags), ...maxBytesOf(flags) }), 1)}\n`);
    });
}
