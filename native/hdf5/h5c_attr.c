/*
 * Attributes, each call complete in itself (open, act, close): attribute ids never reach JS,
 * so none can leak.
 */
#include <stdlib.h>

#include "h5c.h"

typedef struct {
  int n;
} names_state;

static herr_t names_cb(hid_t obj, const char *name, const H5A_info_t *info, void *data) {
  names_state *st = (names_state *)data;
  h5c_out_str(st->n++ ? "," : "");
  h5c_out_json_str(name);
  return 0;
}

/* Does the object record attribute creation order? (h5py then lists attributes in that order.) */
static int crt_order_tracked(hid_t obj) {
  hid_t o = -1, cpl = -1;
  unsigned flags = 0;
  H5E_BEGIN_TRY {
    o = H5Oopen(obj, ".", H5P_DEFAULT);
    if (o >= 0) {
      H5I_type_t t = H5Iget_type(o);
      cpl = t == H5I_GROUP ? H5Gget_create_plist(o) : t == H5I_DATASET ? H5Dget_create_plist(o) : -1;
      if (cpl >= 0) H5Pget_attr_creation_order(cpl, &flags);
    }
  }
  H5E_END_TRY;
  h5c_close_quiet(cpl);
  h5c_close_quiet(o);
  H5Eclear2(H5E_DEFAULT);
  return (flags & H5P_CRT_ORDER_TRACKED) != 0;
}

/* Attribute names as a JSON array, in the order h5py lists them. */
H5C_API int h5c_attr_names(hid_t obj) {
  names_state st = {0};
  hsize_t idx = 0;
  h5c_err_reset();
  h5c_out_reset();
  h5c_out_str("[");
  if (H5Aiterate2(obj, crt_order_tracked(obj) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME, H5_ITER_INC, &idx, names_cb, &st) < 0) {
    h5c_err_capture("listing attributes");
    return -1;
  }
  h5c_out_str("]");
  return h5c_out_len();
}

H5C_API int h5c_attr_exists(hid_t obj, const char *name) {
  h5c_err_reset();
  htri_t e = H5Aexists(obj, name);
  if (e < 0) {
    h5c_err_capture("attribute %s", name);
    return -1;
  }
  return e > 0;
}

static hid_t open_attr(hid_t obj, const char *name) {
  htri_t e = H5Aexists(obj, name);
  if (e < 0) {
    h5c_err_capture("attribute %s", name);
    return -1;
  }
  if (e == 0) {
    h5c_err_set(H5C_ERR_NOTFOUND, "attribute %s: not found", name);
    return -1;
  }
  hid_t a = H5Aopen(obj, name, H5P_DEFAULT);
  if (a < 0) h5c_err_capture("attribute %s: cannot open", name);
  return a;
}

H5C_API int h5c_attr_info(hid_t obj, const char *name) {
  hid_t a = -1, space = -1, type = -1;
  hsize_t dims[H5S_MAX_RANK];
  int rank, rc = -1;
  H5S_class_t sc;
  h5c_err_reset();
  if ((a = open_attr(obj, name)) < 0) return -1;
  H5C_TRY(space = H5Aget_space(a), ("attribute %s: space", name));
  H5C_TRY(type = H5Aget_type(a), ("attribute %s: type", name));
  H5C_TRY(rank = H5Sget_simple_extent_dims(space, dims, NULL), ("attribute %s: shape", name));
  sc = H5Sget_simple_extent_type(space);
  h5c_out_reset();
  h5c_out_fmt("{\"space\":\"%s\",\"shape\":[", sc == H5S_NULL ? "null" : sc == H5S_SCALAR ? "scalar" : "simple");
  for (int i = 0; i < rank; i++) h5c_out_fmt(i ? ",%llu" : "%llu", (unsigned long long)dims[i]);
  h5c_out_str("],\"dtype\":");
  h5c_describe_into(type);
  h5c_out_str("}");
  rc = h5c_out_len();
done:
  h5c_close_quiet(type);
  h5c_close_quiet(space);
  h5c_close_quiet(a);
  return rc;
}

/* New attribute with its dataspace; EXISTS if the name is taken (TS deletes first to replace). */
static hid_t create_attr(hid_t obj, const char *name, hid_t type, int rank, const double *dims, hid_t *space,
                         hsize_t *npoints) {
  hsize_t d[H5S_MAX_RANK];
  hid_t acpl = -1, a = -1;
  htri_t e;
  *space = -1;
  if (h5c_dims(dims, rank, d, 0, name) < 0) return -1;
  *npoints = 1;
  for (int i = 0; i < rank; i++) *npoints *= d[i];
  H5C_TRY(e = H5Aexists(obj, name), ("attribute %s", name));
  if (e > 0) {
    h5c_err_set(H5C_ERR_EXISTS, "attribute %s: already exists", name);
    goto done;
  }
  H5C_TRY(*space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, d, NULL), ("attribute %s: space", name));
  H5C_TRY(acpl = H5Pcreate(H5P_ATTRIBUTE_CREATE), ("attribute %s", name));
  H5C_TRY(H5Pset_char_encoding(acpl, H5T_CSET_UTF8), ("attribute %s", name));
  H5C_TRY(a = H5Acreate2(obj, name, type, *space, acpl, H5P_DEFAULT), ("attribute %s: cannot create", name));
done:
  h5c_close_quiet(acpl);
  if (a < 0) {
    h5c_close_quiet(*space);
    *space = -1;
  }
  return a;
}

H5C_API int h5c_attr_write(hid_t obj, const char *name, hid_t type, int rank, const double *dims, const void *buf,
                           double size) {
  hid_t a = -1, space = -1;
  hsize_t n;
  int rc = -1;
  size_t esize;
  h5c_err_reset();
  if (h5c_type_has_vlen(type)) {
    h5c_err_set(H5C_ERR_ARG, "attribute %s: variable-length types go through h5c_attr_write_strings", name);
    return -1;
  }
  esize = H5Tget_size(type);
  if ((a = create_attr(obj, name, type, rank, dims, &space, &n)) < 0) return -1;
  if ((double)n * (double)esize != size) {
    h5c_err_set(H5C_ERR_ARG, "attribute %s: buffer is %.0f bytes, needs %.0f", name, size, (double)n * (double)esize);
    goto done;
  }
  H5C_TRY(H5Awrite(a, type, buf), ("attribute %s: write failed", name));
  rc = 0;
done:
  h5c_close_quiet(space);
  h5c_close_quiet(a);
  /* never leave a half-made attribute behind */
  if (rc < 0) H5E_BEGIN_TRY { H5Adelete(obj, name); }
  H5E_END_TRY;
  return rc;
}

H5C_API int h5c_attr_write_strings(hid_t obj, const char *name, hid_t type, int rank, const double *dims,
                                   const char *packed, double packed_size, int n) {
  hid_t a = -1, space = -1, mt = -1;
  hsize_t npoints;
  char **ptrs = NULL;
  int rc = -1;
  h5c_err_reset();
  if (H5Tis_variable_str(type) <= 0) {
    h5c_err_set(H5C_ERR_ARG, "attribute %s: type is not a variable-length string", name);
    return -1;
  }
  if ((a = create_attr(obj, name, type, rank, dims, &space, &npoints)) < 0) return -1;
  if ((hsize_t)n != npoints) {
    h5c_err_set(H5C_ERR_ARG, "attribute %s: %d strings for %llu elements", name, n, (unsigned long long)npoints);
    goto done;
  }
  if (!(ptrs = h5c_unpack_strings(packed, (size_t)packed_size, (size_t)n))) goto done;
  H5C_TRY(mt = h5c_vlen_memtype(type), ("attribute %s: memory type", name));
  H5C_TRY(H5Awrite(a, mt, ptrs), ("attribute %s: write failed", name));
  rc = 0;
done:
  free(ptrs);
  h5c_close_quiet(mt);
  h5c_close_quiet(space);
  h5c_close_quiet(a);
  if (rc < 0 && a >= 0) H5E_BEGIN_TRY { H5Adelete(obj, name); }
  H5E_END_TRY;
  return rc;
}

H5C_API int h5c_attr_read(hid_t obj, const char *name, hid_t memtype, void *buf, double size) {
  hid_t a = -1, space = -1;
  hssize_t n;
  int rc = -1;
  h5c_err_reset();
  if (h5c_type_has_vlen(memtype)) {
    h5c_err_set(H5C_ERR_ARG, "attribute %s: variable-length types go through h5c_attr_read_strings", name);
    return -1;
  }
  if ((a = open_attr(obj, name)) < 0) return -1;
  H5C_TRY(space = H5Aget_space(a), ("attribute %s: space", name));
  H5C_TRY(n = H5Sget_simple_extent_npoints(space), ("attribute %s: size", name));
  if ((double)n * (double)H5Tget_size(memtype) != size) {
    h5c_err_set(H5C_ERR_ARG, "attribute %s: buffer is %.0f bytes, needs %.0f", name, size,
                (double)n * (double)H5Tget_size(memtype));
    goto done;
  }
  if (n > 0) H5C_TRY(H5Aread(a, memtype, buf), ("attribute %s: read failed", name));
  rc = 0;
done:
  h5c_close_quiet(space);
  h5c_close_quiet(a);
  return rc;
}

H5C_API int h5c_attr_read_strings(hid_t obj, const char *name) {
  hid_t a = -1, space = -1, ft = -1, mt = -1;
  hssize_t n;
  char **ptrs = NULL;
  int rc = -1, read = 0;
  h5c_err_reset();
  if ((a = open_attr(obj, name)) < 0) return -1;
  H5C_TRY(ft = H5Aget_type(a), ("attribute %s: type", name));
  if (H5Tis_variable_str(ft) <= 0) {
    h5c_err_set(H5C_ERR_ARG, "attribute %s: not a variable-length string", name);
    goto done;
  }
  H5C_TRY(mt = h5c_vlen_memtype(ft), ("attribute %s: memory type", name));
  H5C_TRY(space = H5Aget_space(a), ("attribute %s: space", name));
  H5C_TRY(n = H5Sget_simple_extent_npoints(space), ("attribute %s: size", name));
  ptrs = calloc(n ? (size_t)n : 1, sizeof(char *));
  if (!ptrs) {
    h5c_err_set(H5C_ERR_NOMEM, "out of memory");
    goto done;
  }
  if (n > 0) {
    H5C_TRY(H5Aread(a, mt, ptrs), ("attribute %s: read failed", name));
    read = 1;
  }
  rc = h5c_pack_strings(ptrs, (size_t)n);
done:
  if (read) H5Dvlen_reclaim(mt, space, H5P_DEFAULT, ptrs);
  free(ptrs);
  h5c_close_quiet(mt);
  h5c_close_quiet(ft);
  h5c_close_quiet(space);
  h5c_close_quiet(a);
  return rc;
}

/* The stored type, so raw reads return the bytes exactly as in the file. */
H5C_API hid_t h5c_attr_type(hid_t obj, const char *name) {
  hid_t a, t;
  h5c_err_reset();
  if ((a = open_attr(obj, name)) < 0) return -1;
  if ((t = H5Aget_type(a)) < 0) h5c_err_capture("attribute %s: type", name);
  h5c_close_quiet(a);
  return t;
}

H5C_API int h5c_attr_delete(hid_t obj, const char *name) {
  htri_t e;
  h5c_err_reset();
  if ((e = H5Aexists(obj, name)) < 0) {
    h5c_err_capture("attribute %s", name);
    return -1;
  }
  if (e == 0) {
    h5c_err_set(H5C_ERR_NOTFOUND, "attribute %s: not found", name);
    return -1;
  }
  if (H5Adelete(obj, name) < 0) {
    h5c_err_capture("attribute %s: cannot delete", name);
    return -1;
  }
  return 0;
}
