/** A progress bar on stderr (cli-progress), silent when stderr is not a terminal. */
import cliProgress from "cli-progress";

export interface Progress {
  increment(by?: number): void;
  stop(): void;
}

export function createProgress(unit: string, total: number): Progress {
  if (!process.stderr.isTTY) return { increment() {}, stop() {} };
  const bar = new cliProgress.SingleBar(
    { stream: process.stderr, format: `{bar} {value}/{total} ${unit} | {percentage}% | ETA {eta}s`, hideCursor: true },
    cliProgress.Presets.shades_classic,
  );
  bar.start(total, 0);
  return { increment: (by = 1) => bar.increment(by), stop: () => bar.stop() };
}
