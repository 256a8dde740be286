/** `hdmf-ts manifest PATH`: JSON in the format of ../shared/fixtures/manifest.json's per-file entry. */
import type { Command } from "commander";
import { manifest } from "../../inspect/manifest.js";
import { stringifyJson } from "../../inspect/render.js";
import { openOptionsOf, withRemoteOptions, type RemoteFlags } from "./ls.js";

export function registerManifest(program: Command): void {
  withRemoteOptions(program.command("manifest").argument("<path>", "HDF5 file, Zarr store, s3:// or http(s):// URL"))
    .description("describe every object and checksum every dataset (oracle manifest format, diffable with manifest.json)")
    .action(async (path: string, flags: RemoteFlags) => {
      process.stdout.write(`${stringifyJson(await manifest(path, openOptionsOf(flags)), 1)}\n`);
    });
}
