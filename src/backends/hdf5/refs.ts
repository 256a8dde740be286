/**
 * References in one open file: builder / path references -> 8-byte hobj_ref_t, stored bytes ->
 * ObjectReference / RegionReference with the target's path. Resolutions are cached by their
 * bytes (a table column of references points to a handful of objects, read many times).
 */
import { UnsupportedError } from "../../errors.js";
import { ObjectReference, RegionReference, type Reference } from "../../data/reference.js";
import type { H5File, Hdf5Core } from "./core.js";
import type { RefCodec } from "../../data/element-bytes.js";

export function fileRefCodec(core: Hdf5Core, file: H5File, source: string): RefCodec {
  const toBytes = new Map<string, Uint8Array>();
  const toRef = new Map<string, Reference>();
  return {
    encode(ref: Reference): Uint8Array {
      if (ref.kind === "region") {
        throw new UnsupportedError(`${source}: writing region references is not supported (deprecated in NWB)`, { feature: "region reference write", path: ref.path });
      }
      if (ref.source !== undefined && ref.source !== "" && ref.source !== "." && ref.source !== source) {
        throw new UnsupportedError(`${source}: an HDF5 object reference cannot point into another file (${ref.toString()})`, { feature: "cross-file reference", path: ref.resolvedPath });
      }
      const path = ref.resolvedPath;
      let b = toBytes.get(path);
      if (!b) {
        b = core.createReference(file, path);
        toBytes.set(path, b);
      }
      return b;
    },
    decode(bytes: Uint8Array): Reference {
      const key = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString("hex");
      let r = toRef.get(key);
      if (!r) {
        const res = core.resolveReference(file, bytes.slice());
        if (!res) r = new ObjectReference("");
        else if (bytes.byteLength === 12) r = new RegionReference(res.path, regionOf(res.selection));
        else r = new ObjectReference(res.path);
        toRef.set(key, r);
      }
      return r;
    },
  };
}

function regionOf(sel: { type: string; blocks?: readonly (readonly number[])[] } | undefined): ReadonlyArray<readonly [number, number]> | undefined {
  if (!sel || sel.type !== "hyperslabs" || !sel.blocks || sel.blocks.length !== 1) return undefined;
  const b = sel.blocks[0]!;
  const rank = b.length / 2;
  return Array.from({ length: rank }, (_, i) => [b[i]!, b[rank + i]! + 1] as const);
}
