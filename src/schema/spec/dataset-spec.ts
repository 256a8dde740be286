/**
 * Dataset specs of the HDMF specification language (hdmf/spec/spec.py DatasetSpec): dtype,
 * shape/dims, default or fixed value and attributes, with compound dtypes extended on inheritance.
 */
import { InvalidInputError } from "../../errors.js";
import type { PyJson } from "./pyjson.js";
import { BaseStorageSpec, isCompound, storageInitFromRecord, type Dims, type DtypeSpec, type Shape, type SpecDtype, type SpecRecord, type StorageSpecInit, type TypeKeys } from "./spec.js";

/** Constructor arguments of DatasetSpec: the storage keys plus dtype, shape/dims and a default or fixed value. */
export interface DatasetSpecInit extends StorageSpecInit {
  dtype?: SpecDtype;
  shape?: Shape;
  dims?: Dims;
  default_value?: PyJson;
  value?: PyJson;
}

/**
 * A dataset spec (hdmf DatasetSpec): dtype (primary, reference or compound), shape/dims, a
 * default or fixed value, and attributes. On resolveSpec a compound dtype extends the parent
 * type's fields (same-named fields replaced, new ones appended).
 */
export class DatasetSpec extends BaseStorageSpec {
  constructor(init: DatasetSpecInit, keys: TypeKeys) {
    super(init, keys);
    if (init.shape) this.d.shape = init.shape;
    if (init.dims) {
      this.d.dims = init.dims;
      if (!init.shape) this.d.shape = init.dims.map((x) => (Array.isArray(x) ? x.map(() => null) : null));
    }
    if (init.dtype !== undefined) this.d.dtype = init.dtype;
    this.initStorage(init);
    if (init.default_value !== undefined && init.default_value !== null) this.d.default_value = init.default_value;
    if (init.value !== undefined && init.value !== null) this.d.value = init.value;
    if (this.name !== undefined && this.isMany()) {
      throw new InvalidInputError(`dataset '${this.name}': quantity ${String(this.quantityRaw)} is invalid with a fixed name`, { option: "quantity" });
    }
  }
  /** The dtype; undefined when the spec leaves it open. */
  get dtype(): SpecDtype | undefined {
    return this.d.dtype as SpecDtype | undefined;
  }
  /** The allowed shape(s); undefined when any shape is allowed. */
  get shape(): Shape | undefined {
    return this.d.shape as Shape | undefined;
  }
  /** The axis names, if the spec gives them. */
  get dims(): Dims | undefined {
    return this.d.dims as Dims | undefined;
  }
  /** The default value, if any. */
  get defaultValue(): PyJson | undefined {
    return this.d.default_value as PyJson | undefined;
  }
  /** The fixed value, if any (written even when the container has none). */
  get value(): PyJson | undefined {
    return this.d.value as PyJson | undefined;
  }

  override resolveSpec(inc: BaseStorageSpec): void {
    const own = this.dtype;
    if (isCompound(own) && inc instanceof DatasetSpec) {
      const incDtype = inc.dtype;
      if (typeof incDtype === "string") throw new InvalidInputError(`${this.path}: cannot extend a simple dtype to a compound dtype`, { option: "dtype" });
      const order = new Map<string, DtypeSpec>();
      for (const f of (incDtype as readonly DtypeSpec[] | undefined) ?? []) order.set(f.name, f);
      for (const f of own) order.set(f.name, f);
      this.d.dtype = [...order.values()];
    }
    super.resolveSpec(inc);
  }

  clone(): DatasetSpec {
    return datasetFromRecord(this.d, this.keys);
  }
}

/** A new DatasetSpec from a dataset spec's key dict, its attribute specs cloned (DatasetSpec.clone). */
export function datasetFromRecord(d: SpecRecord, keys: TypeKeys): DatasetSpec {
  return new DatasetSpec({
    ...storageInitFromRecord(d, keys),
    dtype: d.dtype as SpecDtype | undefined, shape: d.shape as Shape | undefined, dims: d.dims as Dims | undefined,
    default_value: d.default_value as PyJson | undefined, value: d.value as PyJson | undefined,
  }, keys);
}
