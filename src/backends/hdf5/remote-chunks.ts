/**
 * Chunk bytes of a remote HDF5 file, fetched past the core and its page cache: the caller looks
 * up each chunk's address and size (H5Dget_chunk_info, metadata through the device), this module
 * coalesces neighbours in the file into one range GET (gaps up to `gap` bytes, at most
 * `maxBytes` per request) and runs the requests in parallel (the store bounds them). One chunk
 * read is one request.
 */
import type { RangeReader } from "./remote-access.js";
import { mapLimit } from "../../data/queue.js";

export interface Span { readonly addr: number; readonly size: number }

export interface CoalesceOptions {
  /** Largest hole between two chunks still read in one request (default 16 KiB). */
  gap?: number;
  /** Largest request (default 8 MiB). */
  maxBytes?: number;
  /** Requests in flight (default 16). */
  concurrency?: number;
}

/** Groups of span indices, each read in one request: [start, end) in the file. */
export function coalesce(spans: ReadonlyArray<Span | undefined>, o: CoalesceOptions = {}): Array<{ start: number; end: number; members: number[] }> {
  const gap = o.gap ?? 16 * 1024, max = o.maxBytes ?? 8 * 1024 * 1024;
  const order = spans.map((s, i) => ({ s, i })).filter((x): x is { s: Span; i: number } => x.s !== undefined && x.s.size > 0)
    .sort((a, b) => a.s.addr - b.s.addr);
  const groups: Array<{ start: number; end: number; members: number[] }> = [];
  for (const { s, i } of order) {
    const g = groups[groups.length - 1];
    const end = s.addr + s.size;
    if (g && s.addr - g.end <= gap && s.addr >= g.start && Math.max(g.end, end) - g.start <= max) {
      g.end = Math.max(g.end, end);
      g.members.push(i);
    } else {
      groups.push({ start: s.addr, end, members: [i] });
    }
  }
  return groups;
}

/** The bytes of every span (undefined stays undefined), neighbours in one request. */
export async function fetchSpans(file: RangeReader, spans: ReadonlyArray<Span | undefined>, o: CoalesceOptions = {}): Promise<Array<Uint8Array | undefined>> {
  const out = new Array<Uint8Array | undefined>(spans.length).fill(undefined);
  await mapLimit(coalesce(spans, o), o.concurrency ?? 16, async (g) => {
    const bytes = await file.read(g.start, g.end);
    for (const i of g.members) {
      const s = spans[i]!;
      out[i] = g.members.length === 1 ? bytes : bytes.subarray(s.addr - g.start, s.addr - g.start + s.size);
    }
  });
  return out;
}
