"""Encode one buffer with numcodecs configs whose encode-only parameters lie outside hdmf-ts's
write range; print {json(config): base64 | null (numcodecs refuses it)} and the raw data."""
import base64, json, sys
import numpy as np, numcodecs

data = (np.arange(4000, dtype="<i4") % 97).tobytes()
CONFIGS = [
    {"id": "gzip", "level": -1}, {"id": "zlib", "level": -1}, {"id": "zstd", "level": 100}, {"id": "zstd", "level": -7},
    {"id": "zstd", "level": 23}, {"id": "blosc", "cname": "lz4", "clevel": 12, "shuffle": 1, "blocksize": 0},
    {"id": "blosc", "cname": "zstd", "clevel": -1, "shuffle": 1, "blocksize": 0},
    {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 1, "blocksize": 100},
    {"id": "blosc", "cname": "lz4", "clevel": 5, "shuffle": 7, "blocksize": 0},
    {"id": "lz4", "acceleration": -10}, {"id": "lz4", "acceleration": 100000}, {"id": "bz2", "level": 0},
]
out = {}
for c in CONFIGS:
    try:
        out[json.dumps(c, sort_keys=True)] = base64.b64encode(numcodecs.get_codec(dict(c)).encode(data)).decode()
    except Exception:
        out[json.dumps(c, sort_keys=True)] = None
print(json.dumps({"numcodecs": numcodecs.__version__, "data": base64.b64encode(data).decode(), "encoded": out}))
