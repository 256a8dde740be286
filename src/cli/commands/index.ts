/** Every subcommand, registered in one place. */
import type { Command } from "commander";
import { registerTour } from "./tour.js";

export function registerCommands(program: Command): void {
  registerTour(program);
}
