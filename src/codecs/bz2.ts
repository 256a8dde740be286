/**
 * numcodecs BZ2 ⇄ HDF5 BZip2 filter 307 (cd_values [blockSizeLevel 1-9]): both are one plain
 * bzip2 stream. libbzip2 compiled to wasm (npm `libbzip2-wasm`, the build CyberChef uses).
 */
import { createRequire } from "node:module";
import { BaseCodec, corrupt, type CodecConfig, type Hdf5Filter, type ZarrV3Codec } from "./codec.js";
import { cfgEncodeInt, checkEncodeRange } from "./_util.js";

export const BZIP2_FILTER_ID = 307;

interface Bz2Result { error: number; output?: Uint8Array }
interface Bz2Module {
  compressBZ2(data: Uint8Array, blockSize: number, workFactor: number): Bz2Result;
  decompressBZ2(data: Uint8Array, small: number): Bz2Result;
}

let modPromise: Promise<{ mod: Bz2Module }> | undefined;
/** The emscripten module is a thenable: never resolve a promise with it directly (wrap it). */
function loadBz2(): Promise<{ mod: Bz2Module }> {
  modPromise ??= new Promise((resolve, reject) => {
    const require = createRequire(import.meta.url);
    const factory = require("libbzip2-wasm") as (opts?: object) => Bz2Module & { calledRun?: boolean; onRuntimeInitialized?: () => void };
    let ready = false;
    const holder: { mod?: Bz2Module } = {};
    const done = () => { if (!ready && holder.mod) { ready = true; resolve({ mod: holder.mod }); } };
    const m = factory({ onAbort: (what: unknown) => reject(new Error(`libbzip2 wasm aborted: ${String(what)}`)) });
    holder.mod = m;
    if (m.calledRun) done();
    else m.onRuntimeInitialized = done;
  });
  return modPromise;
}

export class Bz2Codec extends BaseCodec {
  readonly id = "bz2";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = BZIP2_FILTER_ID;
  readonly level: number;

  constructor(level = 1) {
    super();
    this.level = level;
  }

  static fromConfig(config: CodecConfig): Bz2Codec {
    return new Bz2Codec(cfgEncodeInt(config, "level", 1));
  }

  static fromHdf5(filter: Hdf5Filter): Bz2Codec {
    return new Bz2Codec(filter.cdValues[0] ?? 9);
  }

  toConfig(): CodecConfig {
    return { id: this.id, level: this.level };
  }

  toHdf5(): Hdf5Filter {
    return { id: BZIP2_FILTER_ID, flags: 1, cdValues: [this.level], name: "bzip2" };
  }

  toZarrV3(): ZarrV3Codec {
    return { name: "numcodecs.bz2", configuration: { level: this.level } };
  }

  protected async _encode(bytes: Uint8Array): Promise<Uint8Array> {
    checkEncodeRange(this.id, "level", this.level, 1, 9);
    const { mod: m } = await loadBz2();
    const r = m.compressBZ2(bytes, this.level, 30);
    if (r.error !== 0 || !r.output) throw corrupt(this.id, "encode", `libbzip2 error ${r.error}`);
    return r.output.slice();
  }

  protected async _decode(bytes: Uint8Array): Promise<Uint8Array> {
    if (bytes.length < 4 || bytes[0] !== 0x42 || bytes[1] !== 0x5a || bytes[2] !== 0x68) {
      throw corrupt(this.id, "decode", "not a bzip2 stream (bad magic)");
    }
    const { mod: m } = await loadBz2();
    const r = m.decompressBZ2(bytes, 0);
    if (r.error !== 0 || !r.output) throw corrupt(this.id, "decode", `libbzip2 error ${r.error}`);
    return r.output.slice();
  }
}
