#!/usr/bin/env bash
# Create a Debian chroot once, cached: the one place hdmf-ts runs debootstrap.
#
#   bash scripts/debian-chroot.sh DIR SUITE PKG1,PKG2,...   # create DIR if missing or stale; print DIR
#   bash scripts/debian-chroot.sh --check DIR SUITE PKGS    # exit 0 if DIR is ready for exactly that, else 1
#
# Used by scripts/sid-chroot.sh (the sid Python witness) and scripts/build-hdf5.sh (the build
# toolchain). The marker file records suite + package list, so changing either recreates the chroot.
# Needs root; network: deb.debian.org only.
set -euo pipefail

check=0
[[ "${1:-}" == "--check" ]] && { check=1; shift; }
[[ $# -eq 3 ]] || { echo "usage: $0 [--check] DIR SUITE PKGS" >&2; exit 2; }
DIR=$(realpath -m "$1") SUITE=$2 PACKAGES=$3
MIRROR="http://deb.debian.org/debian"
MARK="$DIR/.hdmf-chroot"
WANT="debootstrap --variant=minbase --include=$PACKAGES $SUITE $MIRROR"

log() { printf '[debian-chroot] %s\n' "$*" >&2; }
die() { printf '[debian-chroot] ERROR: %s\n' "$*" >&2; exit 1; }

if [[ -f "$MARK" && "$(cat "$MARK")" == "$WANT" ]]; then echo "$DIR"; exit 0; fi
((check)) && exit 1
[[ $(id -u) -eq 0 ]] || die "creating $DIR needs root (debootstrap + chroot)"
if ! command -v debootstrap >/dev/null; then
  log "installing debootstrap with apt"
  apt-get install -y --no-install-recommends debootstrap >/dev/null || die "apt-get install debootstrap failed"
fi
# Build beside the final place, then rename: an interrupted run never leaves a chroot that looks ready.
TMP="$DIR.tmp.$$"
LOG="$DIR.debootstrap.log"
trap 'rm -rf --one-file-system "$TMP"' EXIT
mkdir -p "$(dirname "$DIR")"
log "debootstrap $SUITE into $DIR (a few minutes)"
debootstrap --variant=minbase --include="$PACKAGES" "$SUITE" "$TMP" "$MIRROR" > "$LOG" 2>&1 \
  || { tail -20 "$LOG" >&2; die "debootstrap $SUITE failed (log: $LOG)"; }
# Downloaded .debs and package lists are the bulk of the size and never used again.
rm -rf "$TMP"/var/cache/apt/archives/*.deb "$TMP"/var/lib/apt/lists/*_Packages
echo "$WANT" > "$TMP/.hdmf-chroot"
rm -rf --one-file-system "$DIR"
mv "$TMP" "$DIR"
trap - EXIT
rm -f "$LOG"
echo "$DIR"
