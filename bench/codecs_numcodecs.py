"""numcodecs side of bench/codecs.ts: encode + decode the same chunks, report seconds and sizes as JSON.

Each codec runs on one thread ("one": numcodecs' Blosc set to 1 thread, the others have no
threads), and the Blosc codecs run again with Blosc's default thread count ("threads"), as a
Python user gets them."""
import json
import sys
import time

import numpy as np
import numcodecs
from numcodecs import blosc

path, chunk_bytes = sys.argv[1], int(sys.argv[2])
data = np.fromfile(path, dtype="<f8")
n = chunk_bytes // 8
chunks = [data[i:i + n] for i in range(0, len(data), n)]
CODECS = [
    ("blosc-lz4", numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)),
    ("blosc-zstd", numcodecs.Blosc(cname="zstd", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)),
    ("zstd-3", numcodecs.Zstd(level=3)),
    ("lz4", numcodecs.LZ4(acceleration=1)),
    ("zlib-4", numcodecs.Zlib(level=4)),
]


def run(codec):
    t, c = time.perf_counter(), time.process_time()
    enc = [codec.encode(x) for x in chunks]
    te, ce = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    dec = [codec.decode(e) for e in enc]
    td, cd = time.perf_counter() - t, time.process_time() - c
    assert np.array_equal(np.frombuffer(dec[0], dtype="<f8"), chunks[0])
    return {"encode_s": te, "decode_s": td, "encode_cpu_s": ce, "decode_cpu_s": cd,
            "bytes_in": int(data.nbytes), "bytes_out": int(sum(len(e) for e in enc))}


default_threads = blosc.get_nthreads() if hasattr(blosc, "get_nthreads") else None
out = {"blosc_nthreads": default_threads, "numcodecs": numcodecs.__version__, "one": {}, "threads": {}}
blosc.set_nthreads(1)
for name, codec in CODECS:
    out["one"][name] = run(codec)
if default_threads:
    blosc.set_nthreads(default_threads)
for name, codec in CODECS:
    out["threads"][name] = run(codec) if name.startswith("blosc") else out["one"][name]
print(json.dumps(out))
