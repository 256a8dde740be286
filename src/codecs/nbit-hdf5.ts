/**
 * HDF5 N-bit filter (5), decode only (H5Znbit.c). cd_values: [nparms, no-op flag, nelmts,
 * class (1 atomic, 2 array, 3 compound), size, …]; atomic: order (0 LE, 1 BE), precision,
 * offset. Each element's `precision` significant bits are packed MSB-first with no padding;
 * decoding puts them back at `offset` inside the stored type with the other bits zero
 * (sign extension of a reduced-precision integer is the datatype conversion's job, as in HDF5).
 */
import { UnsupportedError } from "../errors.js";
import { BaseCodec, corrupt, type ChunkContext, type CodecConfig, type Hdf5Filter } from "./codec.js";
import { BitReader, writeUint } from "./_bits.js";

export const NBIT_FILTER_ID = 5;
const ATOMIC = 1, ARRAY = 2, COMPOUND = 3, NOOP = 4;

export class Hdf5NbitCodec extends BaseCodec {
  readonly id = "hdf5-nbit";
  readonly kind = "bytes-bytes" as const;
  override readonly hdf5FilterId = NBIT_FILTER_ID;
  override readonly decodeOnly = true;

  constructor(readonly cdValues: readonly number[]) {
    super();
  }

  static fromConfig(config: CodecConfig): Hdf5NbitCodec {
    return new Hdf5NbitCodec(Array.isArray(config.cd_values) ? config.cd_values.map(Number) : []);
  }

  static fromHdf5(filter: Hdf5Filter, _ctx?: ChunkContext): Hdf5NbitCodec {
    return new Hdf5NbitCodec(filter.cdValues);
  }

  toConfig(): CodecConfig {
    return { id: this.id, cd_values: [...this.cdValues] };
  }

  toHdf5(): Hdf5Filter {
    return { id: NBIT_FILTER_ID, flags: 1, cdValues: [...this.cdValues], name: "nbit" };
  }

  protected _encode(): Uint8Array {
    throw new UnsupportedError("hdf5-nbit is decode-only", { feature: "hdf5-nbit encode" });
  }

  protected _decode(bytes: Uint8Array): Uint8Array {
    const p = this.cdValues;
    if (p.length < 5 || p[0] !== p.length) throw corrupt(this.id, "decode", `bad cd_values (${p.length} values, header says ${p[0]})`);
    if (p[1]) return bytes.slice();
    const nelmts = p[2]!, size = p[4]!;
    const out = new Uint8Array(nelmts * size);
    const r = new BitReader(bytes);
    const at = (i: number) => { const v = p[i]; if (v === undefined) throw corrupt(this.id, "decode", "cd_values too short"); return v; };
    const atomic = (off: number, idx: number): number => {
      const sz = at(idx), order = at(idx + 1), precision = at(idx + 2), offset = at(idx + 3);
      if (precision > sz * 8 || precision + offset > sz * 8) throw corrupt(this.id, "decode", "invalid datatype precision/offset");
      writeUint(out, off, sz, r.read(precision) << BigInt(offset), order === 1);
      return idx + 4;
    };
    const noop = (off: number, sz: number) => { for (let k = 0; k < sz; k++) out[off + k] = Number(r.read(8)); };
    // Each returns the parms index after its description.
    const array = (off: number, idx: number): number => {
      const total = at(idx), cls = at(idx + 1);
      const baseIdx = idx + 2;
      if (cls === NOOP) { noop(off, total); return baseIdx + 1; }
      const baseSize = at(baseIdx);
      if (baseSize <= 0) throw corrupt(this.id, "decode", "zero base size");
      let next = baseIdx;
      for (let i = 0; i < total / baseSize; i++) next = member(cls, off + i * baseSize, baseIdx);
      return next;
    };
    const compound = (off: number, idx: number): number => {
      const nmembers = at(idx + 1);
      let i = idx + 2;
      for (let m = 0; m < nmembers; m++) {
        const moff = at(i), cls = at(i + 1);
        i = member(cls, off + moff, i + 2);
      }
      return i;
    };
    const member = (cls: number, off: number, idx: number): number => {
      switch (cls) {
        case ATOMIC: return atomic(off, idx);
        case ARRAY: return array(off, idx);
        case COMPOUND: return compound(off, idx);
        case NOOP: noop(off, at(idx)); return idx + 1;
        default: throw corrupt(this.id, "decode", `unknown class ${cls}`);
      }
    };
    for (let e = 0; e < nelmts; e++) {
      const cls = p[3]!;
      if (cls === ATOMIC) atomic(e * size, 4);
      else if (cls === ARRAY) array(e * size, 4);
      else if (cls === COMPOUND) compound(e * size, 4);
      else throw corrupt(this.id, "decode", `unknown class ${cls}`);
    }
    return out;
  }
}
