/** Reliability figures: each test writes its lines to .cache/figures/<name>.txt; scripts/test-summary.mjs prints them. */
import { mkdirSync, writeFileSync } from "node:fs";

export function writeFigure(name: string, lines: readonly string[]): void {
  mkdirSync(".cache/figures", { recursive: true });
  writeFileSync(`.cache/figures/${name}.txt`, `${lines.join("\n")}\n`);
}
