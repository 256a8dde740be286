/**
 * Python `lzma` filter specs (what numcodecs LZMA stores in `filters`) as liblzma filter options,
 * read the way CPython's `_lzma.c` parse_filter_spec reads them: an LZMA1/LZMA2 spec starts from
 * its `preset` (default 6, liblzma's lzma_lzma_preset) and then takes dict_size, lc, lp, pb, mode,
 * nice_len, mf and depth as given; delta takes `dist`; the BCJ filters take no option here
 * (`start_offset` other than 0 is refused: the binding cannot pass it).
 */
import { badConfig, type JsonValue } from "./codec.js";

/** lzma-native's filter entry: a liblzma filter name and its options. */
export interface LzmaFilter {
  readonly id: string;
  readonly options?: Readonly<Record<string, number>>;
}

const LZMA1 = 0x4000000000000001n;
const NAMES = new Map<bigint, string>([
  [3n, "LZMA_FILTER_DELTA"], [4n, "LZMA_FILTER_X86"], [5n, "LZMA_FILTER_POWERPC"], [6n, "LZMA_FILTER_IA64"],
  [7n, "LZMA_FILTER_ARM"], [8n, "LZMA_FILTER_ARMTHUMB"], [9n, "LZMA_FILTER_SPARC"], [0x21n, "LZMA_FILTER_LZMA2"],
  [LZMA1, "LZMA_FILTER_LZMA1"],
]);
/** liblzma's dictionary size per preset level 0-9 (lzma_lzma_preset: 1 << dict_pow2[level]). */
const DICT_POW2 = [18, 20, 21, 22, 22, 23, 23, 24, 25, 26];
const PRESET_DEFAULT = 6;
const LEVEL_MASK = 0x1f;

/** A filter id as JSON holds it: a number, or a bigint when the metadata parser kept it exact. */
function filterName(id: unknown): string {
  let key: bigint | undefined;
  if (typeof id === "bigint") key = id;
  // a parser that rounds to double reads FILTER_LZMA1 (2^62 + 1) as 2^62
  else if (typeof id === "number" && Number.isInteger(id)) key = id === Number(LZMA1) ? LZMA1 : BigInt(id);
  const name = key === undefined ? undefined : NAMES.get(key);
  if (!name) throw badConfig("lzma", `unknown lzma filter id ${String(id)}`);
  return name;
}

function int(spec: Readonly<Record<string, JsonValue>>, key: string): number | undefined {
  const v = spec[key] as unknown;
  if (v === undefined || v === null) return undefined;
  const n = typeof v === "bigint" ? Number(v) : v;
  if (typeof n !== "number" || !Number.isInteger(n) || n < 0) throw badConfig("lzma", `filter option "${key}" must be a non-negative integer, got ${String(v)}`);
  return n;
}

/** The decoder-relevant LZMA properties of a spec: the preset's, then the given keys. */
function lzmaProps(spec: Readonly<Record<string, JsonValue>>): Record<string, number> {
  const preset = int(spec, "preset") ?? PRESET_DEFAULT;
  const level = preset & LEVEL_MASK;
  if (level > 9) throw badConfig("lzma", `preset level ${level} is not 0-9`);
  return { dictSize: int(spec, "dict_size") ?? 2 ** DICT_POW2[level]!, lc: int(spec, "lc") ?? 3, lp: int(spec, "lp") ?? 0, pb: int(spec, "pb") ?? 2 };
}

const TUNING: ReadonlyArray<readonly [string, string]> = [["mode", "mode"], ["nice_len", "niceLen"], ["mf", "mf"], ["depth", "depth"]];

/**
 * One spec as lzma-native takes it. `encode`: a spec with nothing but a preset keeps the preset
 * (the same encoder settings as Python); otherwise the explicit properties plus any tuning given.
 */
export function lzmaFilter(spec: JsonValue, encode = false): LzmaFilter {
  if (spec === null || typeof spec !== "object" || Array.isArray(spec)) throw badConfig("lzma", `a filter spec must be an object, got ${show(spec)}`);
  const id = filterName(spec.id as unknown);
  if (id === "LZMA_FILTER_LZMA1" || id === "LZMA_FILTER_LZMA2") {
    const keys = Object.keys(spec).filter((k) => k !== "id");
    if (encode && keys.every((k) => k === "preset")) return { id, options: { preset: int(spec, "preset") ?? PRESET_DEFAULT } };
    const options = lzmaProps(spec);
    if (encode) for (const [py, js] of TUNING) { const v = int(spec, py); if (v !== undefined) options[js] = v; }
    return { id, options };
  }
  if (id === "LZMA_FILTER_DELTA") return { id, options: { dist: int(spec, "dist") ?? 1 } };
  if ((int(spec, "start_offset") ?? 0) !== 0) throw badConfig("lzma", `${id} with start_offset ${String(spec.start_offset)} is not supported`);
  return { id };
}

/** A `filters` list (null = none). */
export function lzmaFilters(filters: JsonValue | undefined, encode = false): LzmaFilter[] | undefined {
  if (filters === undefined || filters === null) return undefined;
  if (!Array.isArray(filters) || filters.length === 0) throw badConfig("lzma", `"filters" must be null or a non-empty list, got ${show(filters)}`);
  return filters.map((f) => lzmaFilter(f, encode));
}

const show = (v: unknown): string => JSON.stringify(v, (_k, x: unknown) => (typeof x === "bigint" ? x.toString() : x)) ?? String(v);
