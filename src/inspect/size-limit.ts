/**
 * The bound on how many bytes of values one command reads from one dataset (`manifest`'s
 * checksums, `validate`'s reference and index scans). Shapes are metadata: a never-written
 * dataset of shape 1e15 costs nothing to store, but its checksum is SHA-256 over 8e15 bytes of
 * fill value. SHA-256 has no shortcut for repeated input, so the rule of the oracle manifest
 * (../shared/oracle/README.md "Checksum rule") cannot be kept without hashing every byte: such
 * a dataset is refused with a LimitError naming it and the option that lifts the bound, instead
 * of running for months.
 *
 * A dataset counts as its logical size: elements x item size (variable-length items as 16 bytes,
 * as `itemsize` counts them), whatever its compression or how many chunks were written.
 */
import { InvalidInputError, LimitError } from "../errors.js";
import { itemsize, type Dtype } from "../data/dtype.js";
import { product } from "../data/selection.js";

/** 4 GiB per dataset: the largest that reads and hashes in well under a minute here, and far
 * above what the oracle's manifest.py (which holds a dataset in memory) handles. */
export const DEFAULT_MAX_BYTES = 4 * 1024 ** 3;

/** The CLI option that sets the bound. */
export const MAX_BYTES_OPTION = "--max-bytes";

/** Logical bytes of a dataset's values. */
export function datasetBytes(shape: readonly number[], dtype: Dtype): number {
  return product(shape) * Math.max(1, itemsize(dtype));
}

/** Throw a LimitError when reading all of `path`'s values would exceed `maxBytes`. */
export function checkDatasetSize(path: string, shape: readonly number[], dtype: Dtype, maxBytes: number, what: string): void {
  const bytes = datasetBytes(shape, dtype);
  if (bytes <= maxBytes) return;
  throw new LimitError(
    `${path}: ${what} reads ${formatBytes(bytes)} of values (shape [${shape.join(", ")}]), over the limit of ${formatBytes(maxBytes)} per dataset; pass ${MAX_BYTES_OPTION} ${bytes} (or ${MAX_BYTES_OPTION} none) to lift it`,
    { path, bytes, limit: maxBytes, option: MAX_BYTES_OPTION },
  );
}

const UNITS: Readonly<Record<string, number>> = { "": 1, b: 1, k: 1024, kb: 1000, kib: 1024, m: 1024 ** 2, mb: 1000 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1000 ** 3, gib: 1024 ** 3, t: 1024 ** 4, tb: 1000 ** 4, tib: 1024 ** 4, p: 1024 ** 5, pb: 1000 ** 5, pib: 1024 ** 5 };

/** `--max-bytes` text: a byte count (`1e12`, `4GiB`, `500MB`, `16G`) or `none` (no bound). */
export function parseByteSize(text: string, option = MAX_BYTES_OPTION): number {
  const t = text.trim().toLowerCase();
  if (t === "none" || t === "inf" || t === "infinity" || t === "unlimited") return Infinity;
  const m = /^(\d+(?:\.\d+)?(?:e\d+)?)\s*([a-z]*)$/.exec(t);
  const unit = m ? UNITS[m[2]!] : undefined;
  const n = m && unit !== undefined ? Number(m[1]) * unit : NaN;
  if (!Number.isFinite(n) || n < 0) throw new InvalidInputError(`${option} must be a byte count like 4GiB, 500MB or 1e12, or none; not "${text}"`, { option: option.replace(/^--/, "") });
  return Math.floor(n);
}

/** A byte count for people: 4 GiB, 7.1 PiB. */
export function formatBytes(n: number): string {
  if (!Number.isFinite(n)) return "no limit";
  const units = ["bytes", "KiB", "MiB", "GiB", "TiB", "PiB", "EiB"];
  let i = 0;
  let v = n;
  while (v >= 1024 && i < units.length - 1) { v /= 1024; i++; }
  return i === 0 ? `${n} bytes` : `${Number.isInteger(v) ? v : v.toFixed(1)} ${units[i]}`;
}
