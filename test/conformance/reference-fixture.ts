/** A BackendFixture over the in-memory ReferenceIO; its backdoor reads the Map directly. */
import { randomUUID } from "node:crypto";
import { dtypeTag } from "../../src/conformance/check.js";
import { ALL_CAPABILITIES, type BackendCapabilities, type BackendFixture, type RawNode, type RawValue } from "../../src/conformance/types.js";
import type { HDMFIO, OpenMode } from "../../src/backends/io.js";
import { NdArray } from "../../src/data/ndarray.js";
import { ObjectReference } from "../../src/data/reference.js";
import { DISK, lookup, openReference } from "./reference-backend.js";

export function toRaw(v: unknown): RawValue {
  if (v instanceof NdArray) return v.toArray().map(toRaw);
  if (v instanceof ObjectReference) return { path: v.resolvedPath };
  if (Array.isArray(v)) return v.map(toRaw);
  if (v && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, toRaw(x)]));
  return v as RawValue;
}

export interface ReferenceFixtureOptions {
  /** Wrap each opened IO (the broken backends); gets the mode the suite asked for. */
  wrap?: (io: HDMFIO, mode: OpenMode) => HDMFIO;
  /** Open the inner IO in another mode than asked (a backend that ignores "r"). */
  openAs?: (mode: OpenMode) => OpenMode;
  capabilities?: Partial<BackendCapabilities>;
}

export function referenceFixture(options: ReferenceFixtureOptions = {}): BackendFixture {
  const source = `mem-${randomUUID()}.ref`;
  const made: string[] = [source];
  const wrap = options.wrap ?? ((io: HDMFIO) => io);
  const openAs = options.openAs ?? ((m: OpenMode) => m);
  const open = async (mode: OpenMode) => wrap(await openReference(source, openAs(mode)), mode);
  return {
    capabilities: { ...ALL_CAPABILITIES, ...options.capabilities },
    create: (mode = "w") => open(mode),
    open,
    async external(name: string) {
      const other = `${name}-${randomUUID()}.ref`;
      made.push(other);
      return { source: other, create: async (mode = "w") => wrap(await openReference(other, mode), mode) };
    },
    async peek(path: string): Promise<RawNode | undefined> {
      const root = DISK.get(source);
      const n = root && lookup(root, path);
      if (!n) return undefined;
      const attributes = n.kind === "link" ? {} : Object.fromEntries([...n.attrs].map(([k, a]) => [k, toRaw(a.value)]));
      if (n.kind === "group") return { kind: "group", attributes, children: [...n.children.keys()].sort() };
      if (n.kind === "link") return { kind: "link", target: n.target, file: n.file };
      return {
        kind: "dataset", attributes, shape: n.data.shape, dtype: dtypeTag(n.data.dtype), chunks: n.chunks,
        codecs: n.codecs.map((c) => c.id), fillvalue: toRaw(n.fillvalue), values: toRaw(n.data) as RawValue[],
        storedChunks: n.chunks ? n.stored.size || undefined : undefined,
      };
    },
    async destroy() { for (const m of made) DISK.delete(m); },
  };
}
