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

# binds holds (host folder, path inside) pairs. A folder reached through a symlink (CI's ../shared
# may be one) is mounted at its real path and at the path as given, so both spellings work inside.
binds=()
add_bind() {
  local real given
  real=$(realpath "$1"); given=$(realpath -s "$1")
  binds+=("$real" "$real")
  [[ "$given" == "$real" ]] || binds+=("$real" "$given")
}
while [[ "${1:-}" == "--bind" ]]; do add_bind "$2"; shift 2; done
[[ $# -ge 1 ]] || { echo "usage: $0 [--bind DIR]... SCRIPT.py|-c CODE [ARGS...]" >&2; exit 2; }
[[ "$1" != "-c" && -f "$1" ]] && { add_bind "$(dirname "$1")"; set -- "$(realpath "$1")" "${@:2}"; }
add_bind "$(pwd)"

# Inside the namespace: make every mount private (no propagation back to the host), bind, chroot.
exec unshare --mount --propagation private -- /bin/bash -c '
  set -e
  sid=$1 cwd=$2 n=$3; shift 3
  for ((i = 0; i < n; i += 2)); do
    src=$1 dst=$2; shift 2
    [[ -d "$sid$dst" ]] || mkdir -p "$sid$dst"
    mountpoint -q "$sid$dst" || mount --bind "$src" "$sid$dst"
  done
  [[ -e "$sid/proc/self" ]] || mount -t proc proc "$sid/proc"
  exec chroot "$sid" /bin/sh -c "cd \"\$0\" && exec python3 \"\$@\"" "$cwd" "$@"
' sid-python "$SID" "$(pwd -P)" "${#binds[@]}" "${binds[@]}" "$@"
