/**
 * Child for the concurrency tests. Modes:
 *   write <target> <start> <stop> <value>   — open "r+", write [start, stop) = value + index, close
 *   flip <target> <chunks> <chunk> <value>  — rewrite every chunk (one region write each) with `value`
 *   read <target> <rounds> <chunk>          — read the whole array `rounds` times; print "torn <k>" per torn chunk, then "reads <n>"
 * <target> is a path or s3://bucket/prefix (endpoint from HDMF_S3_ENDPOINT).
 */
import { openZarr } from "../../../src/backends/zarr/index.js";
import { dtypes } from "../../../src/data/dtype.js";
import { NdArray } from "../../../src/data/ndarray.js";

const [mode, target, a, b, c] = process.argv.slice(2);
const endpoint = process.env.HDMF_S3_ENDPOINT;
const storeOptions = endpoint ? { s3: { endpoint, forcePathStyle: true, credentials: { accessKeyId: "testing", secretAccessKey: "testing" } } } : undefined;

if (mode === "write") {
  const [start, stop, value] = [Number(a), Number(b), Number(c)];
  const io = await openZarr(target!, "r+", { storeOptions, consolidate: false });
  const data = new Float64Array(stop - start).map((_, i) => value + start + i);
  await (await io.dataset("/x")).write([[start, stop]], new NdArray(data, [data.length], dtypes.float64));
  await io.close();
} else if (mode === "flip") {
  const [chunks, chunk, value] = [Number(a), Number(b), Number(c)];
  const io = await openZarr(target!, "r+", { storeOptions, consolidate: false });
  const h = await io.dataset("/x");
  for (let k = 0; k < chunks; k++) {
    await h.write([[k * chunk, (k + 1) * chunk]], new NdArray(new Float64Array(chunk).fill(value), [chunk], dtypes.float64));
  }
  await io.close();
  process.stdout.write("flipped\n");
} else {
  const [rounds, chunk] = [Number(a), Number(b)];
  let reads = 0;
  for (let r = 0; r < rounds; r++) {
    const io = await openZarr(target!, "r", { storeOptions });
    const v = (await (await io.dataset("/x")).read()).data as Float64Array;
    await io.close();
    reads++;
    for (let k = 0; k * chunk < v.length; k++) {
      const first = v[k * chunk];
      for (let j = 1; j < chunk; j++) if (v[k * chunk + j] !== first) { process.stdout.write(`torn ${k}\n`); break; }
    }
  }
  process.stdout.write(`reads ${reads}\n`);
}
