/**
 * An NWB file written here (containers -> BuildManager -> ZarrIO, hdmf-zarr v2 layout) opens in
 * pynwb through hdmf-zarr 0.6 — the oracle venv when it is set up, else the oracle's source trees
 * (/tmp/oracle-src, as the oracle README unpacks them) on Debian's Python. Skipped when neither exists.
 */
import { existsSync } from "node:fs";
import { mkdir, mkdtemp, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { execFile } from "node:child_process";
import { promisify } from "node:util";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { dtypes } from "../../src/data/dtype.js";
import { NdArray } from "../../src/data/ndarray.js";

const run = promisify(execFile);
const VENV = new URL("../../../shared/oracle/.venv/bin/python", import.meta.url).pathname;
const SRC = "/tmp/oracle-src";
const available = existsSync(VENV) || ["hdmf/src", "hdmf-zarr/src", "pynwb/src", "zarr/zarr"].every((p) => existsSync(join(SRC, p)));

const READ = `
import sys, json
from hdmf_zarr.nwb import NWBZarrIO
with NWBZarrIO(sys.argv[1], "r") as io:
    f = io.read()
    tr = f.trials
    rows = [[int(r.idx_start), int(r.count), r.timeseries.name] for i in range(len(tr)) for r in tr["timeseries"][i]]
    print(json.dumps({
        "identifier": f.identifier,
        "ts": [float(x) for x in f.acquisition["ts"].data[:5]],
        "es_rows": [int(x) for x in f.acquisition["es"].electrodes.data[:]],
        "es_table": f.acquisition["es"].electrodes.table.name,
        "group_of_electrode0": f.electrodes["group"][0].name,
        "device": f.electrode_groups["shank0"].device.name,
        "trials": [float(x) for x in tr["start_time"][:]],
        "tsr": rows,
        "spikes": [float(x) for x in f.units["spike_times"][0]],
        "df": len(tr.to_dataframe()),
    }))
`;

let dir: string;
let env: NodeJS.ProcessEnv;
let python: string;

async function shimEnv(root: string): Promise<NodeJS.ProcessEnv> {
  // Source trees have no package metadata (hdmf asks importlib.metadata for its version): add minimal dist-info.
  for (const [name, version] of [["hdmf", "3.14.5"], ["pynwb", "2.8.2"], ["hdmf_zarr", "0.6.0"], ["zarr", "2.17.2"]]) {
    const d = join(root, "shim", `${name}-${version}.dist-info`);
    await mkdir(d, { recursive: true });
    await writeFile(join(d, "METADATA"), `Metadata-Version: 2.1\nName: ${name}\nVersion: ${version}\n`);
  }
  await run("cp", ["-r", join(SRC, "zarr/zarr"), join(root, "shim")]);
  await writeFile(join(root, "shim", "zarr", "version.py"), 'version = "2.17.2"\n');
  return { ...process.env, PYTHONPATH: [join(root, "shim"), `${SRC}/hdmf/src`, `${SRC}/hdmf-zarr/src`, `${SRC}/pynwb/src`].join(":") };
}

beforeAll(async () => {
  if (!available) return;
  dir = await mkdtemp(join(tmpdir(), "zarr-hdmf-"));
  python = existsSync(VENV) ? VENV : "/usr/bin/python3";
  env = existsSync(VENV) ? process.env : await shimEnv(dir);
});
afterAll(async () => { if (dir) await rm(dir, { recursive: true, force: true }); });

describe.skipIf(!available)("hdmf-zarr 0.6 / pynwb read what ZarrIO writes", () => {
  it("reads an NWB file with a region, soft links, object references and TimeSeriesReferenceVectorData", async () => {
    const nwb = await import("../../src/nwb/index.js");
    const { openNWB } = await import("../../src/nwb-io.js");
    const file = new nwb.NWBFile({ sessionDescription: "zarr check", identifier: "zc-1", sessionStartTime: "2024-01-02T03:04:05+00:00", fileCreateDate: "2024-01-02T03:04:05+00:00" });
    const ts = new nwb.TimeSeries({ name: "ts", data: new NdArray(Float32Array.from({ length: 100 }, (_, i) => i / 2), [100], dtypes.float32), unit: "m", rate: 30.0 });
    file.addAcquisition(ts);
    const device = file.createDevice({ name: "probe", description: "a probe" });
    const group = file.createElectrodeGroup({ name: "shank0", description: "shank", location: "CA1", device });
    for (let i = 0; i < 3; i++) file.addElectrode({ location: "CA1", group });
    const region = file.createElectrodeTableRegion([0, 2], "two channels");
    file.addAcquisition(new nwb.ElectricalSeries({ name: "es", data: new NdArray(Int16Array.from({ length: 20 }, (_, i) => i - 10), [10, 2], dtypes.int16), electrodes: region, rate: 1000.0 }));
    file.addTrial({ startTime: 0, stopTime: 1, timeseries: [{ idx_start: 0, count: 30, timeseries: ts }] });
    file.addTrial({ startTime: 2, stopTime: 3.5, timeseries: [{ idx_start: 60, count: 45, timeseries: ts }] });
    file.addUnit({ spike_times: [0.1, 0.2, 0.3] });
    file.addUnit({ spike_times: [1.5] });
    const path = join(dir, "check.nwb.zarr");
    const io = await openNWB(path, "w");
    await io.write(file);
    await io.close();

    const { stdout } = await run(python, ["-c", READ, path], { env, maxBuffer: 1 << 24 });
    expect(JSON.parse(stdout.trim().split("\n").pop()!)).toEqual({
      identifier: "zc-1",
      ts: [0, 0.5, 1, 1.5, 2],
      es_rows: [0, 2],
      es_table: "electrodes",
      group_of_electrode0: "shank0",
      device: "probe",
      trials: [0, 2],
      tsr: [[0, 30, "ts"], [60, 45, "ts"]],
      spikes: [0.1, 0.2, 0.3],
      df: 2,
    });
  }, 120_000);
});
