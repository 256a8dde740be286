/**
 * Chunk shape guesses, the same numbers h5py and zarr-python pick for `chunks=True`, so a
 * file written here has the chunking a Python user would get from the same call.
 */
import { InvalidInputError } from "../errors.js";
import { product } from "../data/selection.js";

/** The byte targets of a chunk guess: starting size, and the smallest and largest chunk allowed. */
export interface GuessLimits { base: number; min: number; max: number }

/** h5py `filters.guess_chunk` (PyTables' heuristic). */
export const H5PY_LIMITS: GuessLimits = { base: 16 * 1024, min: 8 * 1024, max: 1024 * 1024 };
/** zarr-python 2.x `util.guess_chunks`. */
export const ZARR_LIMITS: GuessLimits = { base: 256 * 1024, min: 128 * 1024, max: 64 * 1024 * 1024 };

/**
 * Guess a chunk shape for `shape` (0-length axes count as 1024, as unlimited axes do in h5py).
 */
export function guessChunks(shape: readonly number[], typesize: number, limits: GuessLimits = H5PY_LIMITS): number[] {
  if (shape.length === 0) throw new InvalidInputError("chunks are not allowed for scalar datasets", { option: "chunks" });
  const chunks = shape.map((x) => (x !== 0 ? x : 1024));
  const dsetSize = product(chunks) * typesize;
  let target = limits.base * 2 ** Math.log10(dsetSize / (1024 * 1024));
  if (target > limits.max) target = limits.max;
  else if (target < limits.min) target = limits.min;
  for (let idx = 0; ; idx++) {
    const bytes = product(chunks) * typesize;
    if ((bytes < target || Math.abs(bytes - target) / target < 0.5) && bytes < limits.max) break;
    if (product(chunks) === 1) break;
    const a = idx % chunks.length;
    chunks[a] = Math.ceil(chunks[a]! / 2);
  }
  return chunks;
}
