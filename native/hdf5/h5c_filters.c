/*
 * Plugin filters as registered stubs.
 *
 * hdmf-ts encodes and decodes every chunk in TypeScript (one codec implementation for HDF5 and
 * Zarr) and moves the bytes with H5Dwrite_chunk / H5Dread_chunk, which bypass the filter
 * pipeline. HDF5 still insists that a filter in a dataset's pipeline be registered when the
 * dataset is created, so we register these ids with the *names the real plugins register*:
 * the name is stored in the file, and h5py shows it.
 *
 * The filter function always fails. A stub must never pretend to encode: for a MANDATORY
 * filter HDF5 then fails the H5Dwrite; for an OPTIONAL one HDF5 stores the chunk unfiltered
 * and sets the filter's bit in the chunk's filter mask, which every reader honours (the data
 * stays correct, only uncompressed). On read, a failing filter is always an error, so a
 * compressed chunk can never come back as if it were raw values.
 */
#include "h5c.h"

static size_t stub_filter(unsigned flags, size_t cd_nelmts, const unsigned cd_values[], size_t nbytes,
                          size_t *buf_size, void **buf) {
  return 0;
}

#define STUB(ID, NAME) {H5Z_CLASS_T_VERS, (H5Z_filter_t)(ID), 1, 1, NAME, NULL, NULL, stub_filter}

/* Names as the plugins h5py loads (hdf5plugin 4.0 / Debian hdf5-filter-plugin) register them. */
static const H5Z_class2_t STUBS[] = {
    STUB(32000, "lzf"),
    STUB(32001, "blosc"),
    STUB(32004, "HDF5 lz4 filter; see http://www.hdfgroup.org/services/contributions.html"),
    STUB(307, "HDF5 bzip2 filter; see http://www.hdfgroup.org/services/contributions.html"),
    STUB(32015, "Zstandard compression: http://www.zstd.net"),
    STUB(32008, "bitshuffle; see https://github.com/kiyo-masui/bitshuffle"),
};

int h5c_register_stub_filters(void) {
  for (size_t i = 0; i < sizeof STUBS / sizeof STUBS[0]; i++) {
    if (H5Zregister(&STUBS[i]) < 0) {
      h5c_err_capture("registering stub filter %d", (int)STUBS[i].id);
      return -1;
    }
  }
  return 0;
}

int h5c_is_stub_filter(int id) {
  for (size_t i = 0; i < sizeof STUBS / sizeof STUBS[0]; i++)
    if ((int)STUBS[i].id == id) return 1;
  return 0;
}
