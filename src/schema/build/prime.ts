/**
 * hdmf's DataChunkIterator learns its dtype and maxshape from the first chunk when it is
 * constructed; ours reads a generator asynchronously, so that happens here, before a
 * (synchronous) build: every DataChunkIterator under a container, bare or inside a DataIO,
 * is primed (`DataChunkIterator.prime`: its first element is read and kept for writing).
 */
import { DataIO } from "../../data/data-io.js";
import { DataChunkIterator } from "../../data/iterators.js";
import { AbstractContainer } from "../containers/container.js";

/** Prime every DataChunkIterator held by `root` or a container below (or linked from) it; anything else but a container is left alone. */
export async function primeIterators(root: unknown): Promise<void> {
  if (!(root instanceof AbstractContainer)) return;
  const seen = new Set<AbstractContainer>();
  const todo: AbstractContainer[] = [root];
  for (let c = todo.pop(); c !== undefined; c = todo.pop()) {
    if (seen.has(c)) continue;
    seen.add(c);
    for (const v of c.fields.values()) {
      const inner = v instanceof DataIO ? v.data : v;
      if (inner instanceof DataChunkIterator) await inner.prime();
    }
    todo.push(...c.containers());
  }
}
