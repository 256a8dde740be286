"""Make the remote bench's NWB HDF5 file once (pynwb, oracle venv): one large int16 acquisition
TimeSeries (rows x 32, 2 MiB chunks, uncompressed), plus 40 small
TimeSeries in a processing module and a Units table, so the file has real metadata to open.

    python bench/remote_make.py OUT.nwb MEGABYTES
"""
import sys
from datetime import datetime, timezone

import numpy as np
from hdmf.backends.hdf5.h5_utils import H5DataIO
from pynwb import NWBHDF5IO, NWBFile, TimeSeries

out, mb = sys.argv[1], int(sys.argv[2])
cols = 32
rows = mb * 1024 * 1024 // (2 * cols)
block = 32768  # rows per chunk: 32768 x 32 x 2 B = 2 MiB


data = np.random.default_rng(17).integers(-2000, 2000, size=(rows, cols), dtype=np.int16)


nwb = NWBFile(session_description="remote bench", identifier="remote-bench", session_start_time=datetime(2026, 1, 1, tzinfo=timezone.utc))
nwb.add_acquisition(TimeSeries(name="raw", data=H5DataIO(data, chunks=(block, cols)), unit="uV", rate=30000.0))
mod = nwb.create_processing_module("behavior", "small series")
for i in range(40):
    mod.add(TimeSeries(name=f"series_{i:02d}", data=np.arange(1000, dtype=np.float64) * i, unit="m", rate=100.0, description=f"small series {i}"))
for u in range(20):
    nwb.add_unit(spike_times=np.sort(np.random.default_rng(u).uniform(0, 100, 50)))
with NWBHDF5IO(out, "w") as io:
    io.write(nwb)
