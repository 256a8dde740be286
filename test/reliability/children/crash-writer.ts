/**
 * Child for the crash test: writes datasets /d0, /d1, ... (each `mb` MB of float64 whose
 * values encode the dataset index), flushing after each and printing "flushed i".
 * argv: <hdf5|zarr> <target> <mb>
 */
import { DataIO } from "../../../src/data/data-io.js";
import { dtypes } from "../../../src/data/dtype.js";
import { NdArray } from "../../../src/data/ndarray.js";
import { DatasetBuilder, GroupBuilder } from "../../../src/schema/builders.js";
import type { HDMFIO } from "../../../src/backends/io.js";

const [kind, target, mbArg] = process.argv.slice(2);
const n = Math.floor((Number(mbArg) * 2 ** 20) / 8);
const io: HDMFIO = kind === "hdf5"
  ? await (await import("../../../src/backends/hdf5/index.js")).openHdf5(target!, "w")
  : await (await import("../../../src/backends/zarr/index.js")).openZarr(target!, "w", { defaultCompressor: null });
for (let i = 0; ; i++) {
  const data = new Float64Array(n);
  for (let j = 0; j < n; j++) data[j] = i * 1e9 + j;
  const root = new GroupBuilder("root");
  root.add(new DatasetBuilder(`d${i}`, new DataIO({ data: new NdArray(data, [n], dtypes.float64), chunks: [Math.min(n, 131072)] })));
  await io.write(root, { cacheSpec: false });
  await io.flush();
  process.stdout.write(`flushed ${i}\n`);
}
