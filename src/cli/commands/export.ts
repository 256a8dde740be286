/** `hdmf-ts export SRC DST`: any backend to any backend, links preserved or resolved. */
import type { Command } from "commander";
import { InvalidInputError } from "../../errors.js";
import type { CodecConfig } from "../../data/codec-config.js";
import type { BackendFormat } from "../../backends/factory.js";
import { exportTo } from "../../backends/export-target.js";
import { exportProgressBar } from "../progress.js";
import { openOptionsOf, withRemoteOptions, type RemoteFlags } from "./ls.js";

interface ExportFlags extends RemoteFlags {
  format?: string; links: string; allowBrokenLinks?: boolean; codec?: string; strictCodecs?: boolean; shard?: string; overwrite?: boolean; quiet?: boolean;
}

function parseCodec(text: string | undefined): CodecConfig | undefined {
  if (text === undefined) return undefined;
  let v: unknown;
  try { v = JSON.parse(text); } catch (e) { throw new InvalidInputError(`--codec must be a JSON codec config like '{"id":"zlib","level":4}': ${(e as Error).message}`, { option: "codec" }); }
  if (typeof v !== "object" || v === null || typeof (v as { id?: unknown }).id !== "string") throw new InvalidInputError(`--codec needs an object with a string "id"`, { option: "codec" });
  return v as CodecConfig;
}

export function registerExport(program: Command): void {
  withRemoteOptions(program.command("export").argument("<src>", "source file or store (also s3:// or http(s):// URL)").argument("<dst>", "destination (must not exist unless --overwrite)"))
    .description("copy a file or store to another backend (HDF5 <-> Zarr v2/v3), keeping chunks, codecs, links")
    .option("--format <format>", "destination format: zarr, zarr3 or hdf5 (default: from the name)")
    .option("--links <policy>", "preserve (keep soft/external links; files linked in the other format are converted beside DST and the links pointed at them) or resolve (copy linked content in)", "preserve")
    .option("--allow-broken-links", "keep links whose target cannot be opened (reported) instead of failing")
    .option("--codec <json>", "codec that re-encodes datasets whose compressor the destination cannot express (default: blosc-lz4 for zarr, zstd for zarr3, zlib 4 for hdf5), e.g. '{\"id\":\"zlib\",\"level\":4}'")
    .option("--strict-codecs", "fail (exit 1) on a codec the destination cannot express instead of re-encoding it")
    .option("--shard <n|auto>", "Zarr v3: chunks per shard along the first axis, or auto (zarr-python's automatic shard shape)")
    .option("--overwrite", "replace an existing destination")
    .option("--quiet", "no progress bar")
    .action(async (src: string, dst: string, flags: ExportFlags) => {
      if (flags.format !== undefined && !["zarr", "zarr3", "hdf5"].includes(flags.format)) throw new InvalidInputError(`--format must be zarr, zarr3 or hdf5, not ${flags.format}`, { option: "format" });
      if (flags.links !== "preserve" && flags.links !== "resolve") throw new InvalidInputError(`--links must be preserve or resolve, not ${flags.links}`, { option: "links" });
      const shards = flags.shard === undefined || flags.shard === "auto" ? flags.shard : Number(flags.shard);
      if (typeof shards === "number" && (!Number.isInteger(shards) || shards < 1)) throw new InvalidInputError(`--shard must be a positive integer or auto, not ${flags.shard}`, { option: "shard" });
      const bar = exportProgressBar(!flags.quiet && process.stderr.isTTY === true);
      try {
        const report = await exportTo(src, dst, {
          ...(flags.format ? { format: flags.format as BackendFormat } : {}),
          links: flags.links, allowBrokenLinks: flags.allowBrokenLinks ?? false, fallbackCodec: parseCodec(flags.codec), strictCodecs: flags.strictCodecs ?? false,
          ...(shards ? { shards } : {}), overwrite: flags.overwrite ?? false, openOptions: openOptionsOf(flags),
          onProgress: (p) => bar.update(p),
        });
        bar.stop();
        for (const n of report.notes) process.stderr.write(`note: ${n}\n`);
        for (const b of report.links.broken) process.stderr.write(`warning: broken link kept: ${b}\n`);
        process.stderr.write(`exported ${src} -> ${dst}: ${(report.bytes / 1048576).toFixed(1)} MB in ${report.chunks} chunks (${report.rawChunks} copied raw), links preserved ${report.links.preserved}, resolved ${report.links.resolved}, ${report.seconds.toFixed(2)} s\n`);
        for (const f of report.files) process.stderr.write(`wrote ${f}\n`);
      } finally {
        bar.stop();
      }
    });
}
