/**
 * Namespaces and the catalog of loaded namespaces (hdmf/spec/namespace.py, catalog.py).
 *
 * Loading is synchronous over a `readSource` callback so the same code serves YAML files on
 * disk, bundled schemas and the JSON strings cached inside a file.
 */
import { InvalidInputError, NotFoundError } from "../../errors.js";
import { GroupSpec } from "./group-spec.js";
import { SpecParser, type SpecDict } from "./parse.js";
import type { PyJson } from "./pyjson.js";
import { BaseStorageSpec, HDMF_KEYS, NWB_KEYS, type SpecRecord, type TypeKeys } from "./spec.js";
import { DatasetSpec } from "./dataset-spec.js";

/**
 * One entry of a namespace's `schema` list: a spec `source` file, or another `namespace` to
 * include, optionally limited to some of its types.
 */
export interface SchemaEntry {
  /** A spec file, relative to the namespace file ("nwb.base.yaml"). */
  source?: string;
  /** An included namespace, which must already be loaded. */
  namespace?: string;
  /** Load only these types (hdmf spelling). */
  data_types?: string[];
  /** Load only these types (NWB spelling). */
  neurodata_types?: string[];
  doc?: string;
  title?: string;
}

const NAMESPACE_KEYS = new Set(["doc", "name", "schema", "full_name", "version", "date", "author", "contact"]);
const SCHEMA_KEYS = new Set(["source", "namespace", "data_types", "neurodata_types", "doc", "title"]);

/** The spec of a data type: a group spec or a dataset spec. */
export type TypeSpec = GroupSpec | DatasetSpec;

/**
 * One namespace (hdmf SpecNamespace): its keys (name, version, doc, schema list, authors...)
 * and the type specs registered in it, from its own sources and from included namespaces.
 */
export class SpecNamespace {
  /** The namespace's keys in hdmf's order, as written into a namespace file. */
  readonly d: SpecRecord = {};
  /** The type keys its specs use (`core` defaults to the NWB ones). */
  readonly keys: TypeKeys;
  readonly #types = new Map<string, { spec: TypeSpec; source: string }>();
  readonly #parents = new Map<string, string | undefined>();
  /** Types defined by each source of this namespace, in load order (top-level and nested). */
  readonly sourceTypes = new Map<string, string[]>();

  constructor(init: { doc: string; schema: SchemaEntry[]; name: string; full_name?: string; version?: string; date?: string; author?: string | string[]; contact?: string | string[] }, keys: TypeKeys) {
    this.keys = keys;
    this.d.doc = init.doc;
    this.d.schema = init.schema;
    if (/\s/.test(init.name)) throw new InvalidInputError(`namespace name "${init.name}" must not contain whitespace`, { option: "name" });
    this.d.name = init.name;
    if (init.full_name !== undefined) this.d.full_name = init.full_name;
    this.d.version = init.version ?? null;
    if (init.date !== undefined) this.d.date = init.date;
    if (init.author !== undefined) this.d.author = init.author;
    if (init.contact !== undefined) this.d.contact = init.contact;
  }

  /** The namespace name ("core", "hdmf-common", ...). */
  get name(): string { return this.d.name as string; }
  /** The version string, or null when the namespace file gives none (its cache then goes under "None"). */
  get version(): string | null { return (this.d.version as string | null) ?? null; }
  /** The `doc` text. */
  get doc(): string { return this.d.doc as string; }
  /** The `schema` list: sources and included namespaces, in order. */
  get schema(): readonly SchemaEntry[] { return this.d.schema as SchemaEntry[]; }
  /** The `full_name`, if any. */
  get fullName(): string | undefined { return this.d.full_name as string | undefined; }
  /** The `author` entry (one name or a list), if any. */
  get author(): string | string[] | undefined { return this.d.author as string | string[] | undefined; }
  /** The `contact` entry (one address or a list), if any. */
  get contact(): string | string[] | undefined { return this.d.contact as string | string[] | undefined; }

  /** Register `spec` under the type it defines, read from `source`; its parent type feeds hierarchy(). */
  register(spec: TypeSpec, source: string): void {
    const dt = spec.dataTypeDef!;
    this.#types.set(dt, { spec, source });
    this.#parents.set(dt, spec.dataTypeInc);
  }

  /** Whether type `dt` is registered here (defined or included). */
  hasType(dt: string): boolean { return this.#types.has(dt); }

  /** The resolved spec of type `dt`; NotFoundError when it is not registered here. */
  getSpec(dt: string): TypeSpec {
    const hit = this.#types.get(dt);
    if (!hit) throw new NotFoundError(`no spec for type "${dt}" in namespace "${this.name}"`, { path: dt });
    return hit.spec;
  }
  /** The resolved spec of type `dt`, or undefined when it is not registered here. */
  findSpec(dt: string): TypeSpec | undefined { return this.#types.get(dt)?.spec; }
  /** The spec source type `dt` was registered from (for an included type, its source in the other namespace). */
  sourceOf(dt: string): string | undefined { return this.#types.get(dt)?.source; }
  /** Every registered type, in registration order. */
  registeredTypes(): string[] { return [...this.#types.keys()]; }

  /** [dt, parent, grandparent, ...] as hdmf's get_hierarchy. */
  hierarchy(dt: string): string[] {
    const out: string[] = [];
    for (let t: string | undefined = dt; t !== undefined && !out.includes(t); t = this.#parents.get(t)) out.push(t);
    return out;
  }

  /** The key dict, so the namespace serialises as hdmf's namespace dict. */
  toJSON(): SpecRecord { return this.d; }
}

/** Reads a spec source file named in a namespace and returns its parsed dict. */
export type SourceReader = (source: string) => PyJson;

/**
 * The loaded namespaces by name (hdmf NamespaceCatalog): where TypeMap, BuildManager and the
 * validator look up type specs. Fill it with loadNamespaceFile, loadBundledCatalog or
 * loadCachedSpecs.
 */
export class NamespaceCatalog {
  readonly #namespaces = new Map<string, SpecNamespace>();

  /** The names of the loaded namespaces, in load order. */
  get namespaces(): string[] { return [...this.#namespaces.keys()]; }
  /** Whether namespace `name` is loaded. */
  hasNamespace(name: string): boolean { return this.#namespaces.has(name); }

  /** The loaded namespace `name`; NotFoundError when it is not loaded. */
  getNamespace(name: string): SpecNamespace {
    const ns = this.#namespaces.get(name);
    if (!ns) throw new NotFoundError(`namespace "${name}" is not loaded`, { path: name });
    return ns;
  }

  /** The resolved spec of type `dt` in `namespace`; NotFoundError when either is missing. */
  getSpec(namespace: string, dt: string): TypeSpec { return this.getNamespace(namespace).getSpec(dt); }
  /** `dt` and its ancestors, nearest first ([dt, parent, grandparent, ...]), as hdmf's get_hierarchy. */
  getHierarchy(namespace: string, dt: string): string[] { return this.getNamespace(namespace).hierarchy(dt); }
  /** Whether `dt` is `parent` or extends it (directly or further down) in `namespace`. */
  isSubType(namespace: string, dt: string, parent: string): boolean { return this.getHierarchy(namespace, dt).includes(parent); }

  /** The namespace that defines `dt` itself (not one that only includes it), if any. */
  namespaceOfType(dt: string): string | undefined {
    let fallback: string | undefined;
    for (const ns of this.#namespaces.values()) {
      if (!ns.hasType(dt)) continue;
      if ([...ns.sourceTypes.values()].some((l) => l.includes(dt))) return ns.name;
      fallback ??= ns.name;
    }
    return fallback;
  }

  /**
   * Load every namespace in a namespace-file dict (`{namespaces: [...]}`). Namespaces already
   * loaded are skipped (as hdmf does, which warns when the versions differ). Returns the names loaded.
   */
  loadNamespaceDict(file: PyJson, readSource: SourceReader, where: string, defaultKeys?: TypeKeys): string[] {
    const p = new SpecParser(where, defaultKeys ?? HDMF_KEYS);
    const top = p.dict(file, "namespace file");
    p.checkKeys(top, new Set(["namespaces"]), "namespace file");
    const loaded: string[] = [];
    p.list(top.namespaces, "namespaces").forEach((n, i) => {
      const nd = p.dict(n, `namespaces[${i}]`);
      const name = p.str(nd, "name", `namespaces[${i}]`, true)!;
      if (this.#namespaces.has(name)) return;
      this.#loadNamespace(nd, readSource, where, defaultKeys);
      loaded.push(name);
    });
    return loaded;
  }

  #loadNamespace(nd: SpecDict, readSource: SourceReader, where: string, defaultKeys?: TypeKeys): void {
    const p0 = new SpecParser(where, HDMF_KEYS);
    const name = nd.name as string;
    const w = `namespaces[${name}]`;
    p0.checkKeys(nd, NAMESPACE_KEYS, w);
    const schema = p0.list(nd.schema, `${w}.schema`).map((s, i) => {
      const sd = p0.dict(s, `${w}.schema[${i}]`);
      p0.checkKeys(sd, SCHEMA_KEYS, `${w}.schema[${i}]`);
      if (sd.source === undefined && sd.namespace === undefined) p0.fail(`${w}.schema[${i}]`, "needs 'source' or 'namespace'");
      return sd as unknown as SchemaEntry;
    });
    const version = nd.version === undefined || nd.version === null ? undefined : String(nd.version);
    const keys = defaultKeys ?? (name === "core" ? NWB_KEYS : HDMF_KEYS);
    const strOrList = (v: PyJson | undefined): string | string[] | undefined => (v === undefined || v === null ? undefined : Array.isArray(v) ? v.map(String) : String(v));
    const ns = new SpecNamespace({
      doc: p0.str(nd, "doc", w, true)!, schema, name, full_name: p0.str(nd, "full_name", w), version,
      date: nd.date === undefined || nd.date === null ? undefined : String(nd.date), author: strOrList(nd.author), contact: strOrList(nd.contact),
    }, keys);
    for (const entry of schema) {
      const only = entry.neurodata_types ?? entry.data_types;
      if (entry.source !== undefined) {
        const text = readSource(entry.source);
        this.#loadSource(ns, entry.source, text, only ? new Set(only) : undefined, where);
      } else {
        const inc = this.#namespaces.get(entry.namespace!);
        if (!inc) throw new InvalidInputError(`${where}: namespace "${name}" includes "${entry.namespace}", which is not loaded`, { option: "namespace", path: where });
        const types = only ?? inc.registeredTypes();
        for (const dt of types) this.#include(ns, inc, dt, new Set());
      }
    }
    this.#namespaces.set(name, ns);
  }

  /** Register a type from an included namespace with everything it depends on. */
  #include(ns: SpecNamespace, inc: SpecNamespace, dt: string, seen: Set<string>): void {
    if (seen.has(dt) || ns.hasType(dt)) return;
    seen.add(dt);
    const spec = inc.getSpec(dt);
    const visit = (s: TypeSpec | import("./spec.js").LinkSpec): void => {
      if (s instanceof BaseStorageSpec) {
        if (s.dataTypeInc && inc.hasType(s.dataTypeInc)) this.#include(ns, inc, s.dataTypeInc, seen);
        if (s.dataTypeDef && s !== spec && inc.hasType(s.dataTypeDef)) this.#include(ns, inc, s.dataTypeDef, seen);
        if (s instanceof GroupSpec) for (const c of [...s.groups, ...s.datasets, ...s.links]) visit(c);
      } else if (inc.hasType(s.targetType)) this.#include(ns, inc, s.targetType, seen);
    };
    visit(spec);
    ns.register(spec, inc.sourceOf(dt)!);
  }

  #loadSource(ns: SpecNamespace, source: string, text: PyJson, only: Set<string> | undefined, where: string): void {
    const p: SpecParser = new SpecParser(`${where}:${source}`, ns.keys);
    const top = p.dict(text, "spec file");
    p.checkKeys(top, new Set(["groups", "datasets"]), "spec file");
    const types: string[] = [];
    const register = (spec: TypeSpec): void => {
      const dt = spec.dataTypeDef;
      if (dt === undefined) return p.fail(spec.path, `top-level spec has no '${spec.keys.def}'`);
      if (only && !only.has(dt)) return;
      this.#resolve(ns, spec, p);
      for (const t of autoRegister(ns, spec, source)) types.push(t);
    };
    p.list(top.datasets, "datasets").forEach((x, i) => register(p.dataset(p.dict(x, `datasets[${i}]`), "datasets")));
    p.list(top.groups, "groups").forEach((x, i) => register(p.group(p.dict(x, `groups[${i}]`), "groups")));
    ns.sourceTypes.set(source, types);
  }

  /** Resolve `_inc` for this spec and every nested type definition, children first (as hdmf builds them). */
  #resolve(ns: SpecNamespace, spec: TypeSpec, p: SpecParser): void {
    if (spec instanceof GroupSpec) for (const c of [...spec.groups, ...spec.datasets]) this.#resolve(ns, c, p);
    if (spec.dataTypeDef !== undefined && spec.dataTypeInc !== undefined) {
      const parent = ns.findSpec(spec.dataTypeInc);
      if (!parent) p.fail(spec.path, `cannot resolve '${spec.keys.inc}: ${spec.dataTypeInc}' for type '${spec.dataTypeDef}'`);
      if ((parent instanceof GroupSpec) !== (spec instanceof GroupSpec)) p.fail(spec.path, `'${spec.dataTypeDef}' and its parent '${spec.dataTypeInc}' are not both groups or both datasets`);
      spec.resolveSpec(parent);
    }
  }
}

/** hdmf SpecCatalog.auto_register: the type and the types defined inside it. */
function autoRegister(ns: SpecNamespace, spec: TypeSpec, source: string): string[] {
  const out: string[] = [];
  if (spec.dataTypeDef !== undefined) {
    ns.register(spec, source);
    out.push(spec.dataTypeDef);
  }
  if (spec instanceof GroupSpec) {
    for (const ds of spec.datasets) {
      if (ds.dataTypeDef !== undefined && !spec.isInheritedSpec(ds)) {
        out.push(ds.dataTypeDef);
        ns.register(ds, source);
      }
    }
    for (const g of spec.groups) out.push(...autoRegister(ns, g, source));
  }
  return out;
}
