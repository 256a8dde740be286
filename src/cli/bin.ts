#!/usr/bin/env node
// The `hdmf-ts` executable (package.json "bin"): only runs the program. Kept apart from
// main.ts so the library module never decides from process.argv whether it is the entry
// (through npm's bin link argv[1] is .../.bin/hdmf-ts, not main.js).
import { main } from "./main.js";

process.exitCode = await main();
