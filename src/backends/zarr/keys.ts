/**
 * Node paths and store keys. A node path is absolute ("/", "/acquisition/ts/data"); every
 * key we build goes through the store's `checkKey`, and every node name is checked here, so
 * a name like ".." or a link target outside the hierarchy can never address a key outside
 * the store root.
 */
import { InvalidInputError } from "../../errors.js";
import { checkKey, type StoreKey } from "../../stores/store.js";

/** The Zarr format version: 2 (hdmf-zarr's layout) or 3. */
export type ZarrFormat = 2 | 3;

export const V2_GROUP = ".zgroup";
export const V2_ARRAY = ".zarray";
export const V2_ATTRS = ".zattrs";
export const V2_CONSOLIDATED = ".zmetadata";
export const V3_META = "zarr.json";

const RESERVED = new Set([V2_GROUP, V2_ARRAY, V2_ATTRS, V2_CONSOLIDATED, V3_META]);

/** Why `name` cannot be a node name (a builder name, a link name), or undefined when it can. */
export function nameProblem(name: string): string | undefined {
  if (typeof name !== "string" || name === "") return "empty";
  if (name === "." || name === "..") return "'.' and '..' are not names";
  if (name.includes("/") || name.includes("\\") || name.includes("\0")) return "contains '/', '\\' or NUL";
  if (name.startsWith("__")) return "names starting with '__' are reserved by Zarr";
  if (RESERVED.has(name)) return "reserved for Zarr metadata";
  return undefined;
}

/** Check one node name (a builder name, a link name). */
export function checkName(name: string, parentPath: string): string {
  const why = nameProblem(name);
  if (why) throw new InvalidInputError(`invalid Zarr node name ${JSON.stringify(name)} in ${parentPath}: ${why}`, { path: joinPath(parentPath, name, false) });
  return name;
}

function joinPath(parent: string, name: string, check = true): string {
  if (check) checkName(name, parent);
  return parent === "/" ? `/${name}` : `${parent}/${name}`;
}

/** `parent` + `/` + `name`, with the name checked. */
export function childPath(parent: string, name: string): string {
  return joinPath(parent, name);
}

/**
 * Normalise an absolute node path given by a caller or found in a link/reference: leading
 * "/" optional, no empty, "." or ".." segments (a link may never climb out of the store).
 */
export function normalizePath(path: string): string {
  if (typeof path !== "string") throw new InvalidInputError(`node path must be a string`, { path: String(path) });
  const why = pathProblem(path);
  if (why) throw new InvalidInputError(`invalid node path ${JSON.stringify(path)}: ${why}`, { path });
  const parts = path.split("/").filter((p) => p !== "");
  return parts.length === 0 ? "/" : `/${parts.join("/")}`;
}

/** Why `path` cannot be a node path (normalizePath's rule), or undefined when it can. */
export function pathProblem(path: string): string | undefined {
  for (const p of path.split("/")) {
    if (p === "." || p === ".." || p.includes("\\") || p.includes("\0")) return `${JSON.stringify(p)} segment`;
  }
  return undefined;
}

export function parentOf(path: string): string {
  const i = path.lastIndexOf("/");
  return i <= 0 ? "/" : path.slice(0, i);
}

export function baseName(path: string): string {
  return path === "/" ? "" : path.slice(path.lastIndexOf("/") + 1);
}

/** The store key of a file directly under node `path`. */
export function nodeKey(path: string, file: string): StoreKey {
  return checkKey(path === "/" ? `/${file}` : `${path}/${file}`);
}

/** Key of a v2 chunk: "<path>/<i>.<j>" (or "/" separator); a 0-d array has chunk "0". */
export function chunkKeyV2(path: string, coords: readonly number[], separator: "." | "/"): StoreKey {
  const name = coords.length === 0 ? "0" : coords.join(separator);
  return nodeKey(path, name);
}

/** Key of a v3 chunk under the default encoding: "<path>/c/<i>/<j>" ("c" alone for 0-d). */
export function chunkKeyV3(path: string, coords: readonly number[], encoding: "default" | "v2", separator: "." | "/"): StoreKey {
  if (encoding === "v2") return chunkKeyV2(path, coords, separator);
  const name = coords.length === 0 ? "c" : `c${separator}${coords.join(separator)}`;
  return nodeKey(path, name);
}

/** The path of a metadata key relative to the root without the leading "/" (".zmetadata" keys). */
export function relativeKey(key: StoreKey): string {
  return key.slice(1);
}
