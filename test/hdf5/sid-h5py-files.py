"""Write the HDF5 files of test/hdf5/hdf5-sid.test.ts with Debian sid's h5py (HDF5 2.x).

    python3 sid-h5py-files.py OUTDIR   # prints {"files": [...], "h5py": ..., "hdf5": ...}

One file per libver low bound (h5py's `libver=` string: low bound, high = latest), each with the same
content: numbers, strings, bool, references, dense attributes, many links (dense link storage from
v108 on), a creation-ordered group, chunked datasets (whose chunk index follows the bound) and a
virtual dataset. Then one file per chunk index (libver latest), an SWMR-appended file and a
paged-file-space file. Values are deterministic (no randomness).
"""
import json
import os
import sys

import h5py
import numpy as np

OUT = sys.argv[1]
LIBVERS = ["earliest", "v108", "v110", "v112", "v114", "v200", "latest"]
files = []


def content(f):
    f.attrs["title"] = "sid h5py"
    f.create_dataset("i4", data=np.arange(12, dtype="<i4").reshape(3, 4))
    f.create_dataset("f8_be", data=np.linspace(0, 1, 7).astype(">f8"))
    f.create_dataset("u8", data=np.array([0, 1, 2**63 + 5], dtype="<u8"))
    f.create_dataset("bool", data=np.array([True, False, True]))
    f.create_dataset("vlen_str", data=["a", "héllo", ""], dtype=h5py.string_dtype())
    f.create_dataset("fixed_str", data=np.array([b"ab", b"cde"], dtype="S4"))
    f.create_dataset("scalar", data=3.5)
    g = f.create_group("grp")
    d = g.create_dataset("data", data=np.arange(100, dtype="<f4"))
    f.create_dataset("refs", data=[d.ref, g.ref, f.ref], dtype=h5py.ref_dtype)
    # dense attributes: more than 8 (the compact maximum) once the bound allows dense storage
    for i in range(20):
        d.attrs[f"attr{i:02d}"] = i * 1.5
    d.attrs["text"] = "unit"
    d.attrs["ref"] = g.ref
    # many links: dense link storage (fractal heap + v2 B-tree) for new-style groups
    many = f.create_group("many")
    for i in range(40):
        many.create_dataset(f"d{i:02d}", data=np.array([i], dtype="<i8"))
    many["soft"] = h5py.SoftLink("/grp/data")
    ordered = f.create_group("ordered", track_order=True)
    for name in ["z", "a", "m"]:
        ordered.create_dataset(name, data=np.array([ord(name)], dtype="<i2"))
    # chunked: the index type follows the file's low bound (v1 B-tree for earliest/v108)
    f.create_dataset("chunk_fixed", data=np.arange(1000, dtype="<f8").reshape(100, 10), chunks=(10, 10),
                     compression="gzip", shuffle=True, fillvalue=-1.0)
    ext = f.create_dataset("chunk_ext", shape=(0, 4), maxshape=(None, 4), chunks=(8, 4), dtype="<i4", fillvalue=7)
    ext.resize((30, 4))
    ext[:25] = np.arange(100, dtype="<i4").reshape(25, 4)
    bt2 = f.create_dataset("chunk_bt2", shape=(6, 6), maxshape=(None, None), chunks=(4, 4), dtype="<i8")
    bt2[:] = np.arange(36).reshape(6, 6)
    # virtual dataset over two sources in this file
    a = f.create_dataset("vsrc_a", data=np.arange(5, dtype="<i4"))
    b = f.create_dataset("vsrc_b", data=np.arange(5, 10, dtype="<i4"))
    lay = h5py.VirtualLayout(shape=(2, 5), dtype="<i4")
    lay[0] = h5py.VirtualSource(a)
    lay[1] = h5py.VirtualSource(b)
    f.create_virtual_dataset("virtual", lay, fillvalue=-1)


for lv in LIBVERS:
    name = f"libver-{lv}.h5"
    with h5py.File(os.path.join(OUT, name), "w", libver=lv) as f:
        content(f)
    files.append(name)


def dcpl_with(alloc_early=False, chunk=None):
    p = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
    if chunk:
        p.set_chunk(chunk)
    if alloc_early:
        p.set_alloc_time(h5py.h5d.ALLOC_TIME_EARLY)
    return p


# every chunk index (a low bound of v110 or later picks the index from maxshape / chunking / filters)
def chunk_indices(f):
    # single chunk: chunk == shape, fixed maxshape
    f.create_dataset("single", data=np.arange(20, dtype="<i4").reshape(4, 5), chunks=(4, 5))
    f.create_dataset("single_gzip", data=np.arange(20, dtype="<i4").reshape(4, 5), chunks=(4, 5), compression="gzip")
    # implicit: fixed maxshape, no filters, early allocation
    f.create_dataset("implicit", data=np.arange(40, dtype="<f4").reshape(8, 5), chunks=(2, 5), dcpl=dcpl_with(alloc_early=True, chunk=(2, 5)))
    # fixed array: fixed maxshape, several chunks, filtered
    f.create_dataset("fixed_array", data=np.arange(600, dtype="<i2").reshape(30, 20), chunks=(7, 6), compression="gzip", compression_opts=1)
    # fixed array, paged (more than 1024 chunks makes data-block pages)
    f.create_dataset("fixed_array_paged", data=np.arange(3000, dtype="<u1"), chunks=(2,))
    # extensible array: one unlimited dimension (also with many chunks: secondary blocks)
    e = f.create_dataset("ext_array", shape=(0,), maxshape=(None,), chunks=(3,), dtype="<i4", fillvalue=-9)
    e.resize((3000,))
    e[:2990] = np.arange(2990, dtype="<i4")
    # v2 B-tree: two unlimited dimensions
    t = f.create_dataset("btree2", shape=(0, 0), maxshape=(None, None), chunks=(3, 3), dtype="<f8", compression="gzip")
    t.resize((50, 40))
    t[:] = np.arange(2000, dtype="<f8").reshape(50, 40)
    # earliest-style v1 B-tree for comparison, in a libver earliest file below


# high bound v114: formats HDF5 1.14 reads; latest (v200 in HDF5 2.x): what current writers make
for name, bounds in [("chunk-index.h5", ("v110", "v114")), ("chunk-index-latest.h5", "latest")]:
    with h5py.File(os.path.join(OUT, name), "w", libver=bounds) as f:
        chunk_indices(f)
    files.append(name)

with h5py.File(os.path.join(OUT, "chunk-index-earliest.h5"), "w", libver="earliest") as f:
    f.create_dataset("btree1", data=np.arange(600, dtype="<i2").reshape(30, 20), chunks=(7, 6), compression="gzip")
    f.create_dataset("btree1_unlimited", data=np.arange(50, dtype="<i4"), chunks=(4,), maxshape=(None,))
files.append("chunk-index-earliest.h5")

# SWMR: an acquisition-style writer appends rows and flushes while readers may watch
path = os.path.join(OUT, "swmr.h5")
with h5py.File(path, "w", libver="latest") as f:
    ts = f.create_dataset("ts/data", shape=(0, 3), maxshape=(None, 3), chunks=(16, 3), dtype="<f4")
    t = f.create_dataset("ts/timestamps", shape=(0,), maxshape=(None,), chunks=(16,), dtype="<f8")
    f.attrs["writer"] = "swmr"
    f.swmr_mode = True
    for k in range(10):
        n = ts.shape[0]
        ts.resize((n + 7, 3))
        ts[n:] = np.arange(n * 3, (n + 7) * 3, dtype="<f4").reshape(7, 3)
        t.resize((n + 7,))
        t[n:] = np.arange(n, n + 7) / 30.0
        ts.flush()
        t.flush()
files.append("swmr.h5")

# paged file space aggregation (fs_strategy page), persistent free space
with h5py.File(os.path.join(OUT, "paged.h5"), "w", libver="latest", fs_strategy="page", fs_persist=True, fs_page_size=4096) as f:
    f.create_dataset("a", data=np.arange(5000, dtype="<i4"), chunks=(500,))
    f.create_dataset("b", data=np.arange(10, dtype="<f8"))
    del f["b"]
    f.create_dataset("c", data=["x", "yy"], dtype=h5py.string_dtype())
    g = f.create_group("g")
    for i in range(12):
        g.attrs[f"k{i}"] = i
files.append("paged.h5")

print(json.dumps({"files": files, "h5py": h5py.__version__, "hdf5": h5py.version.hdf5_version}))
