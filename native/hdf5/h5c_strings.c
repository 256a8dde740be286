/*
 * Variable-length strings between JS and HDF5.
 *
 * HDF5 hands out (and takes) an array of char* for vlen strings. JS cannot see C pointers
 * usefully, so strings cross as one packed buffer: each string's UTF-8 bytes followed by a NUL.
 * HDF5 vlen strings are C strings and cannot contain NUL, so the split is unambiguous; the
 * element count travels separately and is checked. An unwritten element (NULL) reads as "".
 */
#include <stdlib.h>
#include <string.h>

#include "h5c.h"

/* The memory type for reading/writing a stored vlen string type: same character set, so HDF5
 * does no conversion that could fail between ASCII and UTF-8. */
hid_t h5c_vlen_memtype(hid_t stored_type) {
  hid_t t = H5Tcopy(H5T_C_S1);
  if (t < 0) return -1;
  if (H5Tset_size(t, H5T_VARIABLE) < 0 || H5Tset_cset(t, H5Tget_cset(stored_type)) < 0) {
    h5c_close_quiet(t);
    return -1;
  }
  return t;
}

int h5c_pack_strings(char **strings, size_t n) {
  h5c_out_reset();
  for (size_t i = 0; i < n; i++) {
    const char *s = strings[i] ? strings[i] : "";
    if (h5c_out_bytes(s, strlen(s) + 1) < 0) return -1;
  }
  return h5c_out_len();
}

/* Pointers into `packed` (no copies); the caller frees only the returned array. */
char **h5c_unpack_strings(const char *packed, size_t size, size_t n) {
  char **out;
  size_t pos = 0;
  if (size == 0 || packed[size - 1] != '\0') {
    if (n == 0 && size == 0) return malloc(1);
    h5c_err_set(H5C_ERR_ARG, "packed strings must end with a NUL byte");
    return NULL;
  }
  out = malloc((n ? n : 1) * sizeof(char *));
  if (!out) {
    h5c_err_set(H5C_ERR_NOMEM, "out of memory for %zu strings", n);
    return NULL;
  }
  for (size_t i = 0; i < n; i++) {
    if (pos >= size) {
      free(out);
      h5c_err_set(H5C_ERR_ARG, "packed buffer holds fewer than %zu strings", n);
      return NULL;
    }
    out[i] = (char *)packed + pos;
    pos += strlen(packed + pos) + 1;
  }
  if (pos != size) {
    free(out);
    h5c_err_set(H5C_ERR_ARG, "packed buffer holds more than %zu strings", n);
    return NULL;
  }
  return out;
}
