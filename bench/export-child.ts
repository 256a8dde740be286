/** bench/export.ts child: one hdmf-ts export, timed, with its own peak RSS. */
import { exportTo } from "../src/backends/export-target.js";

const [src, dst, format] = process.argv.slice(2);
const t0 = performance.now();
const r = await exportTo(src!, dst!, { format: format as "zarr" | "hdf5", overwrite: true });
const seconds = (performance.now() - t0) / 1000;
process.stdout.write(`${JSON.stringify({ seconds, peakRssMB: process.resourceUsage().maxRSS / 1024, chunks: r.chunks, rawChunks: r.rawChunks, bytes: r.bytes })}\n`);
