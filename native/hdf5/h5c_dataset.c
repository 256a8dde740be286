/*
 * Dataset creation with a full creation property list, and reading that list back.
 *
 * The dcpl is built by the caller step by step (layout, filters in pipeline order, fill), so the
 * pipeline is exactly the ordered list the caller gave: h5py's gzip+shuffle+fletcher32 becomes
 * [shuffle, deflate, fletcher32] because that is the order TS passes, not because C knows h5py.
 */
#include <stdlib.h>
#include <string.h>

#include "h5c.h"

H5C_API hid_t h5c_dcpl_create(void) {
  h5c_err_reset();
  hid_t p = H5Pcreate(H5P_DATASET_CREATE);
  if (p < 0) {
    h5c_err_capture("dataset creation properties");
    return -1;
  }
  /* h5py's default track_times=False: no timestamps, so equal content gives equal files */
  if (H5Pset_obj_track_times(p, 0) < 0) {
    h5c_err_capture("dataset creation properties");
    h5c_close_quiet(p);
    return -1;
  }
  return p;
}

/* layout: 0 compact, 1 contiguous, 2 chunked (chunks used only then). */
H5C_API int h5c_dcpl_layout(hid_t dcpl, int layout, int rank, const double *chunks) {
  hsize_t dims[H5S_MAX_RANK];
  h5c_err_reset();
  if (layout < 0 || layout > 2) {
    h5c_err_set(H5C_ERR_ARG, "unknown layout %d", layout);
    return -1;
  }
  if (layout == 2) {
    if (rank < 1) {
      h5c_err_set(H5C_ERR_ARG, "chunked layout needs rank >= 1");
      return -1;
    }
    if (h5c_dims(chunks, rank, dims, 0, "chunks") < 0) return -1;
    for (int i = 0; i < rank; i++) {
      if (dims[i] == 0 || dims[i] > 0xffffffffULL) {
        h5c_err_set(H5C_ERR_ARG, "chunk dimension %d is %llu: must be 1..2^32-1", i, (unsigned long long)dims[i]);
        return -1;
      }
    }
    if (H5Pset_chunk(dcpl, rank, dims) < 0) {
      h5c_err_capture("setting chunks");
      return -1;
    }
    return 0;
  }
  if (H5Pset_layout(dcpl, layout == 0 ? H5D_COMPACT : H5D_CONTIGUOUS) < 0) {
    h5c_err_capture("setting layout");
    return -1;
  }
  return 0;
}

H5C_API int h5c_dcpl_filter(hid_t dcpl, int id, int flags, int n, const unsigned *cd_values) {
  htri_t avail;
  h5c_err_reset();
  if (flags != H5Z_FLAG_MANDATORY && flags != H5Z_FLAG_OPTIONAL) {
    h5c_err_set(H5C_ERR_ARG, "filter %d: flags must be 0 (mandatory) or 1 (optional), got %d", id, flags);
    return -1;
  }
  if (n < 0 || n > 256) {
    h5c_err_set(H5C_ERR_ARG, "filter %d: %d cd_values", id, n);
    return -1;
  }
  /* Refuse ids that are neither built in nor one of our stubs here, not at H5Dcreate time
   * where HDF5 would go looking for a plugin library. */
  H5E_BEGIN_TRY { avail = id > 0 && id <= 65535 ? H5Zfilter_avail((H5Z_filter_t)id) : 0; }
  H5E_END_TRY;
  if (avail <= 0) {
    H5Eclear2(H5E_DEFAULT);
    h5c_err_set(H5C_ERR_ARG, "filter id %d is not available (built in: 1 deflate, 2 shuffle, 3 fletcher32, "
                             "5 nbit, 6 scaleoffset; registered: 307, 32000, 32001, 32004, 32008, 32015)", id);
    return -1;
  }
  if (H5Pset_filter(dcpl, (H5Z_filter_t)id, (unsigned)flags, (size_t)n, cd_values) < 0) {
    h5c_err_capture("adding filter %d", id);
    return -1;
  }
  return 0;
}

/* value NULL keeps the default fill value (zeros); fill_time / alloc_time -1 keep HDF5's default. */
H5C_API int h5c_dcpl_fill(hid_t dcpl, hid_t type, const void *value, int fill_time, int alloc_time) {
  h5c_err_reset();
  if (fill_time < -1 || fill_time > 2 || alloc_time < -1 || alloc_time > 3) {
    h5c_err_set(H5C_ERR_ARG, "fill_time %d / alloc_time %d out of range", fill_time, alloc_time);
    return -1;
  }
  if (value && H5Pset_fill_value(dcpl, type, value) < 0) {
    h5c_err_capture("setting fill value");
    return -1;
  }
  if (fill_time >= 0 && H5Pset_fill_time(dcpl, (H5D_fill_time_t)fill_time) < 0) {
    h5c_err_capture("setting fill time");
    return -1;
  }
  if (alloc_time >= 0 && H5Pset_alloc_time(dcpl, (H5D_alloc_time_t)alloc_time) < 0) {
    h5c_err_capture("setting allocation time");
    return -1;
  }
  return 0;
}

H5C_API int h5c_dcpl_track_times(hid_t dcpl, int on) {
  h5c_err_reset();
  if (H5Pset_obj_track_times(dcpl, on ? 1 : 0) < 0) {
    h5c_err_capture("track times");
    return -1;
  }
  return 0;
}

/* maxdims may be NULL (fixed size); -1 in maxdims means unlimited. rank 0 = scalar. */
H5C_API hid_t h5c_dataset_create(hid_t loc, const char *path, hid_t type, int rank, const double *dims,
                                 const double *maxdims, hid_t dcpl) {
  hsize_t d[H5S_MAX_RANK], m[H5S_MAX_RANK];
  hid_t space = -1, lcpl = -1, dset = -1;
  h5c_err_reset();
  if (h5c_dims(dims, rank, d, 0, path) < 0) return -1;
  if (maxdims) {
    if (h5c_dims(maxdims, rank, m, 1, path) < 0) return -1;
    for (int i = 0; i < rank; i++) {
      if (m[i] != H5S_UNLIMITED && m[i] < d[i]) {
        h5c_err_set(H5C_ERR_ARG, "%s: maxshape[%d]=%llu is smaller than shape[%d]=%llu", path, i,
                    (unsigned long long)m[i], i, (unsigned long long)d[i]);
        return -1;
      }
    }
  }
  if (h5c_exists(loc, path) == 1) {
    h5c_err_set(H5C_ERR_EXISTS, "%s: name already exists", path);
    return -1;
  }
  h5c_err_reset();
  H5C_TRY(space = rank == 0 ? H5Screate(H5S_SCALAR) : H5Screate_simple(rank, d, maxdims ? m : NULL),
          ("%s: dataspace", path));
  H5C_TRY(lcpl = H5Pcreate(H5P_LINK_CREATE), ("%s: link properties", path));
  H5C_TRY(H5Pset_create_intermediate_group(lcpl, 1), ("%s: link properties", path));
  H5C_TRY(H5Pset_char_encoding(lcpl, H5T_CSET_UTF8), ("%s: link properties", path));
  H5C_TRY(dset = H5Dcreate2(loc, path, type, space, lcpl, dcpl, H5P_DEFAULT), ("%s: cannot create dataset", path));
done:
  h5c_close_quiet(space);
  h5c_close_quiet(lcpl);
  return dset;
}

static const char *layout_name(H5D_layout_t l) {
  switch (l) {
  case H5D_COMPACT: return "compact";
  case H5D_CONTIGUOUS: return "contiguous";
  case H5D_CHUNKED: return "chunked";
  case H5D_VIRTUAL: return "virtual";
  default: return "unknown";
  }
}

static void out_filters(hid_t dcpl) {
  int n = H5Pget_nfilters(dcpl);
  h5c_out_str(",\"filters\":[");
  for (int i = 0; i < n; i++) {
    unsigned flags = 0, cd[64], cfg = 0;
    size_t ncd = 64;
    char name[257] = "";
    H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, cd, sizeof name - 1, name, &cfg);
    if (ncd > 64) ncd = 64;
    h5c_out_fmt("%s{\"id\":%d,\"flags\":%u,\"name\":", i ? "," : "", (int)id, flags);
    h5c_out_json_str(name);
    h5c_out_str(",\"cd_values\":[");
    for (size_t k = 0; k < ncd; k++) h5c_out_fmt(k ? ",%u" : "%u", cd[k]);
    h5c_out_str("]}");
  }
  h5c_out_str("]");
}

/* Everything about a dataset's storage as JSON, read back from the file's own dcpl. */
H5C_API int h5c_dataset_info(hid_t dset) {
  hid_t space = -1, dcpl = -1, type = -1;
  hsize_t dims[H5S_MAX_RANK], maxd[H5S_MAX_RANK], chunks[H5S_MAX_RANK];
  H5D_layout_t layout;
  H5D_fill_value_t fdef;
  H5D_fill_time_t ftime;
  H5D_alloc_time_t atime;
  int rank, rc = -1;
  H5S_class_t sclass;
  h5c_err_reset();
  H5C_TRY(space = H5Dget_space(dset), ("dataset space"));
  H5C_TRY(dcpl = H5Dget_create_plist(dset), ("dataset properties"));
  H5C_TRY(type = H5Dget_type(dset), ("dataset type"));
  H5C_TRY(rank = H5Sget_simple_extent_dims(space, dims, maxd), ("dataset shape"));
  H5C_TRY(layout = H5Pget_layout(dcpl), ("dataset layout"));
  H5C_TRY(H5Pfill_value_defined(dcpl, &fdef), ("fill value"));
  H5C_TRY(H5Pget_fill_time(dcpl, &ftime), ("fill time"));
  H5C_TRY(H5Pget_alloc_time(dcpl, &atime), ("allocation time"));
  sclass = H5Sget_simple_extent_type(space);
  h5c_out_reset();
  h5c_out_fmt("{\"space\":\"%s\",\"shape\":[", sclass == H5S_NULL ? "null" : sclass == H5S_SCALAR ? "scalar" : "simple");
  for (int i = 0; i < rank; i++) h5c_out_fmt(i ? ",%llu" : "%llu", (unsigned long long)dims[i]);
  h5c_out_str("],\"maxshape\":[");
  for (int i = 0; i < rank; i++) {
    if (maxd[i] == H5S_UNLIMITED)
      h5c_out_str(i ? ",null" : "null");
    else
      h5c_out_fmt(i ? ",%llu" : "%llu", (unsigned long long)maxd[i]);
  }
  h5c_out_fmt("],\"layout\":\"%s\",\"chunks\":", layout_name(layout));
  if (layout == H5D_CHUNKED) {
    int cr;
    H5C_TRY(cr = H5Pget_chunk(dcpl, H5S_MAX_RANK, chunks), ("chunk shape"));
    h5c_out_str("[");
    for (int i = 0; i < cr; i++) h5c_out_fmt(i ? ",%llu" : "%llu", (unsigned long long)chunks[i]);
    h5c_out_str("]");
  } else {
    h5c_out_str("null");
  }
  out_filters(dcpl);
  h5c_out_fmt(",\"fill\":\"%s\",\"fill_time\":\"%s\",\"alloc_time\":\"%s\",\"storage_size\":%llu,\"dtype\":",
              fdef == H5D_FILL_VALUE_UNDEFINED ? "undefined" : fdef == H5D_FILL_VALUE_DEFAULT ? "default" : "user",
              ftime == H5D_FILL_TIME_ALLOC ? "alloc" : ftime == H5D_FILL_TIME_NEVER ? "never" : "ifset",
              atime == H5D_ALLOC_TIME_EARLY ? "early" : atime == H5D_ALLOC_TIME_LATE ? "late" : "incr",
              (unsigned long long)H5Dget_storage_size(dset));
  h5c_describe_into(type);
  h5c_out_str("}");
  rc = h5c_out_len();
done:
  h5c_close_quiet(space);
  h5c_close_quiet(dcpl);
  h5c_close_quiet(type);
  return rc;
}

/* Fill value bytes in the dataset's stored type. Returns 1 if defined, 0 if undefined. */
H5C_API int h5c_dataset_fill_value(hid_t dset, void *buf, int size) {
  hid_t dcpl = -1, type = -1;
  H5D_fill_value_t fdef;
  int rc = -1;
  h5c_err_reset();
  H5C_TRY(dcpl = H5Dget_create_plist(dset), ("dataset properties"));
  H5C_TRY(type = H5Dget_type(dset), ("dataset type"));
  if (h5c_type_has_vlen(type)) {
    h5c_err_set(H5C_ERR_ARG, "fill value of a variable-length type is not readable as bytes");
    goto done;
  }
  if ((size_t)size != H5Tget_size(type)) {
    h5c_err_set(H5C_ERR_ARG, "fill value buffer is %d bytes, type is %zu", size, H5Tget_size(type));
    goto done;
  }
  H5C_TRY(H5Pfill_value_defined(dcpl, &fdef), ("fill value"));
  if (fdef == H5D_FILL_VALUE_UNDEFINED) {
    memset(buf, 0, (size_t)size);
    rc = 0;
    goto done;
  }
  H5C_TRY(H5Pget_fill_value(dcpl, type, buf), ("fill value"));
  rc = 1;
done:
  h5c_close_quiet(dcpl);
  h5c_close_quiet(type);
  return rc;
}

H5C_API int h5c_dataset_set_extent(hid_t dset, int rank, const double *dims) {
  hsize_t d[H5S_MAX_RANK];
  hid_t space = -1;
  int have, rc = -1;
  h5c_err_reset();
  if (h5c_dims(dims, rank, d, 0, "new shape") < 0) return -1;
  H5C_TRY(space = H5Dget_space(dset), ("dataset space"));
  H5C_TRY(have = H5Sget_simple_extent_ndims(space), ("dataset rank"));
  if (have != rank) {
    h5c_err_set(H5C_ERR_ARG, "new shape has rank %d, dataset has rank %d", rank, have);
    goto done;
  }
  H5C_TRY(H5Dset_extent(dset, d), ("cannot change extent"));
  rc = 0;
done:
  h5c_close_quiet(space);
  return rc;
}

/* 1 if the pipeline holds a stub filter (its id in *which): data must move as chunks. */
int h5c_has_stub_filter(hid_t dset, int *which) {
  hid_t dcpl = H5Dget_create_plist(dset);
  int n, found = 0;
  if (dcpl < 0) return -1;
  n = H5Pget_nfilters(dcpl);
  for (int i = 0; i < n && !found; i++) {
    unsigned flags, cfg;
    size_t ncd = 0;
    H5Z_filter_t id = H5Pget_filter2(dcpl, (unsigned)i, &flags, &ncd, NULL, 0, NULL, &cfg);
    if (h5c_is_stub_filter((int)id)) {
      found = 1;
      *which = (int)id;
    }
  }
  h5c_close_quiet(dcpl);
  return found;
}
