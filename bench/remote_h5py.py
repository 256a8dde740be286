"""The remote bench's Python side: h5py over fsspec's HTTP filesystem (Debian python3-fsspec +
python3-aiohttp; default block cache), else h5py on the local file. Prints one JSON line with
seconds per step; the caller counts requests and bytes at its server.

    /usr/bin/python3 bench/remote_h5py.py URL_OR_PATH STEP     (STEP: open_ls | chunk | dataset)
"""
import json
import sys
import time

import h5py

src, step = sys.argv[1], sys.argv[2]
t0 = time.perf_counter()
if src.startswith("http"):
    import fsspec
    f = fsspec.filesystem("http").open(src, "rb")
else:
    f = open(src, "rb")
h = h5py.File(f, "r")
names = []
h.visititems(lambda n, o: names.append((n, getattr(o, "shape", None), dict(o.attrs))))
t_open = time.perf_counter() - t0
out = {"tool": "h5py+fsspec" if src.startswith("http") else "h5py (local file)", "open_ls_s": t_open, "objects": len(names)}
d = h["acquisition/raw/data"]
if step == "chunk":
    t1 = time.perf_counter()
    d[0:d.chunks[0]]
    out["chunk_s"] = time.perf_counter() - t1
elif step == "dataset":
    t1 = time.perf_counter()
    d[...]
    out["dataset_s"] = time.perf_counter() - t1
print(json.dumps(out))
