"""Reference side of the codec tests: Debian's numcodecs 0.11, h5py 3.7 and hdf5plugin.

Reads one JSON request on stdin, writes one JSON reply on stdout. Bytes travel as base64.
Commands (argv[1]):
  encode   cases [{config, dtype, shape, data|objects}] -> [{enc, dec}]   (dec = decode(enc), raw bytes or objects)
  decode   cases [{config, dtype, shape, enc}]            -> [{dec}]        (or {error})
  h5chunks {file, datasets:[path]}                        -> per dataset filters, dtype, chunks, first chunks raw + values
  h5write  {dir, cases:[{name, dtype, shape, chunks, filters:[{id, opts}], chunks_data:[{offset, mask, b64}]}]} -> values
  pickles  {dir}                                          -> malicious pickles (made, never loaded)
"""
import base64
import json
import os
import pickle
import sys

import numpy as np
import numcodecs


def b64(b):
    return base64.b64encode(bytes(b)).decode()


def unb64(s):
    return base64.b64decode(s)


def to_jsonable(v):
    if isinstance(v, bytes):
        return {"$bytes": b64(v)}
    if isinstance(v, np.ndarray):
        return [to_jsonable(x) for x in v.tolist()]
    if isinstance(v, (list, tuple)):
        return [to_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {str(k): to_jsonable(x) for k, x in v.items()}
    if isinstance(v, np.generic):
        return v.item()
    return v


def from_jsonable(v):
    if isinstance(v, dict) and "$bytes" in v:
        return unb64(v["$bytes"])
    if isinstance(v, list):
        return [from_jsonable(x) for x in v]
    if isinstance(v, dict):
        return {k: from_jsonable(x) for k, x in v.items()}
    return v


def make_array(case):
    if "objects" in case:
        arr = np.empty(len(case["objects"]), dtype=object)
        for i, v in enumerate(case["objects"]):
            v = from_jsonable(v)
            if case["config"]["id"] == "vlen-array":
                v = np.array(v, dtype=case.get("item_dtype", "<i4"))
            arr[i] = v
        return arr.reshape(case.get("shape", [len(case["objects"])]))
    return np.frombuffer(unb64(case["data"]), dtype=case["dtype"]).reshape(case["shape"]).copy()


def decoded_payload(codec, dec, case):
    if "objects" in case or case["config"]["id"] in ("pickle", "json2", "vlen-utf8", "vlen-bytes", "vlen-array"):
        return {"objects": to_jsonable(np.asarray(dec, dtype=object).ravel().tolist() if not isinstance(dec, list) else dec)}
    arr = np.asarray(dec)
    if case["config"]["id"] in ("delta", "fixedscaleoffset", "quantize", "astype", "bitround", "packbits"):
        arr = arr.view(case["dtype"]) if arr.dtype.itemsize == 1 and np.dtype(case["dtype"]).itemsize == 1 else arr
    return {"dec": b64(np.ascontiguousarray(arr).view("u1").tobytes())}


def cmd_encode(req):
    out = []
    for case in req["cases"]:
        try:
            codec = numcodecs.get_codec(dict(case["config"]))
            arr = make_array(case)
            enc = codec.encode(arr)
            enc_b = bytes(np.ascontiguousarray(enc).view("u1").tobytes()) if isinstance(enc, np.ndarray) else bytes(enc)
            dec = codec.decode(enc_b)
            if case["config"]["id"] in ("delta", "fixedscaleoffset", "quantize", "astype"):
                dec = np.asarray(dec).view(case["dtype"])
            r = {"enc": b64(enc_b)}
            r.update(decoded_payload(codec, dec, case))
            out.append(r)
        except Exception as e:  # reported, the TS side fails the case
            out.append({"error": "%s: %s" % (type(e).__name__, e)})
    return out


def cmd_decode(req):
    out = []
    for case in req["cases"]:
        try:
            codec = numcodecs.get_codec(dict(case["config"]))
            dec = codec.decode(unb64(case["enc"]))
            if case["config"]["id"] in ("delta", "fixedscaleoffset", "quantize", "astype"):
                dec = np.asarray(dec).view(case["dtype"])
            out.append(decoded_payload(codec, dec, case))
        except Exception as e:
            out.append({"error": "%s: %s" % (type(e).__name__, e)})
    return out


def cmd_h5chunks(req):
    import h5py
    import hdf5plugin  # noqa: F401  (registers the plugin filters)
    out = {}
    with h5py.File(req["file"], "r") as f:
        for path in req["datasets"]:
            d = f[path]
            pl = d.id.get_create_plist()
            filters = []
            for i in range(pl.get_nfilters()):
                fid, flags, vals, name = pl.get_filter(i)
                filters.append({"id": fid, "flags": flags, "cdValues": list(vals), "name": name.decode(errors="replace")})
            chunks = []
            n = d.id.get_num_chunks()
            for i in range(min(n, req.get("max_chunks", 3))):
                info = d.id.get_chunk_info(i)
                mask, raw = d.id.read_direct_chunk(info.chunk_offset)
                sel = tuple(slice(o, min(o + c, s)) for o, c, s in zip(info.chunk_offset, d.chunks, d.shape))
                region = d[sel]
                full = np.full(d.chunks, d.fillvalue, dtype=d.dtype)
                full[tuple(slice(0, r) for r in region.shape)] = region
                chunks.append({"offset": list(info.chunk_offset), "mask": mask, "raw": b64(raw),
                               "values": b64(np.ascontiguousarray(full.astype(d.dtype.newbyteorder("<"))).view("u1").tobytes())})
            out[path] = {"filters": filters, "dtype": d.dtype.str, "itemsize": d.dtype.itemsize, "chunks": list(d.chunks), "chunk_data": chunks}
    return out


def cmd_h5write(req):
    """Create a dataset with exactly the given filters, write our chunks with write_direct_chunk, read back."""
    import h5py
    import hdf5plugin  # noqa: F401
    out = {}
    for case in req["cases"]:
        fn = os.path.join(req["dir"], case["name"] + ".h5")
        try:
            with h5py.File(fn, "w") as f:
                dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
                dcpl.set_chunk(tuple(case["chunks"]))
                for flt in case["filters"]:
                    dcpl.set_filter(flt["id"], flt["flags"], tuple(flt["cdValues"]))
                space = h5py.h5s.create_simple(tuple(case["shape"]))
                tid = h5py.h5t.py_create(np.dtype(case["dtype"]))
                dsid = h5py.h5d.create(f.id, b"data", tid, space, dcpl=dcpl)
                for ch in case["chunk_data"]:
                    dsid.write_direct_chunk(tuple(ch["offset"]), unb64(ch["b64"]), ch.get("mask", 0))
            with h5py.File(fn, "r") as f:
                d = f["data"]
                vals = d[tuple(slice(0, c) for c in case["chunks"])]
            out[case["name"]] = {"values": b64(np.ascontiguousarray(vals.astype(vals.dtype.newbyteorder("<"))).view("u1").tobytes())}
        except Exception as e:
            out[case["name"]] = {"error": "%s: %s" % (type(e).__name__, e)}
    return out


def cmd_h5make(req):
    """A file with scaleoffset and nbit datasets (decode-only filters), made by h5py."""
    import h5py
    fn = req["file"]
    rng = np.random.default_rng(5)
    with h5py.File(fn, "w") as f:
        ints = (np.cumsum(rng.integers(-5, 6, 400)) + 1000).astype("<i4").reshape(40, 10)
        f.create_dataset("so_int", data=ints, chunks=(20, 10), scaleoffset=0)
        f.create_dataset("so_int_fill", data=np.where(ints % 7 == 0, -1, ints).astype("<i2"), chunks=(20, 10), scaleoffset=0, fillvalue=-1)
        f.create_dataset("so_u16_bits", data=(ints - ints.min()).astype("<u2"), chunks=(20, 10), scaleoffset=10)
        f.create_dataset("so_f8", data=np.cumsum(rng.random(400) - 0.5).reshape(40, 10), chunks=(20, 10), scaleoffset=3)
        f.create_dataset("so_f4", data=(np.cumsum(rng.random(400) - 0.5) * 10).astype("<f4").reshape(40, 10), chunks=(20, 10), scaleoffset=2)
        f.create_dataset("so_be_i4", data=ints.astype(">i4"), chunks=(20, 10), scaleoffset=0)
        # N-bit: a 32-bit integer type with 12 bits of precision at offset 4
        tid = h5py.h5t.STD_U32LE.copy()
        tid.set_precision(12)
        tid.set_offset(4)
        vals = rng.integers(0, 4096, 400).astype("<u4").reshape(40, 10)
        space = h5py.h5s.create_simple((40, 10))
        dcpl = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl.set_chunk((20, 10))
        dcpl.set_filter(5, 1, ())
        dsid = h5py.h5d.create(f.id, b"nbit_u32", tid, space, dcpl=dcpl)
        dsid.write(h5py.h5s.ALL, h5py.h5s.ALL, vals)
        # N-bit on a plain float64 (full precision: the filter's no-op path) and an int16
        f.create_dataset("nbit_i2", data=ints.astype("<i2"), chunks=(20, 10), compression=None)
        dcpl2 = h5py.h5p.create(h5py.h5p.DATASET_CREATE)
        dcpl2.set_chunk((20, 10))
        dcpl2.set_filter(5, 1, ())
        t2 = h5py.h5t.STD_I16LE.copy()
        t2.set_precision(14)
        d2 = h5py.h5d.create(f.id, b"nbit_i16p14", t2, h5py.h5s.create_simple((40, 10)), dcpl=dcpl2)
        d2.write(h5py.h5s.ALL, h5py.h5s.ALL, (ints % 8000).astype("<i2"))
    return {"file": fn}


def cmd_pickles(req):
    """Build hostile pickles without ever loading one."""
    marker = os.path.join(req["dir"], "PWNED")

    class Sys:
        def __reduce__(self):
            return (os.system, ("touch " + marker,))

    class Ev:
        def __reduce__(self):
            import builtins
            return (builtins.eval, ("open(%r, 'w').write('x')" % marker,))

    out = {}
    for proto in (2, 3, 4, 5):
        out["os_system_p%d" % proto] = b64(pickle.dumps(Sys(), protocol=proto))
        out["eval_p%d" % proto] = b64(pickle.dumps(Ev(), protocol=proto))
        arr = np.empty(2, dtype=object)
        arr[0] = "ok"
        arr[1] = Sys()
        out["nested_in_array_p%d" % proto] = b64(pickle.dumps(arr, protocol=proto))
    return {"marker": marker, "pickles": out}


def main():
    cmd = sys.argv[1]
    req = json.loads(sys.stdin.read() or "{}")
    res = {"encode": cmd_encode, "decode": cmd_decode, "h5chunks": cmd_h5chunks, "h5write": cmd_h5write, "h5make": cmd_h5make, "pickles": cmd_pickles}[cmd](req)
    sys.stdout.write(json.dumps(res))


if __name__ == "__main__":
    main()
