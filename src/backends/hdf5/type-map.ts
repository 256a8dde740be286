/**
 * Small dtype facts HDF5IO needs beyond the core's Dtype <-> HDF5 type mapping (core-dtype.ts):
 * stored element sizes, and which types can move as raw chunk bytes.
 */
import { FormatError } from "../../errors.js";
import { NUMERIC_TABLE, type Dtype } from "../../data/dtype.js";

/** One HDF5 filter pipeline entry, as H5Pget_filter2 reports it (flags bit 0 = optional). */
export interface FilterEntry {
  readonly id: number;
  readonly flags: number;
  readonly cdValues: readonly number[];
  readonly name?: string;
}

/** Bytes of one element as stored in HDF5. */
export function storedItemsize(dtype: Dtype): number {
  switch (dtype.kind) {
    case "numeric": return NUMERIC_TABLE[dtype.name].itemsize;
    case "string": return dtype.length === null ? 16 : Math.max(dtype.length, 1);
    case "reference": return dtype.refType === "object" ? 8 : 12;
    case "compound": return dtype.itemsize;
    case "object": throw new FormatError("object dtype has no HDF5 size");
  }
}

/** True when values cross the core as raw bytes (everything but variable-length strings). */
export function isRawDtype(dtype: Dtype): boolean {
  return !(dtype.kind === "string" && dtype.length === null) && dtype.kind !== "object";
}

/**
 * True for types whose chunks can move through direct chunk I/O: fixed size and nothing in the
 * global heap (object references are plain 8-byte addresses; vlen strings and region refs are not).
 */
export function isChunkableDtype(dtype: Dtype): boolean {
  if (dtype.kind === "numeric") return true;
  if (dtype.kind === "string") return dtype.length !== null;
  if (dtype.kind === "reference") return dtype.refType === "object";
  if (dtype.kind === "compound") return dtype.fields.every((f) => isChunkableDtype(f.dtype));
  return false;
}
