/**
 * numcodecs JSON (`json2`): the chunk as nested lists (numpy `tolist()`), then its dtype str
 * and shape: `[..values.., "|O", [n]]`, compact separators, sorted keys, NaN/Infinity allowed.
 */
import { BaseObjectCodec } from "./object-codec.js";
import { corrupt, type ChunkContext, type CodecConfig, type ObjectValue } from "./codec.js";
import { product } from "./_util.js";

const NAN = "\u0000NaN", POS = "\u0000Infinity", NEG = "\u0000-Infinity";

export class Json2Codec extends BaseObjectCodec {
  readonly id = "json2";

  static fromConfig(config: CodecConfig): Json2Codec {
    if (config.encoding !== undefined && config.encoding !== "utf-8" && config.encoding !== "utf8") {
      throw corrupt("json2", "decode", `unsupported text encoding ${JSON.stringify(config.encoding)}`);
    }
    return new Json2Codec();
  }

  toConfig(): CodecConfig {
    return {
      id: this.id, encoding: "utf-8", skipkeys: false, ensure_ascii: true, check_circular: true, allow_nan: true,
      sort_keys: true, indent: null, separators: [",", ":"], strict: true,
    };
  }

  protected _encodeObjects(values: readonly ObjectValue[], ctx?: ChunkContext): Uint8Array {
    const shape = ctx?.chunkShape && product(ctx.chunkShape) === values.length ? [...ctx.chunkShape] : [values.length];
    const items: unknown[] = nest(values, shape);
    items.push(ctx?.dtype && ctx.dtype !== "" ? ctx.dtype : "|O", shape);
    return new TextEncoder().encode(stringify(items));
  }

  protected _decodeObjects(bytes: Uint8Array): ObjectValue[] {
    const text = new TextDecoder("utf-8", { fatal: true }).decode(bytes);
    const items = parseLenient(text);
    if (!Array.isArray(items) || items.length < 2) throw corrupt(this.id, "decode", "not a json2 list");
    const shape = items[items.length - 1];
    if (!Array.isArray(shape) || !shape.every((s) => typeof s === "number")) throw corrupt(this.id, "decode", "missing shape");
    const body = items.slice(0, -2);
    const flat = flatten(body, shape.length === 0 ? 0 : shape.length - 1);
    const n = product(shape as number[]);
    if (shape.length === 0) return [body[0] as ObjectValue];
    if (flat.length !== n) throw corrupt(this.id, "decode", `shape [${shape.join(",")}] needs ${n} values, found ${flat.length}`);
    return flat;
  }
}

function nest(values: readonly ObjectValue[], shape: readonly number[]): unknown[] {
  if (shape.length <= 1) return values.map(toJsonable);
  const inner = shape.slice(1);
  const step = product(inner);
  const out: unknown[] = [];
  for (let i = 0; i < shape[0]!; i++) out.push(nest(values.slice(i * step, (i + 1) * step), inner));
  return out;
}

function flatten(items: unknown[], depth: number): ObjectValue[] {
  if (depth <= 0) return items as ObjectValue[];
  return items.flatMap((x) => (Array.isArray(x) ? flatten(x, depth - 1) : [x as ObjectValue]));
}

function toJsonable(v: ObjectValue): unknown {
  if (typeof v === "bigint") return Number(v);
  if (v instanceof Uint8Array) return new TextDecoder().decode(v);
  if (Array.isArray(v)) return v.map(toJsonable);
  if (v !== null && typeof v === "object") {
    const o: Record<string, unknown> = {};
    for (const k of Object.keys(v).sort()) o[k] = toJsonable((v as Record<string, ObjectValue>)[k]!);
    return o;
  }
  return v;
}

/** JSON.stringify with Python's NaN/Infinity literals and ASCII-only output (ensure_ascii). */
function stringify(v: unknown): string {
  const s = JSON.stringify(v, (_k, x: unknown) => {
    if (typeof x === "number" && !Number.isFinite(x)) return Number.isNaN(x) ? NAN : x > 0 ? POS : NEG;
    return x;
  });
  return s
    .replace(/"\\u0000(NaN|Infinity|-Infinity)"/g, "$1")
    .replace(/[\u007f-\uffff]/g, (c) => `\\u${c.charCodeAt(0).toString(16).padStart(4, "0")}`);
}

/** JSON.parse that also accepts Python's bare NaN / Infinity / -Infinity. */
export function parseLenient(text: string): unknown {
  try {
    return JSON.parse(text);
  } catch {
    let out = "", inStr = false;
    for (let i = 0; i < text.length; i++) {
      const c = text[i]!;
      if (inStr) {
        out += c;
        if (c === "\\") { out += text[++i] ?? ""; continue; }
        if (c === "\"") inStr = false;
        continue;
      }
      if (c === "\"") { inStr = true; out += c; continue; }
      const rest = text.slice(i, i + 9);
      if (rest.startsWith("NaN")) { out += JSON.stringify(NAN); i += 2; continue; }
      if (rest.startsWith("-Infinity")) { out += JSON.stringify(NEG); i += 8; continue; }
      if (rest.startsWith("Infinity")) { out += JSON.stringify(POS); i += 7; continue; }
      out += c;
    }
    return JSON.parse(out, (_k, x: unknown) => (x === NAN ? NaN : x === POS ? Infinity : x === NEG ? -Infinity : x));
  }
}
