/**
 * TypeMap: which container class stands for which (namespace, data type), and the specs.
 * Types without a registered class get GenericContainer / GenericData, so any type in a
 * loaded namespace (extensions included) can be read and written.
 */
import { NotFoundError } from "../../errors.js";
import {
  AbstractContainer, GenericContainer, GenericData, type ContainerOptions,
} from "../containers/container.js";
import { GroupSpec } from "../spec/group-spec.js";
import type { NamespaceCatalog, TypeSpec } from "../spec/namespace.js";

/** A container class as TypeMap registers it: constructible from ContainerOptions, with static `dataType` and `namespace`. */
export interface ContainerClass {
  new (options: ContainerOptions): AbstractContainer;
  /** The data type the class stands for ("TimeSeries"). */
  readonly dataType: string;
  /** The namespace that defines the type ("core"). */
  readonly namespace: string;
}

/** Options of TypeMap (and of createBuildManager / createNwbBuildManager). */
export interface TypeMapOptions {
  /**
   * The attribute naming a builder's type. pynwb writes "neurodata_type" for every type,
   * hdmf-common ones included; hdmf alone writes "data_type". Default: "neurodata_type"
   * when the catalog has the NWB "core" namespace, else "data_type".
   */
  typeKey?: "neurodata_type" | "data_type";
}

/**
 * hdmf's TypeMap: which container class stands for each (namespace, data type), over a
 * NamespaceCatalog of specs. Types without a class get GenericContainer / GenericData.
 */
export class TypeMap {
  /** The specs of every type this map can build or construct. */
  readonly catalog: NamespaceCatalog;
  /** The attribute written with each builder's type (see TypeMapOptions.typeKey). */
  readonly typeKey: "neurodata_type" | "data_type";
  readonly #classes = new Map<string, ContainerClass>();

  constructor(catalog: NamespaceCatalog, options: TypeMapOptions = {}) {
    this.catalog = catalog;
    this.typeKey = options.typeKey ?? (catalog.hasNamespace("core") ? "neurodata_type" : "data_type");
  }

  /** Use these classes for their (namespace, dataType); a later class for the same type replaces an earlier one. */
  register(...classes: ContainerClass[]): this {
    for (const cls of classes) this.#classes.set(`${cls.namespace}::${cls.dataType}`, cls);
    return this;
  }

  /** The class registered for (namespace, dataType), or undefined (a generic container is used then). */
  getClass(namespace: string, dataType: string): ContainerClass | undefined {
    return this.#classes.get(`${namespace}::${dataType}`);
  }

  /** The spec of a type, looked up in its namespace or, failing that, any namespace that has it. */
  getSpec(namespace: string, dataType: string): TypeSpec {
    if (this.catalog.hasNamespace(namespace)) {
      const ns = this.catalog.getNamespace(namespace);
      if (ns.hasType(dataType)) return ns.getSpec(dataType);
    }
    const other = this.catalog.namespaceOfType(dataType);
    if (other === undefined) throw new NotFoundError(`no spec for type "${dataType}" (namespace "${namespace}")`, { path: dataType });
    return this.catalog.getSpec(other, dataType);
  }

  /** [type, parent, ...] for a type. */
  hierarchy(namespace: string, dataType: string): string[] {
    const ns = this.catalog.hasNamespace(namespace) && this.catalog.getNamespace(namespace).hasType(dataType)
      ? namespace : this.catalog.namespaceOfType(dataType);
    return ns === undefined ? [dataType] : this.catalog.getHierarchy(ns, dataType);
  }

  /** A new, empty container for a type read from a file. */
  create(namespace: string, dataType: string, options: ContainerOptions): AbstractContainer {
    const cls = this.getClass(namespace, dataType);
    if (cls) return new cls(options);
    const spec = this.getSpec(namespace, dataType);
    return spec instanceof GroupSpec
      ? new GenericContainer({ ...options, dataType, namespace })
      : new GenericData({ ...options, dataType, namespace });
  }
}
