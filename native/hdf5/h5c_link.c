/*
 * Groups, links and object identity.
 *
 * Paths are checked for existence before HDF5 is asked to open or create anything, because
 * HDF5's own "not found" and "already exists" errors come from several layers with different
 * codes; a precise NOTFOUND/EXISTS class here becomes NotFoundError / a typed error in TS.
 */
#include <stdlib.h>
#include <string.h>

#include "h5c.h"

/* h5py's link creation defaults: parents are created as needed and names are UTF-8. */
static hid_t make_lcpl(void) {
  hid_t lcpl = H5Pcreate(H5P_LINK_CREATE);
  if (lcpl < 0) return -1;
  if (H5Pset_create_intermediate_group(lcpl, 1) < 0 || H5Pset_char_encoding(lcpl, H5T_CSET_UTF8) < 0) {
    h5c_close_quiet(lcpl);
    return -1;
  }
  return lcpl;
}

static const char *kind_name(H5O_type_t t) {
  switch (t) {
  case H5O_TYPE_GROUP: return "group";
  case H5O_TYPE_DATASET: return "dataset";
  case H5O_TYPE_NAMED_DATATYPE: return "datatype";
  default: return "unknown";
  }
}

/* 1 if the last link of `path` exists and every parent resolves to a group; 0 otherwise.
 * H5Lexists alone would fail (not return 0) when a parent is missing. */
H5C_API int h5c_exists(hid_t loc, const char *path) {
  size_t n = strlen(path);
  char *buf;
  int result = 1;
  h5c_err_reset();
  if (n == 0 || strcmp(path, "/") == 0 || strcmp(path, ".") == 0) return 1;
  buf = malloc(n + 1);
  if (!buf) {
    h5c_err_set(H5C_ERR_NOMEM, "out of memory");
    return -1;
  }
  memcpy(buf, path, n + 1);
  for (size_t i = 1; i <= n && result == 1; i++) {
    if (i < n && buf[i] != '/') continue;
    if (i < n && buf[i - 1] == '/') continue; /* "//" or leading "/" */
    char saved = buf[i];
    buf[i] = '\0';
    H5E_BEGIN_TRY {
      htri_t e = H5Lexists(loc, buf, H5P_DEFAULT);
      if (e <= 0) {
        result = 0;
      } else if (i < n) {
        H5O_info2_t oi;
        if (H5Oget_info_by_name3(loc, buf, &oi, H5O_INFO_BASIC, H5P_DEFAULT) < 0 || oi.type != H5O_TYPE_GROUP)
          result = 0;
      }
    }
    H5E_END_TRY;
    buf[i] = saved;
  }
  free(buf);
  H5Eclear2(H5E_DEFAULT);
  return result;
}

static int require(hid_t loc, const char *path) {
  int e = h5c_exists(loc, path);
  if (e == 0) h5c_err_set(H5C_ERR_NOTFOUND, "%s: not found", path);
  return e == 1 ? 0 : -1;
}

static int require_absent(hid_t loc, const char *path) {
  int e = h5c_exists(loc, path);
  if (e == 1) h5c_err_set(H5C_ERR_EXISTS, "%s: name already exists", path);
  return e == 0 ? 0 : -1;
}

H5C_API hid_t h5c_group_create(hid_t loc, const char *path, int track_order) {
  hid_t lcpl = -1, gcpl = -1, gid = -1;
  if (require_absent(loc, path) < 0) return -1;
  H5C_TRY(lcpl = make_lcpl(), ("%s: link creation properties", path));
  H5C_TRY(gcpl = H5Pcreate(H5P_GROUP_CREATE), ("%s: group creation properties", path));
  if (track_order) {
    unsigned f = H5P_CRT_ORDER_TRACKED | H5P_CRT_ORDER_INDEXED;
    H5C_TRY(H5Pset_link_creation_order(gcpl, f), ("%s: track order", path));
    H5C_TRY(H5Pset_attr_creation_order(gcpl, f), ("%s: track order", path));
  }
  H5C_TRY(gid = H5Gcreate2(loc, path, lcpl, gcpl, H5P_DEFAULT), ("%s: cannot create group", path));
done:
  h5c_close_quiet(lcpl);
  h5c_close_quiet(gcpl);
  return gid;
}

H5C_API hid_t h5c_open(hid_t loc, const char *path) {
  hid_t id = -1;
  if (require(loc, path) < 0) return -1;
  H5C_TRY(id = H5Oopen(loc, path, H5P_DEFAULT), ("%s: cannot open", path));
done:
  return id;
}

/* The object header address behind a native-VOL object token (1.12+ API: tokens, not addresses). */
static unsigned long long token_addr(hid_t loc, H5O_token_t token) {
  haddr_t addr = HADDR_UNDEF;
  if (H5VLnative_token_to_addr(loc, token, &addr) < 0) return (unsigned long long)HADDR_UNDEF;
  return (unsigned long long)addr;
}

/* One link as JSON; `name` is relative to `grp`. */
static int link_json(hid_t grp, const char *name, const char *display_name) {
  H5L_info2_t li;
  char *val = NULL;
  int rc = -1;
  H5C_TRY(H5Lget_info2(grp, name, &li, H5P_DEFAULT), ("%s: link info", display_name));
  h5c_out_str("{\"name\":");
  h5c_out_json_str(display_name);
  if (li.type == H5L_TYPE_HARD) {
    H5O_info2_t oi;
    H5C_TRY(H5Oget_info_by_name3(grp, name, &oi, H5O_INFO_BASIC, H5P_DEFAULT), ("%s: object info", display_name));
    h5c_out_fmt(",\"link\":\"hard\",\"kind\":\"%s\",\"addr\":%llu,\"rc\":%u}", kind_name(oi.type),
                token_addr(grp, oi.token), oi.rc);
  } else if (li.type == H5L_TYPE_SOFT || li.type == H5L_TYPE_EXTERNAL) {
    size_t size = li.u.val_size;
    val = malloc(size + 1);
    if (!val) {
      h5c_err_set(H5C_ERR_NOMEM, "out of memory");
      goto done;
    }
    H5C_TRY(H5Lget_val(grp, name, val, size, H5P_DEFAULT), ("%s: link value", display_name));
    val[size] = '\0';
    if (li.type == H5L_TYPE_SOFT) {
      h5c_out_str(",\"link\":\"soft\",\"target\":");
      h5c_out_json_str(val);
    } else {
      unsigned flags;
      const char *file = NULL, *obj = NULL;
      H5C_TRY(H5Lunpack_elink_val(val, size, &flags, &file, &obj), ("%s: external link value", display_name));
      h5c_out_str(",\"link\":\"external\",\"file\":");
      h5c_out_json_str(file);
      h5c_out_str(",\"target\":");
      h5c_out_json_str(obj);
    }
    h5c_out_str("}");
  } else {
    h5c_out_fmt(",\"link\":\"user\",\"type\":%d}", (int)li.type);
  }
  rc = 0;
done:
  free(val);
  return rc;
}

typedef struct {
  int failed;
} list_state;

static herr_t list_cb(hid_t grp, const char *name, const H5L_info2_t *info, void *data) {
  list_state *st = (list_state *)data;
  if (h5c_out_len() > 1) h5c_out_str(",");
  if (link_json(grp, name, name) < 0) {
    st->failed = 1;
    return -1;
  }
  return 0;
}

/* Members of a group as a JSON array, in creation order if the group tracks it (as h5py). */
H5C_API int h5c_list(hid_t loc, const char *path) {
  hid_t gid = -1, gcpl = -1;
  unsigned crt = 0;
  list_state st = {0};
  hsize_t idx = 0;
  int rc = -1;
  if (require(loc, path) < 0) return -1;
  H5C_TRY(gid = H5Gopen2(loc, path, H5P_DEFAULT), ("%s: cannot open group", path));
  H5C_TRY(gcpl = H5Gget_create_plist(gid), ("%s: group properties", path));
  H5C_TRY(H5Pget_link_creation_order(gcpl, &crt), ("%s: group properties", path));
  h5c_out_reset();
  h5c_out_str("[");
  if (H5Literate2(gid, (crt & H5P_CRT_ORDER_INDEXED) ? H5_INDEX_CRT_ORDER : H5_INDEX_NAME, H5_ITER_INC, &idx,
                  list_cb, &st) < 0) {
    if (!st.failed) h5c_err_capture("%s: cannot iterate links", path);
    goto done;
  }
  h5c_out_str("]");
  rc = h5c_out_len();
done:
  h5c_close_quiet(gcpl);
  h5c_close_quiet(gid);
  return rc;
}

/* The link at `path` as JSON (same shape as one h5c_list entry, name = path). */
H5C_API int h5c_link_info(hid_t loc, const char *path) {
  if (strcmp(path, "/") == 0) {
    h5c_out_reset();
    h5c_out_str("{\"name\":\"/\",\"link\":\"root\",\"kind\":\"group\"}");
    return h5c_out_len();
  }
  /* only the link itself must exist: a dangling soft or external link is still listed */
  h5c_err_reset();
  {
    htri_t e;
    int parents;
    const char *slash = strrchr(path, '/');
    if (slash && slash != path) {
      size_t plen = (size_t)(slash - path);
      char *parent = malloc(plen + 1);
      if (parent) {
        memcpy(parent, path, plen);
        parent[plen] = '\0';
      } else {
        h5c_err_set(H5C_ERR_NOMEM, "out of memory");
        return -1;
      }
      parents = h5c_exists(loc, parent);
      free(parent);
      if (parents != 1) {
        h5c_err_set(H5C_ERR_NOTFOUND, "%s: not found", path);
        return -1;
      }
    }
    H5E_BEGIN_TRY { e = H5Lexists(loc, path, H5P_DEFAULT); }
    H5E_END_TRY;
    if (e <= 0) {
      H5Eclear2(H5E_DEFAULT);
      h5c_err_set(H5C_ERR_NOTFOUND, "%s: not found", path);
      return -1;
    }
  }
  h5c_out_reset();
  if (link_json(loc, path, path) < 0) return -1;
  return h5c_out_len();
}

H5C_API int h5c_link_soft(const char *target, hid_t loc, const char *path) {
  hid_t lcpl = -1;
  int rc = -1;
  if (require_absent(loc, path) < 0) return -1;
  H5C_TRY(lcpl = make_lcpl(), ("%s: link creation properties", path));
  H5C_TRY(H5Lcreate_soft(target, loc, path, lcpl, H5P_DEFAULT), ("%s: cannot create soft link to %s", path, target));
  rc = 0;
done:
  h5c_close_quiet(lcpl);
  return rc;
}

H5C_API int h5c_link_hard(hid_t obj_loc, const char *obj_path, hid_t loc, const char *path) {
  hid_t lcpl = -1;
  int rc = -1;
  if (require(obj_loc, obj_path) < 0) return -1;
  if (require_absent(loc, path) < 0) return -1;
  H5C_TRY(lcpl = make_lcpl(), ("%s: link creation properties", path));
  H5C_TRY(H5Lcreate_hard(obj_loc, obj_path, loc, path, lcpl, H5P_DEFAULT),
          ("%s: cannot create hard link to %s", path, obj_path));
  rc = 0;
done:
  h5c_close_quiet(lcpl);
  return rc;
}

H5C_API int h5c_link_external(const char *file, const char *obj_path, hid_t loc, const char *path) {
  hid_t lcpl = -1;
  int rc = -1;
  if (require_absent(loc, path) < 0) return -1;
  H5C_TRY(lcpl = make_lcpl(), ("%s: link creation properties", path));
  H5C_TRY(H5Lcreate_external(file, obj_path, loc, path, lcpl, H5P_DEFAULT),
          ("%s: cannot create external link to %s:%s", path, file, obj_path));
  rc = 0;
done:
  h5c_close_quiet(lcpl);
  return rc;
}

H5C_API int h5c_link_delete(hid_t loc, const char *path) {
  htri_t e;
  h5c_err_reset();
  H5E_BEGIN_TRY { e = H5Lexists(loc, path, H5P_DEFAULT); }
  H5E_END_TRY;
  if (e <= 0) {
    H5Eclear2(H5E_DEFAULT);
    h5c_err_set(H5C_ERR_NOTFOUND, "%s: not found", path);
    return -1;
  }
  if (H5Ldelete(loc, path, H5P_DEFAULT) < 0) {
    h5c_err_capture("%s: cannot delete link", path);
    return -1;
  }
  return 0;
}

/* Identity of the object at `path`: (fileno, addr) is equal for two paths to one object. */
H5C_API int h5c_object_info(hid_t loc, const char *path) {
  H5O_info2_t oi;
  if (require(loc, path) < 0) return -1;
  if (H5Oget_info_by_name3(loc, path, &oi, H5O_INFO_BASIC | H5O_INFO_NUM_ATTRS, H5P_DEFAULT) < 0) {
    h5c_err_capture("%s: object info", path);
    return -1;
  }
  h5c_out_reset();
  h5c_out_fmt("{\"kind\":\"%s\",\"fileno\":%lu,\"addr\":%llu,\"rc\":%u,\"num_attrs\":%llu}", kind_name(oi.type),
              (unsigned long)oi.fileno, token_addr(loc, oi.token), oi.rc, (unsigned long long)oi.num_attrs);
  return h5c_out_len();
}

/* The path HDF5 knows an open object by (the one it was opened or dereferenced through). */
H5C_API int h5c_object_name(hid_t obj) {
  ssize_t n;
  char *buf;
  h5c_err_reset();
  n = H5Iget_name(obj, NULL, 0);
  if (n < 0) {
    h5c_err_capture("object name");
    return -1;
  }
  buf = malloc((size_t)n + 1);
  if (!buf) {
    h5c_err_set(H5C_ERR_NOMEM, "out of memory");
    return -1;
  }
  H5Iget_name(obj, buf, (size_t)n + 1);
  h5c_out_reset();
  h5c_out_str(buf);
  free(buf);
  return h5c_out_len();
}
