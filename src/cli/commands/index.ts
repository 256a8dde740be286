/** Every subcommand, registered in one place. */
import type { Command } from "commander";
import { registerTour } from "./tour.js";
import { registerLs } from "./ls.js";
import { registerManifest } from "./manifest.js";
import { registerExport } from "./export.js";
import { registerValidate } from "./validate.js";
import { registerConformance } from "./conformance.js";

export function registerCommands(program: Command): void {
  registerTour(program);
  registerLs(program);
  registerManifest(program);
  registerExport(program);
  registerValidate(program);
  registerConformance(program);
}
