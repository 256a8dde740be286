"""bench/export.ts helper: make the input NWB file, and run hdmf-zarr / pynwb exports (timed, peak RSS)."""
import json, resource, sys, time
import numpy as np


def make(path, mb):
    from datetime import datetime, timezone
    from pynwb import NWBFile, NWBHDF5IO, TimeSeries
    from hdmf.data_utils import GenericDataChunkIterator
    from pynwb import H5DataIO
    rows = int(mb * 1024 * 1024 / (64 * 2))

    class Gen(GenericDataChunkIterator):
        def _get_data(self, selection):
            r0 = selection[0].start or 0
            n = (selection[0].stop or rows) - r0
            t = np.arange(r0, r0 + n)[:, None]
            noise = np.random.default_rng(r0).integers(-40, 40, size=(n, 64))
            return (1000 * np.sin(t / 50.0 + np.arange(64)[None, :]) + noise).astype("int16")
        def _get_maxshape(self):
            return (rows, 64)
        def _get_dtype(self):
            return np.dtype("int16")

    f = NWBFile("bench", "bench-export", datetime(2024, 1, 2, 3, 4, 5, tzinfo=timezone.utc))
    data = H5DataIO(Gen(buffer_gb=0.05, chunk_shape=(16384, 64)), compression="gzip", compression_opts=4, chunks=(16384, 64))
    f.add_acquisition(TimeSeries(name="ephys", data=data, unit="uV", rate=30000.0))
    with NWBHDF5IO(path, "w") as io:
        io.write(f)


def export(src, dst, direction):
    from pynwb import NWBHDF5IO
    from hdmf_zarr.nwb import NWBZarrIO
    t0 = time.perf_counter()
    if direction == "h5-to-zarr":
        with NWBHDF5IO(src, "r", load_namespaces=True) as r, NWBZarrIO(dst, mode="w") as w:
            w.export(src_io=r, write_args=dict(link_data=False))
    else:
        with NWBZarrIO(src, "r") as r, NWBHDF5IO(dst, "w") as w:
            w.export(src_io=r, write_args=dict(link_data=False))
    secs = time.perf_counter() - t0
    print(json.dumps({"seconds": secs, "peakRssMB": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024}))


if __name__ == "__main__":
    if sys.argv[1] == "make":
        make(sys.argv[2], float(sys.argv[3]))
    else:
        export(sys.argv[2], sys.argv[3], sys.argv[1])
