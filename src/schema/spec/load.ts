/**
 * Loading namespaces from files: a namespace YAML/JSON file and the spec sources next to it,
 * and the schemas bundled with the package (hdmf-common 1.8.0 + hdmf-experimental 0.5.0,
 * NWB core 2.7.0), found relative to this module so they work from src/ and from dist/.
 */
import { readFile } from "node:fs/promises";
import { dirname, join, relative, sep } from "node:path";
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

/** The bundled spec files, parsed ahead of time (scripts/parse-bundled-schemas.ts): path -> entry. @internal */
export const PARSED_BUNDLE = "parsed.json";

/**
 * One bundled spec file's parsed form, from `bundled/parsed.json`: the document as JSON plus the
 * paths of the numbers that are floats in the YAML (JSON cannot tell 1.0 from 1). Parsing NWB
 * core's YAML costs 100-250 ms per process; JSON.parse of the table, 2-3 ms. A file the table
 * lacks (a schema added without regenerating it) is parsed from its YAML.
 */
export interface ParsedSpecFile { readonly doc: unknown; readonly floats: ReadonlyArray<ReadonlyArray<string | number>> }

/** Each file's entry as JSON text, read once per process (a missing table: an empty map). */
let parsedTable: Promise<Map<string, string>> | undefined;

async function readBundledSpec(path: string): Promise<PyJson> {
  parsedTable ??= readFile(join(bundledSchemaDir(), PARSED_BUNDLE), "utf8").then(
    (text) => new Map(Object.entries(JSON.parse(text) as Record<string, ParsedSpecFile>).map(([k, v]) => [k, JSON.stringify(v)])),
    () => new Map<string, string>(),
  );
  const entry = (await parsedTable).get(relative(bundledSchemaDir(), path).split(sep).join("/"));
  // parsed per call: every caller owns (and may change) what it gets
  return entry ? withFloats(JSON.parse(entry) as ParsedSpecFile) : readSpec(path);
}

/** The PyJson of a parsed-table entry: its float paths wrapped as PyFloat. @internal */
export function withFloats(entry: ParsedSpecFile): PyJson {
  const doc = entry.doc as PyJson;
  for (const p of entry.floats) {
    let parent = doc as Record<string | number, PyJson>;
    for (const k of p.slice(0, -1)) parent = parent[k] as Record<string | number, PyJson>;
    const last = p[p.length - 1]!;
    parent[last] = new PyFloat(parent[last] as number);
  }
  return doc;
}

/** The table entry of a parsed spec file: the inverse of withFloats. @internal */
export function toParsedEntry(doc: PyJson): ParsedSpecFile {
  const floats: Array<Array<string | number>> = [];
  const walk = (v: PyJson, at: Array<string | number>): PyJson => {
    if (v instanceof PyFloat) { floats.push(at); return v.value; }
    if (Array.isArray(v)) return v.map((x, i) => walk(x, [...at, i]));
    if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, walk(x, [...at, k])]));
    return v;
  };
  return { doc: walk(doc, []), floats };
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
