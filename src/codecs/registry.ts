/**
 * The codec registry: numcodecs id → lazy loader, HDF5 filter id → loader, Zarr v3 name →
 * loader. Each registry is an instance (no module-level mutable state); wasm codecs load on
 * first use. `createDefaultRegistry()` knows every built-in codec.
 */
import { CodecError } from "../errors.js";
import type { ChunkContext, Codec, CodecConfig, Hdf5Filter, JsonValue, ZarrV3Codec } from "./codec.js";

export type CodecLoader = (config: CodecConfig) => Promise<Codec>;
export type Hdf5FilterLoader = (filter: Hdf5Filter, ctx?: ChunkContext) => Promise<Codec>;
export type ZarrV3Loader = (configuration: { readonly [key: string]: JsonValue }, ctx?: ChunkContext) => Promise<Codec>;

export class CodecRegistry {
  readonly #loaders = new Map<string, CodecLoader>();
  readonly #hdf5 = new Map<number, Hdf5FilterLoader>();
  readonly #v3 = new Map<string, ZarrV3Loader>();

  register(id: string, load: CodecLoader): this {
    this.#loaders.set(id, load);
    return this;
  }

  /** Same as register (the issue's name). */
  registerCodec(id: string, load: CodecLoader): this {
    return this.register(id, load);
  }

  registerHdf5Filter(filterId: number, load: Hdf5FilterLoader): this {
    this.#hdf5.set(filterId, load);
    return this;
  }

  registerZarrV3(name: string, load: ZarrV3Loader): this {
    this.#v3.set(name, load);
    return this;
  }

  has(id: string): boolean {
    return this.#loaders.has(id);
  }

  hasHdf5Filter(filterId: number): boolean {
    return this.#hdf5.has(filterId);
  }

  ids(): string[] {
    return [...this.#loaders.keys()].sort();
  }

  /** A copy users can extend without touching this one. */
  clone(): CodecRegistry {
    const r = new CodecRegistry();
    for (const [k, v] of this.#loaders) r.register(k, v);
    for (const [k, v] of this.#hdf5) r.registerHdf5Filter(k, v);
    for (const [k, v] of this.#v3) r.registerZarrV3(k, v);
    return r;
  }

  async resolve(config: CodecConfig): Promise<Codec> {
    const codecId = typeof config?.id === "string" ? config.id : String(config?.id);
    const load = this.#loaders.get(codecId);
    if (!load) throw new CodecError(`unknown codec id "${codecId}"`, { codecId });
    try {
      return await load(config);
    } catch (e) {
      if (e instanceof CodecError) throw e;
      throw new CodecError(`cannot create codec "${codecId}": ${e instanceof Error ? e.message : String(e)}`, { codecId, cause: e });
    }
  }

  /** Same as resolve (numcodecs' name). */
  getCodec(config: CodecConfig): Promise<Codec> {
    return this.resolve(config);
  }

  async resolveHdf5(filter: Hdf5Filter, ctx?: ChunkContext): Promise<Codec> {
    const load = this.#hdf5.get(filter.id);
    const codecId = `hdf5-filter-${filter.id}`;
    if (!load) throw new CodecError(`no codec for HDF5 filter ${filter.id}${filter.name ? ` (${filter.name})` : ""}`, { codecId });
    try {
      return await load(filter, ctx);
    } catch (e) {
      if (e instanceof CodecError) throw e;
      throw new CodecError(`cannot create codec for HDF5 filter ${filter.id}: ${e instanceof Error ? e.message : String(e)}`, { codecId, cause: e });
    }
  }

  async resolveZarrV3(meta: ZarrV3Codec, ctx?: ChunkContext): Promise<Codec> {
    const load = this.#v3.get(meta.name);
    if (!load) throw new CodecError(`unknown Zarr v3 codec "${meta.name}"`, { codecId: meta.name });
    try {
      return await load(meta.configuration ?? {}, ctx);
    } catch (e) {
      if (e instanceof CodecError) throw e;
      throw new CodecError(`cannot create Zarr v3 codec "${meta.name}": ${e instanceof Error ? e.message : String(e)}`, { codecId: meta.name, cause: e });
    }
  }
}
