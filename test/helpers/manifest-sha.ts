/** The checksum rule lives in the library now (src/inspect/checksum.ts); tests import it from here too. */
export * from "../../src/inspect/checksum.js";
