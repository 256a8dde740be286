"""Rewrite NWB HDF5 files (written by pynwb) as Zarr v3 stores in the unified NWB-Zarr convention,
without hdmf-ts: h5py walks each file, zarr-python 3 writes each node spelled as hdmf-zarr's
docs/source/storage.rst says, and as its v3 backend.py writes it where the doc is silent:

- groups are groups, datasets arrays, attributes attributes (reserved names only where the doc
  puts them);
- soft and external links are `_LINKS` entries `{name, source, path}` on the parent group; an
  external link's `source` is the target store relative to the linking store's own folder
  (backend.py `_create_ref`: `os.path.relpath(target, self.path)`), so a sibling is `../x.zarr`;
- object-reference datasets are `string` arrays of target paths with `_DTYPE: "object_reference"`;
- reference attributes are `{"_REFERENCE": {"source": ".", "path": ...}}`;
- compounds use the structured (`struct`) data type, text and reference fields as fixed `U`
  strings of at least 512 characters (COMPOUND_DTYPE_MIN_STRING_LENGTH), reference fields listed
  in `_REFERENCE_FIELDS` and holding plain target paths; no `_DTYPE` on compounds;
- every other dataset has `_DTYPE` (backend.py `__serial_dtype__`: `float64`, `int32`, `bool`,
  `str` for all text);
- scalars are 0-d arrays;
- the cached specs stay in `/specifications/<ns>/<version>/<file>` as backend.py's
  ZarrSpecWriter writes them (`[1]`-shaped `string` arrays with `_SCALAR: true`), and the root's
  `.specloc` is the string `"specifications"`;
- metadata is consolidated into the root `zarr.json`.

Usage (Debian sid: zarr-python 3, h5py): python3 nwb_to_unified_v3.py OUTDIR FILE.nwb... \
    [--wrong-ref NODE=TARGET]...
Each FILE.nwb becomes OUTDIR/FILE.nwb.zarr. An external link must point at one of the FILEs given.
--wrong-ref writes TARGET instead of the first reference of NODE (a dataset path, or
DATASET_OR_GROUP@ATTRIBUTE): a deliberately wrong store, to show a reader's comparison catches it.
"""
import argparse
import json
import os

import h5py
import numpy as np
import zarr

MIN_STRING = 512  # backend.py COMPOUND_DTYPE_MIN_STRING_LENGTH
SPEC_LOC = "specifications"  # backend.py DEFAULT_SPEC_LOC_DIR

parser = argparse.ArgumentParser()
parser.add_argument("out")
parser.add_argument("files", nargs="+")
parser.add_argument("--wrong-ref", action="append", default=[])
args = parser.parse_args()
wrong = dict(w.split("=", 1) for w in args.wrong_ref)
used = set()
stores = {os.path.basename(f): os.path.join(args.out, os.path.basename(f) + ".zarr") for f in args.files}


def target_path(h5, ref, node):
    """The path a reference points at ("" for a null reference), or the --wrong-ref override."""
    if node in wrong and node not in used:
        used.add(node)
        return wrong[node]
    if not ref:
        return ""
    name = h5[ref].name
    if name is None:
        raise SystemExit(f"{node}: reference to an anonymous object")
    return name


def text(v):
    return v.decode("utf-8") if isinstance(v, (bytes, np.bytes_)) else v


def attr_value(h5, node, key, v):
    """An HDF5 attribute as JSON, the way backend.py write_attributes spells it."""
    if isinstance(v, h5py.RegionReference):
        raise SystemExit(f"{node}@{key}: region references have no unified-convention form")
    if isinstance(v, h5py.Reference):
        return {"_REFERENCE": {"source": ".", "path": target_path(h5, v, f"{node}@{key}")}}
    if isinstance(v, np.ndarray):
        if v.dtype.kind == "O" and v.size and isinstance(v.flat[0], h5py.Reference):
            return [attr_value(h5, node, key, x) for x in v.tolist()]
        return [text(x) for x in v.tolist()] if v.ndim else text(v.item())
    if isinstance(v, np.generic):
        return text(v.item())
    return text(v)


def serial_dtype(dt):
    """backend.py __serial_dtype__: the numpy type's name; text is `str`."""
    return "str" if h5py.check_string_dtype(dt) is not None else dt.type.__name__


def chunks_of(ds):
    return {"chunks": ds.chunks} if ds.chunks and ds.ndim else {}


def write_compound(h5, parent, name, ds):
    dt = ds.dtype
    raw = ds[()]
    rows = raw if ds.ndim else raw.reshape(1)
    fields, refs, columns = [], [], {}
    for f in dt.names:
        ft = dt[f]
        if h5py.check_ref_dtype(ft) is h5py.RegionReference:
            raise SystemExit(f"{ds.name}.{f}: region references have no unified-convention form")
        if h5py.check_ref_dtype(ft) is h5py.Reference:
            refs.append(f)
            columns[f] = [target_path(h5, r, ds.name) for r in rows[f]]
        elif h5py.check_string_dtype(ft) is not None:
            columns[f] = [text(x) for x in rows[f]]
        else:
            fields.append((f, ft))
            continue
        width = max([MIN_STRING, *(len(s) for s in columns[f])])
        fields.append((f, f"<U{width}"))
    out_dt = np.dtype([(f, t) for f, t in fields])
    data = np.empty(len(rows), dtype=out_dt)
    for f in dt.names:
        data[f] = columns[f] if f in columns else rows[f]
    a = parent.create_array(name, shape=ds.shape, dtype=out_dt, **chunks_of(ds))
    a[...] = data if ds.ndim else data[0]
    if refs:
        a.attrs["_REFERENCE_FIELDS"] = refs
    return a


def write_dataset(h5, parent, name, ds, in_specs):
    dt = ds.dtype
    if dt.names is not None:
        return write_compound(h5, parent, name, ds)
    kind = h5py.check_ref_dtype(dt)
    if kind is h5py.RegionReference:
        raise SystemExit(f"{ds.name}: region references have no unified-convention form")
    if kind is h5py.Reference:
        paths = [target_path(h5, r, ds.name) for r in np.ravel(ds[()])]
        a = parent.create_array(name, shape=ds.shape, dtype=str, **chunks_of(ds))
        a[...] = np.array(paths, dtype=object).reshape(ds.shape)
        a.attrs["_DTYPE"] = "object_reference"
        return a
    if h5py.check_string_dtype(dt) is not None:
        values = ds.asstr()[()]
        if in_specs:  # ZarrSpecWriter: require_array(shape=(1,), dtype=StringDType()), _SCALAR
            a = parent.create_array(name, shape=(1,), dtype=str)
            a[0] = values if ds.ndim == 0 else values[0]
            a.attrs["_SCALAR"] = True
            return a
        a = parent.create_array(name, shape=ds.shape, dtype=str, **chunks_of(ds))
        a[...] = np.array(values, dtype=object)
        a.attrs["_DTYPE"] = "str"
        return a
    a = parent.create_array(name, shape=ds.shape, dtype=dt, **chunks_of(ds))
    if ds.size:
        a[...] = ds[()]
    a.attrs["_DTYPE"] = serial_dtype(dt)
    return a


def write_attrs(h5, obj, node, zobj):
    attrs = {}
    for k, v in obj.attrs.items():
        if node == "/" and k == ".specloc":
            attrs[k] = SPEC_LOC  # backend.py __cache_spec writes the group's name, not a reference
        else:
            attrs[k] = attr_value(h5, node, k, v)
    zobj.attrs.update(attrs)


def link_source(src_file, link):
    """`_LINKS` source: "." inside the file; else the target store relative to this store."""
    if isinstance(link, h5py.SoftLink):
        return "."
    target = os.path.basename(link.filename)
    if target not in stores:
        raise SystemExit(f"external link to {link.filename}: convert that file too")
    return os.path.relpath(os.path.abspath(stores[target]), os.path.abspath(stores[src_file]))


def write_group(h5, src_file, g, zg, in_specs=False):
    links = []
    for name in g:
        link = g.get(name, getlink=True)
        if isinstance(link, (h5py.SoftLink, h5py.ExternalLink)):
            links.append({"name": name, "source": link_source(src_file, link), "path": link.path})
            continue
        child = g[name]
        specs = in_specs or child.name == "/" + SPEC_LOC
        if isinstance(child, h5py.Group):
            write_group(h5, src_file, child, zg.create_group(name), specs)
        else:
            write_attrs(h5, child, child.name, write_dataset(h5, zg, name, child, specs))
    write_attrs(h5, g, g.name, zg)
    if links:
        zg.attrs["_LINKS"] = links


os.makedirs(args.out, exist_ok=True)
for path in args.files:
    name = os.path.basename(path)
    with h5py.File(path, "r") as h5:
        root = zarr.open_group(stores[name], mode="w", zarr_format=3)
        write_group(h5, name, h5, root)
    zarr.consolidate_metadata(stores[name])
missing = set(wrong) - used
if missing:
    raise SystemExit(f"--wrong-ref for nodes holding no reference: {sorted(missing)}")
print(json.dumps({"stores": sorted(stores.values())}))
