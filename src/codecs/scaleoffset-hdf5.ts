/**
 * HDF5 scale-offset filter (6), decode only (H5Zscaleoffset.c). cd_values (20): [scale type
 * (0 float D-scale, 2 int), scale factor, nelmts, class (0 int, 1 float), size, sign, order
 * (0 LE, 1 BE), fill defined, fill value words…]. A chunk starts with minbits (LE32), the
 * byte count of minval, minval (LE) — 21 bytes — then each element's minbits bits MSB-first.
 * Integers: value + minval (all-ones = the fill value when one is defined). Floats (D-scale):
 * int(bits) / 10^D + min, in the element's precision.
 */
import { UnsupportedError } from "../errors.js";
import { BaseCodec, corrupt, type ChunkContext, type CodecConfig, type Hdf5Filter } from "./codec.js";
import { BitReader, readUint, writeUint } from "./_bits.js";

export const SCALEOFFSET_FILTER_ID = 6;

export class Hdf5ScaleOffsetCodec extends BaseCodec {
  readonly id = "hdf5-scaleoffset";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = SCALEOFFSET_FILTER_ID;
  override readonly decodeOnly = true;

  constructor(readonly cdValues: readonly number[]) {
    super();
  }

  static fromConfig(config: CodecConfig): Hdf5ScaleOffsetCodec {
    return new Hdf5ScaleOffsetCodec(Array.isArray(config.cd_values) ? config.cd_values.map(Number) : []);
  }

  static fromHdf5(filter: Hdf5Filter, _ctx?: ChunkContext): Hdf5ScaleOffsetCodec {
    return new Hdf5ScaleOffsetCodec(filter.cdValues);
  }

  toConfig(): CodecConfig {
    return { id: this.id, cd_values: [...this.cdValues] };
  }

  toHdf5(): Hdf5Filter {
    return { id: SCALEOFFSET_FILTER_ID, flags: 0, cdValues: [...this.cdValues], name: "scaleoffset" };
  }

  protected _encode(): Uint8Array {
    throw new UnsupportedError("hdf5-scaleoffset is decode-only", { feature: "hdf5-scaleoffset encode" });
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    const cd = this.cdValues;
    if (cd.length !== 20) throw corrupt(this.id, "decode", `expected 20 cd_values, got ${cd.length}`);
    const [scaleType, scaleFactorRaw, nelmts, cls, size, sign, order, filavail] = cd as [number, number, number, number, number, number, number, number];
    const be = order === 1;
    const scaleFactor = scaleFactorRaw | 0; // stored as unsigned, read as int
    if (cls === 1 && scaleType !== 0) throw corrupt(this.id, "decode", "only the D-scale method exists for floats");
    if (cls === 0 && scaleFactor >= size * 8) return bytes.slice(); // full precision: stored as is
    if (bytes.length < 21) throw corrupt(this.id, "decode", `truncated header (${bytes.length} bytes)`);
    let minbits = 0;
    for (let i = 0; i < 4; i++) minbits |= bytes[i]! << (8 * i);
    minbits >>>= 0;
    const minvalSize = Math.min(8, bytes[4]!);
    let minval = 0n;
    for (let i = 0; i < minvalSize; i++) minval |= BigInt(bytes[5 + i]!) << BigInt(8 * i);
    if (minbits > size * 8) throw corrupt(this.id, "decode", `minbits ${minbits} exceeds ${size * 8}`);
    const out = new Uint8Array(nelmts * size);
    if (minbits === size * 8) {
      if (bytes.length < 21 + out.length) throw corrupt(this.id, "decode", "truncated data");
      out.set(bytes.subarray(21, 21 + out.length));
      return out;
    }
    const raw: bigint[] = new Array(nelmts).fill(0n);
    if (minbits > 0) {
      const r = new BitReader(bytes.subarray(21));
      for (let i = 0; i < nelmts; i++) raw[i] = r.read(minbits);
    }
    const bits = BigInt(size * 8);
    const allOnes = minbits > 0 ? (1n << BigInt(minbits)) - 1n : -1n;
    // fill value: bytes little-endian across cd_values[8..], 4 per word
    const fillBytes = new Uint8Array(12);
    for (let w = 0; w < 3; w++) for (let k = 0; k < 4; k++) fillBytes[4 * w + k] = (cd[8 + w]! >>> (8 * k)) & 0xff;
    const fill = readUint(fillBytes, 0, size, false);
    if (cls === 0) {
      const mask = (1n << bits) - 1n;
      for (let i = 0; i < nelmts; i++) {
        const v = filavail === 1 && raw[i] === allOnes ? fill : (raw[i]! + minval) & mask;
        writeUint(out, i * size, size, v, be);
      }
      void sign; // two's complement wraps the same way
      return out;
    }
    if (size !== 4 && size !== 8) throw corrupt(this.id, "decode", `float size ${size} is not supported`);
    const dv = new DataView(new ArrayBuffer(8));
    dv.setBigUint64(0, minval, true);
    const min = size === 4 ? dv.getFloat32(0, true) : dv.getFloat64(0, true);
    dv.setBigUint64(0, fill, true);
    const fillF = size === 4 ? dv.getFloat32(0, true) : dv.getFloat64(0, true);
    const f = size === 4 ? Math.fround : (x: number) => x;
    const pow = f(10 ** scaleFactor);
    const odv = new DataView(out.buffer);
    for (let i = 0; i < nelmts; i++) {
      const asInt = Number(BigInt.asIntN(size * 8, raw[i]!));
      const v = filavail === 1 && raw[i] === allOnes ? fillF : f(f(f(asInt) / pow) + min);
      if (size === 4) odv.setFloat32(i * 4, v, !be); else odv.setFloat64(i * 8, v, !be);
    }
    return out;
  }
}
