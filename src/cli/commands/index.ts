/** Every subcommand, registered in one place. */
import type { Command } from "commander";
import { registerTour } from "./tour.js";
import { registerConformance } from "./conformance.js";

export function registerCommands(program: Command): void {
  registerTour(program);
  registerConformance(program);
}
