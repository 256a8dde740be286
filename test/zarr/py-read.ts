/** zarr-python (Debian python3-zarr 2.13, /usr/bin/python3) as an independent reader of a v2 store. */
import { execFile } from "node:child_process";
import { promisify } from "node:util";

const run = promisify(execFile);

const SCRIPT = `
import json, sys, math, base64
import numpy as np, zarr
g = zarr.open_group(sys.argv[1], mode="r")
out = {}
def enc(v):
    if isinstance(v, (bytes, np.bytes_)): return v.decode("utf-8")
    if isinstance(v, np.generic): v = v.item()
    if isinstance(v, float) and not math.isfinite(v): return repr(v)
    if isinstance(v, (list, tuple)): return [enc(x) for x in v]
    if isinstance(v, dict): return {k: enc(x) for k, x in v.items()}
    return v
def visit(name, obj):
    if isinstance(obj, zarr.Array):
        a = obj[...]
        if a.dtype.names:
            vals = [[enc(r[n]) for n in a.dtype.names] for r in a.tolist()] if a.dtype.hasobject else [[enc(x) for x in r] for r in a.tolist()]
        else:
            vals = [enc(x) for x in a.ravel().tolist()]
        out["/" + name] = {"shape": list(obj.shape), "dtype": str(obj.dtype), "values": vals, "attrs": enc(dict(obj.attrs)), "nchunks_initialized": obj.nchunks_initialized}
    else:
        out["/" + name] = {"attrs": enc(dict(obj.attrs))}
g.visititems(visit)
out["/"] = {"attrs": enc(dict(g.attrs))}
print(json.dumps(out))
`;

export interface PyNode {
  shape?: number[];
  dtype?: string;
  values?: unknown[];
  attrs: Record<string, unknown>;
  nchunks_initialized?: number;
}

export async function pyReadZarr(dir: string): Promise<Record<string, PyNode>> {
  const { stdout } = await run("/usr/bin/python3", ["-c", SCRIPT, dir], { maxBuffer: 1 << 28 });
  return JSON.parse(stdout) as Record<string, PyNode>;
}

export async function pyRun(code: string, args: string[] = []): Promise<string> {
  const { stdout } = await run("/usr/bin/python3", ["-c", code, ...args], { maxBuffer: 1 << 28 });
  return stdout;
}
