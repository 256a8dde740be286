/**
 * Link policies for export and multi-file writes, on builder trees (no backend here).
 *
 * - preserve: soft and external links stay links. External targets are checked (they must
 *   open and hold the path); the destination backend writes the target location relative to
 *   its own position, so a preserved link still resolves from a different folder.
 * - resolve: external links are replaced by a copy of their target's content, recursively
 *   (links inside linked files too), like `h5copy -f ext`; soft links inside copied foreign
 *   content are resolved the same way. Cycles raise LinkError.
 *
 * Locations in builders are absolute (a path or URL): backends turn the relative form they
 * store into an absolute one on read, and back into their own relative form on write.
 */
import { LinkError } from "../errors.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder, type ChildBuilder } from "../schema/builders.js";

/** What export does with soft and external links: keep them as links ("preserve") or copy their targets in ("resolve"). */
export type LinkPolicy = "preserve" | "resolve";

/** Opens another file read-only and returns its root builder (lazy datasets). */
export type OpenSource = (location: string) => Promise<GroupBuilder>;

/** Options of {@link applyLinkPolicy}. */
export interface LinkPolicyOptions {
  /** The policy to apply. */
  links: LinkPolicy;
  /** Keep links whose target cannot be opened as dangling links instead of failing. */
  allowBrokenLinks?: boolean;
  /** Opens a linked file (cached by the caller if it wants). */
  open: OpenSource;
  /**
   * Where a preserved external link points instead of its target's location (undefined: the
   * target itself). Export of a linked file set converted together points links at the copies.
   */
  relocate?: (location: string) => string | undefined;
}

/** Counts of what applyLinkPolicy did to the tree's external links. */
export interface LinkReport {
  /** External links kept as links (their targets checked). */
  preserved: number;
  /** External links replaced by a copy of their target. */
  resolved: number;
  /** Links kept dangling because allowBrokenLinks was set: `path -> target`. */
  broken: string[];
}

/** Apply a link policy to a tree read from `rootSource`; returns a new tree (the input is untouched). */
export async function applyLinkPolicy(root: GroupBuilder, rootSource: string, options: LinkPolicyOptions): Promise<{ root: GroupBuilder; report: LinkReport }> {
  const report: LinkReport = { preserved: 0, resolved: 0, broken: [] };
  const roots = new Map<string, Promise<GroupBuilder>>();
  const openCached = (loc: string): Promise<GroupBuilder> => {
    let p = roots.get(loc);
    if (!p) { p = options.open(loc); roots.set(loc, p); }
    return p;
  };
  roots.set(rootSource, Promise.resolve(root));

  const copyChildren = async (from: GroupBuilder, to: GroupBuilder, fromSource: string, foreign: boolean, stack: string[]): Promise<void> => {
    copyAttributes(from, to);
    for (const child of from.children()) {
      if (child instanceof LinkBuilder) {
        const copied = await handleLink(child, fromSource, foreign, stack);
        if (copied) to.add(copied);
        continue;
      }
      if (child instanceof GroupBuilder) {
        const g = to.add(new GroupBuilder(child.name, { source: child.source }));
        await copyChildren(child, g, fromSource, foreign, stack);
      } else {
        to.add(copyDataset(child));
      }
    }
  };

  const handleLink = async (link: LinkBuilder, fromSource: string, foreign: boolean, stack: string[]): Promise<ChildBuilder | undefined> => {
    const targetSource = link.targetSource ?? fromSource;
    const external = targetSource !== fromSource;
    const where = `${fromSource}::${link.path}`;
    const what = `${targetSource}::${link.targetPath}`;
    if (!external && !foreign) {
      report.preserved++;
      return new LinkBuilder(link.name, { path: link.targetPath });
    }
    if (options.links === "preserve" && !foreign) {
      const ok = await targetExists(targetSource, link.targetPath);
      if (!ok) {
        if (!options.allowBrokenLinks) throw new LinkError(`link ${link.path} points to ${what}, which cannot be opened`, { path: link.path, target: what });
        report.broken.push(`${link.path} -> ${what}`);
      } else report.preserved++;
      return new LinkBuilder(link.name, { path: link.targetPath, source: options.relocate?.(targetSource) ?? targetSource });
    }
    // resolve: copy the target's content in place of the link
    if (stack.includes(what)) {
      throw new LinkError(`link cycle: ${[...stack, what].join(" -> ")}`, { path: link.path, target: what });
    }
    const target = await findTarget(targetSource, link.targetPath);
    if (!target) {
      if (!options.allowBrokenLinks) throw new LinkError(`link ${where} points to ${what}, which cannot be opened`, { path: link.path, target: what });
      report.broken.push(`${link.path} -> ${what}`);
      return new LinkBuilder(link.name, { path: link.targetPath, source: targetSource });
    }
    report.resolved++;
    if (target instanceof LinkBuilder) {
      return handleLink(renamed(target, link.name), targetSource, true, [...stack, what]);
    }
    if (target instanceof DatasetBuilder) return copyDataset(target, link.name);
    const g = new GroupBuilder(link.name, { source: targetSource });
    await copyChildren(target, g, targetSource, true, [...stack, what]);
    return g;
  };

  const findTarget = async (source: string, path: string): Promise<GroupBuilder | DatasetBuilder | LinkBuilder | undefined> => {
    let r: GroupBuilder;
    try { r = await openCached(source); } catch { return undefined; }
    const hit = r.find(path);
    return hit instanceof Builder ? (hit as GroupBuilder | DatasetBuilder | LinkBuilder) : undefined;
  };
  const targetExists = async (source: string, path: string): Promise<boolean> => (await findTarget(source, path)) !== undefined;

  const out = new GroupBuilder(root.name, { source: root.source });
  await copyChildren(root, out, rootSource, false, []);
  return { root: out, report };
}

function copyAttributes(from: Builder, to: Builder): void {
  for (const [k, a] of from.attributes) to.attributes.set(k, a);
}

function copyDataset(d: DatasetBuilder, name = d.name): DatasetBuilder {
  const c = new DatasetBuilder(name, d.data, { source: d.source, dtype: d.dtype });
  c.locationPath = d.locationPath; // where the values live in their source (export reopens small datasets there)
  copyAttributes(d, c);
  return c;
}

function renamed(link: LinkBuilder, name: string): LinkBuilder {
  const c = new LinkBuilder(name, link.target, { source: link.source });
  c.parent = link.parent;
  return c;
}
