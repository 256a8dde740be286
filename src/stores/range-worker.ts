/**
 * The worker behind the HDF5 remote file device (remote-device.ts): it fetches byte ranges of
 * remote files while the main thread waits in Atomics.wait, writes them into the request's
 * SharedArrayBuffer and wakes it. One RemoteFile per URL, kept for connection reuse.
 */
import { parentPort } from "node:worker_threads";
import { openRemoteFile, type RemoteFile, type RemoteFileSpec } from "./remote-file.js";

/** ctrl[0] after a read: 1 = bytes in `data` (ctrl[1] of them), 2 = error JSON in `msg` (ctrl[1] bytes). */
export type RangeReply = 0 | 1 | 2;

export type RangeRequest =
  | { op: "read"; spec: RemoteFileSpec; start: number; end: number; ctrl: SharedArrayBuffer; data: SharedArrayBuffer; msg: SharedArrayBuffer }
  | { op: "fetch"; id: number; spec: RemoteFileSpec; start: number; end: number }
  | { op: "close"; url: string };

/** Answer to an async "fetch": the bytes (transferred, not copied) or the error. */
export type FetchReply = { id: number; bytes: Uint8Array; retries: number } | { id: number; error: { kind: string; message: string } };

const files = new Map<string, RemoteFile>();

async function serve(m: RangeRequest): Promise<void> {
  if (m.op === "close") {
    const f = files.get(m.url);
    files.delete(m.url);
    await f?.close();
    return;
  }
  let f = files.get(m.spec.url);
  if (!f) {
    f = openRemoteFile(m.spec);
    files.set(m.spec.url, f);
  }
  if (m.op === "fetch") {
    // chunk data: fetched here so receiving bodies does not compete with decoding on the main thread
    const retries = f.stats.retries;
    try {
      const bytes = await f.read(m.start, m.end);
      const own = bytes.byteOffset === 0 && bytes.byteLength === bytes.buffer.byteLength ? bytes : bytes.slice();
      parentPort!.postMessage({ id: m.id, bytes: own, retries: f.stats.retries - retries } satisfies FetchReply, [own.buffer as ArrayBuffer]);
    } catch (e) {
      const kind = (e as { kind?: string } | null)?.kind ?? "store";
      parentPort!.postMessage({ id: m.id, error: { kind, message: e instanceof Error ? e.message : String(e) } } satisfies FetchReply);
    }
    return;
  }
  const ctrl = new Int32Array(m.ctrl);
  const before = { ...f.stats };
  let state: RangeReply = 1;
  try {
    const bytes = await f.read(m.start, m.end);
    new Uint8Array(m.data).set(bytes.subarray(0, m.data.byteLength));
    Atomics.store(ctrl, 1, bytes.byteLength);
  } catch (e) {
    state = 2;
    const kind = (e as { kind?: string } | null)?.kind ?? "store";
    const message = e instanceof Error ? e.message : String(e);
    const enc = new TextEncoder().encode(JSON.stringify({ kind, message: message.slice(0, 1500) }));
    new Uint8Array(m.msg).set(enc.subarray(0, m.msg.byteLength));
    Atomics.store(ctrl, 1, Math.min(enc.byteLength, m.msg.byteLength));
  } finally {
    Atomics.store(ctrl, 2, f.stats.requests - before.requests);
    Atomics.store(ctrl, 3, f.stats.retries - before.retries);
    Atomics.store(ctrl, 0, state); // last: the waiting thread may look as soon as this is set
    Atomics.notify(ctrl, 0);
  }
}

parentPort?.on("message", (m: RangeRequest) => { void serve(m); });
parentPort?.postMessage({ ready: true });
