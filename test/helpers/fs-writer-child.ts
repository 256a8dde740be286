/**
 * Child process for the crash test: writes `count` values of `size` bytes, each filled with
 * its index, to one key of an FsStore, announcing "start i" / "done i" on stdout.
 * Usage: node --import tsx fs-writer-child.ts <root> <key> <size> <count>
 */
import { FsStore } from "../../src/stores/fs-store.js";
import { checkKey } from "../../src/stores/store.js";

const [root, key, size, count] = process.argv.slice(2);
const store = new FsStore(root);
for (let i = 1; i <= Number(count); i++) {
  process.stdout.write(`start ${i}\n`);
  await store.set(checkKey(key), new Uint8Array(Number(size)).fill(i));
  process.stdout.write(`done ${i}\n`);
}
