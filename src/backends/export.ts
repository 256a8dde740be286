/**
 * Export: any backend to any backend (hdmf's `io.export`). The source is read as a builder
 * tree whose datasets stay lazy, the link policy is applied, and the destination writes the
 * tree with linkData false, streaming every dataset chunk by chunk (raw chunk bytes are
 * copied without decoding where the destination backend can prove the pipelines agree).
 *
 * Links held by builders carry absolute target locations; each backend stores its own
 * relative form (HDF5: relative to the file's folder; hdmf-zarr: relative to the store).
 */
import { isAbsolute, resolve } from "node:path";
import { InvalidInputError, LinkError } from "../errors.js";
import { GroupBuilder, LinkBuilder } from "../schema/builders.js";
import type { HDMFIO } from "./io.js";
import { applyLinkPolicy, type LinkPolicy, type LinkReport } from "./link-policy.js";
import { openIO, type OpenIOOptions } from "./factory.js";

export interface ExportOptions<C = unknown> {
  /** "preserve" (default) keeps soft and external links; "resolve" copies linked content in. */
  links?: LinkPolicy;
  /** Keep links whose target cannot be opened (reported) instead of failing with LinkError. */
  allowBrokenLinks?: boolean;
  /** Export this container (read from `src`, possibly modified) instead of the file's tree. */
  container?: C;
  /** Options used to open linked files for checking or resolving (S3 endpoint, ...). */
  openOptions?: OpenIOOptions<C>;
  signal?: AbortSignal;
}

export interface ExportReport {
  source: string;
  destination: string;
  links: LinkReport;
  seconds: number;
}

/** Copy everything `src` holds into `dst` (opened for writing). */
export async function exportFile<C>(src: HDMFIO<C>, dst: HDMFIO<C>, options: ExportOptions<C> = {}): Promise<ExportReport> {
  const t0 = performance.now();
  if (!dst.writable) throw new InvalidInputError(`export destination ${dst.source} is open read-only`, { option: "mode" });
  if (sameLocation(src.source, dst.source)) {
    throw new InvalidInputError(`export source and destination are the same (${src.source})`, { path: dst.source });
  }
  let tree: GroupBuilder;
  if (options.container !== undefined) {
    if (!src.manager) throw new InvalidInputError("export with a container needs the source IO's BuildManager", { option: "container" });
    tree = src.manager.build(options.container, { source: src.source, linkData: false });
  } else {
    tree = await src.readBuilder();
  }
  const opened: HDMFIO<C>[] = [];
  try {
    const { root, report } = await applyLinkPolicy(tree, src.source, {
      links: options.links ?? "preserve",
      allowBrokenLinks: options.allowBrokenLinks,
      open: async (location) => {
        const io = await openIO<C>(location, "r", options.openOptions);
        opened.push(io);
        return io.readBuilder();
      },
    });
    checkNoDanglingResolve(root, options.links ?? "preserve", options.allowBrokenLinks ?? false, src.source);
    await dst.write(root, { linkData: false, signal: options.signal });
    return { source: src.source, destination: dst.source, links: report, seconds: (performance.now() - t0) / 1000 };
  } finally {
    await Promise.allSettled(opened.map((io) => io.close()));
  }
}

/** After "resolve", only soft links inside the file may remain (or broken ones, if allowed). */
function checkNoDanglingResolve(root: GroupBuilder, links: LinkPolicy, allowBroken: boolean, source: string): void {
  if (links !== "resolve" || allowBroken) return;
  for (const b of root.walk()) {
    if (b instanceof GroupBuilder) {
      for (const l of b.links.values()) {
        const t = l.targetSource;
        if (t !== undefined && !sameLocation(t, source)) {
          throw new LinkError(`link ${l.path} still points to ${t} after resolving`, { path: l.path, target: `${t}::${l.targetPath}` });
        }
      }
    }
  }
}

function sameLocation(a: string, b: string): boolean {
  const norm = (x: string): string => (isAbsolute(x) ? resolve(x) : /^[a-z0-9]+:\/\//i.test(x) ? x.replace(/\/+$/, "") : resolve(x));
  return norm(a) === norm(b);
}

export type { LinkPolicy, LinkReport, LinkBuilder };
