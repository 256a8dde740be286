/**
 * The spec cached inside a file: `/specifications/<namespace>/<version>/<source>`, each a JSON
 * string. `cacheSpecs` writes what hdmf writes (hdmf/backends/utils.py NamespaceToBuilderHelper:
 * each top-level type with only its new or overridden parts, keys in hdmf's order, Python's
 * JSON spelling); `loadCachedSpecs` reads such entries back into a catalog.
 */
import { InvalidInputError } from "../../errors.js";
import { GroupSpec } from "./group-spec.js";
import { NamespaceCatalog, type SchemaEntry, type SpecNamespace, type TypeSpec } from "./namespace.js";
import { parseYamlKeepingFloats, pyJsonDumps, type PyJson } from "./pyjson.js";
import { AttributeSpec, type BaseStorageSpec, type LinkSpec } from "./spec.js";
import { DatasetSpec } from "./dataset-spec.js";

/** The root attribute that says where the cached specs are (pynwb: an object reference; hdmf-zarr: a path). */
export const SPEC_LOC_ATTR = ".specloc";
/** Where hdmf and hdmf-zarr put the cached specs. */
export const DEFAULT_SPEC_LOC = "specifications";

/**
 * One cached spec document: the JSON text stored at
 * `/specifications/<namespace>/<version>/<source>` in an HDF5 file or Zarr store.
 */
export interface CachedSpecEntry {
  /** The namespace name ("core", "hdmf-common", ...). */
  readonly namespace: string;
  /** The namespace version ("None" when the namespace has none, as hdmf writes it). */
  readonly version: string;
  /** "namespace" for the namespace itself, else the source name ("nwb.base"). */
  readonly source: string;
  /** The document as JSON text, spelled as Python's json.dumps writes it. */
  readonly text: string;
}

/** hdmf strips the extension of a source file name; we strip only spec-file extensions. */
function cachedSourceName(source: string): string {
  return source.replace(/\.(ya?ml|json)$/i, "");
}

function keep(parent: BaseStorageSpec, sub: AttributeSpec | TypeSpec | LinkSpec): boolean {
  if (parent instanceof GroupSpec) return !parent.isInheritedSpec(sub) || parent.isOverriddenSpec(sub);
  const a = sub as AttributeSpec;
  return !parent.isInheritedAttribute(a.name) || parent.isOverriddenAttribute(a.name);
}

/** hdmf NamespaceToBuilderHelper.__copy_spec: a fresh spec with only new/overridden parts. */
export function copyForCache(spec: TypeSpec): TypeSpec {
  const base = {
    doc: spec.doc, name: spec.name, default_name: spec.defaultName, linkable: spec.linkable, quantity: spec.quantityRaw,
    inc: spec.dataTypeInc, def: spec.dataTypeDef, attributes: spec.attributes.filter((a) => keep(spec, a)),
  };
  if (spec instanceof GroupSpec) {
    return new GroupSpec({
      ...base, groups: spec.groups.filter((g) => keep(spec, g)), datasets: spec.datasets.filter((d) => keep(spec, d)),
      links: spec.links.filter((l) => keep(spec, l)),
    }, spec.keys);
  }
  return new DatasetSpec({ ...base, dtype: spec.dtype, shape: spec.shape, dims: spec.dims }, spec.keys);
}

function namespaceEntry(ns: SpecNamespace, sources: string[]): PyJson {
  const schema: SchemaEntry[] = [];
  for (const e of ns.schema) if (e.namespace !== undefined && !schema.some((s) => s.namespace === e.namespace)) schema.push({ namespace: e.namespace });
  for (const s of sources) schema.push({ source: s });
  const d: Record<string, unknown> = { doc: ns.doc, schema, name: ns.name };
  if (ns.fullName !== undefined) d.full_name = ns.fullName;
  d.version = ns.version;
  if (ns.author !== undefined) d.author = ns.author;
  if (ns.contact !== undefined) d.contact = ns.contact;
  return { namespaces: [d] } as unknown as PyJson;
}

/** Every namespace in the catalog as the entries a backend writes under /specifications. */
export function cacheSpecs(catalog: NamespaceCatalog, namespaces: readonly string[] = catalog.namespaces): CachedSpecEntry[] {
  const out: CachedSpecEntry[] = [];
  for (const name of namespaces) {
    const ns = catalog.getNamespace(name);
    const version = ns.version ?? "None";
    const files = new Map<string, { datasets?: TypeSpec[]; groups?: TypeSpec[] }>();
    for (const e of ns.schema) {
      if (e.source === undefined) continue;
      for (const dt of ns.sourceTypes.get(e.source) ?? []) {
        const spec = ns.getSpec(dt);
        if (spec.parent !== undefined) continue;
        const file = cachedSourceName(e.source);
        const f = files.get(file) ?? {};
        files.set(file, f);
        if (spec instanceof GroupSpec) (f.groups ??= []).push(copyForCache(spec));
        else (f.datasets ??= []).push(copyForCache(spec));
      }
    }
    out.push({ namespace: name, version, source: "namespace", text: pyJsonDumps(namespaceEntry(ns, [...files.keys()])) });
    for (const [file, content] of files) out.push({ namespace: name, version, source: file, text: pyJsonDumps(content) });
  }
  return out;
}

function compareVersions(a: string, b: string): number {
  const pa = a.split(/[.-]/).map((x) => Number(x));
  const pb = b.split(/[.-]/).map((x) => Number(x));
  for (let i = 0; i < Math.max(pa.length, pb.length); i++) {
    const d = (Number.isNaN(pa[i]) ? 0 : pa[i] ?? 0) - (Number.isNaN(pb[i]) ? 0 : pb[i] ?? 0);
    if (d !== 0) return d;
  }
  return 0;
}

/**
 * Load the entries a backend read from /specifications into a catalog (into `catalog` when
 * given: namespaces it already has are kept, as hdmf keeps the loaded version). The newest
 * cached version of each namespace is used; included namespaces load first.
 */
export function loadCachedSpecs(entries: readonly CachedSpecEntry[], catalog = new NamespaceCatalog()): NamespaceCatalog {
  const latest = new Map<string, string>();
  for (const e of entries) {
    const cur = latest.get(e.namespace);
    if (cur === undefined || compareVersions(e.version, cur) > 0) latest.set(e.namespace, e.version);
  }
  const byNs = new Map<string, Map<string, string>>();
  for (const e of entries) {
    if (latest.get(e.namespace) !== e.version) continue;
    const m = byNs.get(e.namespace) ?? new Map<string, string>();
    byNs.set(e.namespace, m);
    m.set(e.source, e.text);
  }
  const parsed = new Map<string, PyJson>();
  const deps = new Map<string, string[]>();
  for (const [ns, files] of byNs) {
    const where = `/specifications/${ns}/${latest.get(ns)}/namespace`;
    const text = files.get("namespace");
    if (text === undefined) throw new InvalidInputError(`cached spec for "${ns}" has no namespace entry`, { path: where });
    const doc = parseYamlKeepingFloats(text, where);
    parsed.set(ns, doc);
    const list = ((doc as { namespaces?: Array<{ schema?: SchemaEntry[] }> }).namespaces ?? []);
    deps.set(ns, list.flatMap((n) => (n.schema ?? []).flatMap((s) => (s.namespace ? [s.namespace] : []))));
  }
  const done = new Set<string>();
  const visit = (ns: string, stack: string[]): void => {
    if (done.has(ns) || !parsed.has(ns)) return;
    if (stack.includes(ns)) throw new InvalidInputError(`cached namespaces include each other: ${[...stack, ns].join(" -> ")}`, { option: "namespace" });
    for (const d of deps.get(ns) ?? []) visit(d, [...stack, ns]);
    done.add(ns);
    const version = latest.get(ns)!;
    const files = byNs.get(ns)!;
    catalog.loadNamespaceDict(parsed.get(ns)!, (source) => {
      const key = files.has(source) ? source : cachedSourceName(source);
      const text = files.get(key);
      const where = `/specifications/${ns}/${version}/${key}`;
      if (text === undefined) throw new InvalidInputError(`cached spec source "${source}" of namespace "${ns}" is missing`, { path: where });
      return parseYamlKeepingFloats(text, where);
    }, `/specifications/${ns}/${version}`);
  };
  for (const ns of parsed.keys()) visit(ns, []);
  return catalog;
}
