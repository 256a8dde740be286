/** An NWB-shaped builder tree exercising every kind the Zarr layout stores. */
import { array, NdArray } from "../../src/data/ndarray.js";
import { compound, dtypes } from "../../src/data/dtype.js";
import { ObjectReference } from "../../src/data/reference.js";
import { DataIO, ZarrDataIO } from "../../src/data/data-io.js";
import { DataChunkIterator } from "../../src/data/iterators.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder } from "../../src/schema/builders.js";

export const ROOT_ID = "3ec9466e-d350-4c15-85b3-40f5625039ee";

/** Rows of the sparse iterator: null rows are gaps (never written). */
export function sparseRows(n: number): Array<Float64Array | null> {
  return Array.from({ length: n }, (_, i) => (i % 3 === 2 ? null : Float64Array.from([i, i + 0.5, -i, i * 2])));
}

export function sampleTree(): GroupBuilder {
  const root = new GroupBuilder("root");
  root.setAttribute("namespace", "core").setAttribute("neurodata_type", "NWBFile").setAttribute("nwb_version", "2.7.0").setAttribute("object_id", ROOT_ID);
  root.add(new DatasetBuilder("session_description", array("a session")));
  root.add(new DatasetBuilder("identifier", array("ID-1")));
  const acq = root.group("acquisition");
  const ts = acq.group("ts");
  ts.setAttribute("neurodata_type", "TimeSeries").setAttribute("object_id", "ts-id").setAttribute("comments", "no comments");
  const data = new DatasetBuilder("data", new DataIO({
    data: array(Int16Array.from({ length: 600 }, (_, i) => (i * 7) % 301 - 150), { shape: [200, 3] }),
    chunks: [50, 3], compression: "gzip", compressionOpts: 4, shuffle: true,
  }));
  data.setAttribute("conversion", 1e-6).setAttribute("offset", 0.0).setAttribute("resolution", -1.0).setAttribute("unit", "volts");
  ts.add(data);
  ts.add(new DatasetBuilder("starting_time", array(0.5, { dtype: "float64" }))).setAttribute("rate", 1000.0).setAttribute("unit", "seconds");
  const ts2 = acq.group("linker");
  ts2.add(new DatasetBuilder("data", new ZarrDataIO({ data: array(Float32Array.from([1, 2, 3, 4])), compressor: null })));
  ts2.add(new LinkBuilder("timestamps", ts.datasets.get("data")!));
  const sparse = acq.group("sparse");
  sparse.add(new DatasetBuilder("data", new DataChunkIterator(sparseRows(19), { bufferSize: 1, dtype: "float64", maxshape: [null, 4] })));
  const general = root.group("general");
  general.add(new DatasetBuilder("experimenter", array(["Ada", "Grace"])));
  const devices = general.group("devices");
  const probe = devices.group("probe");
  probe.setAttribute("object_id", "probe-id").setAttribute("description", "a probe");
  const ecephys = general.group("extracellular_ephys");
  for (const s of ["shank0", "shank1"]) {
    const g = ecephys.group(s);
    g.setAttribute("object_id", `${s}-id`);
    g.add(new LinkBuilder("device", probe));
  }
  const table = ecephys.group("electrodes");
  table.setAttribute("object_id", "table-id").setAttribute("colnames", array(["x", "group", "flag"]));
  table.add(new DatasetBuilder("x", array(Float64Array.from([1.5, 2.5, NaN]))));
  table.add(new DatasetBuilder("group", new NdArray([new ObjectReference("/general/extracellular_ephys/shank0"), new ObjectReference("/general/extracellular_ephys/shank1"), new ObjectReference("/general/extracellular_ephys/shank1")], [3], dtypes.objectRef)));
  table.add(new DatasetBuilder("flag", new NdArray(Uint8Array.from([1, 0, 1]), [3], dtypes.bool)));
  table.add(new DatasetBuilder("id", array(BigInt64Array.from([0n, 1n, 2n]))));
  const region = new DatasetBuilder("electrodes", array(BigInt64Array.from([0n, 2n])));
  region.setAttribute("table", new ObjectReference("/general/extracellular_ephys/electrodes"));
  acq.groups.get("ts")!.add(region);
  const trials = root.group("intervals").group("trials");
  const tsr = compound([{ name: "idx_start", dtype: dtypes.int32 }, { name: "count", dtype: dtypes.int32 }, { name: "timeseries", dtype: dtypes.objectRef }]);
  trials.add(new DatasetBuilder("timeseries", new NdArray([
    { idx_start: 0, count: 5, timeseries: new ObjectReference("/acquisition/ts") },
    { idx_start: 5, count: 7, timeseries: new ObjectReference("/acquisition/ts") },
  ], [2], tsr)));
  const plain = compound([{ name: "a", dtype: dtypes.int32 }, { name: "b", dtype: dtypes.float64 }]);
  trials.add(new DatasetBuilder("pairs", new NdArray([{ a: 1, b: 0.5 }, { a: -2, b: 1e300 }], [2], plain)));
  trials.add(new DatasetBuilder("big", array(BigUint64Array.from([2n ** 63n + 5n, 1n]))));
  return root;
}

/** The value of a dataset builder read from a store: eager (NdArray) or lazy (StoredDataset). */
export async function valueOf(b: unknown): Promise<NdArray> {
  const data = (b as DatasetBuilder).data;
  if (data instanceof NdArray) return data;
  return (data as { read(): Promise<NdArray> }).read();
}
