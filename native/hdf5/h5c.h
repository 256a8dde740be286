/*
 * h5c: the C layer of hdmf-ts over the HDF5 1.10 C API, compiled to WebAssembly.
 *
 * Conventions (the TypeScript side in src/backends/hdf5/core*.ts relies on them):
 * - hid_t is int64 and crosses to JS as a BigInt (linked with -sWASM_BIGINT).
 * - Every function returns a negative value on failure and leaves a message in
 *   h5c_error_message() plus a class in h5c_error_class(); nothing is printed.
 * - A function closes every id it opened itself, on every path. Ids it returns belong
 *   to the caller, who closes them with h5c_close().
 * - Shapes, offsets and counts are passed as arrays of double: exact up to 2^53, which no
 *   dataset reaches, and far simpler in JS than uint64 arrays. -1 means H5S_UNLIMITED.
 * - Text and variable-size results go to one growable output buffer (h5c_out_ptr()); a
 *   function that fills it returns the byte length. The next such call overwrites it.
 *
 * Only the lines that start with H5C_API are exported from the wasm module.
 */
#ifndef H5C_H
#define H5C_H

#include <stddef.h>
#include <stdint.h>
#include "hdf5.h"

#define H5C_API

/* Error classes, mapped to HdmfError subclasses in TypeScript. */
enum {
  H5C_ERR_NONE = 0,
  H5C_ERR_ARG = 1,      /* bad argument */
  H5C_ERR_NOTFOUND = 2, /* missing file, link, object or attribute */
  H5C_ERR_EXISTS = 3,   /* name or file already exists */
  H5C_ERR_READONLY = 4, /* write on a file opened read-only */
  H5C_ERR_FORMAT = 5,   /* not HDF5, truncated, corrupt */
  H5C_ERR_IO = 6,       /* anything else the library reported */
  H5C_ERR_NOMEM = 7
};

/* File modes, as h5py spells them. */
enum { H5C_MODE_R = 0, H5C_MODE_RPLUS = 1, H5C_MODE_W = 2, H5C_MODE_WMINUS = 3, H5C_MODE_A = 4 };

/* ---- library, errors, output buffer (h5c_core.c) ---- */
H5C_API int h5c_init(void);
H5C_API const char *h5c_error_message(void);
H5C_API int h5c_error_class(void);
H5C_API char *h5c_out_ptr(void);
H5C_API int h5c_close(hid_t id);
H5C_API int h5c_open_count(hid_t file);
H5C_API int h5c_version(int *out3);

/* ---- files (h5c_file.c) ---- */
H5C_API hid_t h5c_file_open(const char *path, int mode, int libver_low, int libver_high, int track_order);
H5C_API int h5c_file_flush(hid_t file);
H5C_API int h5c_file_close(hid_t file);
H5C_API int h5c_file_is_hdf5(const char *path);
H5C_API int h5c_file_intent(hid_t file);

/* ---- groups, links, objects (h5c_link.c) ---- */
H5C_API hid_t h5c_group_create(hid_t loc, const char *path, int track_order);
H5C_API hid_t h5c_open(hid_t loc, const char *path);
H5C_API int h5c_exists(hid_t loc, const char *path);
H5C_API int h5c_list(hid_t loc, const char *path);
H5C_API int h5c_link_info(hid_t loc, const char *path);
H5C_API int h5c_link_soft(const char *target, hid_t loc, const char *path);
H5C_API int h5c_link_hard(hid_t obj_loc, const char *obj_path, hid_t loc, const char *path);
H5C_API int h5c_link_external(const char *file, const char *obj_path, hid_t loc, const char *path);
H5C_API int h5c_link_delete(hid_t loc, const char *path);
H5C_API int h5c_object_info(hid_t loc, const char *path);
H5C_API int h5c_object_name(hid_t obj);

/* ---- datatypes (h5c_type.c) ---- */
H5C_API hid_t h5c_type_int(int size, int is_signed, int big_endian);
H5C_API hid_t h5c_type_float(int size, int big_endian);
H5C_API hid_t h5c_type_bool(void);
H5C_API hid_t h5c_type_complex(int size, int big_endian);
H5C_API hid_t h5c_type_string(int length, int utf8, int pad);
H5C_API hid_t h5c_type_reference(int region);
H5C_API hid_t h5c_type_compound(int size);
H5C_API int h5c_type_insert(hid_t compound, const char *name, int offset, hid_t member);
H5C_API int h5c_type_size(hid_t type);
H5C_API int h5c_type_describe(hid_t type);
H5C_API hid_t h5c_dataset_type(hid_t dset);

/* ---- datasets (h5c_dataset.c) ---- */
H5C_API hid_t h5c_dcpl_create(void);
H5C_API int h5c_dcpl_layout(hid_t dcpl, int layout, int rank, const double *chunks);
H5C_API int h5c_dcpl_filter(hid_t dcpl, int id, int flags, int n, const unsigned *cd_values);
H5C_API int h5c_dcpl_fill(hid_t dcpl, hid_t type, const void *value, int fill_time, int alloc_time);
H5C_API int h5c_dcpl_track_times(hid_t dcpl, int on);
H5C_API hid_t h5c_dataset_create(hid_t loc, const char *path, hid_t type, int rank, const double *dims,
                                 const double *maxdims, hid_t dcpl);
H5C_API int h5c_dataset_info(hid_t dset);
H5C_API int h5c_dataset_fill_value(hid_t dset, void *buf, int size);
H5C_API int h5c_dataset_set_extent(hid_t dset, int rank, const double *dims);
H5C_API int h5c_dataset_read(hid_t dset, hid_t memtype, int rank, const double *start, const double *count,
                             void *buf, double size);
H5C_API int h5c_dataset_write(hid_t dset, hid_t memtype, int rank, const double *start, const double *count,
                              const void *buf, double size);
H5C_API int h5c_dataset_read_strings(hid_t dset, int rank, const double *start, const double *count);
H5C_API int h5c_dataset_write_strings(hid_t dset, int rank, const double *start, const double *count,
                                      const char *packed, double packed_size, int n);

/* ---- direct chunk I/O (h5c_chunk.c) ---- */
H5C_API int h5c_chunk_write(hid_t dset, const double *offset, unsigned filter_mask, const void *buf, double size);
H5C_API double h5c_chunk_read(hid_t dset, const double *offset, void *buf, double size, unsigned *filter_mask);
H5C_API double h5c_chunk_storage_size(hid_t dset, const double *offset);
H5C_API double h5c_chunk_count(hid_t dset);
H5C_API int h5c_chunk_info(hid_t dset, double index, double *offset, unsigned *filter_mask, double *addr_size);
H5C_API int h5c_chunk_info_at(hid_t dset, const double *offset, unsigned *filter_mask, double *addr_size);

/* ---- attributes (h5c_attr.c) ---- */
H5C_API int h5c_attr_names(hid_t obj);
H5C_API int h5c_attr_exists(hid_t obj, const char *name);
H5C_API int h5c_attr_info(hid_t obj, const char *name);
H5C_API int h5c_attr_write(hid_t obj, const char *name, hid_t type, int rank, const double *dims, const void *buf,
                           double size);
H5C_API int h5c_attr_write_strings(hid_t obj, const char *name, hid_t type, int rank, const double *dims,
                                   const char *packed, double packed_size, int n);
H5C_API int h5c_attr_read(hid_t obj, const char *name, hid_t memtype, void *buf, double size);
H5C_API int h5c_attr_read_strings(hid_t obj, const char *name);
H5C_API hid_t h5c_attr_type(hid_t obj, const char *name);
H5C_API int h5c_attr_delete(hid_t obj, const char *name);

/* ---- references (h5c_ref.c) ---- */
H5C_API int h5c_ref_create(hid_t loc, const char *path, void *out8);
H5C_API int h5c_ref_region_create(hid_t loc, const char *path, int rank, const double *start, const double *count,
                                  void *out12);
H5C_API int h5c_ref_resolve(hid_t loc, const void *ref, int region);

/* ---- plugin filter stubs (h5c_filters.c) ---- */
int h5c_register_stub_filters(void);
int h5c_is_stub_filter(int id);

/* ---- internal helpers shared by the files above (h5c_core.c) ---- */
void h5c_err_reset(void);
void h5c_err_set(int cls, const char *fmt, ...);
void h5c_err_capture(const char *fmt, ...);
void h5c_close_quiet(hid_t id);
int h5c_dims(const double *in, int rank, hsize_t *out, int allow_unlimited, const char *what);

void h5c_describe_into(hid_t type);
int h5c_type_has_vlen(hid_t type);
int h5c_has_stub_filter(hid_t dset, int *which);

/* variable-length strings cross as one buffer of NUL-terminated UTF-8 strings (h5c_strings.c) */
hid_t h5c_vlen_memtype(hid_t stored_type);
int h5c_pack_strings(char **strings, size_t n);
char **h5c_unpack_strings(const char *packed, size_t size, size_t n);

/* output buffer */
void h5c_out_reset(void);
int h5c_out_bytes(const void *p, size_t n);
int h5c_out_str(const char *s);
int h5c_out_fmt(const char *fmt, ...);
int h5c_out_json_str(const char *s);
int h5c_out_len(void);
int h5c_out_failed(void);

/* cleanup-on-exit idiom: every exported function has one `done:` label that closes ids */
#define H5C_TRY(expr, msg)                                                                                   \
  do {                                                                                                       \
    if ((expr) < 0) {                                                                                        \
      h5c_err_capture msg;                                                                                   \
      goto done;                                                                                             \
    }                                                                                                        \
  } while (0)

#endif
