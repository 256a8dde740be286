/** `hdmf-ts <command> --help` ends with at least one example invocation of that command. */
import { describe, expect, it } from "vitest";
import { buildProgram } from "../../src/cli/main.js";

describe("command help", () => {
  const program = buildProgram();
  it("registers every command with examples", () => {
    expect(program.commands.map((c) => c.name()).sort()).toEqual(["conformance", "export", "ls", "manifest", "tour", "validate"]);
  });
  for (const command of program.commands) {
    it(`${command.name()} --help shows an example`, () => {
      let out = "";
      command.configureOutput({ writeOut: (s) => { out += s; } });
      command.exitOverride();
      expect(() => command.parse(["--help"], { from: "user" })).toThrow();
      expect(out).toMatch(new RegExp(`\\nExamples?:\\n(  \\$ hdmf-ts ${command.name()} .+\\n)+`));
    });
  }
});
