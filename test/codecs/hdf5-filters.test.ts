/**
 * HDF5 filter formats against the fixtures: h5py reads the raw chunks (read_direct_chunk), we decode
 * them; we encode the same values and h5py reads our chunks back through the real filters.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { CodecError } from "../../src/errors.js";
import { createDefaultRegistry, pipelineFromHdf5Filters, type Hdf5Filter } from "../../src/codecs/index.js";
import { b64, py, pythonAvailable, unb64 } from "./python.js";

interface ChunkInfo { offset: number[]; mask: number; raw: string; values: string }
interface DatasetInfo { filters: Hdf5Filter[]; dtype: string; itemsize: number; chunks: number[]; chunk_data: ChunkInfo[] }

const A = "/work/shared/fixtures/a_h5dataio.nwb";
const B = "/work/shared/fixtures/b_datachunkiterator.nwb";
const A_SETS = [
  "acquisition/test_gzipped_timeseries/data",           // shuffle + deflate 4 + fletcher32
  "acquisition/test_lzf_timeseries/data",               // LZF 32000
  "acquisition/test_blosc_zstd_timeseries/data",        // blosc zstd + shuffle
  "acquisition/test_blosc_lz4_bitshuffle_timeseries/data", // blosc lz4 + bitshuffle
  "acquisition/test_lz4_timeseries/data",               // LZ4 32004
  "acquisition/test_bzip2_timeseries/data",             // BZip2 307
];
const B_SETS = ["acquisition/user_defined_write/data", "acquisition/sparse_block_matrix/data"];

const available = pythonAvailable();
const registry = createDefaultRegistry();
const dir = mkdtempSync(join(tmpdir(), "hdmf-codecs-h5-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!available)("HDF5 filter pipelines vs h5py", () => {
  const fixtures = available
    ? { ...py<Record<string, DatasetInfo>>("h5chunks", { file: A, datasets: A_SETS }), ...py<Record<string, DatasetInfo>>("h5chunks", { file: B, datasets: B_SETS }) }
    : {};
  const ctxOf = (d: DatasetInfo) => ({ dtype: d.dtype, itemsize: d.itemsize, chunkShape: d.chunks });

  it("decodes every fixture's raw chunks to h5py's values", async () => {
    for (const [path, d] of Object.entries(fixtures)) {
      const p = await pipelineFromHdf5Filters(d.filters, ctxOf(d), registry);
      expect(d.chunk_data.length, path).toBeGreaterThan(0);
      for (const ch of d.chunk_data) {
        const got = await p.decodeChunkHdf5(unb64(ch.raw), ch.mask, ctxOf(d));
        expect(b64(got) === ch.values, `${path} chunk ${ch.offset.join(",")}`).toBe(true);
      }
    }
  });

  it("encodes chunks that h5py decodes through the real filters", async () => {
    const cases = [];
    for (const [path, d] of Object.entries(fixtures)) {
      const p = await pipelineFromHdf5Filters(d.filters, ctxOf(d), registry);
      const values = unb64(d.chunk_data[0]!.values);
      const enc = await p.encodeChunkHdf5(values, ctxOf(d));
      cases.push({
        name: path.replace(/\W+/g, "_"), dtype: d.dtype, shape: d.chunks, chunks: d.chunks, filters: d.filters,
        chunk_data: [{ offset: d.chunks.map(() => 0), mask: enc.filterMask, b64: b64(enc.bytes) }], expect: d.chunk_data[0]!.values,
      });
    }
    const res = py<Record<string, { values?: string; error?: string }>>("h5write", { dir, cases });
    for (const c of cases) {
      expect(res[c.name]!.error, c.name).toBeUndefined();
      expect(res[c.name]!.values === c.expect, `h5py read of our ${c.name}`).toBe(true);
    }
  });

  it("detects a fletcher32 mismatch in a gzip+shuffle+fletcher32 chunk", async () => {
    const d = fixtures["acquisition/test_gzipped_timeseries/data"]!;
    expect(d.filters.map((f) => f.id)).toEqual([2, 1, 3]);
    const p = await pipelineFromHdf5Filters(d.filters, ctxOf(d), registry);
    const raw = unb64(d.chunk_data[0]!.raw);
    raw[10] ^= 0x01;
    const err = await p.decodeChunkHdf5(raw, 0, ctxOf(d)).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).codecId).toBe("fletcher32");
    expect((err as CodecError).direction).toBe("decode");
  });

  it("writes the cd_values h5py itself stores for shuffle+gzip+fletcher32 and blosc", async () => {
    const d = fixtures["acquisition/test_gzipped_timeseries/data"]!;
    const p = await pipelineFromHdf5Filters(d.filters, ctxOf(d), registry);
    const ours = p.codecs.map((c) => c.toHdf5!(ctxOf(d)));
    expect(ours.map((f) => [f.id, f.flags, [...f.cdValues]])).toEqual(d.filters.map((f) => [f.id, f.flags, f.cdValues]));
    const b = fixtures["acquisition/test_blosc_zstd_timeseries/data"]!;
    const pb = await pipelineFromHdf5Filters(b.filters, ctxOf(b), registry);
    expect([...pb.codecs[0]!.toHdf5!(ctxOf(b)).cdValues]).toEqual(b.filters[0]!.cdValues);
  });
});
