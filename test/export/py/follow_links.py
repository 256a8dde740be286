"""Follow every link of an NWB file or store with the Python reference readers.

Usage: follow_links.py PATH   (PATH: an HDF5 file -> pynwb NWBHDF5IO, a .zarr store -> hdmf-zarr NWBZarrIO)

Lists the links as stored (h5py ExternalLink / SoftLink; hdmf-zarr `zarr_link` attributes), then
opens PATH with the reference IO, reads the NWB file (which resolves every link), and for each
link takes the builder the IO gave for it and reads its target: the file or store its values
were read from (h5py Dataset.file, zarr Array.store) and the sha256 of its values (a group: of each dataset below it). Prints JSON
{"links": {path: {"source": ..., "target_path": ..., "sha256": {...}}}}; exit 1 if a link
cannot be followed.
"""
import hashlib
import json
import os
import sys
import warnings

warnings.filterwarnings("ignore")
import numpy as np  # noqa: E402
from hdmf.build import DatasetBuilder, GroupBuilder, LinkBuilder  # noqa: E402


def stored_links(path):
    out = []
    if os.path.isdir(path):
        for d, _dirs, files in os.walk(path):
            if ".zattrs" not in files:
                continue
            with open(os.path.join(d, ".zattrs")) as f:
                attrs = json.load(f)
            rel = os.path.relpath(d, path)
            base = "" if rel == "." else "/" + rel.replace(os.sep, "/")
            for l in attrs.get("zarr_link", []):
                out.append(f"{base}/{l['name']}")
        return sorted(out)
    import h5py
    with h5py.File(path, "r") as f:
        def visit(g, prefix):
            for name in g:
                link = g.get(name, getlink=True)
                p = f"{prefix}/{name}"
                if isinstance(link, (h5py.ExternalLink, h5py.SoftLink)):
                    out.append(p)
                elif isinstance(g[name], h5py.Group):
                    visit(g[name], p)
        visit(f, "")
    return sorted(out)


def where(b):
    """The file or store the values were read from (h5py Dataset.file, zarr Array.store)."""
    if isinstance(b, GroupBuilder):
        return next((where(d) for _n, d in sorted(b.datasets.items())), None)
    data = b.data
    if hasattr(data, "file") and hasattr(data.file, "filename"):
        return os.path.realpath(data.file.filename)
    # zarr: opened consolidated, the metadata store wraps the folder; chunks come from chunk_store
    for store in (getattr(data, "chunk_store", None), getattr(data, "store", None), getattr(getattr(data, "store", None), "store", None)):
        if store is not None and isinstance(getattr(store, "path", None), str):
            return os.path.realpath(store.path)
    return None


def sha_of(b):
    if isinstance(b, DatasetBuilder):
        return hashlib.sha256(np.ascontiguousarray(np.asarray(b.data[()])).tobytes()).hexdigest()
    return {k: sha_of(v) for k, v in sorted(b.datasets.items())}


def main(path):
    links = stored_links(path)
    if path.rstrip("/").endswith(".zarr"):
        from hdmf_zarr.nwb import NWBZarrIO as IO
    else:
        from pynwb import NWBHDF5IO as IO
    result = {}
    with IO(path, mode="r") as io:
        io.read()  # the NWB file, every link resolved
        root = io.read_builder()
        for p in links:
            node = root
            for part in p.strip("/").split("/")[:-1]:
                node = node[part]
            b = node[p.rsplit("/", 1)[1]]
            target = b.builder if isinstance(b, LinkBuilder) else b
            if not isinstance(target, (DatasetBuilder, GroupBuilder)):
                print(f"{p}: not followed ({type(b).__name__})", file=sys.stderr)
                return 1
            result[p] = {"source": where(target), "target_path": target.path, "sha256": sha_of(target)}
    print(json.dumps({"links": result}, sort_keys=True))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1]))
