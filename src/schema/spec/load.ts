/**
 * Loading namespaces from files: a namespace YAML/JSON file and the spec sources next to it,
 * and the schemas bundled with the package (hdmf-common 1.8.0 + hdmf-experimental 0.5.0,
 * NWB core 2.7.0), found relative to this module so they work from src/ and from dist/.
 */
import { readFile } from "node:fs/promises";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidInputError, NotFoundError } from "../../errors.js";
import { NamespaceCatalog, type SchemaEntry } from "./namespace.js";
import { parseYamlKeepingFloats, PyFloat, type PyJson } from "./pyjson.js";
import type { TypeKeys } from "./spec.js";

async function readText(path: string): Promise<string> {
  try {
    return await readFile(path, "utf8");
  } catch (e) {
    throw new NotFoundError(`cannot read spec file ${path}`, { path, cause: e });
  }
}

/** Parse a spec text (YAML or JSON) keeping floats as floats. */
export function parseSpecText(text: string, where: string): PyJson {
  return parseYamlKeepingFloats(text, where);
}

/** A spec file read and parsed. */
async function readSpec(path: string): Promise<PyJson> {
  return parseSpecText(await readText(path), path);
}

/**
 * The bundled spec files, parsed once per process (they are package assets and never change;
 * parsing NWB core's YAML costs ~100-200 ms). Each caller gets its own deep copy.
 */
const bundledParsed = new Map<string, Promise<PyJson>>();
async function readBundledSpec(path: string): Promise<PyJson> {
  let p = bundledParsed.get(path);
  if (!p) {
    p = readSpec(path);
    bundledParsed.set(path, p);
    p.catch(() => bundledParsed.delete(path));
  }
  return copyPyJson(await p);
}

function copyPyJson(v: PyJson): PyJson {
  if (v === null || typeof v !== "object" || v instanceof PyFloat) return v;
  if (Array.isArray(v)) return v.map(copyPyJson);
  const out: { [key: string]: PyJson } = {};
  for (const k of Object.keys(v)) out[k] = copyPyJson(v[k]!);
  return out;
}

/**
 * Load the namespaces in a namespace file (and their sources, relative to it) into `catalog`.
 * Returns the names of the namespaces loaded.
 */
export async function loadNamespaceFile(path: string, catalog: NamespaceCatalog = new NamespaceCatalog(), options: { defaultKeys?: TypeKeys } = {}): Promise<string[]> {
  return loadNamespaceWith(readSpec, path, catalog, options);
}

async function loadNamespaceWith(read: (path: string) => Promise<PyJson>, path: string, catalog: NamespaceCatalog, options: { defaultKeys?: TypeKeys }): Promise<string[]> {
  const nsDoc = await read(path);
  const dir = dirname(path);
  const sources = new Set<string>();
  const list = (nsDoc as { namespaces?: unknown }).namespaces;
  if (!Array.isArray(list)) throw new InvalidInputError(`${path}: expected a "namespaces" list`, { option: "namespaces", path });
  for (const n of list as Array<{ schema?: SchemaEntry[] }>) {
    for (const s of Array.isArray(n?.schema) ? n.schema : []) if (typeof s?.source === "string") sources.add(s.source);
  }
  const texts = new Map<string, PyJson>();
  await Promise.all([...sources].map(async (s) => {
    texts.set(s, await read(join(dir, s)));
  }));
  return catalog.loadNamespaceDict(nsDoc, (s) => texts.get(s)!, path, options.defaultKeys);
}

/** Directory of the bundled schemas (src/schema/bundled or dist/schema/bundled). */
export function bundledSchemaDir(): string {
  return fileURLToPath(new URL("../bundled/", import.meta.url));
}

/** The namespace files of the bundled schemas, relative to bundledSchemaDir(): hdmf-common (with hdmf-experimental) first, then NWB core. */
export const BUNDLED_NAMESPACE_FILES = ["hdmf-common/1.8.0/namespace.yaml", "nwb-core/2.7.0/nwb.namespace.yaml"] as const;

/** A new catalog with hdmf-common, hdmf-experimental and NWB core loaded. */
export async function loadBundledCatalog(options: { nwb?: boolean } = {}): Promise<NamespaceCatalog> {
  const catalog = new NamespaceCatalog();
  const dir = bundledSchemaDir();
  await loadNamespaceWith(readBundledSpec, join(dir, BUNDLED_NAMESPACE_FILES[0]), catalog, {});
  if (options.nwb !== false) await loadNamespaceWith(readBundledSpec, join(dir, BUNDLED_NAMESPACE_FILES[1]), catalog, {});
  return catalog;
}
