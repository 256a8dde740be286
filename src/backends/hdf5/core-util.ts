/** Small helpers shared by the core wrappers: paths, modes, argument checks. */
import { InvalidInputError, ModeError, type StoreOp } from "../../errors.js";
import type { ErrorContext } from "./core-module.js";
import type { H5File, H5Location } from "./core-types.js";

export function fileOf(loc: H5Location): H5File {
  return loc.kind === "file" ? loc : loc.file;
}

/** Absolute path of `path` relative to `loc`, for messages and for H5Object.path. */
export function joinPath(loc: H5Location, path: string): string {
  if (path.startsWith("/")) return path;
  const base = loc.kind === "file" ? "/" : loc.path;
  if (path === "" || path === ".") return base;
  return base.endsWith("/") ? `${base}${path}` : `${base}/${path}`;
}

export function ctx(loc: H5Location, path: string, op: StoreOp): ErrorContext {
  const f = fileOf(loc);
  return { path: `${f.path}:${joinPath(loc, path)}`, op, mode: f.mode };
}

/** Refuse a write on a read-only file before HDF5 is asked (typed, with the path). */
export function requireWritable(loc: H5Location, path: string, what: string): void {
  const f = fileOf(loc);
  if (!f.writable) {
    throw new ModeError(`${f.path}:${joinPath(loc, path)}: cannot ${what}: file is open in mode "${f.mode}"`, {
      mode: f.mode,
      path: joinPath(loc, path),
    });
  }
}

export function requireName(path: string, what: string): void {
  if (typeof path !== "string" || path.length === 0) {
    throw new InvalidInputError(`${what}: name must be a non-empty string`, { option: "name" });
  }
  if (path.includes("\0")) throw new InvalidInputError(`${what}: name contains a NUL character`, { option: "name", path });
}

/** Non-negative safe integers (dimensions, offsets, counts). */
export function checkDims(values: readonly number[], what: string, path: string): void {
  if (!Array.isArray(values)) throw new InvalidInputError(`${path}: ${what} must be an array`, { path, option: what });
  if (values.length > 32) throw new InvalidInputError(`${path}: ${what} has rank ${values.length} > 32`, { path, option: what });
  values.forEach((v, i) => {
    if (!Number.isSafeInteger(v) || v < 0) {
      throw new InvalidInputError(`${path}: ${what}[${i}] = ${v} is not a non-negative integer`, { path, option: what });
    }
  });
}

export function product(values: readonly number[]): number {
  return values.reduce((a, b) => a * b, 1);
}
