/**
 * Compound datasets in the unified v3 convention (storage.rst "dtype mappings", backend.py
 * write_dataset / __size_compound_string_fields__): the v3 `struct` data type, where every text
 * and reference field is a fixed-length UTF-32 string (`fixed_length_utf32`) as wide as the
 * longest value, at least COMPOUND_MIN_STRING_LENGTH characters; reference fields hold the
 * target's path and are named in `_REFERENCE_FIELDS`.
 *
 * In memory the dataset keeps its HDMF dtype (vlen text, object references), so it reads into
 * the same builders as its HDF5 twin and exports to HDF5 as such; the chunk codec converts
 * records between the two layouts (RecordTransform). A value wider than its stored field is an
 * InvalidInputError naming the dataset and field, never a silent truncation (numpy's).
 */
import { InvalidInputError } from "../../errors.js";
import { compound, dtypes, type CompoundDtype, type Dtype } from "../../data/dtype.js";
import { NdArray, type CompoundRecord, type FillValue, type Scalar } from "../../data/ndarray.js";
import { ObjectReference } from "../../data/reference.js";
import { COMPOUND_MIN_STRING_LENGTH } from "./convention.js";
import { fromPathRef, toPathRef } from "./references.js";

/** A field kept as a fixed UTF-32 string in storage: text of any length, and references. */
function isWidened(d: Dtype): boolean {
  return d.kind === "reference" || (d.kind === "string" && d.length === null);
}

/** Whether a logical compound needs the unified layout change (text or reference fields). */
export function needsStructLayout(d: Dtype): d is CompoundDtype {
  return d.kind === "compound" && d.fields.some((f) => isWidened(f.dtype));
}

/** Characters (code points, as numpy's U counts them) of a field value as stored. */
function storedText(v: unknown): string {
  if (v instanceof ObjectReference) return toPathRef(v);
  if (v === null || v === undefined) return "";
  return String(v);
}

const codePoints = (s: string): number => {
  let n = 0;
  for (const _ of s) n++;
  return n;
};

/** The widest stored value of every text/reference field of compound data (0 for none). */
export function fieldWidths(data: NdArray | undefined, logical: CompoundDtype): Map<string, number> {
  const out = new Map<string, number>();
  for (const f of logical.fields) if (isWidened(f.dtype)) out.set(f.name, 0);
  if (!data) return out;
  for (const rec of data.data as CompoundRecord[]) {
    for (const name of out.keys()) out.set(name, Math.max(out.get(name)!, codePoints(storedText(rec?.[name]))));
  }
  return out;
}

/** The struct layout stored for a logical compound: text/reference fields as U(max(width, 512)). */
export function storedCompound(logical: CompoundDtype, widths: ReadonlyMap<string, number>): CompoundDtype {
  return compound(logical.fields.map((f) => {
    if (!isWidened(f.dtype)) return { name: f.name, dtype: f.dtype };
    const n = Math.max(widths.get(f.name) ?? 0, COMPOUND_MIN_STRING_LENGTH);
    return { name: f.name, dtype: { kind: "string", encoding: "utf-8", length: n, unicodeFixed: true } };
  }));
}

/** The logical compound of a stored struct: `_REFERENCE_FIELDS` become references, U text (NWB data) vlen text. */
export function logicalCompound(stored: CompoundDtype, refFields: readonly string[], textAsVlen: boolean): CompoundDtype | undefined {
  let changed = false;
  const fields = stored.fields.map((f) => {
    const fixedText = f.dtype.kind === "string" && f.dtype.length !== null;
    if (refFields.includes(f.name) && fixedText) { changed = true; return { name: f.name, dtype: dtypes.objectRef as Dtype }; }
    if (textAsVlen && fixedText && f.dtype.kind === "string" && f.dtype.unicodeFixed) { changed = true; return { name: f.name, dtype: dtypes.utf8 as Dtype }; }
    return { name: f.name, dtype: f.dtype };
  });
  return changed ? compound(fields) : undefined;
}

/** Converts chunks between the logical and the stored record layout. */
export interface RecordTransform {
  readonly stored: CompoundDtype;
  toStored(chunk: NdArray): NdArray;
  fromStored(chunk: NdArray): NdArray;
}

export function compoundTransform(logical: CompoundDtype, stored: CompoundDtype, path: string): RecordTransform {
  const widened = stored.fields.filter((f) => f.dtype.kind === "string" && f.dtype.length !== null && isWidened(logical.fields.find((l) => l.name === f.name)?.dtype ?? f.dtype));
  const refs = new Set(logical.fields.filter((f) => f.dtype.kind === "reference").map((f) => f.name));
  return {
    stored,
    toStored(chunk: NdArray): NdArray {
      const rows = (chunk.data as CompoundRecord[]).map((rec) => {
        const out: Record<string, Scalar | null> = { ...(rec ?? {}) };
        for (const f of widened) {
          const text = storedText(rec?.[f.name]);
          const max = (f.dtype as { length: number }).length;
          if (codePoints(text) > max) {
            throw new InvalidInputError(`${path}: a value of field "${f.name}" needs ${codePoints(text)} characters but the dataset stores at most ${max}; export to a new store to rewrite it wider`, { path, option: "data" });
          }
          out[f.name] = text;
        }
        return out;
      });
      return new NdArray(rows, chunk.shape, stored);
    },
    fromStored(chunk: NdArray): NdArray {
      const rows = (chunk.data as CompoundRecord[]).map((rec) => {
        if (refs.size === 0) return rec;
        const out: Record<string, Scalar | null> = { ...rec };
        for (const name of refs) out[name] = fromPathRef(rec?.[name] ?? "", `${path} field ${name}`);
        return out;
      });
      return new NdArray(rows, chunk.shape, logical);
    },
  };
}

/** The logical fill of a stored struct fill: reference fields hold a null reference. */
export function logicalFill(logical: CompoundDtype, fill: FillValue): FillValue {
  const rec = (fill ?? {}) as CompoundRecord;
  const out: Record<string, Scalar | null> = {};
  for (const f of logical.fields) out[f.name] = f.dtype.kind === "reference" ? new ObjectReference("") : f.dtype.kind === "string" ? String(rec[f.name] ?? "") : (rec[f.name] ?? null);
  return out;
}
