/**
 * The `hdmf-ts` command line. Each subcommand lives in its own module under src/cli/commands
 * and registers itself on the program; this file only wires them and maps errors to exit codes
 * (the executable is bin.ts, which calls main()):
 * 0 success, 1 failure of the work (validation failed, a test failed), 2 bad input or usage.
 */
import { Command, CommanderError } from "commander";
import { VERSION } from "../version.js";
import { isHdmfError } from "../errors.js";
import { registerCommands } from "./commands/index.js";

export function buildProgram(): Command {
  const program = new Command("hdmf-ts")
    .description("HDMF / NWB data in HDF5 files and Zarr stores: inspect, validate, convert")
    .version(VERSION, "-V, --version")
    .option("--debug", "print stack traces on errors")
    .showHelpAfterError()
    .exitOverride();
  registerCommands(program);
  return program;
}

export async function main(argv: readonly string[] = process.argv): Promise<number> {
  const program = buildProgram();
  try {
    await program.parseAsync([...argv]);
    return typeof process.exitCode === "number" ? process.exitCode : 0;
  } catch (err) {
    if (err instanceof CommanderError) {
      return err.code === "commander.helpDisplayed" || err.code === "commander.version" || err.code === "commander.help" ? 0 : 2;
    }
    const debug = program.opts<{ debug?: boolean }>().debug;
    const message = err instanceof Error ? err.message : String(err);
    process.stderr.write(`hdmf-ts: ${isHdmfError(err) ? `${err.name}: ` : ""}${message}\n`);
    if (debug && isHdmfError(err) && err.detail) process.stderr.write(`${err.detail}\n`);
    if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
    return isHdmfError(err) && (err.kind === "invalid-input" || err.kind === "not-found" || err.kind === "mode") ? 2 : 1;
  }
}

