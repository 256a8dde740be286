/**
 * The cached spec as pynwb / hdmf write it: `/specifications/<ns>/<version>/<source>` scalar
 * vlen UTF-8 strings (JSON text) and an object reference to `/specifications` in the root's
 * `.specloc` attribute (hdmf HDF5IO.__cache_spec). Entries already in the file are kept.
 */
import { dtypes } from "../../data/dtype.js";
import type { CachedSpecEntry } from "../../schema/spec/cache.js";
import type { FileContext } from "./dataset.js";

export const SPEC_GROUP = "/specifications";

export function writeCachedSpecs(ctx: FileContext, entries: readonly CachedSpecEntry[]): void {
  const { core, file } = ctx;
  if (!core.exists(file, SPEC_GROUP)) core.close(core.createGroup(file, SPEC_GROUP));
  for (const e of entries) {
    const dir = `${SPEC_GROUP}/${e.namespace}/${e.version}`;
    if (!core.exists(file, dir)) core.close(core.createGroup(file, dir));
    const path = `${dir}/${e.source}`;
    if (core.exists(file, path)) continue;
    const ds = core.createDataset(file, path, { dtype: dtypes.utf8, shape: [] });
    try {
      core.writeStrings(ds, undefined, [e.text]);
    } finally {
      core.close(ds);
    }
  }
  core.writeAttribute(file, ".specloc", dtypes.objectRef, [], core.createReference(file, SPEC_GROUP), { replace: true });
}

export function readCachedSpecs(ctx: FileContext): CachedSpecEntry[] {
  const { core, file } = ctx;
  let root = SPEC_GROUP;
  if (core.hasAttribute(file, ".specloc")) {
    const a = core.readAttribute(file, ".specloc");
    if (a.kind === "bytes") root = core.resolveReference(file, a.bytes)?.path ?? SPEC_GROUP;
  }
  if (!core.exists(file, root)) return [];
  const out: CachedSpecEntry[] = [];
  for (const ns of core.list(file, root)) {
    for (const ver of core.list(file, `${root}/${ns.name}`)) {
      for (const src of core.list(file, `${root}/${ns.name}/${ver.name}`)) {
        const ds = core.open(file, `${root}/${ns.name}/${ver.name}/${src.name}`);
        try {
          const text = core.readStrings(ds, undefined)[0] ?? "";
          out.push({ namespace: ns.name, version: ver.name, source: src.name, text });
        } finally {
          core.close(ds);
        }
      }
    }
  }
  return out;
}
