/**
 * Debian h5py (/usr/bin/python3) as the independent witness for HDF5IO tests: describe what a
 * file holds (filters with flags and cd_values, chunks, maxshape, fill value and time, values),
 * or build the h5py twin of a dataset from the same options. Each call runs to completion.
 */
import { execFileSync } from "node:child_process";
import { sidPython } from "./sid.js";

export const PYTHON = "/usr/bin/python3";

const PRELUDE = `
import sys, json, math
import numpy as np, h5py
def jf(v):
    v = v.item() if hasattr(v, "item") else v
    if isinstance(v, float):
        return "NaN" if math.isnan(v) else ("Infinity" if v == math.inf else ("-Infinity" if v == -math.inf else v))
    if isinstance(v, bytes): return v.decode()
    return v
def describe(d):
    p = d.id.get_create_plist()
    filters = []
    for i in range(p.get_nfilters()):
        fid, flags, cd, name = p.get_filter(i)
        filters.append({"id": fid, "flags": flags, "cd_values": list(cd)})
    fv = None
    if d.dtype.kind in "biuf" and d.shape != ():
        fv = jf(d.fillvalue)
    try:
        nchunks = d.id.get_num_chunks() if d.chunks else None
    except Exception:
        nchunks = None
    return {"shape": list(d.shape) if d.shape is not None else None, "maxshape": list(d.maxshape) if d.maxshape is not None else None,
            "chunks": list(d.chunks) if d.chunks else None, "dtype": d.dtype.str, "filters": filters,
            "fillvalue": fv, "fill_time": p.get_fill_time(), "layout": p.get_layout(), "stored_chunks": nchunks}
`;

/** Which h5py: Debian bookworm's on the host (3.7, HDF5 1.10) or Debian sid's in its chroot (test/helpers/sid.ts). */
export type Witness = "bookworm" | "sid";

/** Run a Python snippet (PRELUDE available; `ARGS` = the JSON argument) and parse the JSON it prints last. */
export function py<T = unknown>(body: string, args: unknown = null, options: { timeout?: number; witness?: Witness } = {}): T {
  const script = `${PRELUDE}\nARGS = json.loads(sys.argv[1])\n${body}`;
  const argv = ["-c", script, JSON.stringify(args)];
  const out = options.witness === "sid"
    ? sidPython(argv, { timeout: options.timeout })
    : execFileSync(PYTHON, argv, { encoding: "utf8", timeout: options.timeout ?? 120_000, stdio: ["ignore", "pipe", "pipe"] });
  const lines = out.trim().split("\n");
  return JSON.parse(lines[lines.length - 1]!) as T;
}

export interface H5pyDescription {
  shape: number[] | null;
  maxshape: Array<number | null> | null;
  chunks: number[] | null;
  dtype: string;
  filters: Array<{ id: number; flags: number; cd_values: number[] }>;
  fillvalue: number | string | null;
  fill_time: number;
  layout: number;
  stored_chunks: number | null;
}

/** h5py's view of every dataset path given. */
export function describeDatasets(file: string, paths: readonly string[], witness: Witness = "bookworm"): Record<string, H5pyDescription> {
  return py(`
with h5py.File(ARGS["file"], "r") as F:
    print(json.dumps({p: describe(F[p]) for p in ARGS["paths"]}))
`, { file, paths }, { witness });
}

/** Values of a dataset as h5py reads them (numbers as JSON; NaN as "NaN"). */
export function readValues(file: string, path: string): unknown {
  return py(`
with h5py.File(ARGS["file"], "r") as F:
    d = F[ARGS["path"]][()]
    a = np.asarray(d)
    if a.dtype.kind == "f":
        print(json.dumps([jf(x) for x in a.ravel().tolist()]))
    elif a.dtype.kind == "O":
        print(json.dumps([x.decode() if isinstance(x, bytes) else (F[x].name if isinstance(x, h5py.Reference) and x else str(x)) for x in a.ravel().tolist()]))
    else:
        print(json.dumps(a.ravel().tolist()))
`, { file, path });
}
