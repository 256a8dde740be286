/**
 * Zstandard (HDF5 filter 32015) between hdmf-ts and h5py. Debian 12's h5py 3.7 cannot decode
 * such datasets because no zstd filter plugin is installed there (hdf5plugin 4.0.1 is built with
 * no embedded filters; Debian ships Blosc, LZ4, BZip2 and LZF plugins only), not because of a
 * format difference. So the filter's work is done beside h5py, chunk by chunk, with libzstd
 * through numcodecs 0.11, while h5py handles everything HDF5 (the filter pipeline, chunk index,
 * direct chunk I/O):
 *
 * - ours -> h5py: the pipeline is exactly `(32015, cd_values (level,))`, and every stored chunk
 *   is one zstd frame that records its content size (the plugin, aparamon/HDF5Plugin-Zstandard as
 *   hdf5plugin embeds it, sizes its output with ZSTD_getDecompressedSize, which needs it) and
 *   decodes to the values;
 * - h5py -> ours: a dataset declared with filter 32015 (`allow_unknown_filter`) whose chunks are
 *   libzstd frames written with `write_direct_chunk` reads back in hdmf-ts.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { openIO, GroupBuilder, DatasetBuilder, H5DataIO, NdArray, dtypes } from "../../src/index.js";
import { py } from "../helpers/hdf5-py.js";

const dir = mkdtempSync(join(tmpdir(), "hdf5-zstd-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const values = (n: number): number[] => Array.from({ length: n }, (_, i) => (i % 97) * 0.5 + Math.floor(i / 400));

describe("HDF5 Zstandard filter 32015 with Debian's h5py", () => {
  it("Debian has no zstd plugin: h5py reports filter 32015 unavailable even with hdf5plugin imported", () => {
    expect(py<boolean>("import hdf5plugin\nprint(json.dumps(bool(h5py.h5z.filter_avail(32015))))")).toBe(false);
  });

  it.each([1, 3, 19])("ours (level %i) -> h5py: pipeline (32015, (level,)); each chunk one zstd frame with its content size, decoding to the values", async (level) => {
    const f = join(dir, `ours-${level}.h5`);
    const io = await openIO(f, "w");
    const root = new GroupBuilder("root");
    const data = new NdArray(Float64Array.from(values(4000)), [1000, 4], dtypes.float64);
    root.add(new DatasetBuilder("d", new H5DataIO({ data, compression: 32015, compressionOpts: [level], allowPlugins: true, chunks: [250, 4] })));
    await io.write(root);
    await io.close();
    const got = py<{ filters: unknown[]; chunks: Array<{ mask: number; magic: boolean; contentSize: number | null; ok: boolean }> }>(`
import numcodecs
f = h5py.File(ARGS["f"], "r")
d = f["d"]
p = d.id.get_create_plist()
filters = [[int(p.get_filter(i)[0]), [int(v) for v in p.get_filter(i)[2]]] for i in range(p.get_nfilters())]
exp = ((np.arange(4000) % 97) * 0.5 + np.arange(4000) // 400).reshape(1000, 4)
out = []
for r in range(0, 1000, 250):
    mask, raw = d.id.read_direct_chunk((r, 0))
    # frame header: magic 0xFD2FB528, then Frame_Header_Descriptor (FCS flag bits 7-6, single segment bit 5)
    fhd = raw[4]
    fcs_flag, single = fhd >> 6, (fhd >> 5) & 1
    size = None
    if fcs_flag or single:
        off = 5 + (0 if single else 1) + [0, 1, 2, 4][fhd & 3]
        n = [1, 2, 4, 8][fcs_flag]
        size = int.from_bytes(raw[off:off + n], "little") + (256 if n == 2 else 0)
    values = np.frombuffer(numcodecs.Zstd().decode(raw), dtype="<f8").reshape(250, 4)
    out.append({"mask": int(mask), "magic": raw[:4] == b"\\x28\\xb5\\x2f\\xfd", "contentSize": size, "ok": bool(np.array_equal(values, exp[r:r + 250]))})
print(json.dumps({"filters": filters, "chunks": out}))
`, { f });
    expect(got.filters).toEqual([[32015, [level]]]);
    expect(got.chunks).toEqual(new Array(4).fill({ mask: 0, magic: true, contentSize: 250 * 4 * 8, ok: true }));
  });

  it("h5py (filter 32015 declared, chunks compressed by libzstd) -> ours: the values", async () => {
    const f = join(dir, "theirs.h5");
    py(`
import numcodecs
with h5py.File(ARGS["f"], "w") as F:
    d = F.create_dataset("d", shape=(1000, 4), dtype="<f8", chunks=(250, 4), compression=32015, compression_opts=(3,), allow_unknown_filter=True)
    exp = ((np.arange(4000) % 97) * 0.5 + np.arange(4000) // 400).reshape(1000, 4)
    for r in range(0, 1000, 250):
        d.id.write_direct_chunk((r, 0), numcodecs.Zstd(level=3).encode(np.ascontiguousarray(exp[r:r + 250])))
print(json.dumps(True))
`, { f });
    const io = await openIO(f, "r");
    try {
      const ds = await io.dataset("/d");
      expect(ds.filters.map((x) => [x.id, [...x.cdValues]])).toEqual([[32015, [3]]]);
      expect(Array.from((await ds.read()).data as Float64Array)).toEqual(values(4000));
      ds.close();
    } finally {
      await io.close();
    }
  });
});
