/** Builds, in TypeScript, the same NWB file the oracle wrote as fixtures/f_tables_refs.nwb. */
import { array } from "../../src/data/ndarray.js";
import { DynamicTable } from "../../src/schema/containers/table.js";
import {
  ElectricalSeries, NWBFile, TimeSeries, TimeSeriesReferenceVectorData,
} from "../../src/nwb/index.js";

export function tablesAndRefsFile(): NWBFile {
  const f = new NWBFile({
    sessionDescription: "DynamicTable, VectorIndex, DynamicTableRegion, references",
    identifier: "NWB-F-TABLES", sessionStartTime: "2024-01-02T03:04:05+00:00", fileCreateDate: "2024-01-02T03:04:05+00:00",
    experimenter: "Rübel, Oliver", lab: "Fixture lab", institution: "hdmf-ts oracle",
  });
  const probe = f.createDevice({ name: "probe", description: "a 4-shank probe", manufacturer: "acme" });
  const groups = [0, 1].map((i) => f.createElectrodeGroup({ name: `shank${i}`, description: `shank ${i}`, location: "CA1", device: probe }));
  const locs = ["CA1", "CA3", "DG"];
  for (let i = 0; i < 6; i++) {
    f.addElectrode({
      location: locs[i % 3]!, group: groups[i < 3 ? 0 : 1]!, impedance: 1e6 + i, x: i, y: i / 2, z: -1,
      filtering: "none", rel_x: i, rel_y: 0, rel_z: 0,
    });
  }
  // Whole-number float columns: JS numbers cannot say "float", typed arrays can.
  for (const c of ["impedance", "x", "z", "rel_x", "rel_y", "rel_z"]) {
    f.electrodes!.getColumn(c).data = array(Float64Array.from(f.electrodes!.getColumn(c).data as number[]));
  }
  const region = f.createElectrodeTableRegion([0, 2, 4], "three electrodes");
  const es = new ElectricalSeries({
    name: "ElectricalSeries", data: array(new Int16Array(600), { shape: [200, 3] }), electrodes: region, rate: 1000,
    conversion: 1e-6, channelConversion: array(new Float64Array([1, 1.5, 2])),
  });
  f.addAcquisition(es);
  const owner = new TimeSeries({ name: "timestamps_owner", data: array(new Float64Array(50)), unit: "SIunit", timestamps: array(new Float64Array(50).map((_, i) => i / 10)) });
  f.addAcquisition(owner);
  f.addAcquisition(new TimeSeries({ name: "timestamps_linker", data: array(new Float64Array(50)), unit: "SIunit", timestamps: owner }));

  f.addTrialColumn({ name: "stim", description: "per-trial stimulus name" });
  f.addTrialColumn({ name: "timeseries", description: "index into a TimeSeries object", index: true, colClass: TimeSeriesReferenceVectorData });
  for (let i = 0; i < 3; i++) f.addTrial({ startTime: i, stopTime: i + 0.5, stim: `stim${i}`, timeseries: [{ idx_start: 10 * i, count: 5, timeseries: owner }] });

  const mod = f.createProcessingModule({ name: "analysis_module", description: "holds the generic table" });
  const t = new DynamicTable({ name: "generic_table", description: "ragged and region columns" });
  t.addColumn({ name: "words", description: "ragged strings", index: true });
  t.addColumn({ name: "nested", description: "doubly ragged int", index: 2 });
  t.addColumn({ name: "trial", description: "row of trials", table: f.trials });
  t.addColumn({ name: "flag", description: "bool column" });
  const rows = [
    { words: ["a", "bb"], nested: [[0, 1]], trial: 2, flag: true },
    { words: ["ccc"], nested: [[2, 3, 4], [5]], trial: 0, flag: false },
    { words: ["dddd", "ee", "f"], nested: [[6, 7, 8, 9]], trial: 1, flag: true },
  ];
  rows.forEach((r, i) => t.addRow(r, { id: 10 + i }));
  mod.add(t);

  f.addUnitColumn({ name: "spike_times", description: "the spike times for each unit" });
  f.addUnitColumn({ name: "obs_intervals", description: "the observation intervals for each unit" });
  f.addUnitColumn({ name: "electrodes", description: "the electrodes that each spike unit came from" });
  f.addUnitColumn({ name: "electrode_group", description: "the electrode group that each spike unit came from" });
  f.addUnitColumn({ name: "quality", description: "string column" });
  const spikes = [[4.1], [5.3, 7.0, 7.9], [1.1, 1.9, 3.1, 3.5, 8.7], [0.1, 0.9, 1.2, 2.2, 3.3, 4.4, 5.5]];
  const obs = [[[0, 5]], [[0, 5], [6, 10]], [[0, 5]], [[0, 5], [6, 10]]];
  const elec = [[0], [1, 2], [2], [3, 4]];
  const quality = ["good", "mua", "good", "noise"];
  for (let i = 0; i < 4; i++) {
    f.addUnit({ spike_times: spikes[i], obs_intervals: obs[i], electrodes: elec[i], electrode_group: groups[i < 2 ? 0 : 1], quality: quality[i] });
  }
  f.units!.getColumn("obs_intervals").data = array(Float64Array.from((f.units!.getColumn("obs_intervals").data as number[][]).flat()), { shape: [6, 2] });
  return f;
}
