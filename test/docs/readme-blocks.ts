/**
 * The fenced code blocks of a Markdown file, each with its language, its line and the marker
 * comment right above it. test/docs/readme.test.ts runs them; the rules are here:
 *
 * - Every block names its language: `ts` (TypeScript, run with tsx and type-checked with tsc),
 *   `js` (plain JavaScript, run with node), `python` (run with the oracle's pynwb), `bash` (run
 *   with bash), `text` (a CLI synopsis, checked against `hdmf-ts --help`). A block without one,
 *   or with another, is an error.
 * - `<!-- not-run: REASON -->` on the line just above a fence keeps that block from running; the
 *   reason is required, and the test pins the list of such blocks, so adding one is deliberate.
 */
export type BlockLang = "ts" | "js" | "python" | "bash" | "text";
export const BLOCK_LANGS: readonly BlockLang[] = ["ts", "js", "python", "bash", "text"];

export interface CodeBlock {
  /** 1-based line of the opening fence. */
  readonly line: number;
  /** The fence's info string (first word), "" if none. */
  readonly info: string;
  readonly code: string;
  /** The reason of a `<!-- not-run: ... -->` marker right above the fence. */
  readonly notRun: string | undefined;
}

const FENCE = /^(```+|~~~+)\s*([^\s`]*)/;
const NOT_RUN = /^<!--\s*not-run:\s*(.*?)\s*-->$/;

export function codeBlocks(markdown: string): CodeBlock[] {
  const lines = markdown.split("\n");
  const blocks: CodeBlock[] = [];
  for (let i = 0; i < lines.length; i++) {
    const open = FENCE.exec(lines[i]!);
    if (!open) continue;
    const fence = open[1]!;
    const body: string[] = [];
    let j = i + 1;
    while (j < lines.length && !lines[j]!.startsWith(fence)) body.push(lines[j++]!);
    if (j === lines.length) throw new Error(`line ${i + 1}: code block never closed`);
    const marker = i > 0 ? NOT_RUN.exec(lines[i - 1]!.trim()) : null;
    if (marker && marker[1] === "") throw new Error(`line ${i}: not-run marker without a reason`);
    blocks.push({ line: i + 1, info: open[2]!, code: `${body.join("\n")}\n`, notRun: marker?.[1] });
    i = j;
  }
  return blocks;
}

export function isBlockLang(info: string): info is BlockLang {
  return (BLOCK_LANGS as readonly string[]).includes(info);
}

/** One entry of a CLI synopsis: `hdmf-ts CMD ...` and its continuation lines; the `--options` it names. */
export interface SynopsisEntry {
  readonly command: string;
  readonly options: readonly string[];
}

export function synopsis(code: string): SynopsisEntry[] {
  const entries: { command: string; text: string }[] = [];
  for (const line of code.split("\n")) {
    if (line.trim() === "") continue;
    const m = /^hdmf-ts (\S+)(.*)$/.exec(line);
    if (m) entries.push({ command: m[1]!, text: m[2]! });
    else if (/^\s/.test(line) && entries.length > 0) entries[entries.length - 1]!.text += ` ${line}`;
    else throw new Error(`synopsis line neither "hdmf-ts COMMAND ..." nor an indented continuation: ${line}`);
  }
  return entries.map((e) => ({ command: e.command, options: [...new Set(e.text.match(/--[a-z][a-z0-9-]*/g) ?? [])] }));
}
