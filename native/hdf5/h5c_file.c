/*
 * Files: open/create with h5py's modes and defaults.
 *
 * Every file is opened with H5F_CLOSE_STRONG: H5Fclose then closes any group, dataset or
 * attribute id still open in it, so "close" really releases the file even if a caller leaked an
 * id (with the default "weak" degree the file would silently stay open and a later open in
 * another mode would reuse the old handle).
 */
#include <unistd.h>

#include "h5c.h"

static const char *MODE_NAMES[] = {"r", "r+", "w", "w-", "a"};

static hid_t make_fapl(int low, int high) {
  hid_t fapl = H5Pcreate(H5P_FILE_ACCESS);
  if (fapl < 0) return -1;
  if (H5Pset_fclose_degree(fapl, H5F_CLOSE_STRONG) < 0 ||
      H5Pset_libver_bounds(fapl, (H5F_libver_t)low, (H5F_libver_t)high) < 0) {
    h5c_close_quiet(fapl);
    return -1;
  }
  return fapl;
}

/* h5py's track_order=True: links and attributes remember creation order. */
static hid_t make_fcpl(int track_order) {
  hid_t fcpl = H5Pcreate(H5P_FILE_CREATE);
  if (fcpl < 0) return -1;
  if (track_order) {
    unsigned f = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    if (H5Pset_link_creation_order(fcpl, f) < 0 || H5Pset_attr_creation_order(fcpl, f) < 0) {
      h5c_close_quiet(fcpl);
      return -1;
    }
  }
  return fcpl;
}

H5C_API hid_t h5c_file_open(const char *path, int mode, int libver_low, int libver_high, int track_order) {
  hid_t fapl = -1, fcpl = -1, fid = -1;
  int exists;
  h5c_err_reset();
  if (mode < H5C_MODE_R || mode > H5C_MODE_A) {
    h5c_err_set(H5C_ERR_ARG, "%s: unknown file mode %d", path, mode);
    return -1;
  }
  /* libver bounds are H5F_libver_t values; a negative one means H5F_LIBVER_LATEST of this library */
  if (libver_low < 0) libver_low = (int)H5F_LIBVER_LATEST;
  if (libver_high < 0) libver_high = (int)H5F_LIBVER_LATEST;
  if (libver_low < H5F_LIBVER_EARLIEST || libver_low > H5F_LIBVER_LATEST || libver_high < libver_low ||
      libver_high > H5F_LIBVER_LATEST) {
    h5c_err_set(H5C_ERR_ARG, "%s: bad libver bounds %d..%d", path, libver_low, libver_high);
    return -1;
  }
  exists = access(path, F_OK) == 0;
  /* Decide "missing" and "already exists" ourselves: HDF5's messages for them are generic. */
  if ((mode == H5C_MODE_R || mode == H5C_MODE_RPLUS) && !exists) {
    h5c_err_set(H5C_ERR_NOTFOUND, "%s: no such file (mode %s)", path, MODE_NAMES[mode]);
    return -1;
  }
  if (mode == H5C_MODE_WMINUS && exists) {
    h5c_err_set(H5C_ERR_EXISTS, "%s: file exists (mode w-)", path);
    return -1;
  }
  H5C_TRY(fapl = make_fapl(libver_low, libver_high), ("%s: file access properties", path));
  if (mode == H5C_MODE_R || mode == H5C_MODE_RPLUS || (mode == H5C_MODE_A && exists)) {
    unsigned flags = mode == H5C_MODE_R ? H5F_ACC_RDONLY : H5F_ACC_RDWR;
    H5C_TRY(fid = H5Fopen(path, flags, fapl), ("%s: cannot open (mode %s)", path, MODE_NAMES[mode]));
  } else {
    unsigned flags = mode == H5C_MODE_W ? H5F_ACC_TRUNC : H5F_ACC_EXCL;
    H5C_TRY(fcpl = make_fcpl(track_order), ("%s: file creation properties", path));
    H5C_TRY(fid = H5Fcreate(path, flags, fcpl, fapl), ("%s: cannot create (mode %s)", path, MODE_NAMES[mode]));
  }
done:
  h5c_close_quiet(fapl);
  h5c_close_quiet(fcpl);
  return fid;
}

H5C_API int h5c_file_flush(hid_t file) {
  h5c_err_reset();
  if (H5Fflush(file, H5F_SCOPE_GLOBAL) < 0) {
    h5c_err_capture("flush failed");
    return -1;
  }
  return 0;
}

H5C_API int h5c_file_close(hid_t file) {
  h5c_err_reset();
  if (H5Iget_type(file) != H5I_FILE) {
    h5c_err_set(H5C_ERR_ARG, "not an open file id");
    return -1;
  }
  if (H5Fclose(file) < 0) {
    h5c_err_capture("close failed");
    return -1;
  }
  return 0;
}

/* 1 = HDF5, 0 = exists but not HDF5 (or unreadable as such), -1 = missing/inaccessible. */
H5C_API int h5c_file_is_hdf5(const char *path) {
  htri_t r;
  h5c_err_reset();
  if (access(path, R_OK) != 0) {
    h5c_err_set(H5C_ERR_NOTFOUND, "%s: no such file or not readable", path);
    return -1;
  }
  r = H5Fis_hdf5(path);
  if (r < 0) {
    /* a file too short to hold a signature is "not HDF5", not an I/O failure */
    H5Eclear2(H5E_DEFAULT);
    return 0;
  }
  return r > 0 ? 1 : 0;
}

/* 0 = read-only, 1 = read-write. */
H5C_API int h5c_file_intent(hid_t file) {
  unsigned intent;
  h5c_err_reset();
  if (H5Fget_intent(file, &intent) < 0) {
    h5c_err_capture("file intent");
    return -1;
  }
  return (intent & H5F_ACC_RDWR) ? 1 : 0;
}
