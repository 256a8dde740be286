/**
 * `hdmf-ts tour`: the tutorial (../shared/seed/pynwb-advanced-data-io.txt) end to end on a
 * built-in example, on HDF5 and Zarr (local or S3), then exports both ways. Progress goes to
 * stderr; the summary table and where the files are go to stdout.
 */
import { mkdtemp } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { InvalidInputError } from "../../errors.js";
import type { S3Options } from "../../backends/factory.js";
import { createNwbBuildManager } from "../../nwb/index.js";
import { TourContext, type TourRow } from "./context.js";
import { CHANNELS } from "./data.js";
import { exportResolved, multiFile } from "./steps-links.js";
import {
  BACKENDS, chunking, compression, dataChunkIterator, genericIterator, pluginFilters, prepareRawFile, userDefinedWrite,
} from "./steps-write.js";

export interface TourOptions {
  out?: string;
  /** Size of the built-in recording in MB (default 32). */
  mb?: number;
  /** s3://bucket/prefix: write the Zarr side there instead of OUT/zarr. */
  s3?: string;
  endpoint?: string;
  /** Where progress lines go (default stderr). */
  log?: (line: string) => void;
}

export interface TourResult {
  out: string;
  zarrBase: string;
  rows: TourRow[];
  seconds: number;
}

export async function runTour(options: TourOptions = {}): Promise<TourResult> {
  const mb = options.mb ?? 32;
  if (!Number.isFinite(mb) || mb <= 0) throw new InvalidInputError(`--mb must be a positive number, got ${String(options.mb)}`, { option: "mb" });
  if (options.endpoint && !options.s3) throw new InvalidInputError("--endpoint needs --s3 s3://bucket/prefix", { option: "endpoint" });
  if (options.s3 && !options.s3.startsWith("s3://")) throw new InvalidInputError(`--s3 must be an s3:// URL, got ${options.s3}`, { option: "s3" });
  const out = options.out ? resolve(options.out) : await mkdtemp(join(tmpdir(), "hdmf-ts-tour-"));
  const s3: S3Options = options.endpoint ? { endpoint: options.endpoint, forcePathStyle: true, region: process.env.AWS_REGION ?? "us-east-1" } : {};
  const zarrBase = options.s3 ? options.s3.replace(/\/+$/, "") : join(out, "zarr");
  const t0 = performance.now();
  const log = options.log ?? ((line: string) => process.stderr.write(`[tour ${((performance.now() - t0) / 1000).toFixed(1)}s] ${line}\n`));
  const ctx = new TourContext(out, zarrBase, s3, await createNwbBuildManager(), mb, log);
  await ctx.init();

  const rows = Math.round((mb * 1e6) / (CHANNELS * 2));
  const rawRows = Math.max(1000, Math.round(rows / 4));
  log(`built-in example: a ${CHANNELS}-channel int16 recording, ${rows} samples (${(rows * CHANNELS * 2 / 1e6).toFixed(1)} MB); files in ${out}${options.s3 ? ` and ${zarrBase}` : ""}`);
  const rawFile = await prepareRawFile(ctx, rawRows);
  const recordings = new Map<string, string>();
  for (const backend of BACKENDS) {
    await chunking(ctx, backend);
    await compression(ctx, backend);
    await pluginFilters(ctx, backend);
    await dataChunkIterator(ctx, backend, rawFile, rawRows);
    recordings.set(backend, await genericIterator(ctx, backend, rows));
    await userDefinedWrite(ctx, backend);
  }
  log("7 parallel: see examples/parallel-write.ts (mpirun / srun / Kubernetes; Zarr on shared storage)");
  const links = new Map<string, string>();
  for (const backend of BACKENDS) links.set(backend, await multiFile(ctx, backend, recordings.get(backend)!));
  for (const backend of BACKENDS) await exportResolved(ctx, backend, links.get(backend)!, rows);
  return { out, zarrBase, rows: ctx.rows, seconds: (performance.now() - t0) / 1000 };
}

export function summaryTable(rows: readonly TourRow[]): string[][] {
  const table = [["section", "dataset", "backend", "MB raw", "stored bytes", "ratio", "write MB/s"]];
  for (const r of rows) {
    table.push([
      r.section, r.dataset.replace(/^\/acquisition\//, "").replace(/\/data$/, ""), r.backend, (r.raw / 1e6).toFixed(2), String(r.stored),
      r.stored > 0 ? (r.raw / r.stored).toFixed(2) : "-", // Under half a MB, open/close dominates: a rate would mislead.
      r.seconds > 0 && r.raw >= 5e5 ? (r.raw / 1e6 / r.seconds).toFixed(1) : "-",
    ]);
  }
  return table;
}

export function formatTable(rows: readonly (readonly string[])[]): string {
  const widths = rows[0]!.map((_, i) => Math.max(...rows.map((r) => r[i]!.length)));
  return rows.map((r) => r.map((c, i) => c.padEnd(widths[i]!)).join("  ").trimEnd()).join("\n") + "\n";
}
