/**
 * Re-consolidate a Zarr store's metadata from what is stored (zarr-python's
 * `zarr.consolidate_metadata(store)`): after ranks wrote in parallel, each with its own view of
 * the tree, rank 0 rebuilds `.zmetadata` (v2) or the root `zarr.json`'s `consolidated_metadata`
 * (v3) from the node documents actually in the store, so a reader that trusts consolidated
 * metadata sees every rank's attributes and resizes. Keys that are not Zarr metadata (chunks,
 * barrier markers under `.barrier/`) are ignored.
 * Reached through the factory's `consolidateStore` (the backend's public face).
 */
import { FormatError } from "../../errors.js";
import type { Store, StoreKey } from "../../stores/store.js";
import { consolidatedV2, consolidatedV3, parseConsolidatedV3, type NodeRecord } from "./consolidated.js";
import { baseName, nodeKey, parentOf, V2_ARRAY, V2_ATTRS, V2_CONSOLIDATED, V2_GROUP, V3_META } from "./keys.js";
import { isJsonObject, pyDumpsBytes, pyParse } from "../../data/py-json.js";

/** What was rebuilt: the Zarr format found and how many groups and arrays. */
export interface ConsolidateResult {
  readonly format: 2 | 3;
  readonly nodes: number;
}

/** Rebuild consolidated metadata from the node documents in `store`. */
export async function consolidateStore(store: Store): Promise<ConsolidateResult> {
  const v2 = new Set<string>();
  const v3 = new Set<string>();
  for await (const key of store.list("/")) {
    if (key.includes("/.barrier/")) continue;
    const file = baseName(key);
    if (file === V2_ARRAY || file === V2_GROUP) v2.add(parentOf(key));
    else if (file === V3_META) v3.add(parentOf(key));
  }
  if (v2.has("/")) return { format: 2, nodes: await consolidateV2(store, [...v2]) };
  if (v3.has("/")) return { format: 3, nodes: await consolidateV3(store, [...v3]) };
  throw new FormatError("no Zarr root group (/.zgroup or /zarr.json) in the store: nothing to consolidate", { path: "/" });
}

async function json(store: Store, key: StoreKey): Promise<ReturnType<typeof pyParse> | undefined> {
  const bytes = await store.get(key);
  return bytes ? pyParse(bytes, key) : undefined;
}

async function consolidateV2(store: Store, paths: string[]): Promise<number> {
  const nodes = new Map<string, NodeRecord>();
  await Promise.all(paths.sort().map(async (path) => {
    const [array, attrs] = await Promise.all([json(store, nodeKey(path, V2_ARRAY)), json(store, nodeKey(path, V2_ATTRS))]);
    const a = attrs ?? {};
    if (!isJsonObject(a)) throw new FormatError(`${path}/${V2_ATTRS}: attributes must be a JSON object`, { path });
    if (array !== undefined && !isJsonObject(array)) throw new FormatError(`${path}/${V2_ARRAY}: not a JSON object`, { path });
    nodes.set(path, array !== undefined ? { kind: "array", attrs: a, array } : { kind: "group", attrs: a });
  }));
  const sorted = new Map([...nodes].sort(([x], [y]) => (x < y ? -1 : x > y ? 1 : 0)));
  await store.set(nodeKey("/", V2_CONSOLIDATED), pyDumpsBytes(consolidatedV2(sorted)));
  return nodes.size;
}

async function consolidateV3(store: Store, paths: string[]): Promise<number> {
  const nodes = new Map<string, NodeRecord>();
  let rootDoc: Record<string, unknown> | undefined;
  await Promise.all(paths.map(async (path) => {
    const doc = await json(store, nodeKey(path, V3_META));
    if (doc === undefined) return;
    nodes.set(path, parseConsolidatedV3(doc, path).get(path)!);
    if (path === "/" && isJsonObject(doc)) {
      const { consolidated_metadata: _old, ...rest } = doc;
      rootDoc = rest;
    }
  }));
  const root = rootDoc as Parameters<typeof consolidatedV3>[0];
  await store.set(nodeKey("/", V3_META), pyDumpsBytes(consolidatedV3(root, nodes), { indent: 2 }));
  return nodes.size;
}
