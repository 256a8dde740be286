/** SharedArrayBuffers that the garbage collector schedules for like ordinary ArrayBuffers. */

const GC_WEIGHT = Symbol("hdmf-ts.gcWeight");

/**
 * A SharedArrayBuffer the garbage collector weighs like an ArrayBuffer of its size. V8 counts
 * ArrayBuffers, not shared backing stores, towards the external memory that schedules collections,
 * so dropped shared buffers piled up: reading a 256 MB array ten times in 64 MiB blocks took
 * the process to 1.7 GB RSS and more, no collection in sight. An ArrayBuffer of the same length
 * rides on it, allocated and never written (zero pages: address space, nothing resident for large
 * sizes), so the heap sees the bytes and both go in the same collection (RSS then stays ~0.75 GB).
 * For every shared buffer made per read: worker-decoded results, remote HDF5 range reads.
 */
export function collectableSharedBuffer(bytes: number): SharedArrayBuffer {
  const sab = new SharedArrayBuffer(bytes);
  Object.defineProperty(sab, GC_WEIGHT, { value: new ArrayBuffer(bytes) });
  return sab;
}
