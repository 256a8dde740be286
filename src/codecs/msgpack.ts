/**
 * numcodecs MsgPack, with @msgpack/msgpack:
 *   - `msgpack2` (numcodecs >= 0.6, what zarr-python 2 writes for `object_codec=MsgPack()`): one msgpack
 *     array `[..nested values.., dtype str, shape]` (msgpacks.py; the layout json2 also uses, `_nested.ts`).
 *     `raw: true` reads msgpack str as bytes; `use_bin_type` / `use_single_float` only shape encoding.
 *   - `msgpack` (numcodecs < 0.6, decode only): `[..values.., dtype str]`, one axis, text packed as str.
 * Integers beyond 2^53 stay exact (bigint); bin items are bytes (Uint8Array).
 */
import { decode, encode } from "@msgpack/msgpack";
import { BaseObjectCodec } from "./object-codec.js";
import { corrupt, type ChunkContext, type CodecConfig, type ObjectValue } from "./codec.js";
import { product } from "./_util.js";
import { nestedItems, unnestItems } from "./_nested.js";

function bool(config: CodecConfig, key: string, fallback: boolean): boolean {
  const v = config[key];
  return v === undefined || v === null ? fallback : v === true;
}

/** What @msgpack/msgpack hands back, as the values an object codec carries. */
function toObjectValue(codecId: string, v: unknown): ObjectValue {
  if (typeof v === "bigint") return v >= BigInt(Number.MIN_SAFE_INTEGER) && v <= BigInt(Number.MAX_SAFE_INTEGER) ? Number(v) : v;
  if (v === null || typeof v === "string" || typeof v === "number" || typeof v === "boolean" || v instanceof Uint8Array) return v;
  if (Array.isArray(v)) return v.map((x) => toObjectValue(codecId, x));
  if (typeof v === "object" && Object.getPrototypeOf(v) === Object.prototype) {
    const out: Record<string, ObjectValue> = {};
    for (const [k, x] of Object.entries(v as Record<string, unknown>)) out[k] = toObjectValue(codecId, x);
    return out;
  }
  throw corrupt(codecId, "decode", `a ${v === undefined ? "undefined" : (v as object).constructor?.name ?? typeof v} item (msgpack extension types are not object values)`);
}

/**
 * `use_bin_type: false` packs bytes with msgpack's str type (msgpack 0.x "raw"). @msgpack/msgpack writes
 * str from text, so bytes go as their UTF-8 text; bytes that are not UTF-8 are refused, never mangled.
 */
function binAsStr(v: ObjectValue): ObjectValue {
  if (v instanceof Uint8Array) return new TextDecoder("utf-8", { fatal: true }).decode(v);
  return Array.isArray(v) ? v.map(binAsStr) : v;
}

export class MsgPackCodec extends BaseObjectCodec {
  override readonly decodeOnly: boolean;
  /** The items carry the shape: decoded values are in C order whatever the memory order. */
  override readonly itemOrder = "logical" as const;

  constructor(
    readonly id: "msgpack2" | "msgpack",
    readonly raw = false,
    readonly useBinType = true,
    readonly useSingleFloat = false,
  ) {
    super();
    this.decodeOnly = id === "msgpack";
  }

  static fromConfig(config: CodecConfig): MsgPackCodec {
    if (config.id === "msgpack") {
      if (config.encoding !== undefined && config.encoding !== null && !/^utf-?8$/i.test(String(config.encoding))) {
        throw corrupt("msgpack", "decode", `unsupported text encoding ${JSON.stringify(config.encoding)}`);
      }
      return new MsgPackCodec("msgpack");
    }
    return new MsgPackCodec("msgpack2", bool(config, "raw", false), bool(config, "use_bin_type", true), bool(config, "use_single_float", false));
  }

  toConfig(): CodecConfig {
    if (this.id === "msgpack") return { id: this.id, encoding: "utf-8" };
    return { id: this.id, raw: this.raw, use_single_float: this.useSingleFloat, use_bin_type: this.useBinType };
  }

  protected _encodeObjects(values: readonly ObjectValue[], ctx?: ChunkContext): Uint8Array {
    const shape = ctx?.chunkShape && product(ctx.chunkShape) === values.length ? [...ctx.chunkShape] : [values.length];
    const items = nestedItems(this.useBinType ? values : values.map(binAsStr), shape, ctx?.dtype && ctx.dtype !== "" ? ctx.dtype : "|O");
    return encode(items, { useBigInt64: true, forceFloat32: this.useSingleFloat, ignoreUndefined: true });
  }

  protected _decodeObjects(bytes: Uint8Array): ObjectValue[] {
    let items: unknown;
    try {
      items = decode(bytes, { useBigInt64: true, rawStrings: this.raw });
    } catch (e) {
      throw corrupt(this.id, "decode", e instanceof Error ? e.message : String(e));
    }
    if (this.id === "msgpack") {
      if (!Array.isArray(items) || items.length < 1) throw corrupt(this.id, "decode", "not a msgpack list");
      return items.slice(0, -1).map((x) => toObjectValue(this.id, x));
    }
    return unnestItems(this.id, items).map((x) => toObjectValue(this.id, x));
  }
}
