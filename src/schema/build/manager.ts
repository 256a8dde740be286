/**
 * BuildManager: the one object backends use to turn a container tree into builders (write)
 * and builders into containers (read), as hdmf's BuildManager.
 *
 * A container is built once per manager. Building it again for another file gives a link
 * to the first builder (the tutorial's multi-file pattern), and a container read from
 * another file (`container.source` differs from the file being written) becomes a
 * LinkBuilder to it, unless `linkData: false` asks for a copy.
 */
import { InvalidInputError } from "../../errors.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder, type Builder } from "../builders.js";
import type { AbstractContainer } from "../containers/container.js";
import { GroupSpec } from "../spec/group-spec.js";
import type { NamespaceCatalog } from "../spec/namespace.js";
import type { DatasetSpec } from "../spec/dataset-spec.js";
import { buildContainer, type BuildContext } from "./build-mapper.js";
import { Constructor } from "./construct-mapper.js";
import type { TypeMap } from "./type-map.js";

/** Options of BuildManager.build: the file being written and the link policy for containers from other files. */
export interface BuildOptions {
  /** The file or store being written; builders get it as `source`. */
  source?: string;
  /** true (default): containers from other files become links; false: they are copied in. */
  linkData?: boolean;
}

/** The contract backends rely on: containers to a builder tree on write, a builder tree to containers on read. */
export interface ContainerBuildManager {
  /** The root GroupBuilder for `container` (the root of a file). */
  build(container: AbstractContainer, options?: BuildOptions): GroupBuilder;
  /** The container tree for a builder tree read from a file. */
  construct(root: GroupBuilder): AbstractContainer;
}

/**
 * hdmf's BuildManager: builds containers into builders and constructs containers from
 * builders through one TypeMap, remembering each container <-> builder pair so a container is
 * built once and a builder read once.
 */
export class BuildManager implements ContainerBuildManager {
  /** The class and spec lookup this manager builds with. */
  readonly typeMap: TypeMap;
  readonly #builders = new Map<AbstractContainer, GroupBuilder | DatasetBuilder>();
  readonly #containers = new Map<Builder, AbstractContainer>();

  constructor(typeMap: TypeMap) {
    this.typeMap = typeMap;
  }

  /** The spec catalog of the TypeMap (what openNWB caches in the files it writes). */
  get catalog(): NamespaceCatalog {
    return this.typeMap.catalog;
  }

  /** The builder this manager built for (or read as) `container`, if any. */
  getBuilder(container: AbstractContainer): GroupBuilder | DatasetBuilder | undefined {
    return this.#builders.get(container);
  }

  /** The container this manager constructed from (or built into) `builder`, if any. */
  getContainer(builder: Builder): AbstractContainer | undefined {
    return this.#containers.get(builder);
  }

  /**
   * Build the tree under `container` (normally an NWBFile or another root group). Building the
   * same container again for the same `source` returns the cached builder; an InvalidInputError
   * when the container is a dataset type.
   */
  build(container: AbstractContainer, options: BuildOptions = {}): GroupBuilder {
    const cached = this.#builders.get(container);
    if (cached instanceof GroupBuilder && cached.source === options.source) return cached;
    const ctx = this.#context(options);
    const b = buildContainer(container, ctx, (x) => this.#remember(container, x));
    if (!(b instanceof GroupBuilder)) throw new InvalidInputError(`the root of a file must be a group type, not ${container.dataType}`, { option: "container" });
    return b;
  }

  /** Build any container (group or dataset type) without placing it. */
  buildAny(container: AbstractContainer, options: BuildOptions = {}): GroupBuilder | DatasetBuilder {
    return this.#builders.get(container) ?? buildContainer(container, this.#context(options), (x) => this.#remember(container, x));
  }

  /** Containers for a builder tree read from a file. */
  construct(root: GroupBuilder): AbstractContainer {
    const hit = this.#containers.get(root);
    if (hit) return hit;
    const k = new Constructor(this.typeMap, root);
    const c = k.construct(root);
    for (const [b, x] of k.constructed) {
      this.#containers.set(b, x);
      if (!this.#builders.has(x)) this.#builders.set(x, b as GroupBuilder | DatasetBuilder);
    }
    return c;
  }

  #remember(c: AbstractContainer, b: GroupBuilder | DatasetBuilder): void {
    this.#builders.set(c, b);
    this.#containers.set(b, c);
  }

  #context(options: BuildOptions): BuildContext {
    const source = options.source;
    const linkData = options.linkData ?? true;
    const ctx: BuildContext = {
      source,
      typeKey: this.typeMap.typeKey,
      specOf: (c) => this.typeMap.getSpec(c.namespace, c.dataType) as GroupSpec | DatasetSpec,
      builderOf: (c, placement) => {
        const existing = this.#builders.get(c);
        if (existing) return existing;
        return buildContainer(c, ctx, (x) => this.#remember(c, x), placement);
      },
      childBuilder: (parent, child, placement) => {
        const existing = this.#builders.get(child);
        const readElsewhere = child.source !== undefined && source !== undefined && child.source !== source;
        if (linkData && readElsewhere && (existing === undefined || existing.source === child.source)) {
          return new LinkBuilder(child.name, { path: child.locationPath ?? `/${child.name}`, source: child.source });
        }
        if (existing && existing.source !== source) {
          if (linkData) return new LinkBuilder(child.name, existing);
          return this.#copy(child, ctx, placement);
        }
        if (child.parent !== undefined && child.parent !== parent) return new LinkBuilder(child.name, ctx.builderOf(child));
        if (readElsewhere && !linkData) return this.#copy(child, ctx, placement);
        const b = ctx.builderOf(child, placement);
        if (b.parent !== undefined) return new LinkBuilder(child.name, b);
        return b;
      },
    };
    return ctx;
  }

  /** A fresh builder for a container already built for (or read from) another file. */
  #copy(child: AbstractContainer, ctx: BuildContext, placement?: GroupSpec | DatasetSpec): GroupBuilder | DatasetBuilder {
    const saved = this.#builders.get(child);
    this.#builders.delete(child);
    const b = buildContainer(child, ctx, (x) => this.#builders.set(child, x), placement);
    if (saved) this.#builders.set(child, saved);
    return b;
  }
}
