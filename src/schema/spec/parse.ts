/**
 * Spec dicts (from YAML or JSON) -> spec objects, strictly: an unknown key or a value of the
 * wrong type is an InvalidInputError naming the source file and the key path.
 */
import { InvalidInputError } from "../../errors.js";
import { GroupSpec } from "./group-spec.js";
import { PyFloat, type PyJson } from "./pyjson.js";
import { AttributeSpec, HDMF_KEYS, LinkSpec, NWB_KEYS, type Dims, type DtypeSpec, type RefSpec, type Shape, type SpecDtype, type TypeKeys } from "./spec.js";
import { DatasetSpec } from "./dataset-spec.js";

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

/** A mapping read from a spec or namespace file (YAML or JSON), before it becomes a spec object. */
export type SpecDict = Record<string, PyJson>;

/**
 * Turns the dicts of one spec file into AttributeSpec / DatasetSpec / GroupSpec / LinkSpec,
 * checking every key and value on the way (hdmf's build_spec, made strict). Each error is an
 * InvalidInputError whose message starts with `file` and the key path (`where`).
 */
export class SpecParser {
  /**
   * @param file - the spec file (or cache path) named in error messages
   * @param defaultKeys - the type keys for dicts that use neither data_type_* nor neurodata_type_*
   */
  constructor(readonly file: string, readonly defaultKeys: TypeKeys) {}

  /** Throw an InvalidInputError "<file>: <where>: <message>". */
  fail(where: string, message: string): never {
    throw new InvalidInputError(`${this.file}: ${where}: ${message}`, { option: where, path: this.file });
  }

  /** `v` as a mapping; an error when it is anything else. */
  dict(v: PyJson | undefined, where: string): SpecDict {
    if (v === null || v === undefined || typeof v !== "object" || Array.isArray(v) || v instanceof PyFloat) {
      this.fail(where, "expected a mapping");
    }
    return v as SpecDict;
  }

  /** `v` as a list ([] when absent); an error when it is not a list. */
  list(v: PyJson | undefined, where: string): PyJson[] {
    if (v === undefined) return [];
    if (!Array.isArray(v)) this.fail(where, "expected a list");
    return v;
  }

  /** An error for the first key of `d` not in `allowed`. */
  checkKeys(d: SpecDict, allowed: Set<string>, where: string): void {
    for (const k of Object.keys(d)) if (!allowed.has(k)) this.fail(`${where}.${k}`, `unknown key "${k}"`);
  }

  /** The string at `key` (undefined when absent or null); an error when it is missing but `required`, or not a string. */
  str(d: SpecDict, key: string, where: string, required = false): string | undefined {
    const v = d[key];
    if (v === undefined || v === null) {
      if (required) this.fail(`${where}.${key}`, `missing required key "${key}"`);
      return undefined;
    }
    if (typeof v !== "string") this.fail(`${where}.${key}`, `expected a string, got ${JSON.stringify(v)}`);
    return v;
  }

  /** The boolean at `key` (undefined when absent or null); an error for any other value. */
  bool(d: SpecDict, key: string, where: string): boolean | undefined {
    const v = d[key];
    if (v === undefined || v === null) return undefined;
    if (typeof v !== "boolean") this.fail(`${where}.${key}`, "expected true or false");
    return v;
  }

  /** The `quantity` key: a count >= 0 or one of ?, *, + and their long spellings; undefined when absent. */
  quantity(d: SpecDict, where: string): number | string | undefined {
    const v = d.quantity;
    if (v === undefined || v === null) return undefined;
    if (typeof v === "number" && Number.isInteger(v) && v >= 0) return v;
    if (typeof v === "string" && ["?", "*", "+", "zero_or_one", "zero_or_many", "one_or_many"].includes(v)) return v;
    return this.fail(`${where}.quantity`, `bad quantity ${JSON.stringify(v)}`);
  }

  /** The type keys a spec dict uses (NWB or hdmf; `defaultKeys` when it has neither); an error when it mixes both. */
  keysOf(d: SpecDict, where: string): TypeKeys {
    const nwb = "neurodata_type_def" in d || "neurodata_type_inc" in d;
    const hdmf = "data_type_def" in d || "data_type_inc" in d;
    if (nwb && hdmf) this.fail(where, "mixes neurodata_type_* and data_type_* keys");
    return nwb ? NWB_KEYS : hdmf ? HDMF_KEYS : this.defaultKeys;
  }

  /** The key path for error messages: `fallback[<type or name>]` when the dict has one, else `fallback`. */
  where(d: SpecDict, fallback: string): string {
    for (const k of ["neurodata_type_def", "data_type_def", "name", "neurodata_type_inc", "data_type_inc"]) {
      if (typeof d[k] === "string") return `${fallback}[${d[k] as string}]`;
    }
    return fallback;
  }

  /** A dtype value: a primary dtype name (PRIMARY_DTYPES), a reference dict, or (if `allowCompound`) a list of compound fields. */
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

  /** A reference dtype `{target_type, reftype}`; reftype must be "object" or "region". */
  ref(d: SpecDict, where: string): RefSpec {
    this.checkKeys(d, REF_KEYS, where);
    const target_type = this.str(d, "target_type", where, true)!;
    const reftype = this.str(d, "reftype", where, true)!;
    if (reftype !== "object" && reftype !== "region") this.fail(`${where}.reftype`, `must be "object" or "region", got "${reftype}"`);
    return { target_type, reftype };
  }

  /** One compound field `{name, doc, dtype}`. */
  field(d: SpecDict, where: string): DtypeSpec {
    this.checkKeys(d, FIELD_KEYS, where);
    const name = this.str(d, "name", where, true)!;
    const doc = this.str(d, "doc", where, true)!;
    const dtype = this.dtype(d.dtype, `${where}.dtype`, true);
    if (dtype === undefined) this.fail(`${where}.dtype`, "missing required key \"dtype\"");
    return { doc, name, dtype };
  }

  /** A `shape` value: a list of sizes (int >= 0 or null), or a list of such lists. */
  shape(v: PyJson | undefined, where: string): Shape | undefined {
    if (v === undefined || v === null) return undefined;
    const ok = (x: PyJson): boolean => x === null || (typeof x === "number" && Number.isInteger(x) && x >= 0);
    if (!Array.isArray(v)) this.fail(where, "expected a list");
    if (v.every(ok)) return v as (number | null)[];
    if (v.every((alt) => Array.isArray(alt) && alt.every(ok))) return v as (number | null)[][];
    return this.fail(where, "expected a list of sizes (or of size lists)");
  }

  /** A `dims` value: a list of axis names, or a list of such lists. */
  dims(v: PyJson | undefined, where: string): Dims | undefined {
    if (v === undefined || v === null) return undefined;
    if (!Array.isArray(v)) this.fail(where, "expected a list");
    if (v.every((x) => typeof x === "string")) return v as string[];
    if (v.every((alt) => Array.isArray(alt) && alt.every((x) => typeof x === "string"))) return v as string[][];
    return this.fail(where, "expected a list of names (or of name lists)");
  }

  /** An attribute spec dict -> AttributeSpec (dtype required, compound not allowed). */
  attribute(d: SpecDict, where: string): AttributeSpec {
    this.checkKeys(d, ATTRIBUTE_KEYS, where);
    const dtype = this.dtype(d.dtype, `${where}.dtype`, false);
    if (dtype === undefined) this.fail(`${where}.dtype`, "missing required key \"dtype\"");
    return new AttributeSpec({
      name: this.str(d, "name", where, true)!, doc: this.str(d, "doc", where, true)!, dtype: dtype as string | RefSpec,
      shape: this.shape(d.shape, `${where}.shape`), dims: this.dims(d.dims, `${where}.dims`),
      required: this.bool(d, "required", where), value: d.value, default_value: d.default_value,
    });
  }

  /** The `attributes` list of a group or dataset dict, each parsed with attribute(). */
  attributes(d: SpecDict, where: string): AttributeSpec[] {
    return this.list(d.attributes, `${where}.attributes`).map((a, i) => {
      const w = `${where}.attributes[${i}]`;
      const ad = this.dict(a, w);
      return this.attribute(ad, typeof ad.name === "string" ? `${where}.attributes[${ad.name}]` : w);
    });
  }

  /** The keys groups and datasets share (doc, name, attributes, quantity, type keys...) as StorageSpecInit fields. */
  storage(d: SpecDict, where: string, keys: TypeKeys) {
    return {
      doc: this.str(d, "doc", where, true)!, name: this.str(d, "name", where),
      default_name: this.str(d, "default_name", where), attributes: this.attributes(d, where),
      linkable: this.bool(d, "linkable", where), quantity: this.quantity(d, where),
      def: this.str(d, keys.def, where), inc: this.str(d, keys.inc, where),
    };
  }

  /** A dataset spec dict -> DatasetSpec. */
  dataset(d: SpecDict, where: string): DatasetSpec {
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

  /** A link spec dict -> LinkSpec. */
  link(d: SpecDict, where: string): LinkSpec {
    where = this.where(d, where);
    this.checkKeys(d, LINK_KEYS, where);
    return new LinkSpec({
      doc: this.str(d, "doc", where, true)!, target_type: this.str(d, "target_type", where, true)!,
      quantity: this.quantity(d, where), name: this.str(d, "name", where),
    });
  }

  /** A group spec dict -> GroupSpec, with its nested groups, datasets and links. */
  group(d: SpecDict, where: string): GroupSpec {
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

  /** Re-throw an InvalidInputError from a spec constructor with `file` and `where` prefixed (once); other errors as they are. */
  rethrow(e: unknown, where: string): never {
    if (e instanceof InvalidInputError && !e.message.startsWith(this.file)) {
      throw new InvalidInputError(`${this.file}: ${where}: ${e.message}`, { option: e.option, path: this.file, cause: e });
    }
    throw e;
  }
}
