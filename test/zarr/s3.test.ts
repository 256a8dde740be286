/**
 * ZarrIO straight to S3 (a moto_server on 127.0.0.1 started and stopped here): an NWB-shaped
 * tree with a 200 MB iterator-fed TimeSeries, read back; opening with consolidated metadata and
 * reading the first chunk costs at most 3 requests.
 */
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { startMoto, MOTO_CREDENTIALS, MOTO_REGION, type Moto } from "../helpers/moto.js";
import { S3Store } from "../../src/stores/s3-store.js";
import { openZarr } from "../../src/backends/zarr/index.js";
import { AbstractDataChunkIterator, type DataChunk } from "../../src/data/iterators.js";
import { dtypes } from "../../src/data/dtype.js";
import { NdArray } from "../../src/data/ndarray.js";
import { DataIO } from "../../src/data/data-io.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import type { StoredDataset } from "../../src/data/data-source.js";
import { sampleTree, valueOf } from "./sample-tree.js";

const COLS = 32;
const ROWS = 819_200; // 819200 x 32 float64 = 200 MiB
const BLOCK = 16_384;

const value = (r: number, c: number): number => Math.sin(r / 1000) * 100 + c;

/** Blocks of rows generated on the fly: the data never exists in memory as a whole. */
class RowBlocks extends AbstractDataChunkIterator {
  readonly dtype = dtypes.float64;
  readonly maxshape = [null, COLS] as const;
  recommendedChunkShape(): readonly number[] { return [BLOCK, COLS]; }
  recommendedDataShape(): readonly number[] { return [0, COLS]; }
  async *[Symbol.asyncIterator](): AsyncIterator<DataChunk> {
    for (let r0 = 0; r0 < ROWS; r0 += BLOCK) {
      const buf = new Float64Array(BLOCK * COLS);
      for (let i = 0; i < BLOCK; i++) for (let c = 0; c < COLS; c++) buf[i * COLS + c] = value(r0 + i, c);
      yield { data: new NdArray(buf, [BLOCK, COLS], dtypes.float64), selection: [[r0, r0 + BLOCK, 1], [0, COLS, 1]] };
    }
  }
}

let moto: Moto;
const store = (readOnly = false): S3Store => new S3Store({
  bucket: moto.bucket, prefix: "rec/file.nwb.zarr", endpoint: moto.endpoint, region: MOTO_REGION,
  forcePathStyle: true, credentials: MOTO_CREDENTIALS, readOnly,
});

beforeAll(async () => { moto = await startMoto(); }, 60_000);
afterAll(async () => { await moto?.stop(); });

describe("ZarrIO on S3 (moto)", () => {
  it("writes a 200 MB iterator-fed TimeSeries into an NWB-shaped tree and reads it back", async () => {
    const root = sampleTree();
    const big = root.group("acquisition").group("big_series");
    big.setAttribute("neurodata_type", "TimeSeries").setAttribute("object_id", "big-id");
    const data = new DatasetBuilder("data", new DataIO({ data: new RowBlocks(), compression: "gzip", compressionOpts: 1 }));
    data.setAttribute("unit", "V");
    big.add(data);
    const w = store();
    const io = await openZarr(w, "w", { sourceName: "s3://hdmf-test/rec/file.nwb.zarr" });
    await io.write(root);
    await io.close();
    await w.close();

    const r = store(true);
    const before = { ...r.stats };
    const rio = await openZarr(r, "r");
    const handle = await rio.dataset("/acquisition/big_series/data");
    const first = await handle.read([[0, 2]]);
    const requests = (r.stats.gets - before.gets) + (r.stats.heads - before.heads) + (r.stats.lists - before.lists);
    expect(requests).toBeLessThanOrEqual(3); // .zmetadata + root .zattrs + the first chunk
    const tree = await rio.readBuilder(); // + one GET per scalar dataset (read eagerly, as hdmf-zarr does)
    const ds = (tree.find("/acquisition/big_series/data") as DatasetBuilder).data as StoredDataset;
    expect(Array.from(first.data as Float64Array).slice(0, 3)).toEqual([value(0, 0), value(0, 1), value(0, 2)]);
    expect(ds.shape).toEqual([ROWS, COLS]);

    // The whole 200 MiB back, block by block, compared element for element.
    let bad = 0;
    for (let r0 = 0; r0 < ROWS; r0 += BLOCK * 8) {
      const part = (await ds.read([[r0, Math.min(ROWS, r0 + BLOCK * 8)]])).data as Float64Array;
      for (let i = 0; i < part.length; i++) if (part[i] !== value(r0 + Math.floor(i / COLS), i % COLS)) bad++;
    }
    expect(bad).toBe(0);
    const exp = await valueOf(tree.find("/general/experimenter"));
    expect(exp.toArray()).toEqual(["Ada", "Grace"]);
    await rio.close();
    await r.close();
  }, 240_000);

  it("a v3 sharded store on S3 opens in 2 requests; a read costs the shard index + one inner chunk", async () => {
    const w = new S3Store({ bucket: moto.bucket, prefix: "v3/s.zarr", endpoint: moto.endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS });
    const io = await openZarr(w, "w", { zarrFormat: 3, shards: { chunksPerShard: 8 } });
    const root = new GroupBuilder("root");
    root.group("acquisition").add(new DatasetBuilder("x", new DataIO({ data: new NdArray(Float32Array.from({ length: 4096 }, (_, i) => i), [4096], dtypes.float32), chunks: [256] })));
    await io.write(root);
    await io.close();
    const r = new S3Store({ bucket: moto.bucket, prefix: "v3/s.zarr", endpoint: moto.endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS, readOnly: true });
    const rio = await openZarr(r, "r");
    const d = await rio.dataset("/acquisition/x");
    const before = r.stats.gets;
    expect(before).toBeLessThanOrEqual(2); // .zmetadata (absent) + root zarr.json with consolidated metadata
    expect((await d.read([[300, 302]])).toArray()).toEqual([300, 301]);
    expect(r.stats.gets - before).toBe(2); // shard index (suffix range) + the inner chunk (range)
    await rio.close();
    await w.close();
    await r.close();
  }, 60_000);
});
