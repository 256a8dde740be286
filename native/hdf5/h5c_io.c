/*
 * Hyperslab reads and writes (rectangular regions, stride 1) of raw bytes and of vlen strings.
 *
 * Sizes are checked against the selection before HDF5 touches the buffer: a wrong size from JS
 * would otherwise be a silent out-of-bounds access on the wasm heap.
 */
#include <stdlib.h>

#include "h5c.h"

typedef struct {
  hid_t fspace, mspace;
  hsize_t npoints;
} selection;

static void sel_close(selection *s) {
  h5c_close_quiet(s->fspace);
  h5c_close_quiet(s->mspace);
}

/* rank -1 selects the whole dataset; otherwise rank must equal the dataset's rank. */
static int sel_make(hid_t dset, int rank, const double *start, const double *count, selection *s) {
  hsize_t st[H5S_MAX_RANK], ct[H5S_MAX_RANK], dims[H5S_MAX_RANK];
  int have;
  s->fspace = s->mspace = -1;
  s->npoints = 0;
  if ((s->fspace = H5Dget_space(dset)) < 0) goto fail;
  if ((have = H5Sget_simple_extent_dims(s->fspace, dims, NULL)) < 0) goto fail;
  if (rank == -1 || have == 0) {
    if (rank > 0) {
      h5c_err_set(H5C_ERR_ARG, "selection of rank %d on a scalar dataset", rank);
      goto fail_own;
    }
    if (H5Sselect_all(s->fspace) < 0) goto fail;
    if ((s->mspace = H5Scopy(s->fspace)) < 0) goto fail;
    s->npoints = (hsize_t)H5Sget_select_npoints(s->fspace);
    return 0;
  }
  if (rank != have) {
    h5c_err_set(H5C_ERR_ARG, "selection has rank %d, dataset has rank %d", rank, have);
    goto fail_own;
  }
  if (h5c_dims(start, rank, st, 0, "selection start") < 0 || h5c_dims(count, rank, ct, 0, "selection count") < 0)
    goto fail_own;
  s->npoints = 1;
  for (int i = 0; i < rank; i++) {
    if (st[i] + ct[i] > dims[i]) {
      h5c_err_set(H5C_ERR_ARG, "selection [%llu, %llu) on axis %d is outside the shape %llu", (unsigned long long)st[i],
                  (unsigned long long)(st[i] + ct[i]), i, (unsigned long long)dims[i]);
      goto fail_own;
    }
    s->npoints *= ct[i];
  }
  if (s->npoints == 0) {
    if (H5Sselect_none(s->fspace) < 0) goto fail;
  } else if (H5Sselect_hyperslab(s->fspace, H5S_SELECT_SET, st, NULL, ct, NULL) < 0) {
    goto fail;
  }
  if ((s->mspace = H5Screate_simple(rank, ct, NULL)) < 0) goto fail;
  if (s->npoints == 0 && H5Sselect_none(s->mspace) < 0) goto fail;
  return 0;
fail:
  h5c_err_capture("building the selection");
fail_own:
  sel_close(s);
  return -1;
}

static int check_raw_memtype(hid_t memtype, hsize_t npoints, double size) {
  size_t esize = H5Tget_size(memtype);
  if (esize == 0) {
    h5c_err_capture("memory type");
    return -1;
  }
  if (h5c_type_has_vlen(memtype)) {
    h5c_err_set(H5C_ERR_ARG, "types with variable-length parts cannot cross as raw bytes (vlen strings: use the *_strings functions; vlen fields inside compounds are not supported)");
    return -1;
  }
  if ((double)npoints * (double)esize != size) {
    h5c_err_set(H5C_ERR_ARG, "buffer is %.0f bytes, selection needs %llu x %zu = %.0f", size,
                (unsigned long long)npoints, esize, (double)npoints * (double)esize);
    return -1;
  }
  return 0;
}

H5C_API int h5c_dataset_read(hid_t dset, hid_t memtype, int rank, const double *start, const double *count,
                             void *buf, double size) {
  selection s;
  int rc = -1;
  h5c_err_reset();
  if (sel_make(dset, rank, start, count, &s) < 0) return -1;
  if (check_raw_memtype(memtype, s.npoints, size) < 0) goto done;
  if (s.npoints > 0) H5C_TRY(H5Dread(dset, memtype, s.mspace, s.fspace, H5P_DEFAULT, buf), ("read failed"));
  rc = 0;
done:
  sel_close(&s);
  return rc;
}

H5C_API int h5c_dataset_write(hid_t dset, hid_t memtype, int rank, const double *start, const double *count,
                              const void *buf, double size) {
  selection s;
  int rc = -1, stub = 0;
  h5c_err_reset();
  /* A stub filter cannot encode: with OPTIONAL flags HDF5 would store the chunk unfiltered
   * instead of failing. Chunks of such datasets come only through h5c_chunk_write. */
  if (h5c_has_stub_filter(dset, &stub) > 0) {
    h5c_err_set(H5C_ERR_ARG, "dataset uses plugin filter %d, which runs in TypeScript: write whole chunks directly",
                stub);
    return -1;
  }
  if (sel_make(dset, rank, start, count, &s) < 0) return -1;
  if (check_raw_memtype(memtype, s.npoints, size) < 0) goto done;
  if (s.npoints > 0) H5C_TRY(H5Dwrite(dset, memtype, s.mspace, s.fspace, H5P_DEFAULT, buf), ("write failed"));
  rc = 0;
done:
  sel_close(&s);
  return rc;
}

static hid_t vlen_string_memtype(hid_t dset) {
  hid_t ft = H5Dget_type(dset), mt = -1;
  if (ft < 0) {
    h5c_err_capture("dataset type");
    return -1;
  }
  if (H5Tis_variable_str(ft) <= 0) {
    h5c_err_set(H5C_ERR_ARG, "dataset is not a variable-length string dataset");
  } else if ((mt = h5c_vlen_memtype(ft)) < 0) {
    h5c_err_capture("string memory type");
  }
  h5c_close_quiet(ft);
  return mt;
}

/* Fills the output buffer with npoints NUL-terminated strings; returns its length. */
H5C_API int h5c_dataset_read_strings(hid_t dset, int rank, const double *start, const double *count) {
  selection s = {-1, -1, 0};
  hid_t mt = -1;
  char **ptrs = NULL;
  int rc = -1, read = 0;
  h5c_err_reset();
  if ((mt = vlen_string_memtype(dset)) < 0) return -1;
  if (sel_make(dset, rank, start, count, &s) < 0) goto done;
  ptrs = calloc(s.npoints ? (size_t)s.npoints : 1, sizeof(char *));
  if (!ptrs) {
    h5c_err_set(H5C_ERR_NOMEM, "out of memory for %llu strings", (unsigned long long)s.npoints);
    goto done;
  }
  if (s.npoints > 0) {
    H5C_TRY(H5Dread(dset, mt, s.mspace, s.fspace, H5P_DEFAULT, ptrs), ("read failed"));
    read = 1;
  }
  rc = h5c_pack_strings(ptrs, (size_t)s.npoints);
done:
  /* the strings were allocated by HDF5: give them back the way HDF5 expects */
  if (read) H5Dvlen_reclaim(mt, s.mspace, H5P_DEFAULT, ptrs);
  free(ptrs);
  sel_close(&s);
  h5c_close_quiet(mt);
  return rc;
}

H5C_API int h5c_dataset_write_strings(hid_t dset, int rank, const double *start, const double *count,
                                      const char *packed, double packed_size, int n) {
  selection s = {-1, -1, 0};
  hid_t mt = -1;
  char **ptrs = NULL;
  int rc = -1;
  h5c_err_reset();
  if ((mt = vlen_string_memtype(dset)) < 0) return -1;
  if (sel_make(dset, rank, start, count, &s) < 0) goto done;
  if ((hsize_t)n != s.npoints) {
    h5c_err_set(H5C_ERR_ARG, "%d strings given for a selection of %llu", n, (unsigned long long)s.npoints);
    goto done;
  }
  if (!(ptrs = h5c_unpack_strings(packed, (size_t)packed_size, (size_t)n))) goto done;
  if (n > 0) H5C_TRY(H5Dwrite(dset, mt, s.mspace, s.fspace, H5P_DEFAULT, ptrs), ("write failed"));
  rc = 0;
done:
  free(ptrs);
  sel_close(&s);
  h5c_close_quiet(mt);
  return rc;
}
