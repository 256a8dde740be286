import { describe, expect, it } from "vitest";
import { applyLinkPolicy } from "../../src/backends/link-policy.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder } from "../../src/schema/builders.js";
import { array } from "../../src/data/ndarray.js";
import { LinkError } from "../../src/errors.js";

function fileA(): GroupBuilder {
  const root = new GroupBuilder("root", { source: "/data/a.nwb" });
  const acq = root.group("acquisition");
  const ts = acq.group("ts");
  ts.add(new DatasetBuilder("data", array([1, 2, 3], { dtype: "<f8" })));
  ts.setAttribute("unit", "m");
  return root;
}

function container(): GroupBuilder {
  const root = new GroupBuilder("root", { source: "/data/c.nwb" });
  const acq = root.group("acquisition");
  acq.add(new LinkBuilder("linked_ts", { path: "/acquisition/ts", source: "/data/a.nwb" }));
  acq.add(new LinkBuilder("soft", { path: "/acquisition/linked_ts" }));
  return root;
}

const opener = (files: Record<string, () => GroupBuilder>) => async (loc: string) => {
  const f = files[loc];
  if (!f) throw new Error(`no such file ${loc}`);
  return f();
};

describe("link policies", () => {
  it("preserve keeps external and soft links and checks targets", async () => {
    const { root, report } = await applyLinkPolicy(container(), "/data/c.nwb", { links: "preserve", open: opener({ "/data/a.nwb": fileA }) });
    const l = root.find("/acquisition/linked_ts");
    expect(l).toBeInstanceOf(LinkBuilder);
    expect((l as LinkBuilder).targetSource).toBe("/data/a.nwb");
    expect(report).toEqual({ preserved: 2, resolved: 0, broken: [] });
  });

  it("preserve with relocate points external links at the converted copy, checked against the original; soft links untouched", async () => {
    const relocate = (loc: string): string | undefined => (loc === "/data/a.nwb" ? "/out/a.nwb.zarr" : undefined);
    const { root, report } = await applyLinkPolicy(container(), "/data/c.nwb", { links: "preserve", open: opener({ "/data/a.nwb": fileA }), relocate });
    expect((root.find("/acquisition/linked_ts") as LinkBuilder).targetSource).toBe("/out/a.nwb.zarr");
    expect((root.find("/acquisition/linked_ts") as LinkBuilder).targetPath).toBe("/acquisition/ts");
    expect((root.find("/acquisition/soft") as LinkBuilder).targetSource).toBeUndefined();
    expect(report).toEqual({ preserved: 2, resolved: 0, broken: [] });
    // the original must hold the target: a link into a missing file is still a LinkError
    await expect(applyLinkPolicy(container(), "/data/c.nwb", { links: "preserve", open: opener({}), relocate })).rejects.toBeInstanceOf(LinkError);
  });

  it("resolve copies the target's content in place of the link", async () => {
    const { root, report } = await applyLinkPolicy(container(), "/data/c.nwb", { links: "resolve", open: opener({ "/data/a.nwb": fileA }) });
    const g = root.find("/acquisition/linked_ts") as GroupBuilder;
    expect(g).toBeInstanceOf(GroupBuilder);
    expect(g.getAttribute("unit")).toBe("m");
    expect((g.find("data") as DatasetBuilder).data).toBeDefined();
    expect(report.resolved).toBe(1);
  });

  it("a broken link is a LinkError naming path and target, unless allowed", async () => {
    const err = await applyLinkPolicy(container(), "/data/c.nwb", { links: "resolve", open: opener({}) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkError);
    expect((err as LinkError).path).toBe("/acquisition/linked_ts");
    expect((err as LinkError).target).toBe("/data/a.nwb::/acquisition/ts");
    const ok = await applyLinkPolicy(container(), "/data/c.nwb", { links: "preserve", allowBrokenLinks: true, open: opener({}) });
    expect(ok.report.broken).toEqual(["/acquisition/linked_ts -> /data/a.nwb::/acquisition/ts"]);
  });

  it("detects cycles across files", async () => {
    const a = () => { const r = new GroupBuilder("root"); r.add(new LinkBuilder("x", { path: "/x", source: "/b" })); return r; };
    const b = () => { const r = new GroupBuilder("root"); r.add(new LinkBuilder("x", { path: "/x", source: "/a" })); return r; };
    const err = await applyLinkPolicy(a(), "/a", { links: "resolve", open: opener({ "/a": a, "/b": b }) }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(LinkError);
    expect(String((err as Error).message)).toMatch(/cycle/);
  });
});
