// A user-written Store in plain JavaScript, as someone outside this repository writes one:
// a Map of copies, using only the helpers "hdmf-ts/conformance" exports.
import { checkKey, checkPrefix, keyHasPrefix, sliceRange } from "hdmf-ts/conformance";

export class MapStore {
  readOnly = false;
  capabilities = { writes: true, deletes: true, listing: true };
  map = new Map();
  async get(key, range) {
    const v = this.map.get(checkKey(key));
    return v === undefined ? undefined : sliceRange(v, range).slice();
  }
  async set(key, value) { this.map.set(checkKey(key), value.slice()); }
  async delete(key) { this.map.delete(checkKey(key)); }
  async exists(key) { return this.map.has(checkKey(key)); }
  async *list(prefix) {
    const p = checkPrefix(prefix);
    for (const k of [...this.map.keys()]) if (keyHasPrefix(k, p)) yield k;
  }
  async flush() {}
  async close() {}
}

/** The bug the suite once let through: byte ranges ignored (the whole value is returned). */
export class IgnoresRanges extends MapStore {
  async get(key) { return super.get(key); }
}
