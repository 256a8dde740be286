#!/usr/bin/env bash
# The Debian sid witness: current zarr-python, numcodecs, h5py (on HDF5 2.x) and numpy in a chroot
# at .cache/sid, beside the host's Debian bookworm python3 (h5py 3.7 on HDF5 1.10, zarr 2.13).
#
#   bash scripts/sid-chroot.sh             # create it once (cached, idempotent); print its path
#   bash scripts/sid-chroot.sh --check     # exit 0 if ready, 1 if not (never creates)
#   bash scripts/sid-chroot.sh --versions  # the witness versions as one JSON line
#
# Run code in it with scripts/sid-python.sh (or test/helpers/sid.ts). Needs root; CI runs as root.
# sid moves: the versions are whatever sid had on the day the chroot was made (--versions says).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SID="${HDMF_SID_ROOT:-$ROOT/.cache/sid}"
PACKAGES="python3-zarr,python3-numcodecs,python3-h5py,python3-numpy,python3-msgpack"

case "${1:-}" in
  --check) exec bash "$ROOT/scripts/debian-chroot.sh" --check "$SID" sid "$PACKAGES" >/dev/null ;;
  --versions)
    bash "$ROOT/scripts/debian-chroot.sh" --check "$SID" sid "$PACKAGES" >/dev/null \
      || { echo "[sid-chroot] $SID is not ready: run bash scripts/sid-chroot.sh" >&2; exit 1; }
    exec chroot "$SID" python3 -c 'import json, sys, h5py, zarr, numcodecs, numpy
print(json.dumps({"python": sys.version.split()[0], "h5py": h5py.__version__, "hdf5": h5py.version.hdf5_version,
  "zarr": zarr.__version__, "numcodecs": numcodecs.__version__, "numpy": numpy.__version__}))' ;;
  "") exec bash "$ROOT/scripts/debian-chroot.sh" "$SID" sid "$PACKAGES" ;;
  *) echo "usage: $0 [--check|--versions]" >&2; exit 2 ;;
esac
