"""numcodecs side of bench/codecs.ts: encode + decode the same chunks, report seconds and sizes as JSON."""
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
out = {"blosc_nthreads": blosc.get_nthreads() if hasattr(blosc, "get_nthreads") else None, "numcodecs": numcodecs.__version__}
CODECS = [
    ("blosc-lz4", numcodecs.Blosc(cname="lz4", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)),
    ("blosc-zstd", numcodecs.Blosc(cname="zstd", clevel=5, shuffle=numcodecs.Blosc.SHUFFLE)),
    ("zstd-3", numcodecs.Zstd(level=3)),
    ("lz4", numcodecs.LZ4(acceleration=1)),
    ("zlib-4", numcodecs.Zlib(level=4)),
]
for name, codec in CODECS:
    t, c = time.perf_counter(), time.process_time()
    enc = [codec.encode(c) for c in chunks]
    te, ce = time.perf_counter() - t, time.process_time() - c
    t, c = time.perf_counter(), time.process_time()
    dec = [codec.decode(e) for e in enc]
    td, cd = time.perf_counter() - t, time.process_time() - c
    assert np.array_equal(np.frombuffer(dec[0], dtype="<f8"), chunks[0])
    out[name] = {"encode_s": te, "decode_s": td, "encode_cpu_s": ce, "decode_cpu_s": cd, "bytes_in": int(data.nbytes), "bytes_out": int(sum(len(e) for e in enc))}
print(json.dumps(out))
