/**
 * numcodecs `Pickle`, decode only, through the restricted interpreter (pickle-vm.ts +
 * pickle-numpy.ts). hdmf-ts never writes pickle: encode throws UnsupportedError.
 * An object array decodes to its elements in C order; a structured array with object fields
 * to one record object per element.
 */
import { BaseObjectCodec } from "./object-codec.js";
import { corrupt, type CodecConfig, type ObjectValue } from "./codec.js";
import { runPickle } from "./pickle-vm.js";
import { NpArray, arrayElements, numpyAllowList, toValue } from "./pickle-numpy.js";
import { cfgInt } from "./_util.js";

export class PickleCodec extends BaseObjectCodec {
  readonly id = "pickle";
  override readonly decodeOnly = true;
  /** A pickled ndarray carries its own order flag (pickle-numpy.ts returns C order). */
  override readonly itemOrder = "logical" as const;

  constructor(readonly protocol = 5) {
    super();
  }

  static fromConfig(config: CodecConfig): PickleCodec {
    return new PickleCodec(cfgInt(config, "protocol", 5, -1, 5));
  }

  toConfig(): CodecConfig {
    return { id: this.id, protocol: this.protocol };
  }

  protected _encodeObjects(): Uint8Array {
    throw new Error("unreachable: pickle is decode-only");
  }

  protected _decodeObjects(bytes: Uint8Array): ObjectValue[] {
    if (bytes.length < 2 || bytes[0] !== 0x80 || bytes[1]! < 2 || bytes[1]! > 5) {
      throw corrupt(this.id, "decode", `not a pickle of protocol 2–5 (starts 0x${(bytes[0] ?? 0).toString(16)} 0x${(bytes[1] ?? 0).toString(16)})`);
    }
    const result = runPickle(bytes, numpyAllowList);
    const seen = new Set<unknown>();
    if (result instanceof NpArray) return arrayElements(result, seen);
    const v = toValue(result, seen);
    return Array.isArray(v) ? v : [v];
  }
}
