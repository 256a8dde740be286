/*
 * Object references (hobj_ref_t, 8 bytes: the object header address; what h5py 3.7 and pynwb
 * write) and dataset region references (hdset_reg_ref_t, 12 bytes: a global heap entry).
 * JS only ever holds the raw bytes; they are written and read like any other element type.
 */
#include <stdlib.h>
#include <string.h>

#include "h5c.h"

H5C_API int h5c_ref_create(hid_t loc, const char *path, void *out8) {
  h5c_err_reset();
  if (h5c_exists(loc, path) != 1) {
    h5c_err_set(H5C_ERR_NOTFOUND, "%s: cannot reference a missing object", path);
    return -1;
  }
  if (H5Rcreate(out8, loc, path, H5R_OBJECT, -1) < 0) {
    h5c_err_capture("%s: cannot create object reference", path);
    return -1;
  }
  return 0;
}

H5C_API int h5c_ref_region_create(hid_t loc, const char *path, int rank, const double *start, const double *count,
                                  void *out12) {
  hsize_t st[H5S_MAX_RANK], ct[H5S_MAX_RANK];
  hid_t dset = -1, space = -1;
  int rc = -1;
  h5c_err_reset();
  if (h5c_dims(start, rank, st, 0, "region start") < 0 || h5c_dims(count, rank, ct, 0, "region count") < 0) return -1;
  if (h5c_exists(loc, path) != 1) {
    h5c_err_set(H5C_ERR_NOTFOUND, "%s: cannot reference a region of a missing dataset", path);
    return -1;
  }
  H5C_TRY(dset = H5Dopen2(loc, path, H5P_DEFAULT), ("%s: cannot open dataset", path));
  H5C_TRY(space = H5Dget_space(dset), ("%s: space", path));
  if (H5Sget_simple_extent_ndims(space) != rank) {
    h5c_err_set(H5C_ERR_ARG, "%s: region rank %d does not match the dataset", path, rank);
    goto done;
  }
  H5C_TRY(H5Sselect_hyperslab(space, H5S_SELECT_SET, st, NULL, ct, NULL), ("%s: region selection", path));
  H5C_TRY(H5Rcreate(out12, loc, path, H5R_DATASET_REGION, space), ("%s: cannot create region reference", path));
  rc = 0;
done:
  h5c_close_quiet(space);
  h5c_close_quiet(dset);
  return rc;
}

static void out_selection(hid_t space) {
  int rank = H5Sget_simple_extent_ndims(space);
  switch (H5Sget_select_type(space)) {
  case H5S_SEL_HYPERSLABS: {
    hssize_t nb = H5Sget_select_hyper_nblocks(space);
    hsize_t *blocks = nb > 0 ? malloc((size_t)nb * 2 * (size_t)rank * sizeof(hsize_t)) : NULL;
    h5c_out_str("{\"type\":\"hyperslabs\",\"blocks\":[");
    if (blocks && H5Sget_select_hyper_blocklist(space, 0, (hsize_t)nb, blocks) >= 0) {
      /* each block is [start..., end...] with inclusive ends, as HDF5 gives it */
      for (hssize_t b = 0; b < nb; b++) {
        h5c_out_str(b ? ",[" : "[");
        for (int k = 0; k < 2 * rank; k++) h5c_out_fmt(k ? ",%llu" : "%llu", (unsigned long long)blocks[b * 2 * rank + k]);
        h5c_out_str("]");
      }
    }
    free(blocks);
    h5c_out_str("]}");
    break;
  }
  case H5S_SEL_POINTS: {
    hssize_t np = H5Sget_select_elem_npoints(space);
    hsize_t *pts = np > 0 ? malloc((size_t)np * (size_t)rank * sizeof(hsize_t)) : NULL;
    h5c_out_str("{\"type\":\"points\",\"points\":[");
    if (pts && H5Sget_select_elem_pointlist(space, 0, (hsize_t)np, pts) >= 0) {
      for (hssize_t p = 0; p < np; p++) {
        h5c_out_str(p ? ",[" : "[");
        for (int k = 0; k < rank; k++) h5c_out_fmt(k ? ",%llu" : "%llu", (unsigned long long)pts[p * rank + k]);
        h5c_out_str("]");
      }
    }
    free(pts);
    h5c_out_str("]}");
    break;
  }
  case H5S_SEL_ALL: h5c_out_str("{\"type\":\"all\"}"); break;
  default: h5c_out_str("{\"type\":\"none\"}"); break;
  }
}

/* The referenced object's path (and, for a region reference, its selection) as JSON. */
H5C_API int h5c_ref_resolve(hid_t loc, const void *ref, int region) {
  const unsigned char *b = ref;
  size_t size = region ? sizeof(hdset_reg_ref_t) : sizeof(hobj_ref_t);
  H5R_type_t rt = region ? H5R_DATASET_REGION : H5R_OBJECT;
  hid_t obj = -1, space = -1;
  H5O_type_t ot;
  char *name = NULL;
  ssize_t n;
  int rc = -1, zero = 1;
  h5c_err_reset();
  for (size_t i = 0; i < size; i++) zero &= b[i] == 0;
  if (zero) {
    h5c_err_set(H5C_ERR_NOTFOUND, "null reference");
    return -1;
  }
  H5C_TRY(H5Rget_obj_type2(loc, rt, ref, &ot), ("reference does not point to an object"));
  H5C_TRY(obj = H5Rdereference2(loc, H5P_DEFAULT, rt, ref), ("cannot dereference"));
  H5C_TRY(n = H5Iget_name(obj, NULL, 0), ("referenced object has no name"));
  if (!(name = malloc((size_t)n + 1))) {
    h5c_err_set(H5C_ERR_NOMEM, "out of memory");
    goto done;
  }
  H5Iget_name(obj, name, (size_t)n + 1);
  h5c_out_reset();
  h5c_out_str("{\"path\":");
  h5c_out_json_str(name);
  h5c_out_fmt(",\"kind\":\"%s\"", ot == H5O_TYPE_GROUP ? "group" : ot == H5O_TYPE_DATASET ? "dataset" : "datatype");
  if (region) {
    H5C_TRY(space = H5Rget_region(loc, H5R_DATASET_REGION, ref), ("region of reference"));
    h5c_out_str(",\"selection\":");
    out_selection(space);
  }
  h5c_out_str("}");
  rc = h5c_out_len();
done:
  free(name);
  h5c_close_quiet(space);
  h5c_close_quiet(obj);
  return rc;
}
