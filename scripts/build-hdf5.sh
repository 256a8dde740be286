#!/usr/bin/env bash
# Build the HDF5 WebAssembly core of hdmf-ts from Debian's own sources and toolchain.
#
#   bash scripts/build-hdf5.sh            # incremental: reuses .cache/hdf5-build if present
#   bash scripts/build-hdf5.sh --clean    # wipe .cache/hdf5-build first
#
# Inputs : Debian bookworm source packages hdf5 1.10.8+repack1-1 and zlib 1:1.2.13.dfsg-1 (fetched
#          with apt-get source into .cache/hdf5-build, checked against pinned sha256), Debian
#          emscripten 3.1.6, our C layer in native/hdf5/.
# Outputs: src/backends/hdf5/wasm/{hdf5core.cjs,hdf5core.wasm,build-info.json,LICENSE-HDF5.txt,LICENSE-zlib.txt}
#
# Why the odd flags: see docs/notes/hdf5-core.md and ../shared/research/hdf5-wasm-build.md
# (Node 20 fetch vs the 3.1.6 loader, emcmake's dead emulator flag, FROZEN_CACHE, acorn path).
set -euo pipefail

ROOT=$(cd "$(dirname "$0")/.." && pwd)
# Overridable only to check reproducibility (a second clean build elsewhere must give the same bytes).
CACHE="${HDF5_BUILD_CACHE:-$ROOT/.cache/hdf5-build}"
OUT="${HDF5_BUILD_OUT:-$ROOT/src/backends/hdf5/wasm}"
NATIVE="$ROOT/native/hdf5"

HDF5_VERSION="1.10.8+repack1-1"
ZLIB_VERSION="1:1.2.13.dfsg-1"
EMSCRIPTEN_VERSION="3.1.6"
# sha256 of the Debian source package files (as served for bookworm on 2026-11-25).
declare -A SHA256=(
  [hdf5_1.10.8+repack1-1.dsc]=3c9b7c438f174506fd2764b77437466fd528374aeab9db9c73c59ceee6ac990d
  [hdf5_1.10.8+repack1.orig.tar.gz]=7b38e58ff83b13fd8959a90b13bf896bc318ba096c940ab0847abf3ad41a0b31
  [hdf5_1.10.8+repack1-1.debian.tar.xz]=d11ad311c20f84199a04f44be87e03f91560c8f020576624edd07dd58eacbacb
  [zlib_1.2.13.dfsg-1.dsc]=3fa1e6b2fc525062aa88207dda52fed8e045373c809d362fe8a2bfbf7cf515a8
  [zlib_1.2.13.dfsg.orig.tar.bz2]=71feb7947e3c00ef125f83b79a4e529bde31171e5babe48b391f06758d1ab0a1
  [zlib_1.2.13.dfsg-1.debian.tar.xz]=f66cf3d4f2d7defcd4d1fd1fb0a11ee39f1e01b42ec7d059c9dc5c1695133c44
)

log() { printf '[build-hdf5] %s\n' "$*" >&2; }
die() { printf '[build-hdf5] ERROR: %s\n' "$*" >&2; exit 1; }

[[ "${1:-}" == "--clean" ]] && rm -rf "$CACHE"
mkdir -p "$CACHE" "$OUT"
# The cache sits inside this "type": "module" package; CMake's try_run programs are plain
# CommonJS .js files that node would otherwise load as ES modules (no `require`: every check fails).
echo '{"type": "commonjs"}' > "$CACHE/package.json"

# ---- 1. toolchain (Debian packages only) -------------------------------------------------
need=()
command -v emcc >/dev/null || need+=(emscripten)
command -v cmake >/dev/null || need+=(cmake)
command -v dpkg-source >/dev/null || need+=(dpkg-dev)
command -v make >/dev/null || need+=(make)
if ((${#need[@]})); then
  log "installing ${need[*]} with apt"
  SUDO=""; [[ $(id -u) -ne 0 ]] && SUDO="sudo"
  $SUDO apt-get install -y --no-install-recommends "${need[@]}" || die "apt-get install ${need[*]} failed"
fi
emver=$(emcc --version | head -1 | sed -E 's/.* ([0-9]+\.[0-9]+\.[0-9]+).*/\1/')
[[ "$emver" == "$EMSCRIPTEN_VERSION" ]] || log "WARNING: emscripten $emver, expected $EMSCRIPTEN_VERSION: output bytes will differ"
# emcc's JS optimizer (acorn) lives in Debian's node path; NodeSource node does not search it.
export NODE_PATH=/usr/share/nodejs
NODE_BIN=$(command -v node)
# Timestamps and paths must not leak into the binary: fixed epoch (hdf5's changelog date),
# build paths mapped away with -ffile-prefix-map below.
export SOURCE_DATE_EPOCH=1671384033
export LC_ALL=C TZ=UTC

# ---- 2. sources: apt-get source at pinned versions, isolated apt state -------------------
SRC="$CACHE/src"
if [[ ! -f "$SRC/.extracted" ]]; then
  log "fetching Debian sources hdf5=$HDF5_VERSION zlib=$ZLIB_VERSION"
  rm -rf "$SRC" "$CACHE/apt"; mkdir -p "$SRC" "$CACHE/apt/lists/partial" "$CACHE/apt/cache/archives/partial"
  # A private sources list + lists dir: the system's apt configuration is never touched.
  echo "deb-src [signed-by=/usr/share/keyrings/debian-archive-keyring.gpg] http://deb.debian.org/debian bookworm main" \
    > "$CACHE/apt/sources.list"
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

PREFIX="$CACHE/prefix"
MAP="-ffile-prefix-map=$CACHE=/hdf5-build"

# ---- 3. zlib -------------------------------------------------------------------------------
if [[ ! -f "$PREFIX/lib/libz.a" ]]; then
  log "building zlib"
  rm -rf "$CACHE/zlib-build"; cp -a "$SRC/zlib" "$CACHE/zlib-build"
  (cd "$CACHE/zlib-build" \
    && CFLAGS="-O3 $MAP" emconfigure ./configure --static --prefix="$PREFIX" >/dev/null \
    && emmake make -j"$(nproc)" libz.a >/dev/null && emmake make install >/dev/null) || die "zlib build failed"
fi

# ---- 4. libhdf5.a --------------------------------------------------------------------------
B="$CACHE/hdf5-build"
if [[ ! -f "$PREFIX/lib/libhdf5.a" && ! -f "$B/.configured" ]]; then
  log "configuring hdf5 (3-10 minutes: each of ~200 try_run checks is an emcc link run under node)"
  rm -rf "$B"; mkdir -p "$B"
  (cd "$B" && emcmake cmake "$SRC/hdf5" \
    -DCMAKE_BUILD_TYPE=Release -DCMAKE_C_FLAGS="$MAP" \
    -DBUILD_SHARED_LIBS=OFF -DBUILD_STATIC_LIBS=ON -DBUILD_TESTING=OFF \
    -DHDF5_BUILD_TOOLS=OFF -DHDF5_BUILD_EXAMPLES=OFF -DHDF5_BUILD_UTILS=OFF -DHDF5_BUILD_HL_LIB=OFF \
    -DHDF5_BUILD_FORTRAN=OFF -DHDF5_BUILD_CPP_LIB=OFF -DHDF5_BUILD_JAVA=OFF \
    -DHDF5_ENABLE_THREADSAFE=OFF -DHDF5_ENABLE_PARALLEL=OFF -DHDF5_ENABLE_SZIP_SUPPORT=OFF \
    -DHDF5_ENABLE_EMBEDDED_LIBINFO=OFF \
    -DHDF5_ENABLE_Z_LIB_SUPPORT=ON -DZLIB_INCLUDE_DIR="$PREFIX/include" -DZLIB_LIBRARY="$PREFIX/lib/libz.a" \
    "-DCMAKE_CROSSCOMPILING_EMULATOR=$NODE_BIN;--no-experimental-fetch" \
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
  (cd "$B" && emmake make -j"$(nproc)" > "$CACHE/hdf5-make.log" 2>&1 && emmake make install >> "$CACHE/hdf5-make.log" 2>&1) \
    || die "hdf5 build failed, see $CACHE/hdf5-make.log"
fi

# ---- 5. our C layer + link -----------------------------------------------------------------
log "linking hdf5core"
# Exported names come from the H5C_API declarations in h5c.h, so the list cannot drift.
EXPORTS=$(sed -nE 's/^H5C_API[^(]* \**(h5c_[a-z0-9_]+)\(.*/_\1/p' "$NATIVE/h5c.h" | sort -u | tr '\n' ',')
EXPORTS="${EXPORTS}_malloc,_free"
LINK_FLAGS=(-O2 -sMODULARIZE=1 -sEXPORT_NAME=createHdf5Core -sENVIRONMENT=node -sNODERAWFS=1
  -sALLOW_MEMORY_GROWTH=1 -sABORTING_MALLOC=0 -sWASM_BIGINT=1 -sASSERTIONS=0
  -sEXIT_RUNTIME=0 -sNODEJS_CATCH_EXIT=0 -sNODEJS_CATCH_REJECTION=0 -sEXPORTED_RUNTIME_METHODS=[] "-sEXPORTED_FUNCTIONS=[$EXPORTS]")
CFLAGS_LAYER=(-O2 -std=c11 -Wall -Wextra -Werror -Wno-unused-parameter -I"$PREFIX/include" "$MAP" "-ffile-prefix-map=$ROOT=.")
T="$CACHE/link"; rm -rf "$T"; mkdir -p "$T"
emcc "${CFLAGS_LAYER[@]}" "$NATIVE"/*.c "$PREFIX/lib/libhdf5.a" "$PREFIX/lib/libz.a" \
  "${LINK_FLAGS[@]}" -o "$T/hdf5core.cjs"
cp "$T/hdf5core.cjs" "$T/hdf5core.wasm" "$OUT/"
cp "$SRC/hdf5/COPYING" "$OUT/LICENSE-HDF5.txt"
cp "$SRC/zlib/LICENSE" "$OUT/LICENSE-zlib.txt"

# ---- 6. build-info.json ----------------------------------------------------------------------
sha() { sha256sum "$OUT/$1" | cut -d' ' -f1; }
"$NODE_BIN" -e '
const [out, em, hdf5, zlib, cflags, lflags, ...files] = process.argv.slice(1);
const fs = require("node:fs"), crypto = require("node:crypto");
const sha256 = {};
for (const f of files) sha256[f] = crypto.createHash("sha256").update(fs.readFileSync(`${out}/${f}`)).digest("hex");
const info = { emscripten: em, hdf5, zlib, hdf5Source: "Debian bookworm source package (apt-get source)",
  cflags: JSON.parse(cflags), linkFlags: JSON.parse(lflags), sha256 };
fs.writeFileSync(`${out}/build-info.json`, JSON.stringify(info, null, 2) + "\n");
' "$OUT" "$emver" "$HDF5_VERSION" "$ZLIB_VERSION" \
  "$(printf '%s\n' "${CFLAGS_LAYER[@]}" | sed "s|$CACHE|.cache/hdf5-build|g; s|$ROOT|.|g" | "$NODE_BIN" -e 'console.log(JSON.stringify(require("fs").readFileSync(0,"utf8").trim().split("\n")))')" \
  "$(printf '%s\n' "${LINK_FLAGS[@]}" | "$NODE_BIN" -e 'console.log(JSON.stringify(require("fs").readFileSync(0,"utf8").trim().split("\n")))')" \
  hdf5core.cjs hdf5core.wasm LICENSE-HDF5.txt LICENSE-zlib.txt
log "done: $(du -b "$OUT/hdf5core.wasm" | cut -f1) bytes wasm, $(du -b "$OUT/hdf5core.cjs" | cut -f1) bytes js"
