/**
 * The export progress bar on stderr (cli-progress): bytes copied of the total, chunks per
 * second, ETA. Silent when stderr is not a terminal (pipes, CI logs) or with --quiet.
 */
import cliProgress from "cli-progress";
import type { ExportProgress } from "../backends/export.js";

export interface ProgressBar {
  update(p: ExportProgress): void;
  stop(): void;
}

const MB = 1024 * 1024;

export function exportProgressBar(enabled = process.stderr.isTTY === true): ProgressBar {
  if (!enabled) return { update() {}, stop() {} };
  const bar = new cliProgress.SingleBar({
    stream: process.stderr,
    format: "{bar} {percentage}% | {mb}/{totalMb} MB | {rate} chunks/s | ETA {eta_formatted} | {dataset}",
    hideCursor: true,
    etaBuffer: 50,
  }, cliProgress.Presets.shades_classic);
  const t0 = performance.now();
  let started = false;
  let file: string | undefined;
  return {
    update(p) {
      const payload = {
        mb: (p.bytes / MB).toFixed(1), totalMb: (p.totalBytes / MB).toFixed(1),
        rate: (p.chunks / Math.max(1e-3, (performance.now() - t0) / 1000)).toFixed(0), dataset: p.dataset,
      };
      // a linked file set: one file after the other, the bar restarts for each and names it
      if (started && p.file !== file) bar.setTotal(Math.max(1, p.totalBytes));
      file = p.file;
      if (p.file) payload.dataset = `${p.file.slice(p.file.lastIndexOf("/") + 1)}:${p.dataset}`;
      if (!started) { bar.start(Math.max(1, p.totalBytes), p.bytes, payload); started = true; }
      else bar.update(p.bytes, payload);
    },
    stop() { if (started) bar.stop(); },
  };
}
