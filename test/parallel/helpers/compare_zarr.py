"""Compare two Zarr v2 stores with zarr-python: same groups, same arrays (dtype, shape, chunks,
compressor, fill value, values) and same attributes except object_id. Prints a JSON summary.
usage: /usr/bin/python3 compare_zarr.py REF OTHER"""
import json
import sys

import numpy as np
import zarr


def walk(group, prefix=""):
    for name, arr in group.arrays():
        yield prefix + name, arr
    for name, sub in group.groups():
        yield prefix + name, sub
        yield from walk(sub, prefix + name + "/")


def attrs(node):
    return {k: v for k, v in node.attrs.asdict().items() if k != "object_id"}


ref = zarr.open_consolidated(sys.argv[1], mode="r")
other = zarr.open_consolidated(sys.argv[2], mode="r")
plain = zarr.open_group(sys.argv[2], mode="r")  # the tree as stored, without .zmetadata
ref_nodes, other_nodes = dict(walk(ref)), dict(walk(other))
problems = []
if sorted(ref_nodes) != sorted(other_nodes):
    problems.append(f"node sets differ: {sorted(set(ref_nodes) ^ set(other_nodes))}")
if sorted(dict(walk(plain))) != sorted(other_nodes):
    problems.append(".zmetadata does not list what is stored")
if attrs(ref) != attrs(other):
    problems.append("root attributes differ")
arrays = 0
for path, a in ref_nodes.items():
    b = other_nodes.get(path)
    if b is None:
        continue
    if attrs(a) != attrs(b):
        problems.append(f"{path}: attributes differ: {attrs(a)} vs {attrs(b)}")
    if isinstance(a, zarr.Array):
        arrays += 1
        for field in ("dtype", "shape", "chunks", "compressor", "fill_value"):
            if getattr(a, field) != getattr(b, field):
                problems.append(f"{path}: {field} {getattr(a, field)} vs {getattr(b, field)}")
        if a.shape == b.shape and not np.array_equal(a[...], b[...]):
            problems.append(f"{path}: values differ")
ts = other["acquisition/ts_name/data"][...].tolist()
big = other["acquisition/big/data"] if "big" in other["acquisition"] else None
print(json.dumps({
    "arrays": arrays, "problems": problems, "ts_name": ts,
    "big": None if big is None else {"shape": list(big.shape), "chunks": list(big.chunks),
                                      "compressor": big.compressor.get_config(), "nchunks_initialized": big.nchunks_initialized},
}))
