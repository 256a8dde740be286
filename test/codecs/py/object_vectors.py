#!/usr/bin/env python3
"""numcodecs MsgPack (msgpack2) and Base64 vectors, for test/codecs/msgpack-base64.test.ts.

    python3 object_vectors.py encode          # {"numcodecs", "cases": [{"config", "shape", "values", "encoded"}], ...}
    python3 object_vectors.py decode < in     # in: {"cases": [{"config", "shape", "encoded"}]} -> [values, ...]

Values travel as JSON with bytes as {"$bytes": base64}; integers keep every digit.
"""
import base64
import json
import sys

import msgpack
import numpy as np
import numcodecs

# bytes as {"$bytes": base64}, arrays as lists: the one encoding the codec tests' Python side uses
from numcodecs_helper import from_jsonable as untag, to_jsonable as tag


def obj(values, shape):
    a = np.empty(len(values), dtype=object)
    for i, v in enumerate(values):
        a[i] = v
    return a.reshape(shape)


MIXED = [{"a": 1, "b": [1, 2.5]}, [1, "x", None], "s", 3.5, None, True, 2 ** 62, -(2 ** 63), 2 ** 64 - 1, -7, "日本", b"\x00\xffraw"]
TEXT = ["", "a", "héllo", "日本語", "x" * 40, "tab\t"]
CASES = [
    ({"id": "msgpack2"}, MIXED, [12]),
    ({"id": "msgpack2"}, TEXT, [2, 3]),
    ({"id": "msgpack2", "raw": True}, TEXT, [6]),
    ({"id": "msgpack2", "use_bin_type": False}, ["a", "bc"], [2]),
    ({"id": "msgpack2", "use_single_float": True}, [0.5, -2.25, 1e10], [3]),
]


def full(config):
    c = {"id": "msgpack2", "raw": False, "use_bin_type": True, "use_single_float": False}
    c.update(config)
    return c


def encode():
    cases = []
    for config, values, shape in CASES:
        codec = numcodecs.get_codec(full(config))
        enc = codec.encode(obj(values, shape))
        back = codec.decode(enc).reshape(-1).tolist()
        cases.append({"config": codec.get_config(), "shape": shape, "values": tag(back), "encoded": base64.b64encode(enc).decode()})
    # numcodecs < 0.6 "msgpack": msgpack.packb(items + [dtype.str], encoding="utf-8") = text as msgpack raw (str) type
    legacy = base64.b64encode(msgpack.packb(TEXT + ["|O"], use_bin_type=False)).decode()
    data = (np.arange(100, dtype="<i4") * 3).tobytes()
    b64 = numcodecs.Base64()
    print(json.dumps({"numcodecs": numcodecs.__version__, "cases": cases, "legacy": {"values": TEXT, "encoded": legacy},
                      "base64": {"data": base64.b64encode(data).decode(), "encoded": base64.b64encode(b64.encode(data)).decode()}}))


def decode():
    req = json.load(sys.stdin)
    out = []
    for case in req["cases"]:
        codec = numcodecs.get_codec(dict(case["config"]))
        dec = codec.decode(base64.b64decode(case["encoded"]))
        out.append({"shape": list(dec.shape), "values": tag(dec.reshape(-1).tolist())})
    b = req["base64"]
    out.append(bytes(numcodecs.Base64().decode(base64.b64decode(b["encoded"]))) == base64.b64decode(b["data"]))
    print(json.dumps(out))


{"encode": encode, "decode": decode}[sys.argv[1]]()
