/*
 * Datatypes: builders that make exactly the HDF5 types h5py makes for each numpy dtype, and a
 * JSON description of any stored type so TypeScript can map it back to a Dtype.
 *
 * Every builder returns a *copy* (never a predefined id): the caller can always h5c_close() it.
 */
#include <string.h>

#include "h5c.h"

void h5c_describe_into(hid_t type);

H5C_API hid_t h5c_type_int(int size, int is_signed, int big_endian) {
  hid_t base;
  h5c_err_reset();
  switch (size) {
  case 1: base = is_signed ? H5T_STD_I8LE : H5T_STD_U8LE; break;
  case 2: base = is_signed ? (big_endian ? H5T_STD_I16BE : H5T_STD_I16LE) : (big_endian ? H5T_STD_U16BE : H5T_STD_U16LE); break;
  case 4: base = is_signed ? (big_endian ? H5T_STD_I32BE : H5T_STD_I32LE) : (big_endian ? H5T_STD_U32BE : H5T_STD_U32LE); break;
  case 8: base = is_signed ? (big_endian ? H5T_STD_I64BE : H5T_STD_I64LE) : (big_endian ? H5T_STD_U64BE : H5T_STD_U64LE); break;
  default: h5c_err_set(H5C_ERR_ARG, "integer size %d is not 1, 2, 4 or 8", size); return -1;
  }
  hid_t t = H5Tcopy(base);
  if (t < 0) h5c_err_capture("integer type");
  return t;
}

/* h5py's float16: IEEE binary16 described field by field, since HDF5 1.10 predefines none. */
static hid_t make_float16(int big_endian) {
  hid_t t = H5Tcopy(H5T_IEEE_F32LE);
  if (t < 0) return -1;
  if (H5Tset_fields(t, 15, 10, 5, 0, 10) < 0 || H5Tset_size(t, 2) < 0 || H5Tset_ebias(t, 15) < 0 ||
      H5Tset_order(t, big_endian ? H5T_ORDER_BE : H5T_ORDER_LE) < 0) {
    h5c_close_quiet(t);
    return -1;
  }
  return t;
}

H5C_API hid_t h5c_type_float(int size, int big_endian) {
  hid_t t;
  h5c_err_reset();
  switch (size) {
  case 2: t = make_float16(big_endian); break;
  case 4: t = H5Tcopy(big_endian ? H5T_IEEE_F32BE : H5T_IEEE_F32LE); break;
  case 8: t = H5Tcopy(big_endian ? H5T_IEEE_F64BE : H5T_IEEE_F64LE); break;
  default: h5c_err_set(H5C_ERR_ARG, "float size %d is not 2, 4 or 8", size); return -1;
  }
  if (t < 0) h5c_err_capture("float type");
  return t;
}

/* h5py's bool: an enum over int8 with FALSE=0, TRUE=1 (numpy reads it back as bool). */
H5C_API hid_t h5c_type_bool(void) {
  hid_t t = -1;
  signed char f = 0, tr = 1;
  h5c_err_reset();
  H5C_TRY(t = H5Tenum_create(H5T_NATIVE_INT8), ("bool enum type"));
  H5C_TRY(H5Tenum_insert(t, "FALSE", &f), ("bool enum type"));
  H5C_TRY(H5Tenum_insert(t, "TRUE", &tr), ("bool enum type"));
  return t;
done:
  h5c_close_quiet(t);
  return -1;
}

/* h5py's complex: compound {r, i} of two floats of half the size. */
H5C_API hid_t h5c_type_complex(int size, int big_endian) {
  hid_t t = -1, part = -1;
  h5c_err_reset();
  if (size != 8 && size != 16) {
    h5c_err_set(H5C_ERR_ARG, "complex size %d is not 8 or 16", size);
    return -1;
  }
  H5C_TRY(part = h5c_type_float(size / 2, big_endian), ("complex part"));
  H5C_TRY(t = H5Tcreate(H5T_COMPOUND, (size_t)size), ("complex type"));
  H5C_TRY(H5Tinsert(t, "r", 0, part), ("complex type"));
  H5C_TRY(H5Tinsert(t, "i", (size_t)size / 2, part), ("complex type"));
  h5c_close_quiet(part);
  return t;
done:
  h5c_close_quiet(part);
  h5c_close_quiet(t);
  return -1;
}

/* length < 0: variable length (h5py: NULLTERM). pad: 0 NULLTERM, 1 NULLPAD (h5py's fixed 'S'), 2 SPACEPAD. */
H5C_API hid_t h5c_type_string(int length, int utf8, int pad) {
  hid_t t = -1;
  h5c_err_reset();
  if (length == 0 || pad < 0 || pad > 2) {
    h5c_err_set(H5C_ERR_ARG, "string type: length %d / pad %d invalid (HDF5 fixed strings need >= 1 byte)", length, pad);
    return -1;
  }
  H5C_TRY(t = H5Tcopy(H5T_C_S1), ("string type"));
  H5C_TRY(H5Tset_size(t, length < 0 ? H5T_VARIABLE : (size_t)length), ("string type"));
  H5C_TRY(H5Tset_cset(t, utf8 ? H5T_CSET_UTF8 : H5T_CSET_ASCII), ("string type"));
  H5C_TRY(H5Tset_strpad(t, length < 0 ? H5T_STR_NULLTERM : (H5T_str_t)pad), ("string type"));
  return t;
done:
  h5c_close_quiet(t);
  return -1;
}

/* hobj_ref_t (8 bytes, what h5py 3.7 and pynwb write) or hdset_reg_ref_t (12 bytes). */
H5C_API hid_t h5c_type_reference(int region) {
  h5c_err_reset();
  hid_t t = H5Tcopy(region ? H5T_STD_REF_DSETREG : H5T_STD_REF_OBJ);
  if (t < 0) h5c_err_capture("reference type");
  return t;
}

H5C_API hid_t h5c_type_compound(int size) {
  h5c_err_reset();
  if (size <= 0) {
    h5c_err_set(H5C_ERR_ARG, "compound size %d must be positive", size);
    return -1;
  }
  hid_t t = H5Tcreate(H5T_COMPOUND, (size_t)size);
  if (t < 0) h5c_err_capture("compound type");
  return t;
}

H5C_API int h5c_type_insert(hid_t compound, const char *name, int offset, hid_t member) {
  h5c_err_reset();
  if (offset < 0) {
    h5c_err_set(H5C_ERR_ARG, "compound field %s: negative offset", name);
    return -1;
  }
  if (H5Tinsert(compound, name, (size_t)offset, member) < 0) {
    h5c_err_capture("compound field %s at offset %d", name, offset);
    return -1;
  }
  return 0;
}

H5C_API int h5c_type_size(hid_t type) {
  h5c_err_reset();
  size_t s = H5Tget_size(type);
  if (s == 0) {
    h5c_err_capture("type size");
    return -1;
  }
  return (int)s;
}

H5C_API hid_t h5c_dataset_type(hid_t dset) {
  h5c_err_reset();
  hid_t t = H5Dget_type(dset);
  if (t < 0) h5c_err_capture("dataset type");
  return t;
}

/* Any variable-length part (vlen string or sequence), at any depth. H5Tdetect_class alone misses a
 * vlen string inside a compound: from the API it counts as a string, not as H5T_VLEN. Such types
 * cannot cross as raw bytes (they hold heap pointers that need H5Dvlen_reclaim). */
int h5c_type_has_vlen(hid_t t) {
  H5T_class_t c = H5Tget_class(t);
  if (c == H5T_VLEN || (c == H5T_STRING && H5Tis_variable_str(t) > 0)) return 1;
  if (c == H5T_COMPOUND) {
    int n = H5Tget_nmembers(t), found = 0;
    for (int i = 0; i < n && !found; i++) {
      hid_t m = H5Tget_member_type(t, (unsigned)i);
      found = m >= 0 && h5c_type_has_vlen(m);
      h5c_close_quiet(m);
    }
    return found;
  }
  if (c == H5T_ARRAY) {
    hid_t b = H5Tget_super(t);
    int found = b >= 0 && h5c_type_has_vlen(b);
    h5c_close_quiet(b);
    return found;
  }
  return 0;
}

/* ---------------------------------------------------------------- describe */

static const char *order_str(hid_t t) { return H5Tget_order(t) == H5T_ORDER_BE ? ">" : "<"; }

/* Enum member values are stored in the base type's layout; widen to long long. */
static long long enum_value(const unsigned char *b, size_t size, int is_signed, int big_endian) {
  unsigned long long u = 0;
  for (size_t i = 0; i < size; i++) u |= (unsigned long long)b[big_endian ? size - 1 - i : i] << (8 * i);
  if (is_signed && size < 8 && (u >> (8 * size - 1)) & 1) u |= ~0ULL << (8 * size);
  return (long long)u;
}

void h5c_describe_into(hid_t t) {
  size_t size = H5Tget_size(t);
  switch (H5Tget_class(t)) {
  case H5T_INTEGER:
    h5c_out_fmt("{\"class\":\"integer\",\"size\":%zu,\"order\":\"%s\",\"signed\":%s}", size, order_str(t),
                H5Tget_sign(t) == H5T_SGN_2 ? "true" : "false");
    break;
  case H5T_FLOAT: {
    size_t spos = 0, epos = 0, esize = 0, mpos = 0, msize = 0;
    H5Tget_fields(t, &spos, &epos, &esize, &mpos, &msize);
    h5c_out_fmt("{\"class\":\"float\",\"size\":%zu,\"order\":\"%s\",\"fields\":[%zu,%zu,%zu,%zu,%zu],\"ebias\":%zu}",
                size, order_str(t), spos, epos, esize, mpos, msize, H5Tget_ebias(t));
    break;
  }
  case H5T_STRING: {
    H5T_str_t pad = H5Tget_strpad(t);
    h5c_out_fmt("{\"class\":\"string\",\"size\":%zu,\"vlen\":%s,\"cset\":\"%s\",\"pad\":\"%s\"}", size,
                H5Tis_variable_str(t) > 0 ? "true" : "false", H5Tget_cset(t) == H5T_CSET_UTF8 ? "utf-8" : "ascii",
                pad == H5T_STR_NULLPAD ? "nullpad" : pad == H5T_STR_SPACEPAD ? "spacepad" : "nullterm");
    break;
  }
  case H5T_ENUM: {
    hid_t base = H5Tget_super(t);
    int n = H5Tget_nmembers(t);
    int sgn = H5Tget_sign(base) == H5T_SGN_2, be = H5Tget_order(base) == H5T_ORDER_BE;
    h5c_out_fmt("{\"class\":\"enum\",\"size\":%zu,\"order\":\"%s\",\"signed\":%s,\"members\":[", size, order_str(base),
                sgn ? "true" : "false");
    for (int i = 0; i < n; i++) {
      unsigned char v[16] = {0};
      char *name = H5Tget_member_name(t, (unsigned)i);
      H5Tget_member_value(t, (unsigned)i, v);
      h5c_out_str(i ? ",{\"name\":" : "{\"name\":");
      h5c_out_json_str(name ? name : "");
      h5c_out_fmt(",\"value\":%lld}", enum_value(v, size > 8 ? 8 : size, sgn, be));
      if (name) H5free_memory(name);
    }
    h5c_out_str("]}");
    h5c_close_quiet(base);
    break;
  }
  case H5T_COMPOUND: {
    int n = H5Tget_nmembers(t);
    h5c_out_fmt("{\"class\":\"compound\",\"size\":%zu,\"fields\":[", size);
    for (int i = 0; i < n; i++) {
      char *name = H5Tget_member_name(t, (unsigned)i);
      hid_t mt = H5Tget_member_type(t, (unsigned)i);
      h5c_out_str(i ? ",{\"name\":" : "{\"name\":");
      h5c_out_json_str(name ? name : "");
      h5c_out_fmt(",\"offset\":%zu,\"type\":", H5Tget_member_offset(t, (unsigned)i));
      h5c_describe_into(mt);
      h5c_out_str("}");
      if (name) H5free_memory(name);
      h5c_close_quiet(mt);
    }
    h5c_out_str("]}");
    break;
  }
  case H5T_REFERENCE:
    h5c_out_fmt("{\"class\":\"reference\",\"size\":%zu,\"ref\":\"%s\"}", size,
                H5Tequal(t, H5T_STD_REF_DSETREG) > 0 ? "region" : "object");
    break;
  case H5T_VLEN:
  case H5T_ARRAY: {
    hid_t base = H5Tget_super(t);
    if (H5Tget_class(t) == H5T_ARRAY) {
      hsize_t dims[H5S_MAX_RANK];
      int r = H5Tget_array_ndims(t);
      H5Tget_array_dims2(t, dims);
      h5c_out_str("{\"class\":\"array\",\"dims\":[");
      for (int i = 0; i < r; i++) h5c_out_fmt(i ? ",%llu" : "%llu", (unsigned long long)dims[i]);
      h5c_out_fmt("],\"size\":%zu,\"base\":", size);
    } else {
      h5c_out_fmt("{\"class\":\"vlen\",\"size\":%zu,\"base\":", size);
    }
    h5c_describe_into(base);
    h5c_out_str("}");
    h5c_close_quiet(base);
    break;
  }
  case H5T_OPAQUE: h5c_out_fmt("{\"class\":\"opaque\",\"size\":%zu}", size); break;
  case H5T_BITFIELD: h5c_out_fmt("{\"class\":\"bitfield\",\"size\":%zu,\"order\":\"%s\"}", size, order_str(t)); break;
  default: h5c_out_fmt("{\"class\":\"other\",\"size\":%zu}", size); break;
  }
}

H5C_API int h5c_type_describe(hid_t type) {
  h5c_err_reset();
  if (H5Iget_type(type) != H5I_DATATYPE) {
    h5c_err_set(H5C_ERR_ARG, "not a datatype id");
    return -1;
  }
  h5c_out_reset();
  h5c_describe_into(type);
  return h5c_out_len();
}
