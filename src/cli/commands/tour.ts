/**
 * `hdmf-ts tour`: the main job on a built-in example. It grows with the backends; today it
 * streams a generated recording through a GenericDataChunkIterator and the chunk planner,
 * compresses every chunk, and reads the chunks back to check every value.
 */
import type { Command } from "commander";
import { runTour, type TourOptions } from "../tour/run.js";

export function registerTour(program: Command): void {
  program
    .command("tour")
    .description("run the tutorial on a built-in example and print a summary")
    .option("--out <dir>", "where to write the example files (default: a new temporary folder)")
    .option("--mb <n>", "size of the generated recording in MB", "64")
    .action(async (opts: { out?: string; mb: string }) => {
      const options: TourOptions = { out: opts.out, mb: Number(opts.mb) };
      await runTour(options);
    });
}
