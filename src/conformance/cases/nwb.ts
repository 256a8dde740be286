/**
 * A whole NWB file through a BuildManager: TimeSeries, an ElectricalSeries with an electrode
 * region, trials with a custom column, units with ragged spike times. The containers are
 * built to builders and written with the IO under test; read back, they must construct again.
 */
import { dtypes } from "../../data/dtype.js";
import { NdArray } from "../../data/ndarray.js";
import { equal, listEqual, ok, plain } from "../check.js";
import type { ConformanceCase } from "../types.js";
import { attr, attrList, datasetAt, groupAt, valuesOf } from "./util.js";

/** The NWB layer is loaded lazily, so a build without it reports this case unsupported. */
const NWB_MODULE = "../../nwb/index.js";
type NwbModule = typeof import("../../nwb/index.js");

export const nwbCase: ConformanceCase = {
  id: "nwb.file-with-tables",
  title: "a whole NWB file (TimeSeries, ElectricalSeries + electrodes region, trials, units) through a BuildManager",
  requires: ["references"],
  async available() {
    try { await import(NWB_MODULE); return undefined; } catch { return "the NWB container layer (src/nwb) is not in this build"; }
  },
  async run({ fixture }) {
    const nwb = (await import(NWB_MODULE)) as NwbModule;
    const file = new nwb.NWBFile({ sessionDescription: "conformance", identifier: "conf-0001", sessionStartTime: "2024-01-02T03:04:05+00:00", fileCreateDate: "2024-01-02T03:04:05+00:00" });
    const signal = new NdArray(Float32Array.from({ length: 100 }, (_, i) => Math.sin(i / 7)), [100], dtypes.float32);
    file.addAcquisition(new nwb.TimeSeries({ name: "ts", data: signal, unit: "m", rate: 30.0 }));
    const device = file.createDevice({ name: "probe", description: "a probe" });
    const group = file.createElectrodeGroup({ name: "shank0", description: "shank", location: "CA1", device });
    for (let i = 0; i < 3; i++) file.addElectrode({ location: "CA1", group });
    const region = file.createElectrodeTableRegion([0, 2], "two channels");
    const ephys = new NdArray(Int16Array.from({ length: 20 }, (_, i) => i - 10), [10, 2], dtypes.int16);
    file.addAcquisition(new nwb.ElectricalSeries({ name: "es", data: ephys, electrodes: region, rate: 1000.0 }));
    file.addTrialColumn({ name: "correct", description: "was the answer right" });
    file.addTrial({ startTime: 0, stopTime: 1, correct: true });
    file.addTrial({ startTime: 2, stopTime: 3.5, correct: false });
    file.addUnit({ spike_times: [0.1, 0.2, 0.3] });
    file.addUnit({ spike_times: [1.5] });

    const manager = await nwb.createNwbBuildManager();
    const io = await fixture.create("w");
    try {
      await io.write(manager.build(file, { source: io.source }), { cacheSpec: false });
    } finally { await io.close(); }

    const rio = await fixture.open("r");
    try {
      const r = await rio.readBuilder();
      equal(attrList(attr(r, "neurodata_type"))[0], "NWBFile", "read back: /@neurodata_type");
      listEqual((await valuesOf(datasetAt(r, "/identifier"))).toArray(), ["conf-0001"], "read back: /identifier");
      listEqual(Array.from((await valuesOf(datasetAt(r, "/acquisition/ts/data"))).data as Float32Array), Array.from(signal.data as Float32Array), "read back: /acquisition/ts/data");
      equal(attrList(attr(datasetAt(r, "/acquisition/ts/data"), "unit"))[0], "m", "read back: /acquisition/ts/data@unit");
      listEqual((await valuesOf(datasetAt(r, "/acquisition/es/electrodes"))).toArray().map(Number), [0, 2], "read back: /acquisition/es/electrodes");
      const table = attrList(attr(datasetAt(r, "/acquisition/es/electrodes"), "table"))[0];
      equal((plain(table) as { path?: string }).path, "/general/extracellular_ephys/electrodes", "read back: /acquisition/es/electrodes@table");
      listEqual((await valuesOf(datasetAt(r, "/intervals/trials/start_time"))).toArray().map(Number), [0, 2], "read back: /intervals/trials/start_time");
      listEqual((await valuesOf(datasetAt(r, "/units/spike_times"))).toArray().map(Number), [0.1, 0.2, 0.3, 1.5], "read back: /units/spike_times");
      listEqual((await valuesOf(datasetAt(r, "/units/spike_times_index"))).toArray().map(Number), [3, 4], "read back: /units/spike_times_index");
      groupAt(r, "/general/devices/probe");

      const back = (await nwb.createNwbBuildManager()).construct(r);
      ok(back instanceof nwb.NWBFile, `constructed root is ${back.constructor.name}, expected NWBFile`);
      equal(back.identifier, "conf-0001", "constructed NWBFile.identifier");
      ok(back.acquisition.get("ts") instanceof nwb.TimeSeries, "constructed acquisition ts is not a TimeSeries");
      ok(back.trials instanceof nwb.TimeIntervals && back.trials.colnames.includes("correct"), "constructed trials is not a TimeIntervals with a \"correct\" column");
      ok(back.units instanceof nwb.Units && back.units.colnames.includes("spike_times"), "constructed units has no spike_times column");
    } finally { await rio.close(); }
  },
};
