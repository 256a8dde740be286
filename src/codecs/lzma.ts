/**
 * numcodecs LZMA {format, check, preset, filters}. numcodecs runs Python's `lzma` module, which is
 * liblzma; so does this codec, through lzma-native (N-API bindings of liblzma with prebuilt binaries
 * for Linux, macOS and Windows on x64/arm64, run on the libuv pool). Every container numcodecs
 * decodes decodes here:
 *   - format 1, xz (numcodecs' default): any check, any filter chain (the block headers name it);
 *     concatenated streams and stream padding as Python reads them;
 *   - format 2, the legacy `.lzma` ("alone") header;
 *   - format 3, raw: no header, the filter chain comes from the config (lzma-filters.ts);
 *   - format 0, auto (xz or alone): decode only, numcodecs cannot encode it.
 * Encoding writes the same containers with liblzma (xz at the default preset is byte-identical to
 * numcodecs 0.11's), so a Zarr export keeps lzma; HDF5 has no registered xz filter, so an export to
 * HDF5 transcodes (counterparts.ts).
 */
import { createRequire } from "node:module";
import { BaseCodec, badConfig, corrupt, type CodecConfig, type JsonValue, type ZarrV3Codec } from "./codec.js";
import { cfgInt } from "./_util.js";
import { lzmaFilters, type LzmaFilter } from "./lzma-filters.js";

const FORMAT_AUTO = 0, FORMAT_XZ = 1, FORMAT_ALONE = 2, FORMAT_RAW = 3;
const CHECK_CRC64 = 4;
const CHECKS = new Set([-1, 0, 1, 4, 10]); // default, none, crc32, crc64, sha256
const PRESET_DEFAULT = 6;
const PRESET_EXTREME = 0x80000000;

type Coder = "streamDecoder" | "aloneDecoder" | "rawDecoder" | "autoDecoder" | "easyEncoder" | "streamEncoder" | "aloneEncoder" | "rawEncoder";
interface CoderOptions { filters?: LzmaFilter[]; preset?: number; check?: number; [key: string]: unknown }
interface LzmaStream {
  on(event: "data", fn: (b: Buffer) => void): unknown;
  once(event: "error", fn: (e: Error) => void): unknown;
  once(event: "end", fn: () => void): unknown;
  end(data: Uint8Array): unknown;
}
interface LzmaNative { createStream(coder: Coder, options: CoderOptions): LzmaStream }

let binding: LzmaNative | undefined;
function lzmaNative(): LzmaNative {
  if (!binding) {
    try {
      binding = createRequire(import.meta.url)("lzma-native") as LzmaNative;
    } catch (e) {
      throw badConfig("lzma", `needs the lzma-native package and its prebuilt liblzma binding for ${process.platform}-${process.arch} (${e instanceof Error ? e.message : String(e)})`);
    }
  }
  return binding;
}

/** Feed all of `input` through one liblzma coder and collect what comes out. */
function run(coder: Coder, options: CoderOptions, input: Uint8Array): Promise<Uint8Array> {
  const stream = lzmaNative().createStream(coder, options);
  return new Promise((resolve, reject) => {
    const parts: Buffer[] = [];
    stream.on("data", (b) => parts.push(b));
    stream.once("error", reject);
    stream.once("end", () => resolve(parts.length === 1 ? new Uint8Array(parts[0]!) : new Uint8Array(Buffer.concat(parts))));
    stream.end(input);
  });
}

export class LzmaCodec extends BaseCodec {
  readonly id = "lzma";
  readonly kind = "bytes-bytes" as const;
  override readonly offThread = true;

  constructor(
    readonly format = FORMAT_XZ,
    readonly check = -1,
    readonly preset: number | null = null,
    /** The Python filter specs as stored (ids may be bigints: FILTER_LZMA1 is 2^62 + 1). */
    readonly filters: JsonValue[] | null = null,
  ) {
    super();
    if (format < FORMAT_AUTO || format > FORMAT_RAW) throw badConfig(this.id, `format must be 0-3 (auto, xz, alone, raw), got ${format}`);
    if (format === FORMAT_RAW && filters === null) throw badConfig(this.id, "format 3 (raw) needs a filter chain in \"filters\"");
    // checked now so a bad spec is an error when the array is opened, not at the first chunk
    lzmaFilters(filters);
  }

  static fromConfig(config: CodecConfig): LzmaCodec {
    const filters = config.filters;
    if (filters !== undefined && filters !== null && !Array.isArray(filters)) throw badConfig("lzma", `"filters" must be null or a list of filter specs`);
    const preset = config.preset === undefined || config.preset === null ? null : cfgInt(config, "preset");
    return new LzmaCodec(cfgInt(config, "format", FORMAT_XZ), cfgInt(config, "check", -1), preset, filters ?? null);
  }

  toConfig(): CodecConfig {
    return { id: this.id, format: this.format, check: this.check, preset: this.preset, filters: this.filters };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.lzma", configuration: { format: this.format, check: this.check, preset: this.preset, filters: this.filters } };
  }

  protected _decode(bytes: Uint8Array): Promise<Uint8Array> {
    const coder: Coder = this.format === FORMAT_XZ ? "streamDecoder" : this.format === FORMAT_ALONE ? "aloneDecoder" : this.format === FORMAT_RAW ? "rawDecoder" : "autoDecoder";
    // xz ignores `filters` (its block headers name the chain); Python refuses them there, we need not
    return run(coder, coder === "rawDecoder" ? { filters: lzmaFilters(this.filters)! } : {}, bytes).catch((e: unknown) => {
      throw corrupt(this.id, "decode", `liblzma: ${e instanceof Error ? e.message : String(e)}`);
    });
  }

  protected _encode(bytes: Uint8Array): Promise<Uint8Array> {
    const preset = this.preset ?? PRESET_DEFAULT;
    if (this.format === FORMAT_AUTO) throw badConfig(this.id, "format 0 (auto) only decodes; numcodecs encodes xz (1), alone (2) or raw (3)");
    if (!CHECKS.has(this.check) || (this.check !== -1 && this.format !== FORMAT_XZ)) throw badConfig(this.id, `check ${this.check} cannot encode format ${this.format}`);
    const level = preset >= PRESET_EXTREME ? preset - PRESET_EXTREME : preset;
    if (level < 0 || level > 9) throw badConfig(this.id, `"preset" must be 0-9 (optionally | PRESET_EXTREME) to encode, got ${preset}`);
    if (this.preset !== null && this.filters !== null) throw badConfig(this.id, "give \"preset\" or \"filters\", not both (as Python's lzma)");
    const filters = lzmaFilters(this.filters, true);
    const check = this.check === -1 ? CHECK_CRC64 : this.check;
    let coder: Coder, options: CoderOptions;
    if (this.format === FORMAT_XZ) [coder, options] = filters ? ["streamEncoder", { filters, check }] : ["easyEncoder", { preset, check }];
    else if (this.format === FORMAT_ALONE) [coder, options] = ["aloneEncoder", filters ? { ...filters[0]!.options } : { preset }];
    else [coder, options] = ["rawEncoder", { filters: filters! }];
    return run(coder, options, bytes).catch((e: unknown) => {
      throw corrupt(this.id, "encode", `liblzma: ${e instanceof Error ? e.message : String(e)}`);
    });
  }
}
