/**
 * Child of fs-store-durability.test.ts, run under strace: sets `n` keys in two directories of an
 * FsStore with the given fsync mode, writing a marker to stderr before and after `flush()`.
 */
import { writeSync } from "node:fs";
import { FsStore } from "../../../src/stores/fs-store.js";

const [root, mode, n] = [process.argv[2]!, process.argv[3]!, Number(process.argv[4])];
const fsync = mode === "default" ? undefined : mode === "false" ? false : (mode as "each" | "flush");
const store = new FsStore(root, fsync === undefined ? {} : { fsync });
for (let i = 0; i < n; i++) await store.set(`/${i % 2 ? "a" : "b"}/k${i}`, new Uint8Array(100).fill(i));
writeSync(2, "MARK-FLUSH-BEGIN\n");
await store.flush();
writeSync(2, "MARK-FLUSH-END\n");
await store.close();
