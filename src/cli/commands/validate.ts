/** `hdmf-ts validate PATH`: check a file against its cached spec; exit 1 when invalid. */
import type { Command } from "commander";
import { validateFile } from "../../nwb-io.js";
import { openOptionsOf, withRemoteOptions, type RemoteFlags } from "./ls.js";
import { maxBytesOf, withMaxBytes, type MaxBytesFlags } from "./manifest.js";

export function registerValidate(program: Command): void {
  withMaxBytes(withRemoteOptions(program.command("validate").argument("<path>", "HDF5 file, Zarr store, s3:// or http(s):// URL")), "scanned (references, regions, indexes)")
    .description("validate an NWB/HDMF file or store against its cached spec")
    .action(async (path: string, flags: RemoteFlags & MaxBytesFlags) => {
      const errors = await validateFile(path, { ...openOptionsOf(flags), ...maxBytesOf(flags) });
      for (const e of errors) process.stdout.write(`${e.path}: ${e.message}\n`);
      process.stdout.write(errors.length === 0 ? `${path}: valid\n` : `${path}: ${errors.length} error(s)\n`);
      if (errors.length > 0) process.exitCode = 1;
    });
}
