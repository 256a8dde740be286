/**
 * bench/export: a chunked, gzip-compressed NWB file (1 GB of int16 ephys, 64 channels; 64 MB
 * with --quick) exported HDF5 -> Zarr and back by hdmf-ts and, in the same run, by hdmf-zarr's
 * NWBZarrIO.export / pynwb's NWBHDF5IO.export (oracle venv). Each export runs in its own
 * process so peak RSS is its own. Goal: >= 3x hdmf-zarr, peak RSS < 300 MB.
 *
 *   npx tsx bench/export.ts [--quick] [--keep]
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, rmSync, statSync } from "node:fs";
import { join, resolve } from "node:path";
import { nodeScript } from "./node-script.js";

const quick = process.argv.includes("--quick");
const mb = quick ? 64 : 1024;
const py = resolve(process.env.ORACLE_VENV ?? ".cache/oracle", "bin", "python");
if (!existsSync(py)) throw new Error(`oracle Python missing at ${py}: run ORACLE_VENV=.cache/oracle bash ../shared/oracle/setup.sh`);
const dir = resolve(".cache/bench-export");
mkdirSync(dir, { recursive: true });
const input = join(dir, `ephys-${mb}mb.nwb`);

interface Run { seconds: number; peakRssMB: number; chunks?: number; rawChunks?: number }

function run(cmd: string, args: string[]): Run {
  const r = spawnSync(cmd, args, { encoding: "utf8", maxBuffer: 1 << 24 });
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} failed:\n${r.stderr}`);
  return JSON.parse(r.stdout.trim().split("\n").pop()!) as Run;
}

if (!existsSync(input)) {
  process.stderr.write(`making ${input} (${mb} MB of int16, gzip 4, chunks 16384x64) ...\n`);
  const r = spawnSync(py, ["bench/export_hdmf_zarr.py", "make", input, String(mb)], { stdio: "inherit" });
  if (r.status !== 0) throw new Error("making the input failed");
}
const size = statSync(input).size / 1048576;
// each export runs in its own process, as users run the package: node on dist/
const child = nodeScript("bench/export-child.ts");
const out = (n: string): string => { const p = join(dir, n); rmSync(p, { recursive: true, force: true }); return p; };

const ours1 = run(process.execPath, [child, input, out("ts.zarr"), "zarr"]);
const ours2 = run(process.execPath, [child, join(dir, "ts.zarr"), out("ts-back.nwb"), "hdf5"]);
const theirs1 = run(py, ["bench/export_hdmf_zarr.py", "h5-to-zarr", input, out("py.zarr")]);
const theirs2 = run(py, ["bench/export_hdmf_zarr.py", "zarr-to-h5", join(dir, "py.zarr"), out("py-back.nwb")]);

const row = (name: string, a: Run, b: Run): string =>
  `${name.padEnd(22)} ${a.seconds.toFixed(2).padStart(8)} s ${a.peakRssMB.toFixed(0).padStart(6)} MB | ${b.seconds.toFixed(2).padStart(8)} s ${b.peakRssMB.toFixed(0).padStart(6)} MB`;
console.log(`input: ${input} (${size.toFixed(0)} MB on disk, ${mb} MB of values)`);
console.log(`${"".padEnd(22)} ${"HDF5 -> Zarr".padStart(20)} | ${"Zarr -> HDF5".padStart(20)}`);
console.log(row("hdmf-ts", ours1, ours2));
console.log(row("hdmf-zarr / pynwb", theirs1, theirs2));
console.log(`speed-up: ${(theirs1.seconds / ours1.seconds).toFixed(1)}x and ${(theirs2.seconds / ours2.seconds).toFixed(1)}x; raw chunk copies: ${ours1.rawChunks}/${ours1.chunks} and ${ours2.rawChunks}/${ours2.chunks}`);
console.log(JSON.stringify({ mb, hdmfTs: [ours1, ours2], hdmfZarr: [theirs1, theirs2] }));
if (!process.argv.includes("--keep")) for (const n of ["ts.zarr", "ts-back.nwb", "py.zarr", "py-back.nwb"]) rmSync(join(dir, n), { recursive: true, force: true });
