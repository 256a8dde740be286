#!/usr/bin/env bash
# Run python3 of the sid chroot (scripts/sid-chroot.sh) with host folders visible at the same paths.
#
#   bash scripts/sid-python.sh [--bind DIR]... SCRIPT.py|-c CODE [ARGS...]
#
# Each --bind DIR (and the folder of SCRIPT.py, and the working directory) is bind-mounted read-write
# at the same absolute path inside the chroot, so paths in ARGS need no rewriting. The mounts live in a
# private mount namespace (unshare -m): they are invisible to other processes and vanish when python
# exits, whatever way it exits, so concurrent runs never see or unmount each other's mounts.
# The exit status is python's. Needs root.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
SID="${HDMF_SID_ROOT:-$ROOT/.cache/sid}"
bash "$ROOT/scripts/sid-chroot.sh" --check \
  || { echo "[sid-python] no sid chroot at $SID: run bash scripts/sid-chroot.sh" >&2; exit 127; }

binds=()
while [[ "${1:-}" == "--bind" ]]; do binds+=("$(realpath "$2")"); shift 2; done
[[ $# -ge 1 ]] || { echo "usage: $0 [--bind DIR]... SCRIPT.py|-c CODE [ARGS...]" >&2; exit 2; }
[[ "$1" != "-c" && -f "$1" ]] && { binds+=("$(dirname "$(realpath "$1")")"); set -- "$(realpath "$1")" "${@:2}"; }
binds+=("$(pwd -P)")

# Inside the namespace: make every mount private (no propagation back to the host), bind, chroot.
exec unshare --mount --propagation private -- /bin/bash -c '
  set -e
  sid=$1 cwd=$2 n=$3; shift 3
  for ((i = 0; i < n; i++)); do
    d=$1; shift
    [[ -d "$sid$d" ]] || mkdir -p "$sid$d"
    mountpoint -q "$sid$d" || mount --bind "$d" "$sid$d"
  done
  [[ -e "$sid/proc/self" ]] || mount -t proc proc "$sid/proc"
  exec chroot "$sid" /bin/sh -c "cd \"\$0\" && exec python3 \"\$@\"" "$cwd" "$@"
' sid-python "$SID" "$(pwd -P)" "${#binds[@]}" "${binds[@]}" "$@"
