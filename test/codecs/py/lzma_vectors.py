#!/usr/bin/env python3
"""numcodecs LZMA vectors, for test/codecs/lzma.test.ts.

    python3 lzma_vectors.py encode          # {"numcodecs", "data", "cases": [{"config", "encoded"}]}
    python3 lzma_vectors.py decode < in     # in: {"data", "cases": [{"config", "encoded"}]} -> [bool, ...]

Every container and filter chain numcodecs' LZMA encodes with: xz (each check, presets incl.
PRESET_EXTREME, a delta + LZMA2 chain), alone, raw LZMA2 / LZMA1 / delta + LZMA2 / x86 + LZMA2 with
explicit properties. Configs are printed as numcodecs stores them (FILTER_LZMA1 is 2^62 + 1).
"""
import base64
import json
import lzma
import sys

import numpy as np
import numcodecs
from numcodecs import LZMA

CONFIGS = [
    {}, {"preset": 1}, {"preset": 9 | lzma.PRESET_EXTREME}, {"check": lzma.CHECK_NONE}, {"check": lzma.CHECK_CRC32},
    {"check": lzma.CHECK_SHA256}, {"format": lzma.FORMAT_ALONE}, {"format": lzma.FORMAT_ALONE, "preset": 2},
    {"format": lzma.FORMAT_XZ, "filters": [{"id": lzma.FILTER_DELTA, "dist": 4}, {"id": lzma.FILTER_LZMA2, "preset": 1}]},
    {"format": lzma.FORMAT_RAW, "filters": [{"id": lzma.FILTER_LZMA2, "preset": 1}]},
    {"format": lzma.FORMAT_RAW, "filters": [{"id": lzma.FILTER_DELTA, "dist": 4}, {"id": lzma.FILTER_LZMA2, "preset": 1}]},
    {"format": lzma.FORMAT_RAW, "filters": [{"id": lzma.FILTER_LZMA1, "preset": 6}]},
    {"format": lzma.FORMAT_RAW, "filters": [{"id": lzma.FILTER_LZMA1, "dict_size": 1 << 16, "lc": 1, "lp": 2, "pb": 0}]},
    {"format": lzma.FORMAT_RAW, "filters": [{"id": lzma.FILTER_LZMA2, "preset": 3, "dict_size": 1 << 16, "lc": 2, "lp": 1, "pb": 1, "mode": lzma.MODE_NORMAL, "nice_len": 100, "mf": lzma.MF_BT3, "depth": 8}]},
    {"format": lzma.FORMAT_RAW, "filters": [{"id": lzma.FILTER_X86}, {"id": lzma.FILTER_LZMA2}]},
]
DATA = (np.arange(3000, dtype="<i4") * 7 % 301).tobytes()


def encode():
    cases = []
    for kw in CONFIGS:
        codec = LZMA(**kw)
        cases.append({"config": codec.get_config(), "encoded": base64.b64encode(codec.encode(DATA)).decode()})
    print(json.dumps({"numcodecs": numcodecs.__version__, "data": base64.b64encode(DATA).decode(), "cases": cases}))


def decode():
    req = json.load(sys.stdin)
    data = base64.b64decode(req["data"])
    out = []
    for case in req["cases"]:
        codec = numcodecs.get_codec(dict(case["config"]))
        try:
            out.append(bytes(codec.decode(base64.b64decode(case["encoded"]))) == data)
        except Exception as e:  # numcodecs cannot read it: report, the test says which
            out.append(f"{type(e).__name__}: {e}")
    print(json.dumps(out))


{"encode": encode, "decode": decode}[sys.argv[1]]()
