/** Running an ordered codec list over one chunk: shared by the pipeline and the worker. */
import { CodecError, UnsupportedError } from "../errors.js";
import { codecFailure, isObjectCodec, type ChunkContext, type Codec } from "./codec.js";

/** The context each codec sees when encoding: ctxs[i] is the input of codecs[i]. */
export function contextChain(codecs: readonly Codec[], ctx: ChunkContext = {}): ChunkContext[] {
  const out: ChunkContext[] = [];
  let cur = ctx;
  for (const c of codecs) {
    out.push(cur);
    if (c.encodedContext) cur = c.encodedContext(cur);
    else if (c.preservesLayout) cur = cur;
    else if (c.kind !== "array-array" || isObjectCodec(c)) cur = { dtype: "|u1", itemsize: 1 };
  }
  return out;
}

async function guarded(codec: Codec, dir: "encode" | "decode", fn: () => Promise<Uint8Array | null>): Promise<Uint8Array | null> {
  try {
    return await fn();
  } catch (e) {
    if (e instanceof CodecError || e instanceof UnsupportedError) throw e;
    throw codecFailure(e, codec.id, dir);
  }
}

/** One encoded chunk and the HDF5 filter mask to store beside it. */
export interface Hdf5Encoded {
  readonly bytes: Uint8Array;
  /** Bit i set = filter i was skipped for this chunk (optional filter declined). */
  readonly filterMask: number;
}

export async function encodeChain(codecs: readonly Codec[], ctxs: readonly ChunkContext[], data: Uint8Array, hdf5 = false): Promise<Hdf5Encoded> {
  let cur = data;
  let mask = 0;
  for (let i = 0; i < codecs.length; i++) {
    const c = codecs[i]!;
    if (isObjectCodec(c)) throw new UnsupportedError(`codec ${c.id} takes object values: use encodeObjects`, { feature: `${c.id} bytes encode` });
    if (hdf5 && c.encodeOptional) {
      const out = await guarded(c, "encode", () => c.encodeOptional!(cur, ctxs[i]));
      if (out === null) { mask |= 1 << i; continue; }
      cur = out;
    } else {
      cur = (await guarded(c, "encode", () => c.encode(cur, ctxs[i])))!;
    }
  }
  return { bytes: cur, filterMask: mask };
}

/**
 * {@link decodeChain} whose last step hands its output to `use` (see `Codec.decodeWith`: a wasm
 * codec lends its memory for the duration of `use`). Resolves to the decoded byte length.
 */
export async function decodeChainWith(codecs: readonly Codec[], ctxs: readonly ChunkContext[], data: Uint8Array, filterMask: number, use: (decoded: Uint8Array) => void): Promise<number> {
  let last = 0;
  while (last < codecs.length && filterMask & (1 << last)) last++;
  const cur = await decodeChain(codecs, ctxs, data, filterMask, last + 1);
  let n = cur.byteLength;
  const take = (out: Uint8Array) => { n = out.byteLength; use(out); };
  const c = codecs[last];
  if (!c) take(cur);
  else if (c.decodeWith) await guarded(c, "decode", async () => { await c.decodeWith!(cur, ctxs[last], take); return null; });
  else take((await guarded(c, "decode", () => c.decode(cur, ctxs[last])))!);
  return n;
}

export async function decodeChain(codecs: readonly Codec[], ctxs: readonly ChunkContext[], data: Uint8Array, filterMask = 0, stopAt = 0): Promise<Uint8Array> {
  let cur = data;
  for (let i = codecs.length - 1; i >= stopAt; i--) {
    if (filterMask & (1 << i)) continue;
    const c = codecs[i]!;
    cur = (await guarded(c, "decode", () => c.decode(cur, ctxs[i])))!;
  }
  return cur;
}
