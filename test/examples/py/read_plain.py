"""Read every dataset of HDF5 files (h5py) and Zarr stores (zarr-python) completely.
Usage: /usr/bin/python3 read_plain.py PATH... ; prints one JSON line per path:
{"path", "datasets", "values", "undecodable": [[dataset, filter ids]], "external_links": [...]}.
Datasets whose HDF5 filter has no plugin in this Python (Debian has none for Zstd 32015 and
Bitshuffle 32008) are listed with their filter ids instead of being read."""
import json
import os
import sys

import h5py
import numpy as np
import zarr

try:
    import hdf5plugin  # noqa: F401
except ImportError:
    pass


def h5(path):
    out = {"path": path, "datasets": 0, "values": 0, "undecodable": [], "external_links": []}
    os.chdir(os.path.dirname(os.path.abspath(path)))
    with h5py.File(path, "r") as f:
        def visit(name, obj):
            if isinstance(obj, h5py.Dataset):
                dcpl = obj.id.get_create_plist()
                ids = [dcpl.get_filter(i)[0] for i in range(dcpl.get_nfilters())] if obj.chunks else []
                if any(not h5py.h5z.filter_avail(i) for i in ids):
                    out["undecodable"].append([name, ids])
                    return
                out["datasets"] += 1
                out["values"] += int(np.asarray(obj[()]).size)
        f.visititems(visit)

        def links(g, prefix):
            for k in g:
                link = g.get(k, getlink=True)
                if isinstance(link, h5py.ExternalLink):
                    out["external_links"].append(prefix + k)
                elif isinstance(link, h5py.HardLink) and isinstance(g[k], h5py.Group):
                    links(g[k], prefix + k + "/")
        links(f, "/")
    return out


def zr(path):
    out = {"path": path, "datasets": 0, "values": 0, "undecodable": [], "external_links": []}
    g = zarr.open_group(path, mode="r")

    def visit(name, obj):
        if isinstance(obj, zarr.Array):
            out["datasets"] += 1
            out["values"] += int(np.asarray(obj[...]).size)
        for link in obj.attrs.get("zarr_link", []) if hasattr(obj, "attrs") else []:
            out["external_links"].append("/" + name + "/" + link["name"])
    g.visititems(visit)
    return out


for p in sys.argv[1:]:
    p = p.rstrip("/")
    print(json.dumps(zr(p) if os.path.isdir(p) else h5(p)), flush=True)
