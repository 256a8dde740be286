"""Twin of bench/nwb.ts: the same TimeSeries through pynwb (HDF5) or hdmf-zarr (Zarr).
Usage: python nwb_py.py hdf5|zarr MB OUT ; prints one JSON line."""
import json
import resource
import sys
import time
import warnings
from datetime import datetime, timezone

import numpy as np

warnings.filterwarnings("ignore")
from hdmf.data_utils import GenericDataChunkIterator  # noqa: E402
from pynwb import NWBFile, NWBHDF5IO, TimeSeries  # noqa: E402

COLS, CHUNK = 64, 8192


def walk_base(n):
    """bench/nwb.ts's walk: steps from murmur3's 32-bit finaliser of the index, summed in order (same bytes)."""
    h = np.arange(n, dtype=np.uint32)
    h = (h ^ (h >> 16)) * np.uint32(0x85EBCA6B)
    h = (h ^ (h >> 13)) * np.uint32(0xC2B2AE35)
    h = h ^ (h >> 16)
    return np.add.accumulate(h / 4294967296.0 - 0.5)


class Walk(GenericDataChunkIterator):
    def __init__(self, rows):
        self.rows = rows
        self.base = walk_base(CHUNK * 4 * COLS).reshape(CHUNK * 4, COLS)
        super().__init__(chunk_shape=(CHUNK, COLS), buffer_shape=(CHUNK * 4, COLS), display_progress=False)

    def _get_data(self, selection):
        r0, r1 = selection[0].start, selection[0].stop
        return self.base[: r1 - r0] + r0 // (CHUNK * 4)

    def _get_maxshape(self):
        return (self.rows, COLS)

    def _get_dtype(self):
        return np.dtype("float64")


backend, mb, out = sys.argv[1], float(sys.argv[2]), sys.argv[3]
rows = max(CHUNK, int(mb * 1024 * 1024 / 8 / COLS / CHUNK) * CHUNK)
nwbfile = NWBFile(session_description="bench", identifier="bench", session_start_time=datetime(2024, 1, 2, tzinfo=timezone.utc))
t0 = time.perf_counter()
if backend == "zarr":
    import numcodecs
    from hdmf_zarr import ZarrDataIO
    from hdmf_zarr.nwb import NWBZarrIO
    data = ZarrDataIO(data=Walk(rows), chunks=(CHUNK, COLS), compressor=numcodecs.Zlib(level=4))
    io_cls = NWBZarrIO
else:
    from hdmf.backends.hdf5.h5_utils import H5DataIO
    data = H5DataIO(data=Walk(rows), chunks=(CHUNK, COLS), compression="gzip", compression_opts=4)
    io_cls = NWBHDF5IO
nwbfile.add_acquisition(TimeSeries(name="walk", data=data, unit="V", rate=30000.0))
with io_cls(out, mode="w") as io:
    io.write(nwbfile)
seconds = time.perf_counter() - t0
print(json.dumps({"bench": "nwb", "impl": "pynwb" if backend == "hdf5" else "hdmf-zarr", "backend": backend,
                  "mb": rows * COLS * 8 / 1e6, "seconds": seconds, "peakRssMb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))
