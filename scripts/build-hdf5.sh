#!/usr/bin/env bash
# Build the HDF5 WebAssembly core of hdmf-ts from Debian's own sources, with Debian's own toolchain
# running in a Debian chroot made by debootstrap (the host's packages never matter).
#
#   bash scripts/build-hdf5.sh            # incremental: reuses .cache/hdf5-build if present
#   bash scripts/build-hdf5.sh --clean    # wipe .cache/hdf5-build first (the chroot is kept)
#
# Inputs : Debian source packages hdf5 1.14.6+repack-2 (sid) and zlib 1:1.3.dfsg+really1.3.1-1 (trixie),
#          fetched with apt-get source, checked against pinned sha256, Debian trixie's emscripten
#          3.1.69 + cmake in a minbase chroot at .cache/hdf5-chroot, our C layer in native/hdf5/.
# Outputs: src/backends/hdf5/wasm/{hdf5core.cjs,hdf5core.wasm,build-info.json,LICENSE-HDF5.txt,LICENSE-zlib.txt}
#
# Inside the chroot every path is fixed (/hdmf = this checkout, read-only; /build = the cache;
# /out = the output folder), so where the checkout lives cannot change a byte of the output.
# Why the flags: docs/notes/hdf5-core.md and ../shared/research/hdf5-wasm-build.md.
# Needs root (debootstrap, chroot, bind mounts). Network: deb.debian.org only.
set -euo pipefail

HDF5_VERSION="1.14.6+repack-2"
ZLIB_VERSION="1:1.3.dfsg+really1.3.1-1"
SOURCE_SUITES="sid trixie"  # hdf5 1.14.6 is in sid only, zlib 1.3.1-1 in trixie
TOOLCHAIN_SUITE="trixie"
TOOLCHAIN_PACKAGES="emscripten,cmake,make"
EMSCRIPTEN_DEB="3.1.69+dfsg-3"
# sha256 of the Debian source package files (as served on 2026-12-03).
declare -A SHA256=(
  [hdf5_1.14.6+repack-2.dsc]=1cfceaafe7fc0faf89ed01e1091f13a4cbc3260bb308b45c52dfd96efa3e29cd
  [hdf5_1.14.6+repack.orig.tar.gz]=c18bc47d07f76a5c2cfb70773bfe4152857e48ca4c96e7aef2684c96fa0e6a7c
  [hdf5_1.14.6+repack-2.debian.tar.xz]=c541d69d173ef3bf3c6c717e239003f8527b9728f33b4eb1d8c26c631e99e072
  [zlib_1.3.dfsg+really1.3.1-1.dsc]=ede2791e29c1d3b422f9208bdd7edf040c20445ea1e7453a72037576e64fa197
  [zlib_1.3.dfsg+really1.3.1.orig.tar.gz]=60dd315c07f616887caa029408308a018ace66e3d142726a97db164b3b8f69fb
  [zlib_1.3.dfsg+really1.3.1-1.debian.tar.xz]=9ed525955ce9fb0c1b39be8ff98f73450dbfc6305a9a27e6149c8972d38a0a9e
)
# Timestamps must not leak into the binary: fixed epoch = the hdf5 package's changelog date.
export SOURCE_DATE_EPOCH=1768746922
export LC_ALL=C TZ=UTC

log() { printf '[build-hdf5] %s\n' "$*" >&2; }
die() { printf '[build-hdf5] ERROR: %s\n' "$*" >&2; exit 1; }
json_lines() { node -e 'console.log(JSON.stringify(require("fs").readFileSync(0,"utf8").trim().split("\n")))'; }

# =============================================================================================
# Stage B: inside the chroot (called by stage A below). Fixed paths.
# =============================================================================================
if [[ "${1:-}" == "--in-chroot" ]]; then
  NATIVE=/hdmf/native/hdf5 CACHE=/build OUT=/out SRC=/build/src PREFIX=/build/prefix
  MAP="-ffile-prefix-map=/build=/hdf5-build"
  NODE_BIN=/usr/bin/node
  export HOME=/build/home EM_CACHE=/build/em-cache
  mkdir -p "$HOME"
  # Debian's emscripten ships its system libraries prebuilt in a frozen cache; copy it once so the
  # cache is writable and identical for every build (no network ports are ever fetched).
  [[ -d "$EM_CACHE" ]] || cp -a /usr/share/emscripten/cache "$EM_CACHE"
  emver=$(emcc --version | head -1 | sed -E 's/.* ([0-9]+\.[0-9]+\.[0-9]+).*/\1/')

  # ---- zlib ----
  if [[ ! -f "$PREFIX/lib/libz.a" ]]; then
    log "building zlib"
    rm -rf "$CACHE/zlib-build"; cp -a "$SRC/zlib" "$CACHE/zlib-build"
    (cd "$CACHE/zlib-build" \
      && CFLAGS="-O3 $MAP" emconfigure ./configure --static --prefix="$PREFIX" >/dev/null \
      && emmake make -j2 libz.a >/dev/null && emmake make install >/dev/null) || die "zlib build failed"
  fi

  # ---- libhdf5.a ----
  B="$CACHE/hdf5-build"
  if [[ ! -f "$PREFIX/lib/libhdf5.a" && ! -f "$B/.configured" ]]; then
    log "configuring hdf5 (minutes: each try_compile/try_run check is an emcc link)"
    rm -rf "$B"; mkdir -p "$B"
    (cd "$B" && emcmake cmake "$SRC/hdf5" \
      -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="$MAP" \
      -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DONLY_SHARED_LIBS=OFF -DBUILD_TESTING=OFF \
      -DHDF5_BUILD_TOOLS=OFF -DHDF5_BUILD_EXAMPLES=OFF -DHDF5_BUILD_UTILS=OFF -DHDF5_BUILD_HL_LIB=OFF \
      -DHDF5_BUILD_FORTRAN=OFF -DHDF5_BUILD_CPP_LIB=OFF -DHDF5_BUILD_JAVA=OFF -DHDF5_BUILD_DOC=OFF \
      -DHDF5_ENABLE_THREADSAFE=OFF -DHDF5_ENABLE_PARALLEL=OFF -DHDF5_ENABLE_SZIP_SUPPORT=OFF \
      -DHDF5_ENABLE_PLUGIN_SUPPORT=OFF -DHDF5_ENABLE_EMBEDDED_LIBINFO=OFF -DHDF5_ENABLE_SUBFILING_VFD=OFF \
      -DHDF5_ENABLE_Z_LIB_SUPPORT=ON -DZLIB_INCLUDE_DIR="$PREFIX/include" -DZLIB_LIBRARY="$PREFIX/lib/libz.a" \
      -DHDF5_ALLOW_EXTERNAL_SUPPORT=NO \
      "-DCMAKE_CROSSCOMPILING_EMULATOR=$NODE_BIN" \
      -DCMAKE_EXE_LINKER_FLAGS="-sNODERAWFS=1 -sWASM_ASYNC_COMPILATION=0" \
      -DCMAKE_INSTALL_PREFIX="$PREFIX" > "$CACHE/hdf5-configure.log" 2>&1) \
      || die "hdf5 configure failed, see $CACHE/hdf5-configure.log"
    # try_run failures do not stop CMake; they show up as nonsense type sizes. Check a few.
    for kv in INT=4 LONG_LONG=8 SIZE_T=4 DOUBLE=8 INT64_T=8 OFF_T=8; do
      grep -q "#define H5_SIZEOF_${kv%=*} ${kv#*=}\$" "$B/src/H5pubconf.h" \
        || die "configure detected a wrong H5_SIZEOF_${kv%=*} (try_run under node failed); see $CACHE/hdf5-configure.log"
    done
    touch "$B/.configured"
  fi
  if [[ ! -f "$PREFIX/lib/libhdf5.a" ]]; then
    log "building hdf5"
    (cd "$B" && emmake make -j2 > "$CACHE/hdf5-make.log" 2>&1 && emmake make install >> "$CACHE/hdf5-make.log" 2>&1) \
      || die "hdf5 build failed, see $CACHE/hdf5-make.log"
  fi

  # ---- our C layer + link ----
  log "linking hdf5core"
  # Exported names come from the H5C_API declarations in h5c.h, so the list cannot drift.
  EXPORTS=$(sed -nE 's/^H5C_API[^(]* \**(h5c_[a-z0-9_]+)\(.*/_\1/p' "$NATIVE/h5c.h" | sort -u | tr '\n' ',')
  EXPORTS="${EXPORTS}_malloc,_free"
  LINK_FLAGS=(-O2 -sMODULARIZE=1 -sEXPORT_NAME=createHdf5Core -sENVIRONMENT=node -sNODERAWFS=1
    -sALLOW_MEMORY_GROWTH=1 -sABORTING_MALLOC=0 -sWASM_BIGINT=1 -sASSERTIONS=0
    -sEXIT_RUNTIME=0 -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 "-sEXPORTED_RUNTIME_METHODS=[HEAPU8]"
    "-sEXPORTED_FUNCTIONS=[$EXPORTS]")
  CFLAGS_LAYER=(-O2 -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -I"$PREFIX/include" "$MAP" "-ffile-prefix-map=/hdmf=.")
  T="$CACHE/link"; rm -rf "$T"; mkdir -p "$T"
  emcc "${CFLAGS_LAYER[@]}" "$NATIVE"/*.c "$PREFIX/lib/libhdf5.a" "$PREFIX/lib/libz.a" \
    "${LINK_FLAGS[@]}" -o "$T/hdf5core.cjs"
  cp "$T/hdf5core.cjs" "$T/hdf5core.wasm" "$OUT/"
  cp "$SRC/hdf5/COPYING" "$OUT/LICENSE-HDF5.txt"
  cp "$SRC/zlib/LICENSE" "$OUT/LICENSE-zlib.txt"

  # ---- build-info.json ----
  toolchain=$(dpkg-query -W -f='${Package}=${Version}\n' emscripten clang-19 lld-19 binaryen nodejs cmake | json_lines)
  "$NODE_BIN" -e '
const [out, em, hdf5, zlib, toolchain, cflags, lflags, ...files] = process.argv.slice(1);
const fs = require("node:fs"), crypto = require("node:crypto");
const sha256 = {};
for (const f of files) sha256[f] = crypto.createHash("sha256").update(fs.readFileSync(`${out}/${f}`)).digest("hex");
const info = { emscripten: em, hdf5, zlib, hdf5Source: "Debian source packages (apt-get source): hdf5 from sid, zlib from trixie",
  toolchain: JSON.parse(toolchain), cflags: JSON.parse(cflags), linkFlags: JSON.parse(lflags), sha256 };
fs.writeFileSync(`${out}/build-info.json`, JSON.stringify(info, null, 2) + "\n");
' "$OUT" "$emver" "$HDF5_VERSION" "$ZLIB_VERSION" "$toolchain" \
    "$(printf '%s\n' "${CFLAGS_LAYER[@]}" | sed 's|/build|.cache/hdf5-build|g; s|/hdmf|.|g' | json_lines)" \
    "$(printf '%s\n' "${LINK_FLAGS[@]}" | json_lines)" \
    hdf5core.cjs hdf5core.wasm LICENSE-HDF5.txt LICENSE-zlib.txt
  log "done: $(du -b "$OUT/hdf5core.wasm" | cut -f1) bytes wasm, $(du -b "$OUT/hdf5core.cjs" | cut -f1) bytes js"
  exit 0
fi

# =============================================================================================
# Stage A: on the host. Chroot, sources, then stage B inside the chroot.
# =============================================================================================
ROOT=$(cd "$(dirname "$0")/.." && pwd)
# Overridable only to check reproducibility (a second clean build elsewhere must give the same bytes).
CACHE=$(realpath -m "${HDF5_BUILD_CACHE:-$ROOT/.cache/hdf5-build}")
OUT=$(realpath -m "${HDF5_BUILD_OUT:-$ROOT/src/backends/hdf5/wasm}")
CHROOT=$(realpath -m "${HDF5_BUILD_CHROOT:-$ROOT/.cache/hdf5-chroot}")
[[ $(id -u) -eq 0 ]] || die "the build needs root (debootstrap, chroot, bind mounts)"

[[ "${1:-}" == "--clean" ]] && rm -rf "$CACHE"
mkdir -p "$CACHE" "$OUT"

# ---- 1. toolchain chroot ----
bash "$ROOT/scripts/debian-chroot.sh" "$CHROOT" "$TOOLCHAIN_SUITE" "$TOOLCHAIN_PACKAGES" >/dev/null
got=$(chroot "$CHROOT" dpkg-query -W -f='${Version}' emscripten)
[[ "$got" == "$EMSCRIPTEN_DEB" ]] || log "WARNING: emscripten $got in the chroot, pinned $EMSCRIPTEN_DEB: output bytes will differ"

# ---- 2. sources: apt-get source at pinned versions, private apt state, sha256-checked ----
SRC="$CACHE/src"
if [[ ! -f "$SRC/.extracted" ]]; then
  command -v dpkg-source >/dev/null || apt-get install -y --no-install-recommends dpkg-dev >/dev/null || die "apt-get install dpkg-dev failed"
  log "fetching Debian sources hdf5=$HDF5_VERSION zlib=$ZLIB_VERSION ($SOURCE_SUITES)"
  rm -rf "$SRC" "$CACHE/apt"; mkdir -p "$SRC" "$CACHE/apt/lists/partial" "$CACHE/apt/cache/archives/partial"
  # A private sources list + lists dir: the system's apt configuration is never touched.
  for suite in $SOURCE_SUITES; do
    echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian $suite main"
  done > "$CACHE/apt/sources.list"
  APT=(apt-get -o "Dir::Etc::SourceList=$CACHE/apt/sources.list" -o "Dir::Etc::SourceParts=/nonexistent"
       -o "Dir::State::Lists=$CACHE/apt/lists" -o "Dir::Cache=$CACHE/apt/cache")
  "${APT[@]}" update -qq
  (cd "$SRC" && "${APT[@]}" source --download-only "hdf5=$HDF5_VERSION" "zlib=$ZLIB_VERSION" >/dev/null 2>&1) \
    || die "apt-get source failed"
  for f in "${!SHA256[@]}"; do
    [[ -f "$SRC/$f" ]] || die "missing $f"
    got=$(sha256sum "$SRC/$f" | cut -d' ' -f1)
    [[ "$got" == "${SHA256[$f]}" ]] || die "sha256 mismatch for $f: $got"
  done
  (cd "$SRC" && dpkg-source -x "hdf5_${HDF5_VERSION}.dsc" hdf5 >/dev/null 2>&1 \
              && dpkg-source -x "zlib_${ZLIB_VERSION#1:}.dsc" zlib >/dev/null 2>&1) || die "dpkg-source -x failed"
  touch "$SRC/.extracted"
fi
# Our one source change: wasm has no floating-point exceptions, so emscripten's fenv.h defines no
# FE_INVALID, which HDF5 1.14's H5Tinit_float.c clears after probing NaN; 0 makes that a no-op.
PATCHED="$SRC/hdf5/src/H5Tinit_float.c"
grep -q "hdmf-ts: wasm" "$PATCHED" || sed -i 's|^#include "H5Tpkg.h" .*|&\n#ifndef FE_INVALID /* hdmf-ts: wasm has no FP exceptions */\n#define FE_INVALID 0\n#endif|' "$PATCHED"
grep -q "hdmf-ts: wasm" "$PATCHED" || die "could not patch $PATCHED"
# CMake's try_run programs are CommonJS .js files; keep node from reading them as ES modules.
echo '{"type": "commonjs"}' > "$CACHE/package.json"

# ---- 3. stage B in the chroot, in a private mount namespace (mounts vanish with it) ----
log "building in $CHROOT"
unshare --mount --propagation private -- /bin/bash -c '
  set -e
  ch=$1 root=$2 cache=$3 out=$4; shift 4
  mkdir -p "$ch/hdmf" "$ch/build" "$ch/out"
  mount --bind "$root" "$ch/hdmf" && mount -o remount,bind,ro "$ch/hdmf"
  mount --bind "$cache" "$ch/build"
  mount --bind "$out" "$ch/out"
  mount -t proc proc "$ch/proc"
  exec chroot "$ch" /usr/bin/env -i PATH=/usr/sbin:/usr/bin:/sbin:/bin LC_ALL=C TZ=UTC \
    SOURCE_DATE_EPOCH="$SOURCE_DATE_EPOCH" /bin/bash /hdmf/scripts/build-hdf5.sh --in-chroot
' build-hdf5 "$CHROOT" "$ROOT" "$CACHE" "$OUT"
