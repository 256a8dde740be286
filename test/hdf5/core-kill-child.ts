/**
 * Child process for the SIGKILL test in core.test.ts: writes and flushes a dataset, reports
 * "flushed", then keeps the file open and keeps writing unflushed data until it is killed.
 */
import { initHdf5 } from "../../src/backends/hdf5/core.js";
import { dtypes } from "../../src/data/dtype.js";

const path = process.argv[2]!;
const core = await initHdf5();
const f = core.openFile(path, "w");
const ds = core.createDataset(f, "/acquisition/flushed", {
  dtype: dtypes.float64, shape: [1000], maxshape: [null], chunks: [100],
  filters: [{ id: 2, flags: 1, cdValues: [] }, { id: 1, flags: 1, cdValues: [4] }],
});
const values = Float64Array.from({ length: 1000 }, (_, i) => i * 0.5);
core.writeRaw(ds, undefined, new Uint8Array(values.buffer));
core.flush(f);
process.stdout.write("flushed\n");
// Unflushed work after the checkpoint: a new dataset growing while we wait for the kill.
const late = core.createDataset(f, "/acquisition/late", { dtype: dtypes.int32, shape: [0], maxshape: [null], chunks: [1024] });
let n = 0;
setInterval(() => {
  core.setExtent(late, [n + 1024]);
  core.writeRaw(late, { start: [n], count: [1024] }, new Uint8Array(4096));
  n += 1024;
}, 5);
