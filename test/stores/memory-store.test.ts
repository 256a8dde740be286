import { MemoryStore } from "../../src/stores/memory-store.js";
import type { StoreKey } from "../../src/stores/store.js";
import { describeStoreSuite, type Entries } from "./store-suite.js";

describeStoreSuite("MemoryStore", async () => {
  let current: MemoryStore | undefined;
  return {
    // Backdoor: the constructor seeds the map directly and `map` reads it without get().
    async open(seed?: Entries) { return (current = new MemoryStore({ entries: seed ?? [] })); },
    async openReadOnly(seed: Entries) { return (current = new MemoryStore({ entries: seed, readOnly: true })); },
    async peek(key: StoreKey) { return current?.map.get(key)?.slice(); },
    async peekKeys() { return [...(current?.map.keys() ?? [])].sort(); },
    async dispose() { current = undefined; },
  };
});
