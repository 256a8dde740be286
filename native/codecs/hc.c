/*
 * hdmf-ts codec core: thin entry points over c-blosc 1.21.5 (frames, and its SIMD byte shuffle
 * on its own), LZ4 1.10.0, Zstandard 1.5.7 and zlib 1.3.1 (Debian sources, unmodified but for one line in c-blosc's shuffle.c, see
 * scripts/build-codecs.sh). Sizes are int (wasm32); a negative return is an error.
 * One context per thread of JS (each worker instantiates its own module), reused across calls.
 */
#include <stddef.h>
#include <stdint.h>
#include <emscripten.h>
#include "blosc.h"
#include "shuffle.h"
#include "lz4.h"
#include "lz4hc.h"
#define ZSTD_STATIC_LINKING_ONLY
#include "zstd.h"

#define API EMSCRIPTEN_KEEPALIVE

/* ---- Blosc 1.x frames (numcodecs Blosc, HDF5 filter 32001, Zarr v3 blosc) ---- */
API int hc_blosc_compress(int clevel, int shuffle, int typesize, const void* src, int nbytes,
                          void* dest, int destsize, const char* cname, int blocksize) {
  return blosc_compress_ctx(clevel, shuffle, (size_t)typesize, (size_t)nbytes, src, dest,
                            (size_t)destsize, cname, (size_t)blocksize, 1);
}

/* Validates the frame against its length first (c-blosc 1.21 blosc_cbuffer_validate). */
API int hc_blosc_decompress(const void* src, int srcsize, void* dest, int destsize) {
  size_t nbytes = 0;
  if (blosc_cbuffer_validate(src, (size_t)srcsize, &nbytes) != 0) return -10;
  if (nbytes > (size_t)destsize) return -11;
  return blosc_decompress_ctx(src, dest, (size_t)destsize, 1);
}

/* ---- Byte shuffle alone (HDF5 filter 2, numcodecs Shuffle): c-blosc's SIMD routines. Byte j of
   element i goes to j*count + i; a tail shorter than one element is copied as is (HDF5's rule). ---- */
API void hc_shuffle(int typesize, int nbytes, const uint8_t* src, uint8_t* dst) {
  blosc_internal_shuffle((size_t)typesize, (size_t)nbytes, src, dst);
}
API void hc_unshuffle(int typesize, int nbytes, const uint8_t* src, uint8_t* dst) {
  blosc_internal_unshuffle((size_t)typesize, (size_t)nbytes, src, dst);
}

/* ---- LZ4 blocks (numcodecs LZ4 after its 4-byte size, HDF5 LZ4 32004, bitshuffle 32008) ---- */
API int hc_lz4_bound(int n) { return LZ4_compressBound(n); }
API int hc_lz4_compress(const char* src, char* dst, int n, int cap, int acceleration) {
  return LZ4_compress_fast(src, dst, n, cap, acceleration);
}
API int hc_lz4hc_compress(const char* src, char* dst, int n, int cap, int level) {
  return LZ4_compress_HC(src, dst, n, cap, level);
}
API int hc_lz4_decompress(const char* src, char* dst, int n, int cap) {
  return LZ4_decompress_safe(src, dst, n, cap);
}

/* ---- Zstandard frames (numcodecs Zstd, Zarr v3 zstd, HDF5 32015) ---- */
static ZSTD_CCtx* cctx;
static ZSTD_DCtx* dctx;

API int hc_zstd_bound(int n) { return (int)ZSTD_compressBound((size_t)n); }

/* One frame with its content size in the header (numcodecs and the HDF5 plugin need it). */
API int hc_zstd_compress(void* dst, int cap, const void* src, int n, int level, int checksum) {
  if (!cctx && !(cctx = ZSTD_createCCtx())) return -1;
  ZSTD_CCtx_reset(cctx, ZSTD_reset_session_and_parameters);
  if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_compressionLevel, level))) return -2;
  if (ZSTD_isError(ZSTD_CCtx_setParameter(cctx, ZSTD_c_checksumFlag, checksum ? 1 : 0))) return -2;
  size_t r = ZSTD_compress2(cctx, dst, (size_t)cap, src, (size_t)n);
  return ZSTD_isError(r) ? -3 : (int)r;
}

/* Decoded size of all frames in src: exact when every header says, else an upper bound;
   -1 when src is not zstd, -2 when the size exceeds 2 GiB. */
API double hc_zstd_decoded_size(const void* src, int n) {
  unsigned long long s = ZSTD_findDecompressedSize(src, (size_t)n);
  if (s == ZSTD_CONTENTSIZE_ERROR) return -1;
  if (s == ZSTD_CONTENTSIZE_UNKNOWN) s = ZSTD_decompressBound(src, (size_t)n);
  if (s == ZSTD_CONTENTSIZE_ERROR) return -1;
  if (s > 0x7fffffffULL) return -2;
  return (double)s;
}

API int hc_zstd_decompress(void* dst, int cap, const void* src, int n) {
  if (!dctx && !(dctx = ZSTD_createDCtx())) return -1;
  size_t r = ZSTD_decompressDCtx(dctx, dst, (size_t)cap, src, (size_t)n);
  return ZSTD_isError(r) ? -3 : (int)r;
}
