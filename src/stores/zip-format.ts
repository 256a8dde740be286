/**
 * Just enough of the ZIP format (APPNOTE 6.3.10) for a Zarr zip store: STORED entries
 * written with sizes known up front (no data descriptors), ZIP64 records when a size,
 * an offset or the entry count overflows, and a central-directory reader that works from
 * the file's tail with range reads, so a zip in object storage opens in one or two GETs.
 * Reading also accepts DEFLATE entries (zips made by `zip -r` or Python's zipfile).
 */
import { crc32 } from "node:zlib";
import { FormatError } from "../errors.js";

export const METHOD_STORED = 0;
export const METHOD_DEFLATE = 8;
const SIG_LOCAL = 0x04034b50;
const SIG_CENTRAL = 0x02014b50;
const SIG_EOCD = 0x06054b50;
const SIG_ZIP64_EOCD = 0x06064b50;
const SIG_ZIP64_LOCATOR = 0x07064b50;
const U32 = 0xffffffff;
const U16 = 0xffff;
const FLAG_UTF8 = 1 << 11;
/** EOCD (22) + the largest comment (65535). */
export const MAX_TAIL = 22 + 0xffff;

export interface ZipEntry {
  readonly name: string;
  readonly method: number;
  readonly crc: number;
  readonly compressedSize: number;
  readonly size: number;
  readonly localHeaderOffset: number;
}

export interface CentralDirectoryLocation {
  /** Absolute offset of the central directory and its byte length. */
  readonly offset: number;
  readonly length: number;
  readonly count: number;
  /** Total file size, derived from the tail. */
  readonly fileSize: number;
}

const enc = new TextEncoder();
const dec = new TextDecoder();

function view(b: Uint8Array): DataView {
  return new DataView(b.buffer, b.byteOffset, b.byteLength);
}

function u64(dv: DataView, at: number): number {
  const v = dv.getBigUint64(at, true);
  if (v > BigInt(Number.MAX_SAFE_INTEGER)) throw new FormatError("zip: 64-bit value too large");
  return Number(v);
}

/**
 * Find the central directory from the last bytes of a zip (`tail` ends at end of file).
 * Returns undefined if `tail` holds no EOCD record.
 */
export function locateCentralDirectory(tail: Uint8Array): CentralDirectoryLocation | undefined {
  const dv = view(tail);
  for (let i = tail.length - 22; i >= 0; i--) {
    if (dv.getUint32(i, true) !== SIG_EOCD) continue;
    const commentLen = dv.getUint16(i + 20, true);
    if (i + 22 + commentLen !== tail.length) continue; // a signature inside a comment or data
    let count = dv.getUint16(i + 10, true);
    let length = dv.getUint32(i + 12, true);
    let offset = dv.getUint32(i + 16, true);
    let eocdPos = offset + length; // absolute position of the EOCD in a plain zip
    const loc = i - 20;
    if (loc >= 0 && dv.getUint32(loc, true) === SIG_ZIP64_LOCATOR) {
      const z64Pos = u64(dv, loc + 8);
      const z64 = i - 20 - 56; // the ZIP64 EOCD record (no extensible data) sits just before the locator
      if (z64 < 0 || dv.getUint32(z64, true) !== SIG_ZIP64_EOCD) {
        throw new FormatError("zip: ZIP64 end-of-central-directory record not found in the tail");
      }
      count = u64(dv, z64 + 32);
      length = u64(dv, z64 + 40);
      offset = u64(dv, z64 + 48);
      eocdPos = z64Pos + 56 + 20;
    }
    return { offset, length, count, fileSize: eocdPos + 22 + commentLen };
  }
  return undefined;
}

/** Parse central-directory bytes into entries. */
export function parseCentralDirectory(cd: Uint8Array, count: number): ZipEntry[] {
  const dv = view(cd);
  const out: ZipEntry[] = [];
  let p = 0;
  for (let n = 0; n < count; n++) {
    if (p + 46 > cd.length || dv.getUint32(p, true) !== SIG_CENTRAL) {
      throw new FormatError(`zip: bad central directory entry #${n}`);
    }
    const method = dv.getUint16(p + 10, true);
    const crc = dv.getUint32(p + 16, true);
    let compressedSize = dv.getUint32(p + 20, true);
    let size = dv.getUint32(p + 24, true);
    const nameLen = dv.getUint16(p + 28, true);
    const extraLen = dv.getUint16(p + 30, true);
    const commentLen = dv.getUint16(p + 32, true);
    let localHeaderOffset = dv.getUint32(p + 42, true);
    const name = dec.decode(cd.subarray(p + 46, p + 46 + nameLen));
    // ZIP64 extended information: present fields are exactly those set to 0xFFFFFFFF, in this order.
    let e = p + 46 + nameLen;
    const extraEnd = e + extraLen;
    while (e + 4 <= extraEnd) {
      const id = dv.getUint16(e, true);
      const len = dv.getUint16(e + 2, true);
      if (id === 0x0001) {
        let q = e + 4;
        if (size === U32) { size = u64(dv, q); q += 8; }
        if (compressedSize === U32) { compressedSize = u64(dv, q); q += 8; }
        if (localHeaderOffset === U32) { localHeaderOffset = u64(dv, q); q += 8; }
      }
      e += 4 + len;
    }
    out.push({ name, method, crc, compressedSize, size, localHeaderOffset });
    p = extraEnd + commentLen;
  }
  return out;
}

/** Data offset of an entry, from its local header's first 30 bytes. */
export function dataOffsetFromLocalHeader(entry: ZipEntry, header: Uint8Array): number {
  const dv = view(header);
  if (header.length < 30 || dv.getUint32(0, true) !== SIG_LOCAL) {
    throw new FormatError(`zip: bad local header for ${entry.name}`);
  }
  return entry.localHeaderOffset + 30 + dv.getUint16(26, true) + dv.getUint16(28, true);
}

/** A STORED local header for `name` + `data` (sizes in the header; ZIP64 extra if forced or needed). */
export function storedLocalHeader(name: string, data: Uint8Array, crc: number, zip64: boolean): Uint8Array {
  const nameBytes = enc.encode(name);
  const big = zip64 || data.byteLength >= U32;
  const h = new Uint8Array(30 + nameBytes.length + (big ? 20 : 0));
  const dv = view(h);
  dv.setUint32(0, SIG_LOCAL, true);
  dv.setUint16(4, big ? 45 : 20, true);
  dv.setUint16(6, FLAG_UTF8, true);
  dv.setUint16(8, METHOD_STORED, true);
  dv.setUint16(10, 0, true); // time
  dv.setUint16(12, 0x21, true); // date: 1980-01-01
  dv.setUint32(14, crc, true);
  dv.setUint32(18, big ? U32 : data.byteLength, true);
  dv.setUint32(22, big ? U32 : data.byteLength, true);
  dv.setUint16(26, nameBytes.length, true);
  dv.setUint16(28, big ? 20 : 0, true);
  h.set(nameBytes, 30);
  if (big) {
    const e = 30 + nameBytes.length;
    dv.setUint16(e, 0x0001, true);
    dv.setUint16(e + 2, 16, true);
    dv.setBigUint64(e + 4, BigInt(data.byteLength), true);
    dv.setBigUint64(e + 12, BigInt(data.byteLength), true);
  }
  return h;
}

export function checksum(data: Uint8Array): number {
  return crc32(data) >>> 0;
}

/** Central directory + (ZIP64 EOCD + locator when needed) + EOCD, for entries at `cdOffset`. */
export function centralDirectory(entries: readonly ZipEntry[], cdOffset: number, zip64: boolean): Uint8Array {
  const parts: Uint8Array[] = [];
  let cdLength = 0;
  for (const ent of entries) {
    const nameBytes = enc.encode(ent.name);
    const bigSize = zip64 || ent.size >= U32 || ent.compressedSize >= U32;
    const bigOffset = zip64 || ent.localHeaderOffset >= U32;
    const extraLen = bigSize || bigOffset ? 4 + (bigSize ? 16 : 0) + (bigOffset ? 8 : 0) : 0;
    const h = new Uint8Array(46 + nameBytes.length + extraLen);
    const dv = view(h);
    dv.setUint32(0, SIG_CENTRAL, true);
    dv.setUint16(4, (3 << 8) | 45, true); // made by Unix, spec 4.5
    dv.setUint16(6, extraLen ? 45 : 20, true);
    dv.setUint16(8, FLAG_UTF8, true);
    dv.setUint16(10, ent.method, true);
    dv.setUint16(14, 0x21, true);
    dv.setUint32(16, ent.crc, true);
    dv.setUint32(20, bigSize ? U32 : ent.compressedSize, true);
    dv.setUint32(24, bigSize ? U32 : ent.size, true);
    dv.setUint16(28, nameBytes.length, true);
    dv.setUint16(30, extraLen, true);
    dv.setUint32(38, (0o100644 << 16) >>> 0, true); // external attrs: regular file, rw-r--r--
    dv.setUint32(42, bigOffset ? U32 : ent.localHeaderOffset, true);
    h.set(nameBytes, 46);
    if (extraLen) {
      let e = 46 + nameBytes.length;
      dv.setUint16(e, 0x0001, true);
      dv.setUint16(e + 2, extraLen - 4, true);
      e += 4;
      if (bigSize) { dv.setBigUint64(e, BigInt(ent.size), true); dv.setBigUint64(e + 8, BigInt(ent.compressedSize), true); e += 16; }
      if (bigOffset) dv.setBigUint64(e, BigInt(ent.localHeaderOffset), true);
    }
    parts.push(h);
    cdLength += h.length;
  }
  const needZip64 = zip64 || entries.length >= U16 || cdLength >= U32 || cdOffset >= U32;
  if (needZip64) {
    const z = new Uint8Array(56 + 20);
    const dv = view(z);
    dv.setUint32(0, SIG_ZIP64_EOCD, true);
    dv.setBigUint64(4, 44n, true);
    dv.setUint16(12, (3 << 8) | 45, true);
    dv.setUint16(14, 45, true);
    dv.setBigUint64(24, BigInt(entries.length), true);
    dv.setBigUint64(32, BigInt(entries.length), true);
    dv.setBigUint64(40, BigInt(cdLength), true);
    dv.setBigUint64(48, BigInt(cdOffset), true);
    dv.setUint32(56, SIG_ZIP64_LOCATOR, true);
    dv.setBigUint64(56 + 8, BigInt(cdOffset + cdLength), true);
    dv.setUint32(56 + 16, 1, true);
    parts.push(z);
  }
  const eocd = new Uint8Array(22);
  const dv = view(eocd);
  dv.setUint32(0, SIG_EOCD, true);
  dv.setUint16(8, needZip64 ? U16 : entries.length, true);
  dv.setUint16(10, needZip64 ? U16 : entries.length, true);
  dv.setUint32(12, needZip64 ? U32 : cdLength, true);
  dv.setUint32(16, needZip64 ? U32 : cdOffset, true);
  parts.push(eocd);
  const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
  let o = 0;
  for (const p of parts) { out.set(p, o); o += p.length; }
  return out;
}
