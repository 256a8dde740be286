/**
 * `hdmf-ts tour`: the whole tutorial on a built-in example (HDF5 + Zarr + export both ways),
 * progress on stderr, then a summary table and where the files are.
 */
import type { Command } from "commander";
import { formatTable, runTour, summaryTable } from "../tour/run.js";

export function registerTour(program: Command): void {
  program
    .command("tour")
    .description("run the advanced data I/O tutorial on a built-in example (HDF5, Zarr, export both ways) and print a summary")
    .option("--out <dir>", "where to write the example files (default: a new temporary folder)")
    .option("--mb <n>", "size of the built-in recording in MB", "32")
    .option("--s3 <url>", "write the Zarr side to s3://bucket/prefix instead of OUT/zarr")
    .option("--endpoint <url>", "S3 endpoint (MinIO, moto, ...); credentials come from the usual AWS variables")
    .action(async (opts: { out?: string; mb: string; s3?: string; endpoint?: string }) => {
      const result = await runTour({ out: opts.out, mb: Number(opts.mb), s3: opts.s3, endpoint: opts.endpoint });
      process.stdout.write(formatTable(summaryTable(result.rows)));
      process.stdout.write(`\ntour done in ${result.seconds.toFixed(1)} s; files in ${result.out}${result.zarrBase.startsWith("s3://") ? ` and ${result.zarrBase}` : ""}\n`);
      // what this run verified itself; the Python readers are run on the same files by test/examples
      process.stdout.write("every dataset was read back and compared with what was written\n");
    });
}
