"""Write one HDMF tree twice, without hdmf-ts: as HDF5 with h5py, and as a Zarr v3 store in the
unified NWB-Zarr convention with zarr-python 3, spelled as hdmf-zarr's docs/source/storage.rst
shows it (its `_LINKS`, `_DTYPE: "object_reference"`, `{"_REFERENCE": {...}}` and
`_REFERENCE_FIELDS` examples; compounds as numpy structured arrays whose text and reference
fields are fixed-length U strings of at least 512 characters, as backend.py writes them).

Usage (Debian sid: zarr-python 3.4, h5py 3.16 on HDF5 2.x): python3 unified_twin.py OUTDIR
Writes OUTDIR/twin.h5, OUTDIR/twin.zarr and the external-link targets OUTDIR/other.h5,
OUTDIR/other.zarr.
"""
import os
import sys

import h5py
import numpy as np
import zarr

out = sys.argv[1]
os.makedirs(out, exist_ok=True)
H5, ZR = os.path.join(out, "twin.h5"), os.path.join(out, "twin.zarr")
OTHER_H5, OTHER_ZR = os.path.join(out, "other.h5"), os.path.join(out, "other.zarr")

ids = np.array([10, 11, 12], dtype="int64")
data = np.array([0.5, -1.25, 3.0, 1e-3], dtype="float64")
names = ["alpha", "βeta"]
rows = [(0, 2, "/data"), (2, 2, "/data")]
ref_targets = ["/electrodes", "/data"]
ext_values = np.arange(6, dtype="int16")


def ref(path):
    return {"_REFERENCE": {"source": ".", "path": path}}


# ---- HDF5, with h5py --------------------------------------------------------------------
with h5py.File(OTHER_H5, "w") as f:
    f.create_dataset("values", data=ext_values)

with h5py.File(H5, "w") as f:
    f.attrs["namespace"] = "core"
    f.attrs["neurodata_type"] = "NWBFile"
    f.attrs["nwb_version"] = "2.7.0"
    e = f.create_group("electrodes")
    e.attrs["neurodata_type"] = "DynamicTable"
    e.attrs["colnames"] = np.array(["x"], dtype=h5py.string_dtype())
    e.attrs["description"] = "electrodes"
    e.create_dataset("id", data=ids)
    e.create_dataset("x", data=np.array([1.0, 2.0, 3.0]))
    d = f.create_dataset("data", data=data, chunks=(2,))
    d.attrs["table"] = e.ref
    d.attrs["unit"] = "volts"
    d.attrs["conversion"] = 1e-6
    f.create_dataset("scalar", data=np.float64(2.5))
    f.create_dataset("label", data="a scalar string", dtype=h5py.string_dtype())
    f.create_dataset("text", data=names, dtype=h5py.string_dtype())
    f.create_dataset("refs", data=[f[p].ref for p in ref_targets], dtype=h5py.ref_dtype)
    ct = np.dtype([("idx_start", "<i4"), ("count", "<i4"), ("timeseries", h5py.ref_dtype)])
    f.create_dataset("table", data=np.array([(a, b, f[p].ref) for a, b, p in rows], dtype=ct))
    g = f.create_group("group")
    g.attrs["description"] = "links live here"
    g["link"] = h5py.SoftLink("/data")
    g["glink"] = h5py.SoftLink("/electrodes")
    g["ext"] = h5py.ExternalLink("other.h5", "/values")

# ---- Zarr v3, unified convention, with zarr-python 3 -----------------------------------
o = zarr.open_group(OTHER_ZR, mode="w", zarr_format=3)
v = o.create_array("values", shape=ext_values.shape, dtype=ext_values.dtype, chunks=(6,))
v[:] = ext_values
v.attrs["_DTYPE"] = "int16"

r = zarr.open_group(ZR, mode="w", zarr_format=3)
r.attrs.update({"namespace": "core", "neurodata_type": "NWBFile", "nwb_version": "2.7.0"})
e = r.create_group("electrodes")
e.attrs.update({"neurodata_type": "DynamicTable", "colnames": ["x"], "description": "electrodes"})
a = e.create_array("id", shape=(3,), dtype="int64", chunks=(3,))
a[:] = ids
a.attrs["_DTYPE"] = "int64"
a = e.create_array("x", shape=(3,), dtype="float64", chunks=(3,))
a[:] = [1.0, 2.0, 3.0]
a.attrs["_DTYPE"] = "float64"
a = r.create_array("data", shape=(4,), dtype="float64", chunks=(2,))
a[:] = data
a.attrs.update({"_DTYPE": "float64", "table": ref("/electrodes"), "unit": "volts", "conversion": 1e-6})
a = r.create_array("scalar", shape=(), dtype="float64")
a[()] = 2.5
a.attrs["_DTYPE"] = "float64"
a = r.create_array("label", shape=(), dtype=str)
a[()] = "a scalar string"
a.attrs["_DTYPE"] = "str"
a = r.create_array("text", shape=(2,), dtype=str, chunks=(2,))
a[:] = np.array(names, dtype=object)
a.attrs["_DTYPE"] = "str"
a = r.create_array("refs", shape=(2,), dtype=str, chunks=(2,))
a[:] = np.array(ref_targets, dtype=object)
a.attrs["_DTYPE"] = "object_reference"
st = np.dtype([("idx_start", "<i4"), ("count", "<i4"), ("timeseries", "<U512")])
a = r.create_array("table", shape=(2,), dtype=st, chunks=(2,))
a[:] = np.array(rows, dtype=st)
a.attrs["_REFERENCE_FIELDS"] = ["timeseries"]
g = r.create_group("group")
g.attrs["description"] = "links live here"
g.attrs["_LINKS"] = [
    {"name": "link", "source": ".", "path": "/data"},
    {"name": "glink", "source": ".", "path": "/electrodes"},
    {"name": "ext", "source": "../other.zarr", "path": "/values"},
]
zarr.consolidate_metadata(ZR)
print("ok")
