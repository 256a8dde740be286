/**
 * The Debian sid witness (scripts/sid-chroot.sh): current h5py on HDF5 2.x, zarr-python 3,
 * numcodecs and numpy in a chroot at .cache/sid, beside the host's bookworm python3 (h5py 3.7 on
 * HDF5 1.10, zarr 2.13). Python runs through scripts/sid-python.sh: the folders given are
 * bind-mounted at the same paths inside a private mount namespace, so file paths need no
 * rewriting and every mount is gone when the process ends. scripts/test.sh creates the chroot;
 * a missing chroot is a clear failure, never a skip.
 */
import { execFileSync, spawnSync } from "node:child_process";
import { tmpdir } from "node:os";
import { resolve } from "node:path";

const SCRIPTS = resolve(import.meta.dirname, "../../scripts");

export interface SidOptions {
  /** Host folders to make visible inside the chroot (default: the OS temp folder). */
  binds?: readonly string[];
  timeout?: number;
  /** Text for python's standard input. */
  input?: string;
}

/** The chroot is ready (scripts/sid-chroot.sh --check). */
export function sidReady(): boolean {
  return spawnSync("bash", [resolve(SCRIPTS, "sid-chroot.sh"), "--check"]).status === 0;
}

function argv(pythonArgs: readonly string[], binds: readonly string[]): string[] {
  if (!sidReady()) throw new Error("no Debian sid chroot at .cache/sid: run `bash scripts/sid-chroot.sh` as root (scripts/test.sh does it)");
  return [resolve(SCRIPTS, "sid-python.sh"), ...binds.flatMap((b) => ["--bind", b]), ...pythonArgs];
}

/** Run sid's python3 with these arguments; stdout as text (throws on a non-zero exit, with stderr). */
export function sidPython(pythonArgs: readonly string[], options: SidOptions = {}): string {
  const r = spawnSync("bash", argv(pythonArgs, options.binds ?? [tmpdir()]), { encoding: "utf8", timeout: options.timeout ?? 120_000, maxBuffer: 64 << 20, input: options.input });
  if (r.status !== 0) throw new Error(`sid python3 ${pythonArgs.slice(0, 2).join(" ").slice(0, 80)} failed (exit ${r.status ?? r.signal}): ${r.stderr}`);
  return r.stdout;
}

/** The witness versions: {python, h5py, hdf5, zarr, numcodecs, numpy}. */
export function sidVersions(): Record<string, string> {
  return JSON.parse(execFileSync("bash", [resolve(SCRIPTS, "sid-chroot.sh"), "--versions"], { encoding: "utf8" })) as Record<string, string>;
}
