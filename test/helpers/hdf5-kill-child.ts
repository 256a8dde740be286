/**
 * Child process for the HDF5IO crash test: writes two datasets, flush()es, prints "flushed",
 * then keeps writing a third one until the parent SIGKILLs it. Argument: the file path.
 */
import { openHdf5 } from "../../src/backends/hdf5/index.js";
import { DataIO } from "../../src/data/data-io.js";
import { array } from "../../src/data/ndarray.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";

const file = process.argv[2]!;
const io = await openHdf5(file, "w");
const root = new GroupBuilder("root");
root.add(new DatasetBuilder("a", new DataIO({ data: array(Float64Array.from({ length: 10000 }, (_, i) => i), { shape: [1000, 10] }), compression: "gzip", shuffle: true, fletcher32: true, chunks: [100, 10] })));
root.add(new DatasetBuilder("b", array(Int32Array.from({ length: 500 }, (_, i) => (i === 0 ? 0 : -i)))));
root.add(new DatasetBuilder("c", new DataIO({ shape: [0, 10], dtype: "float64", maxshape: [null, 10], chunks: [100, 10], compression: "gzip" })));
await io.write(root);
await io.flush();
process.stdout.write("flushed\n");
const c = await io.dataset("/c");
for (let i = 0; ; i++) {
  await c.resize([(i + 1) * 100, 10]);
  await c.write([[i * 100, (i + 1) * 100]], array(new Float64Array(1000).fill(i), { shape: [100, 10] }));
}
