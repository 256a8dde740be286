/**
 * Issue 16's acceptance rule, shared by the fixture, tutorial and conformance tests: a source's
 * oracle manifest (manifest.py: h5py / zarr-python 2) against the manifest zarr-python 3.4 makes
 * of its Zarr v3 export (manifest_v3.py --strict --no-legacy, in the sid chroot). Same checksum
 * rule on both sides (oracle README "Checksum rule"), so equal sha256 means equal values.
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { sidPython } from "../helpers/sid.js";

export interface ManifestObject {
  path: string;
  kind: string;
  shape?: number[] | null;
  sha256?: string | null;
  field_sha256?: Record<string, string> | null;
  attrs?: Record<string, unknown>;
  filters?: Array<{ id: number }> | null;
  error?: string;
  target_path?: string | null;
  target_file?: string | null;
}

export interface ManifestEntry { backend: string; objects: ManifestObject[] }

const isData = (o: ManifestObject): boolean => o.kind === "dataset" && !o.path.startsWith("/specifications");

/** Datasets that are scalars in the source: 0-d in HDF5 and v3, hdmf-zarr's zarr_dtype "scalar" in legacy Zarr. */
export function sourceScalars(e: ManifestEntry): string[] {
  return e.objects.filter((o) => isData(o) && ((o.shape?.length ?? 0) === 0 || o.attrs?.zarr_dtype === "scalar")).map((o) => o.path);
}

/** Soft, external and hdmf-zarr links of the source (each must be one `_LINKS` entry in v3). */
export function sourceLinks(e: ManifestEntry): ManifestObject[] {
  return e.objects.filter((o) => o.kind === "soft_link" || o.kind === "external_link" || o.kind === "zarr_link");
}

export interface Comparison {
  /** Datasets whose checksum was compared. */
  compared: number;
  /** Source datasets left out by `skip`, with the reason. */
  skipped: string[];
  /** Everything that differs (empty = equal). */
  diffs: string[];
}

/**
 * Every source dataset (the cached specs aside) read by zarr-python from the v3 store with the
 * source's checksum, every node opened without error, every link kept with its target path.
 * `skip` leaves out a source dataset its own reader could not decode (it names why).
 */
export function compareWithSource(source: ManifestEntry, v3: ManifestEntry, skip: (o: ManifestObject) => string | undefined = () => undefined): Comparison {
  const diffs = v3.objects.filter((o) => o.error !== undefined).map((o) => `${o.path}: zarr-python: ${o.error}`);
  const byPath = new Map(v3.objects.map((o) => [o.path, o]));
  const skipped: string[] = [];
  let compared = 0;
  for (const o of source.objects) {
    if (!isData(o)) continue;
    const t = byPath.get(o.path);
    if (!t) { diffs.push(`${o.path}: missing`); continue; }
    const why = skip(o);
    if (why) { skipped.push(`${o.path}: ${why}`); continue; }
    if (o.field_sha256) {
      if (JSON.stringify(t.field_sha256) !== JSON.stringify(o.field_sha256)) diffs.push(`${o.path}: fields ${JSON.stringify(t.field_sha256)} != ${JSON.stringify(o.field_sha256)}`);
    } else if (t.sha256 !== o.sha256) diffs.push(`${o.path}: sha256 ${t.sha256} != ${o.sha256}`);
    compared++;
  }
  // links as zarr-python sees them: every source link, same target path
  for (const o of sourceLinks(source)) {
    const t = byPath.get(o.path);
    if (t?.kind !== "zarr_link" || t.target_path !== o.target_path) diffs.push(`${o.path}: link ${t?.kind}:${t?.target_path} != ${o.kind}:${o.target_path}`);
  }
  return { compared, skipped, diffs };
}

/**
 * zarr-python 3.4's manifest of every v3 store under `root` (manifest_v3.py --strict --no-legacy
 * in the sid chroot), by name relative to `root`. `scratch` holds `root` and gets the JSON.
 */
export function zarrPython3Manifests(root: string, scratch: string, oracle: string, timeout: number): Map<string, ManifestEntry> {
  const out = join(scratch, "v3-manifest.json");
  sidPython([join(oracle, "manifest_v3.py"), root, "--strict", "--no-legacy", "--out", out], { binds: [scratch, oracle], timeout });
  return new Map(Object.entries((JSON.parse(readFileSync(out, "utf8")) as { files: Record<string, ManifestEntry> }).files));
}
