#!/usr/bin/env bash
# The one test command (README command 2, and what .ci/run calls). On a fresh machine of the
# project's kind it installs everything the tests need, then runs every test:
#   1. Debian packages: Python readers used as independent witnesses (h5py, zarr-python,
#      numcodecs, HDF5 tools and filter plugins) and Open MPI's launcher.
#   2. A Debian sid chroot at .cache/sid (scripts/sid-chroot.sh, cached): the second witness with
#      current h5py on HDF5 2.x and zarr-python 3.
#   3. npm ci (exact lock file).
#   4. The Python reference ("oracle": pynwb, hdmf, hdmf-zarr) into .cache/oracle, offline.
#   5. Type check, build, and the whole vitest suite; a closing "N passed, N failed" line.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$(pwd)
SUDO=""; [ "$(id -u)" -ne 0 ] && SUDO=sudo

APT_PKGS=(python3 python3-venv python3-h5py python3-zarr python3-numcodecs python3-msgpack python3-hdf5plugin
  hdf5-tools hdf5-filter-plugin hdf5-filter-plugin-blosc-serial hdf5-plugin-lzf openmpi-bin debootstrap
  openssl python3-fsspec python3-aiohttp strace)  # openssl: the HTTPS test makes a self-signed certificate;
  # fsspec + aiohttp: the remote benchmark's h5py-over-HTTP column; strace: FsStore's fsyncs, as system calls
missing=()
for p in "${APT_PKGS[@]}"; do
  dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
done
if [ ${#missing[@]} -gt 0 ]; then
  echo "[test] apt-get install ${missing[*]}"
  $SUDO apt-get update -qq
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null
fi

if ! bash scripts/sid-chroot.sh --check; then
  echo "[test] debootstrap the Debian sid witness into .cache/sid (once, a few minutes)"
  $SUDO bash scripts/sid-chroot.sh >/dev/null
fi

echo "[test] npm ci"
npm ci --no-audit --no-fund --loglevel=error

SHARED="${HDMF_TS_SHARED:-$ROOT/../shared}"
if [ -f "$SHARED/oracle/setup.sh" ]; then
  export ORACLE_VENV="$ROOT/.cache/oracle"
  echo "[test] oracle venv at $ORACLE_VENV"
  bash "$SHARED/oracle/setup.sh" | tail -1
else
  echo "[test] no ../shared/oracle: tests that need the Python reference will report it"
fi

echo "[test] type check"
npx tsc -p tsconfig.json --noEmit

rm -rf .cache/figures; mkdir -p .cache/figures
set +e
npx vitest run --reporter=default --reporter=json --outputFile.json=.cache/vitest-report.json "$@"
status=$?
bench_status=0
if [ $# -eq 0 ] && [ "${HDMF_TS_SKIP_BENCH:-}" != "1" ]; then
  # Benchmarks are never timed tests; the quick run only proves they still run (< 3 min).
  echo "[test] npm run bench -- --quick (figures: .cache/bench/latest.md)"
  timeout 300 npx tsx bench/run.ts --quick --out .cache/bench > .cache/bench.log 2>&1 || bench_status=$?
  tail -n 25 .cache/bench.log
  [ $bench_status -eq 0 ] || echo "[test] the quick benchmark run failed (exit $bench_status); see .cache/bench.log"
fi
set -e
node scripts/test-summary.mjs .cache/vitest-report.json || true
[ $status -ne 0 ] && exit $status
exit $bench_status
