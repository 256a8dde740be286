/** Worker thread entry: rebuilds a pipeline from configs (default registry) and runs one chunk. */
import { parentPort } from "node:worker_threads";
import type { ChunkContext, Codec, CodecConfig } from "./codec.js";
import { createDefaultRegistry } from "./default-registry.js";
import { decodeChain, decodeChainWith, encodeChain } from "./chain.js";
import { isHdmfError } from "../errors.js";
import { copyIntoTarget, type DecodeTarget } from "./decode-target.js";

export interface WorkerTask {
  readonly id: number;
  readonly configs: readonly CodecConfig[];
  readonly ctxs: readonly ChunkContext[];
  readonly direction: "encode" | "decode";
  readonly data: Uint8Array;
  readonly hdf5: boolean;
  readonly filterMask: number;
  /** Decode only: copy the result into this shared output and reply with its length alone. */
  readonly into?: DecodeTarget;
}

/** `data`: the result (empty for a job with `into`); `length`: the result's byte length. */
export type WorkerReply =
  | { readonly id: number; readonly ok: true; readonly data: Uint8Array; readonly length: number; readonly filterMask: number }
  | { readonly id: number; readonly ok: false; readonly error: { message: string; kind?: string; codecId?: string; direction?: string; feature?: string } };

const registry = createDefaultRegistry();
const cache = new Map<string, Promise<Codec[]>>();

function pipeline(configs: readonly CodecConfig[]): Promise<Codec[]> {
  const key = JSON.stringify(configs);
  let p = cache.get(key);
  if (!p) {
    p = Promise.all(configs.map((c) => registry.resolve(c)));
    cache.set(key, p);
    if (cache.size > 64) cache.delete(cache.keys().next().value!);
  }
  return p;
}

parentPort?.on("message", (task: WorkerTask) => {
  void (async () => {
    try {
      const codecs = await pipeline(task.configs);
      const into = task.into;
      if (into) {
        const length = await decodeChainWith(codecs, task.ctxs, task.data, task.filterMask, (out) => copyIntoTarget(out, into));
        parentPort!.postMessage({ id: task.id, ok: true, data: new Uint8Array(0), length, filterMask: task.filterMask } satisfies WorkerReply);
        return;
      }
      let out: Uint8Array, mask = task.filterMask;
      if (task.direction === "encode") {
        const r = await encodeChain(codecs, task.ctxs, task.data, task.hdf5);
        out = r.bytes; mask = r.filterMask;
      } else {
        out = await decodeChain(codecs, task.ctxs, task.data, task.filterMask);
      }
      // Hand the result over without a copy when it owns its whole buffer.
      const own = out.byteOffset === 0 && out.byteLength === out.buffer.byteLength && out.buffer instanceof ArrayBuffer;
      const data = own ? out : out.slice();
      parentPort!.postMessage({ id: task.id, ok: true, data, length: data.byteLength, filterMask: mask } satisfies WorkerReply, [data.buffer as ArrayBuffer]);
    } catch (e) {
      const err = e as Record<string, unknown>;
      parentPort!.postMessage({
        id: task.id, ok: false,
        error: {
          message: e instanceof Error ? e.message : String(e),
          kind: isHdmfError(e) ? e.kind : undefined,
          codecId: typeof err?.codecId === "string" ? err.codecId : undefined,
          direction: typeof err?.direction === "string" ? err.direction : undefined,
          feature: typeof err?.feature === "string" ? err.feature : undefined,
        },
      } satisfies WorkerReply);
    }
  })();
});
