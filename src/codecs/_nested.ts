/**
 * The layout numcodecs' JSON (`json2`) and MsgPack (`msgpack2`) share: the chunk as nested lists
 * (numpy `tolist()`, so logical C order whatever the array's memory order), then its dtype str
 * and its shape: `[..values.., "|O", [n, m]]`.
 */
import { corrupt, type ObjectValue } from "./codec.js";
import { product } from "./_util.js";

/** `[...nested values, dtype, shape]` for a chunk of `values` (C order). */
export function nestedItems<T>(values: readonly T[], shape: readonly number[], dtype: string): unknown[] {
  const items: unknown[] = nest(values, shape);
  items.push(dtype, [...shape]);
  return items;
}

function nest<T>(values: readonly T[], shape: readonly number[]): unknown[] {
  if (shape.length <= 1) return [...values];
  const inner = shape.slice(1);
  const step = product(inner);
  const out: unknown[] = [];
  for (let i = 0; i < shape[0]!; i++) out.push(nest(values.slice(i * step, (i + 1) * step), inner));
  return out;
}

/** The chunk's values in C order from a decoded `[...nested values, dtype, shape]` list. */
export function unnestItems(codecId: string, items: unknown): ObjectValue[] {
  if (!Array.isArray(items) || items.length < 2) throw corrupt(codecId, "decode", `not a ${codecId} list`);
  const shape = items[items.length - 1] as unknown;
  if (!Array.isArray(shape) || !shape.every((s) => typeof s === "number" && Number.isInteger(s) && s >= 0)) throw corrupt(codecId, "decode", "missing shape");
  const body = items.slice(0, -2) as ObjectValue[];
  if (shape.length === 0) return [body[0] ?? null];
  const flat = flatten(body, shape.length - 1);
  const n = product(shape as number[]);
  if (flat.length !== n) throw corrupt(codecId, "decode", `shape [${shape.join(",")}] needs ${n} values, found ${flat.length}`);
  return flat;
}

function flatten(items: ObjectValue[], depth: number): ObjectValue[] {
  if (depth <= 0) return items;
  return items.flatMap((x) => (Array.isArray(x) ? flatten(x, depth - 1) : [x]));
}
