/**
 * The one parser for where data lives: a local path, `file://`, `s3://bucket/prefix`,
 * `memory://`, or an `http(s)://` URL. Everything that takes a location (the backend factory,
 * stores, export, parallel writes, link sources) asks this module, so the rules (which names
 * are HDF5, which schemes exist) are written once.
 */
import { isAbsolute, posix, resolve } from "node:path";
import { fileURLToPath } from "node:url";
import { InvalidInputError } from "./errors.js";

export type LocationScheme = "file" | "s3" | "memory" | "http" | "https";

export interface Location {
  /** As given. */
  readonly raw: string;
  readonly scheme: LocationScheme;
  /** Local path for `file`; bucket/prefix for `s3`; the URL itself for the others. */
  readonly path: string;
  /** Not on this machine's file system. */
  readonly remote: boolean;
  /** "hdf5" or "zarr" from the name alone; undefined when the name does not say. */
  readonly formatGuess: "hdf5" | "zarr" | undefined;
}

const SCHEME = /^([a-z][a-z0-9+.-]*):\/\//i;
const KNOWN: readonly LocationScheme[] = ["file", "s3", "memory", "http", "https"];

/** File names HDF5 files go by (h5py and pynwb conventions). */
export const HDF5_NAME = /\.(nwb|h5|hdf5|hdf|he5)$/i;
/** Store names Zarr stores go by. */
export const ZARR_NAME = /\.(zarr|zip)\/?$/i;
/** A zipped Zarr store's name (one object, opened as a ZipStore). */
export const ZIP_NAME = /\.zip$/i;

/** The scheme of a URL, lower case; undefined for a plain path. */
export function urlScheme(location: string): string | undefined {
  return SCHEME.exec(location)?.[1]?.toLowerCase();
}

/** True for any `scheme://` location other than `file://`. */
export function isUrl(location: string): boolean {
  const s = urlScheme(location);
  return s !== undefined && s !== "file";
}

/** Parse a location; an unknown scheme is an InvalidInputError naming it. */
export function parseLocation(location: string): Location {
  if (typeof location !== "string" || location === "") throw new InvalidInputError("empty location", { option: "location" });
  const s = urlScheme(location);
  if (s !== undefined && !KNOWN.includes(s as LocationScheme)) {
    throw new InvalidInputError(`unknown URL scheme "${s}://" in ${location}: use a local path, file://, s3://, memory:// or http(s)://`, { option: "location", path: location });
  }
  const scheme = (s ?? "file") as LocationScheme;
  const path = scheme === "file" ? (s ? fileURLToPath(location) : location) : scheme === "s3" ? location.slice(5) : location;
  const name = path.replace(/[\\/]+$/, "");
  const formatGuess = scheme === "memory" ? "zarr" : HDF5_NAME.test(name) ? "hdf5" : ZARR_NAME.test(path) ? "zarr" : undefined;
  return { raw: location, scheme, path, remote: scheme !== "file", formatGuess };
}

/** Whether two locations name the same file or store (paths resolved, URLs without trailing slashes). */
export function sameLocation(a: string, b: string): boolean {
  const norm = (x: string): string => (isUrl(x) ? x.replace(/\/+$/, "") : resolve(parseLocation(x).path));
  return norm(a) === norm(b);
}

/**
 * `relative` (a link source as stored: relative to `base`, or absolute) as an absolute
 * location: URLs join as URL paths, local paths as paths.
 */
export function resolveAgainst(base: string, relative: string): string {
  if (isUrl(relative) || isAbsolute(relative)) return relative;
  const m = SCHEME.exec(base);
  if (m && m[1]!.toLowerCase() !== "file") return m[0] + posix.normalize(posix.join(base.slice(m[0].length), relative));
  return resolve(parseLocation(base).path, relative);
}
