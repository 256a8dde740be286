/** Every subcommand, registered in one place, each with an example invocation in its --help. */
import type { Command } from "commander";
import { registerTour } from "./tour.js";
import { registerLs } from "./ls.js";
import { registerManifest } from "./manifest.js";
import { registerExport } from "./export.js";
import { registerValidate } from "./validate.js";
import { registerConformance } from "./conformance.js";

/** Example invocations shown under `hdmf-ts <command> --help`. */
export const COMMAND_EXAMPLES: Readonly<Record<string, readonly string[]>> = {
  tour: ["hdmf-ts tour --out ./tour --mb 8", "hdmf-ts tour --s3 s3://my-bucket/tour --endpoint http://127.0.0.1:9000"],
  ls: ["hdmf-ts ls recording.nwb", "hdmf-ts ls s3://my-bucket/recording.nwb.zarr --endpoint http://127.0.0.1:9000", "hdmf-ts ls https://example.org/data/recording.nwb"],
  manifest: ["hdmf-ts manifest recording.nwb > manifest.json", "hdmf-ts manifest https://example.org/data/recording.nwb --header \"Authorization: Bearer TOKEN\""],
  export: [
    "hdmf-ts export recording.nwb recording.nwb.zarr",
    "hdmf-ts export recording.nwb recording.zarr3 --format zarr3 --shard 16 --links resolve",
    "hdmf-ts export recording.nwb.zarr copy.nwb --codec '{\"id\":\"zlib\",\"level\":4}'",
    "hdmf-ts export https://example.org/data/recording.nwb s3://my-bucket/recording.nwb.zarr",
  ],
  validate: ["hdmf-ts validate recording.nwb"],
  conformance: ["hdmf-ts conformance --backend memory,zarr-v3-sharded --only dtype. store.", "hdmf-ts conformance --backend all --json"],
};

export function registerCommands(program: Command): void {
  registerTour(program);
  registerLs(program);
  registerManifest(program);
  registerExport(program);
  registerValidate(program);
  registerConformance(program);
  for (const command of program.commands) {
    const examples = COMMAND_EXAMPLES[command.name()];
    if (examples?.length) command.addHelpText("after", `\nExample${examples.length > 1 ? "s" : ""}:\n${examples.map((e) => `  $ ${e}`).join("\n")}\n`);
  }
}
