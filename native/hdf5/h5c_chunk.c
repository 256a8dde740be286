/*
 * Direct chunk I/O: the bytes a chunk holds on disk, after the filter pipeline, with the
 * chunk's filter mask (bit i set = filter i of the pipeline was skipped for this chunk).
 *
 * This is how hdmf-ts moves all chunk data: TypeScript runs the codecs (in parallel, shared with
 * Zarr), HDF5 only places bytes and indexes them. Offsets are element coordinates of the chunk's
 * first element, so they must be multiples of the chunk shape.
 */
#include "h5c.h"

/* Dataset rank, chunk shape and current extent; checks `offset` names a chunk inside it. */
static int check_offset(hid_t dset, const double *offset, hsize_t *off, int *rank_out) {
  hid_t dcpl = -1, space = -1;
  hsize_t chunk[H5S_MAX_RANK], dims[H5S_MAX_RANK];
  int rank, rc = -1;
  H5C_TRY(dcpl = H5Dget_create_plist(dset), ("dataset properties"));
  if (H5Pget_layout(dcpl) != H5D_CHUNKED) {
    h5c_err_set(H5C_ERR_ARG, "direct chunk I/O needs a chunked dataset");
    goto done;
  }
  H5C_TRY(space = H5Dget_space(dset), ("dataset space"));
  H5C_TRY(rank = H5Sget_simple_extent_dims(space, dims, NULL), ("dataset shape"));
  H5C_TRY(H5Pget_chunk(dcpl, rank, chunk), ("chunk shape"));
  if (h5c_dims(offset, rank, off, 0, "chunk offset") < 0) goto done;
  for (int i = 0; i < rank; i++) {
    if (off[i] % chunk[i] != 0 || off[i] >= dims[i]) {
      h5c_err_set(H5C_ERR_ARG, "chunk offset %llu on axis %d: not a multiple of the chunk size %llu inside extent %llu",
                  (unsigned long long)off[i], i, (unsigned long long)chunk[i], (unsigned long long)dims[i]);
      goto done;
    }
  }
  *rank_out = rank;
  rc = 0;
done:
  h5c_close_quiet(dcpl);
  h5c_close_quiet(space);
  return rc;
}

H5C_API int h5c_chunk_write(hid_t dset, const double *offset, unsigned filter_mask, const void *buf, double size) {
  hsize_t off[H5S_MAX_RANK];
  int rank;
  h5c_err_reset();
  if (check_offset(dset, offset, off, &rank) < 0) return -1;
  if (!(size > 0 && size <= 4294967295.0)) {
    h5c_err_set(H5C_ERR_ARG, "chunk of %.0f bytes: must be 1..2^32-1", size);
    return -1;
  }
  if (H5Dwrite_chunk(dset, H5P_DEFAULT, filter_mask, off, (size_t)size, buf) < 0) {
    h5c_err_capture("direct chunk write failed");
    return -1;
  }
  return 0;
}

/* A chunk the index places (partly) past the end of the file's allocated space is corrupt metadata:
 * a typed FORMAT error before anyone allocates a buffer of a bogus size. */
static int check_in_file(hid_t dset, haddr_t addr, hsize_t size) {
  hid_t f = H5Iget_file_id(dset);
  haddr_t eoa = HADDR_UNDEF;
  herr_t st = f < 0 ? -1 : H5Fget_eoa(f, &eoa);
  if (f >= 0) H5Fclose(f);
  if (st < 0) {
    h5c_err_capture("end of file");
    return -1;
  }
  if (addr > eoa || size > eoa - addr) {
    h5c_err_set(H5C_ERR_FORMAT, "corrupt chunk index: a chunk of %llu bytes at byte %llu ends past the end of the file (%llu bytes)",
                (unsigned long long)size, (unsigned long long)addr, (unsigned long long)eoa);
    return -1;
  }
  return 0;
}

/* Stored size of the chunk at `offset`, 0 if it was never written (reads as fill value). */
H5C_API double h5c_chunk_storage_size(hid_t dset, const double *offset) {
  hsize_t off[H5S_MAX_RANK];
  unsigned mask;
  haddr_t addr;
  hsize_t size;
  int rank;
  h5c_err_reset();
  if (check_offset(dset, offset, off, &rank) < 0) return -1;
  if (H5Dget_chunk_info_by_coord(dset, off, &mask, &addr, &size) < 0) {
    h5c_err_capture("chunk info");
    return -1;
  }
  return addr == HADDR_UNDEF ? 0 : (double)size;
}

/* Reads the stored bytes into buf (of `size` bytes, at least the stored size). Returns the
 * number of bytes read; NOTFOUND if the chunk was never written. */
H5C_API double h5c_chunk_read(hid_t dset, const double *offset, void *buf, double size, unsigned *filter_mask) {
  hsize_t off[H5S_MAX_RANK];
  unsigned mask;
  haddr_t addr;
  hsize_t stored;
  uint32_t fm = 0;
  int rank;
  h5c_err_reset();
  if (check_offset(dset, offset, off, &rank) < 0) return -1;
  if (H5Dget_chunk_info_by_coord(dset, off, &mask, &addr, &stored) < 0) {
    h5c_err_capture("chunk info");
    return -1;
  }
  if (addr == HADDR_UNDEF) {
    h5c_err_set(H5C_ERR_NOTFOUND, "chunk at this offset was never written");
    return -1;
  }
  if (check_in_file(dset, addr, stored) < 0) return -1;
  if ((double)stored > size) {
    h5c_err_set(H5C_ERR_ARG, "buffer of %.0f bytes is smaller than the stored chunk (%llu)", size,
                (unsigned long long)stored);
    return -1;
  }
  if (H5Dread_chunk(dset, H5P_DEFAULT, off, &fm, buf) < 0) {
    h5c_err_capture("direct chunk read failed");
    return -1;
  }
  *filter_mask = fm;
  return (double)stored;
}

/* 1.10.8 wants the dataset's own dataspace here; H5S_ALL is rejected. */
H5C_API double h5c_chunk_count(hid_t dset) {
  hsize_t n = 0;
  hid_t space = -1;
  double rc = -1;
  h5c_err_reset();
  H5C_TRY(space = H5Dget_space(dset), ("dataset space"));
  H5C_TRY(H5Dget_num_chunks(dset, space, &n), ("counting chunks"));
  rc = (double)n;
done:
  h5c_close_quiet(space);
  return rc;
}

/* Chunk number `index` in storage order: its offset, filter mask, file address and size.
 * Each call walks the chunk index (HDF5 1.10 has no chunk iterator), so listing all chunks
 * this way is quadratic: fine for thousands of chunks, slow for millions. */
H5C_API int h5c_chunk_info(hid_t dset, double index, double *offset, unsigned *filter_mask, double *addr_size) {
  hsize_t off[H5S_MAX_RANK], size;
  haddr_t addr;
  hid_t space = -1;
  int rank, rc = -1;
  h5c_err_reset();
  if (!(index >= 0) || index != (double)(hsize_t)index) {
    h5c_err_set(H5C_ERR_ARG, "chunk index %g", index);
    return -1;
  }
  H5C_TRY(space = H5Dget_space(dset), ("dataset space"));
  H5C_TRY(rank = H5Sget_simple_extent_ndims(space), ("dataset rank"));
  H5C_TRY(H5Dget_chunk_info(dset, space, (hsize_t)index, off, filter_mask, &addr, &size), ("chunk info %g", index));
  for (int i = 0; i < rank; i++) offset[i] = (double)off[i];
  addr_size[0] = (double)addr;
  addr_size[1] = (double)size;
  rc = 0;
done:
  h5c_close_quiet(space);
  return rc;
}

/* 1 if the chunk at `offset` is stored (mask, address, size filled in), 0 if not. */
H5C_API int h5c_chunk_info_at(hid_t dset, const double *offset, unsigned *filter_mask, double *addr_size) {
  hsize_t off[H5S_MAX_RANK], size;
  haddr_t addr;
  int rank;
  h5c_err_reset();
  if (check_offset(dset, offset, off, &rank) < 0) return -1;
  if (H5Dget_chunk_info_by_coord(dset, off, filter_mask, &addr, &size) < 0) {
    h5c_err_capture("chunk info");
    return -1;
  }
  if (addr == HADDR_UNDEF) return 0;
  if (check_in_file(dset, addr, size) < 0) return -1;
  addr_size[0] = (double)addr;
  addr_size[1] = (double)size;
  return 1;
}
