/*
 * Library set-up, the error state and the output buffer.
 *
 * HDF5 keeps an error *stack*: the innermost failure first, then each caller that gave up.
 * We never let HDF5 print it (stderr is useless to a library user); instead the failing
 * function walks the stack into one message string before it closes anything, because
 * every later API call (even H5Dclose) clears the stack.
 */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "h5c.h"

#define ERR_CAP 4096

static char g_err[ERR_CAP];
static int g_err_class = H5C_ERR_NONE;

static struct {
  char *p;
  size_t len, cap;
  int failed; /* an append ran out of memory: the result must not be used */
} g_out;

/* ---------------------------------------------------------------- errors */

void h5c_err_reset(void) {
  g_err[0] = '\0';
  g_err_class = H5C_ERR_NONE;
}

static void err_appendv(const char *fmt, va_list ap) {
  size_t used = strlen(g_err);
  if (used >= ERR_CAP - 1) return;
  vsnprintf(g_err + used, ERR_CAP - used, fmt, ap);
}

static void err_append(const char *fmt, ...) {
  va_list ap;
  va_start(ap, fmt);
  err_appendv(fmt, ap);
  va_end(ap);
}

/* Our own validation failures: no HDF5 stack is involved. */
void h5c_err_set(int cls, const char *fmt, ...) {
  va_list ap;
  g_err[0] = '\0';
  va_start(ap, fmt);
  err_appendv(fmt, ap);
  va_end(ap);
  g_err_class = cls;
}

/* The class comes from the innermost entry that says something specific; "no write intent"
 * has no minor code of its own (it is H5E_ARGS/H5E_WRITEERROR or H5E_CACHE/H5E_BADVALUE). */
static int classify(const H5E_error2_t *e) {
  hid_t mn = e->min_num;
  const char *d = e->desc ? e->desc : "";
  if (strstr(d, "no write intent")) return H5C_ERR_READONLY;
  if (mn == H5E_NOTHDF5 || mn == H5E_TRUNCATED || mn == H5E_VERSION || mn == H5E_CANTDECODE ||
      mn == H5E_BADMESG || mn == H5E_CANTLOAD || mn == H5E_CANTPROTECT || mn == H5E_READERROR)
    return H5C_ERR_FORMAT;
  if (mn == H5E_EXISTS || mn == H5E_ALREADYEXISTS || mn == H5E_FILEEXISTS) return H5C_ERR_EXISTS;
  if (mn == H5E_NOTFOUND) return H5C_ERR_NOTFOUND;
  if (mn == H5E_CANTALLOC || mn == H5E_NOSPACE) return H5C_ERR_NOMEM;
  if (mn == H5E_BADRANGE || mn == H5E_BADTYPE) return H5C_ERR_ARG;
  return H5C_ERR_NONE;
}

/* Failing to load or decode file metadata: whatever else the stack says, the file is at fault. */
static int is_metadata_failure(const H5E_error2_t *e) {
  hid_t mn = e->min_num;
  return mn == H5E_CANTDECODE || mn == H5E_BADMESG || mn == H5E_CANTLOAD || mn == H5E_CANTPROTECT ||
         mn == H5E_TRUNCATED || mn == H5E_VERSION;
}

typedef struct {
  int cls;
  int metadata; /* some entry failed to load/decode metadata */
  int innermost_metadata;
} walk_state;

static herr_t walk_cb(unsigned n, const H5E_error2_t *e, void *data) {
  walk_state *st = (walk_state *)data;
  char minor[128] = "";
  H5E_type_t t;
  if (e->min_num > 0) H5Eget_msg(e->min_num, &t, minor, sizeof minor);
  /* file and line point into HDF5's sources; the function name and text are what help */
  err_append("\n  #%u %s(): %s%s%s%s", n, e->func_name ? e->func_name : "?", e->desc ? e->desc : "",
             minor[0] ? " [" : "", minor, minor[0] ? "]" : "");
  if (st->cls == H5C_ERR_NONE) st->cls = classify(e);
  if (is_metadata_failure(e)) st->metadata = 1;
  /* the innermost failure inside heap, object header or B-tree code, with nothing more specific
   * said anywhere: those only fail on what they read from the file */
  if (n == 0 && (e->maj_num == H5E_HEAP || e->maj_num == H5E_OHDR || e->maj_num == H5E_BTREE)) st->innermost_metadata = 1;
  return 0;
}

/* Record a failure of an HDF5 call: our context text, then the whole stack, innermost first. */
void h5c_err_capture(const char *fmt, ...) {
  va_list ap;
  walk_state st = {H5C_ERR_NONE, 0, 0};
  hid_t stack;
  if (g_err_class != H5C_ERR_NONE) return; /* an earlier, more precise message stands */
  g_err[0] = '\0';
  va_start(ap, fmt);
  err_appendv(fmt, ap);
  va_end(ap);
  stack = H5Eget_current_stack();
  if (stack >= 0) {
    if (H5Eget_num(stack) > 0) {
      err_append("; HDF5 error stack:");
      H5Ewalk2(stack, H5E_WALK_UPWARD, walk_cb, &st);
    }
    H5Eclose_stack(stack);
  }
  /* a bad range or type met while decoding a corrupt object header is the file's fault, not the caller's */
  if (st.metadata && (st.cls == H5C_ERR_NONE || st.cls == H5C_ERR_ARG || st.cls == H5C_ERR_IO)) st.cls = H5C_ERR_FORMAT;
  if (st.innermost_metadata && st.cls == H5C_ERR_NONE) st.cls = H5C_ERR_FORMAT;
  g_err_class = st.cls == H5C_ERR_NONE ? H5C_ERR_IO : st.cls;
}

H5C_API const char *h5c_error_message(void) { return g_err; }
H5C_API int h5c_error_class(void) { return g_err_class; }

/* ---------------------------------------------------------------- ids */

/* One close for every kind of id, so callers never have to know which H5*close fits. */
static herr_t close_any(hid_t id) {
  switch (H5Iget_type(id)) {
  case H5I_FILE: return H5Fclose(id);
  case H5I_GROUP: return H5Gclose(id);
  case H5I_DATASET: return H5Dclose(id);
  case H5I_DATATYPE: return H5Tclose(id);
  case H5I_DATASPACE: return H5Sclose(id);
  case H5I_ATTR: return H5Aclose(id);
  case H5I_GENPROP_LST: return H5Pclose(id);
  default: return -2;
  }
}

/* Cleanup on any path. Closing is an API call and would clear a pending error stack, so the
 * stack is set aside and put back: cleanup order then never loses the reason for a failure. */
void h5c_close_quiet(hid_t id) {
  hid_t saved;
  if (id < 0) return;
  saved = H5Eget_current_stack();
  H5E_BEGIN_TRY { close_any(id); }
  H5E_END_TRY;
  if (saved >= 0) H5Eset_current_stack(saved);
}

H5C_API int h5c_close(hid_t id) {
  herr_t r;
  h5c_err_reset();
  r = close_any(id);
  if (r == -2) {
    h5c_err_set(H5C_ERR_ARG, "h5c_close: %lld is not an open HDF5 id", (long long)id);
    return -1;
  }
  if (r < 0) {
    h5c_err_capture("closing id %lld", (long long)id);
    return -1;
  }
  return 0;
}

/* Objects still open in a file, the file itself included (leak checks in tests). */
H5C_API int h5c_open_count(hid_t file) {
  ssize_t n;
  h5c_err_reset();
  n = H5Fget_obj_count(file, H5F_OBJ_ALL);
  if (n < 0) {
    h5c_err_capture("counting open objects");
    return -1;
  }
  return (int)n;
}

/* Validate JS-supplied dims: non-negative integers below 2^53, or -1 (unlimited) if allowed. */
int h5c_dims(const double *in, int rank, hsize_t *out, int allow_unlimited, const char *what) {
  if (rank < 0 || rank > H5S_MAX_RANK) {
    h5c_err_set(H5C_ERR_ARG, "%s: rank %d out of range 0..%d", what, rank, H5S_MAX_RANK);
    return -1;
  }
  for (int i = 0; i < rank; i++) {
    double v = in[i];
    if (allow_unlimited && v == -1) {
      out[i] = H5S_UNLIMITED;
    } else if (!(v >= 0 && v <= 9007199254740992.0) || v != (double)(hsize_t)v) {
      h5c_err_set(H5C_ERR_ARG, "%s: dimension %d is %g, not a non-negative integer", what, i, v);
      return -1;
    } else {
      out[i] = (hsize_t)v;
    }
  }
  return 0;
}

/* ---------------------------------------------------------------- output buffer */

void h5c_out_reset(void) {
  g_out.len = 0;
  g_out.failed = 0;
  if (g_out.p) g_out.p[0] = '\0';
}

int h5c_out_bytes(const void *p, size_t n) {
  if (g_out.failed) return -1;
  if (g_out.len + n + 1 > g_out.cap) {
    size_t cap = g_out.cap ? g_out.cap : 4096;
    while (cap < g_out.len + n + 1) cap *= 2;
    char *np = realloc(g_out.p, cap);
    if (!np) {
      g_out.failed = 1;
      h5c_err_set(H5C_ERR_NOMEM, "out of memory building a result of %zu bytes", g_out.len + n);
      return -1;
    }
    g_out.p = np;
    g_out.cap = cap;
  }
  if (n) memcpy(g_out.p + g_out.len, p, n);
  g_out.len += n;
  g_out.p[g_out.len] = '\0';
  return 0;
}

int h5c_out_str(const char *s) { return h5c_out_bytes(s, strlen(s)); }

int h5c_out_fmt(const char *fmt, ...) {
  char tmp[512];
  va_list ap;
  va_start(ap, fmt);
  int n = vsnprintf(tmp, sizeof tmp, fmt, ap);
  va_end(ap);
  if (n < 0 || (size_t)n >= sizeof tmp) {
    h5c_err_set(H5C_ERR_ARG, "internal: formatted output too long");
    g_out.failed = 1;
    return -1;
  }
  return h5c_out_bytes(tmp, (size_t)n);
}

/* JSON string literal; names in HDF5 files are arbitrary bytes, so escape controls too. */
int h5c_out_json_str(const char *s) {
  h5c_out_bytes("\"", 1);
  for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
    if (*c == '"' || *c == '\\') {
      char esc[2] = {'\\', (char)*c};
      h5c_out_bytes(esc, 2);
    } else if (*c < 0x20) {
      h5c_out_fmt("\\u%04x", *c);
    } else {
      h5c_out_bytes(c, 1);
    }
  }
  return h5c_out_bytes("\"", 1);
}

int h5c_out_len(void) { return g_out.failed ? -1 : (int)g_out.len; }
int h5c_out_failed(void) { return g_out.failed; }

H5C_API char *h5c_out_ptr(void) { return g_out.p; }

/* ---------------------------------------------------------------- init */

H5C_API int h5c_init(void) {
  static int done = 0;
  h5c_err_reset();
  if (done) return 0;
  if (H5open() < 0) {
    h5c_err_capture("H5open");
    return -1;
  }
  /* Silence HDF5's own printing; every error reaches JS through h5c_error_message(). */
  H5Eset_auto2(H5E_DEFAULT, NULL, NULL);
  /* No dlopen in this wasm: plugin search would only produce confusing errors. The plugin
   * filters we support are the registered stubs in h5c_filters.c. */
  H5PLset_loading_state(0);
  if (h5c_register_stub_filters() < 0) return -1;
  done = 1;
  return 0;
}

H5C_API int h5c_version(int *out3) {
  unsigned maj, min, rel;
  h5c_err_reset();
  if (H5get_libversion(&maj, &min, &rel) < 0) {
    h5c_err_capture("H5get_libversion");
    return -1;
  }
  out3[0] = (int)maj;
  out3[1] = (int)min;
  out3[2] = (int)rel;
  return 0;
}
