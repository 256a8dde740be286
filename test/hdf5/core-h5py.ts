/**
 * Cross-checks with Debian's h5py (the independent witness for files the core writes).
 * Each call runs /usr/bin/python3 to completion and parses the JSON it prints.
 */
import { execFileSync } from "node:child_process";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";

/** Shared Python prelude: a JSON encoder for numpy values and a dataset description. */
const PRELUDE = `
import sys, json, hashlib, math
import numpy as np, h5py
def enc(v):
    if isinstance(v, h5py.Reference):
        return {"ref": None if not v else h5py.h5r.get_name(v, F.id).decode()}
    if isinstance(v, h5py.RegionReference):
        return {"regionref": None if not v else h5py.h5r.get_name(v, F.id).decode()}
    if isinstance(v, np.ndarray):
        if v.dtype.names:
            return [enc(x) for x in v.tolist()] if v.ndim else enc(v[()])
        return [enc(x) for x in v.tolist()] if v.dtype.kind in "OSUcfb" else v.tolist()
    if isinstance(v, np.void):
        return {k: enc(v[k]) for k in v.dtype.names}
    if isinstance(v, tuple):
        return [enc(x) for x in v]
    if isinstance(v, bytes):
        return {"bytes": v.decode("latin-1")}
    if isinstance(v, (complex, np.complexfloating)):
        return [enc(float(v.real)), enc(float(v.imag))]
    if isinstance(v, (float, np.floating)):
        f = float(v)
        return "nan" if math.isnan(f) else ("inf" if f == math.inf else ("-inf" if f == -math.inf else f))
    if isinstance(v, (np.integer,)):
        return int(v)
    if isinstance(v, np.bool_):
        return bool(v)
    if isinstance(v, list):
        return [enc(x) for x in v]
    return v
def describe(d):
    p = d.id.get_create_plist()
    filters = [list(p.get_filter(i)[:3]) for i in range(p.get_nfilters())]
    return {"shape": list(d.shape), "maxshape": list(d.maxshape) if d.maxshape is not None else None,
            "chunks": list(d.chunks) if d.chunks else None, "dtype": d.dtype.str,
            "filters": [[f[0], f[1], list(f[2])] for f in filters],
            # h5py 3.7 segfaults reading the fill value of vlen/object datasets
            "fillvalue": enc(d.fillvalue) if d.dtype.kind in "biufcS" else None, "fill_time": p.get_fill_time(), "alloc_time": p.get_alloc_time(),
            "layout": p.get_layout()}
`;

export function py<T>(script: string, ...args: string[]): T {
  const out = execFileSync("/usr/bin/python3", ["-c", PRELUDE + script, ...args], {
    encoding: "utf8",
    maxBuffer: 256 * 1024 * 1024,
    env: { ...process.env, HDF5_USE_FILE_LOCKING: "FALSE" },
  });
  return JSON.parse(out) as T;
}

/** A temporary directory removed by the returned dispose function. */
export function tempDir(prefix: string): { dir: string; path: (name: string) => string; dispose: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `hdmf-ts-${prefix}-`));
  return { dir, path: (name) => join(dir, name), dispose: () => rmSync(dir, { recursive: true, force: true }) };
}
