/**
 * numcodecs JSON (`json2`): the chunk as nested lists, its dtype str and shape (`_nested.ts`),
 * compact separators, sorted keys, NaN/Infinity allowed.
 */
import { BaseObjectCodec } from "./object-codec.js";
import { corrupt, type ChunkContext, type CodecConfig, type ObjectValue } from "./codec.js";
import { product } from "./_util.js";
import { nestedItems, unnestItems } from "./_nested.js";

const NAN = "\u0000NaN", POS = "\u0000Infinity", NEG = "\u0000-Infinity";

export class Json2Codec extends BaseObjectCodec {
  readonly id = "json2";
  override readonly itemOrder = "logical" as const;

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
    return new TextEncoder().encode(stringify(nestedItems(values.map(toJsonable), shape, ctx?.dtype && ctx.dtype !== "" ? ctx.dtype : "|O")));
  }

  protected _decodeObjects(bytes: Uint8Array): ObjectValue[] {
    return unnestItems(this.id, parseLenient(new TextDecoder("utf-8", { fatal: true }).decode(bytes)));
  }
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
