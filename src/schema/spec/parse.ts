/**
 * Spec dicts (from YAML or JSON) -> spec objects, strictly: an unknown key or a value of the
 * wrong type is an InvalidInputError naming the source file and the key path.
 */
import { InvalidInputError } from "../../errors.js";
import { GroupSpec } from "./group-spec.js";
import { PyFloat, type PyJson } from "./pyjson.js";
import {
  AttributeSpec, DatasetSpec, HDMF_KEYS, LinkSpec, NWB_KEYS, type Dims, type DtypeSpec, type RefSpec, type Shape,
  type SpecDtype, type TypeKeys,
} from "./spec.js";

/** hdmf DtypeHelper.valid_primary_dtypes. */
export const PRIMARY_DTYPES = new Set([
  "float", "float32", "double", "float64", "short", "int16", "int", "int32", "long", "int64",
  "utf", "text", "utf8", "utf-8", "ascii", "bytes", "bool", "int8", "uint8", "uint16", "uint32", "uint",
  "uint64", "object", "region", "numeric", "isodatetime", "datetime", "date",
]);

const TYPE_KEYS = ["neurodata_type_def", "neurodata_type_inc", "data_type_def", "data_type_inc"];
const STORAGE_KEYS = ["doc", "name", "default_name", "attributes", "linkable", "quantity", ...TYPE_KEYS];
const GROUP_KEYS = new Set([...STORAGE_KEYS, "groups", "datasets", "links"]);
const DATASET_KEYS = new Set([...STORAGE_KEYS, "dtype", "shape", "dims", "default_value", "value"]);
const ATTRIBUTE_KEYS = new Set(["name", "doc", "dtype", "shape", "dims", "required", "value", "default_value"]);
const LINK_KEYS = new Set(["doc", "target_type", "quantity", "name"]);
const FIELD_KEYS = new Set(["name", "doc", "dtype"]);
const REF_KEYS = new Set(["target_type", "reftype"]);

export type Dict = Record<string, PyJson>;

export class SpecParser {
  constructor(readonly file: string, readonly defaultKeys: TypeKeys) {}

  fail(where: string, message: string): never {
    throw new InvalidInputError(`${this.file}: ${where}: ${message}`, { option: where, path: this.file });
  }

  dict(v: PyJson | undefined, where: string): Dict {
    if (v === null || v === undefined || typeof v !== "object" || Array.isArray(v) || v instanceof PyFloat) {
      this.fail(where, "expected a mapping");
    }
    return v as Dict;
  }

  list(v: PyJson | undefined, where: string): PyJson[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(where, "expected a list");
    return v;
  }

  checkKeys(d: Dict, allowed: Set<string>, where: string): void {
    for (const k of Object.keys(d)) if (!allowed.has(k)) this.fail(`${where}.${k}`, `unknown key "${k}"`);
  }

  str(d: Dict, key: string, where: string, required = false): string | undefined {
    const v = d[key];
    if (v === undefined || v === null) {
      if (required) this.fail(`${where}.${key}`, `missing required key "${key}"`);
      return undefined;
    }
    if (typeof v !== "string") this.fail(`${where}.${key}`, `expected a string, got ${JSON.stringify(v)}`);
    return v;
  }

  bool(d: Dict, key: string, where: string): boolean | undefined {
    const v = d[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") this.fail(`${where}.${key}`, "expected true or false");
    return v;
  }

  quantity(d: Dict, where: string): number | string | undefined {
    const v = d.quantity;
    if (v === undefined || v === null) return undefined;
    if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
    if (typeof v === "string" && ["?", "*", "+", "zero_or_one", "zero_or_many", "one_or_many"].includes(v)) return v;
    return this.fail(`${where}.quantity`, `bad quantity ${JSON.stringify(v)}`);
  }

  keysOf(d: Dict, where: string): TypeKeys {
    const nwb = "neurodata_type_def" in d || "neurodata_type_inc" in d;
    const hdmf = "data_type_def" in d || "data_type_inc" in d;
    if (nwb && hdmf) this.fail(where, "mixes neurodata_type_* and data_type_* keys");
    return nwb ? NWB_KEYS : hdmf ? HDMF_KEYS : this.defaultKeys;
  }

  where(d: Dict, fallback: string): string {
    for (const k of ["neurodata_type_def", "data_type_def", "name", "neurodata_type_inc", "data_type_inc"]) {
      if (typeof d[k] === "string") return `${fallback}[${d[k] as string}]`;
    }
    return fallback;
  }

  dtype(v: PyJson | undefined, where: string, allowCompound: boolean): SpecDtype | undefined {
    if (v === undefined || v === null) return undefined;
    if (typeof v === "string") {
      if (!PRIMARY_DTYPES.has(v)) this.fail(where, `"${v}" is not a valid dtype`);
      return v;
    }
    if (Array.isArray(v)) {
      if (!allowCompound) this.fail(where, "a compound dtype is not allowed here");
      return v.map((f, i) => this.field(this.dict(f, `${where}[${i}]`), `${where}[${i}]`));
    }
    return this.ref(this.dict(v, where), where);
  }

  ref(d: Dict, where: string): RefSpec {
    this.checkKeys(d, REF_KEYS, where);
    const target_type = this.str(d, "target_type", where, true)!;
    const reftype = this.str(d, "reftype", where, true)!;
    if (reftype !== "object" && reftype !== "region") this.fail(`${where}.reftype`, `must be "object" or "region", got "${reftype}"`);
    return { target_type, reftype };
  }

  field(d: Dict, where: string): DtypeSpec {
    this.checkKeys(d, FIELD_KEYS, where);
    const name = this.str(d, "name", where, true)!;
    const doc = this.str(d, "doc", where, true)!;
    const dtype = this.dtype(d.dtype, `${where}.dtype`, true);
    if (dtype === undefined) this.fail(`${where}.dtype`, "missing required key \"dtype\"");
    return { doc, name, dtype };
  }

  shape(v: PyJson | undefined, where: string): Shape | undefined {
    if (v === undefined || v === null) return undefined;
    const ok = (x: PyJson): boolean => x === null || (typeof x === "number" && Number.isInteger(x) && x >= 0);
    if (!Array.isArray(v)) this.fail(where, "expected a list");
    if (v.every(ok)) return v as (number | null)[];
    if (v.every((alt) => Array.isArray(alt) && alt.every(ok))) return v as (number | null)[][];
    return this.fail(where, "expected a list of sizes (or of size lists)");
  }

  dims(v: PyJson | undefined, where: string): Dims | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(where, "expected a list");
    if (v.every((x) => typeof x === "string")) return v as string[];
    if (v.every((alt) => Array.isArray(alt) && alt.every((x) => typeof x === "string"))) return v as string[][];
    return this.fail(where, "expected a list of names (or of name lists)");
  }

  attribute(d: Dict, where: string): AttributeSpec {
    this.checkKeys(d, ATTRIBUTE_KEYS, where);
    const dtype = this.dtype(d.dtype, `${where}.dtype`, false);
    if (dtype === undefined) this.fail(`${where}.dtype`, "missing required key \"dtype\"");
    return new AttributeSpec({
      name: this.str(d, "name", where, true)!, doc: this.str(d, "doc", where, true)!, dtype: dtype as string | RefSpec,
      shape: this.shape(d.shape, `${where}.shape`), dims: this.dims(d.dims, `${where}.dims`),
      required: this.bool(d, "required", where), value: d.value, default_value: d.default_value,
    });
  }

  attributes(d: Dict, where: string): AttributeSpec[] {
    return this.list(d.attributes, `${where}.attributes`).map((a, i) => {
      const w = `${where}.attributes[${i}]`;
      const ad = this.dict(a, w);
      return this.attribute(ad, typeof ad.name === "string" ? `${where}.attributes[${ad.name}]` : w);
    });
  }

  storage(d: Dict, where: string, keys: TypeKeys) {
    return {
      doc: this.str(d, "doc", where, true)!, name: this.str(d, "name", where),
      default_name: this.str(d, "default_name", where), attributes: this.attributes(d, where),
      linkable: this.bool(d, "linkable", where), quantity: this.quantity(d, where),
      def: this.str(d, keys.def, where), inc: this.str(d, keys.inc, where),
    };
  }

  dataset(d: Dict, where: string): DatasetSpec {
    where = this.where(d, where);
    this.checkKeys(d, DATASET_KEYS, where);
    const keys = this.keysOf(d, where);
    try {
      return new DatasetSpec({
        ...this.storage(d, where, keys), dtype: this.dtype(d.dtype, `${where}.dtype`, true),
        shape: this.shape(d.shape, `${where}.shape`), dims: this.dims(d.dims, `${where}.dims`),
        default_value: d.default_value, value: d.value,
      }, keys);
    } catch (e) {
      return this.rethrow(e, where);
    }
  }

  link(d: Dict, where: string): LinkSpec {
    where = this.where(d, where);
    this.checkKeys(d, LINK_KEYS, where);
    return new LinkSpec({
      doc: this.str(d, "doc", where, true)!, target_type: this.str(d, "target_type", where, true)!,
      quantity: this.quantity(d, where), name: this.str(d, "name", where),
    });
  }

  group(d: Dict, where: string): GroupSpec {
    where = this.where(d, where);
    this.checkKeys(d, GROUP_KEYS, where);
    const keys = this.keysOf(d, where);
    const groups = this.list(d.groups, `${where}.groups`).map((g, i) => this.group(this.dict(g, `${where}.groups[${i}]`), `${where}.groups`));
    const datasets = this.list(d.datasets, `${where}.datasets`).map((x, i) => this.dataset(this.dict(x, `${where}.datasets[${i}]`), `${where}.datasets`));
    const links = this.list(d.links, `${where}.links`).map((l, i) => this.link(this.dict(l, `${where}.links[${i}]`), `${where}.links`));
    try {
      return new GroupSpec({ ...this.storage(d, where, keys), groups, datasets, links }, keys);
    } catch (e) {
      return this.rethrow(e, where);
    }
  }

  rethrow(e: unknown, where: string): never {
    if (e instanceof InvalidInputError && !e.message.startsWith(this.file)) {
      throw new InvalidInputError(`${this.file}: ${where}: ${e.message}`, { option: e.option, path: this.file, cause: e });
    }
    throw e;
  }
}
