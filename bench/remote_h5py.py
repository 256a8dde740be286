"""The remote bench's Python side: h5py over fsspec's HTTP filesystem (Debian python3-fsspec +
python3-aiohttp; default block cache), else h5py on the local file. For each STEP the file is
opened afresh (a new fsspec filesystem and file, so nothing is cached between steps) and one JSON
line is printed with its seconds; the caller counts requests and bytes at its server between
steps, so it waits for each line and answers with a newline before the next step starts.

    /usr/bin/python3 bench/remote_h5py.py URL_OR_PATH STEP [STEP ...]   (STEP: open_ls | chunk | dataset)
"""
import json
import sys
import time

import h5py

src, steps = sys.argv[1], sys.argv[2:]
remote = src.startswith("http")
if remote:
    import fsspec

for i, step in enumerate(steps):
    if i:
        sys.stdin.readline()  # the caller has read the server's counts and reset them
    t0 = time.perf_counter()
    f = fsspec.filesystem("http", skip_instance_cache=True).open(src, "rb") if remote else open(src, "rb")
    h = h5py.File(f, "r")
    names = []
    h.visititems(lambda n, o: names.append((n, getattr(o, "shape", None), dict(o.attrs))))
    out = {"step": step, "tool": "h5py+fsspec" if remote else "h5py (local file)", "open_ls_s": time.perf_counter() - t0, "objects": len(names)}
    d = h["acquisition/raw/data"]
    if step == "chunk":
        t1 = time.perf_counter()
        d[0:d.chunks[0]]
        out["chunk_s"] = time.perf_counter() - t1
    elif step == "dataset":
        t1 = time.perf_counter()
        d[...]
        out["dataset_s"] = time.perf_counter() - t1
    h.close()
    f.close()
    print(json.dumps(out), flush=True)
