/**
 * External links across a URL: exporting c_link_container.nwb from the range server (its three
 * external links point into c_link_source.nwb, next to it on the server) with links preserved.
 * - Zarr (v2 and v3) keeps each link with the absolute URL as its source; hdmf-ts reads the
 *   exported store and follows the links over HTTP to the same values as the local source file;
 *   the report says hdmf-zarr 0.6 cannot follow them.
 * - HDF5 stores an external link as a file name for its file driver, so a URL cannot be kept:
 *   export refuses before writing anything (no destination, no marked sibling), one line naming
 *   the link and `--links resolve`; the HDF5 writer refuses such a link in any builder tree too.
 */
import { spawnSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, rmSync } from "node:fs";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { exportTo } from "../../src/backends/export-target.js";
import { openHdf5File, openIO } from "../../src/backends/factory.js";
import { GroupBuilder, LinkBuilder, DatasetBuilder } from "../../src/schema/builders.js";
import { startRangeServer, type RangeServer } from "../helpers/range-server.js";
import { tempDir } from "../export/helpers.js";
import { FIXTURES } from "./helpers.js";
import { isStoredDataset } from "../../src/data/data-source.js";
import type { NdArray } from "../../src/data/ndarray.js";

let srv: RangeServer;
let dir: string;
beforeAll(async () => {
  dir = tempDir("url-links");
  srv = await startRangeServer(FIXTURES);
});
afterAll(async () => {
  await srv?.stop();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

/** Every link of a tree: path -> [target source, target path, the target's builder when resolved]. */
function links(root: GroupBuilder): Map<string, { source: string | undefined; path: string; target: LinkBuilder["target"] }> {
  const out = new Map<string, { source: string | undefined; path: string; target: LinkBuilder["target"] }>();
  for (const b of root.walk()) {
    if (b instanceof GroupBuilder) for (const l of b.links.values()) out.set(l.path, { source: l.targetSource, path: l.targetPath, target: l.target });
  }
  return out;
}

describe.each(["zarr", "zarr3"] as const)("--links preserve to %s (v2 zarr_link, v3 _LINKS)", (format) => {
  it("keeps the links with the absolute URL, and hdmf-ts follows them to the source's values", async () => {
    const url = srv.url("ok", "c_link_container.nwb");
    const target = srv.url("ok", "c_link_source.nwb");
    const out = join(dir, `preserved-${format}.nwb.zarr`);
    const report = await exportTo(url, out, { format, links: "preserve" });
    expect(report.links).toMatchObject({ preserved: 3, resolved: 0, broken: [] });
    expect(report.notes.filter((n) => n.includes(target) && n.includes("hdmf-zarr 0.6"))).toHaveLength(3);
    // the backdoor: the stored link entries name the URL as it is
    const attrs = format === "zarr"
      ? JSON.parse(readFileSync(join(out, "acquisition/.zattrs"), "utf8")) as { zarr_link: Array<{ source: string }> }
      : (JSON.parse(readFileSync(join(out, "acquisition/zarr.json"), "utf8")) as { attributes: { _LINKS: Array<{ source: string }> } }).attributes;
    const entries = "zarr_link" in attrs ? attrs.zarr_link : attrs._LINKS;
    expect(entries.map((e) => e.source)).toEqual([target]);

    const io = await openIO(out, "r");
    const local = await openIO(join(FIXTURES, "c_link_source.nwb"), "r");
    try {
      const got = links(await io.readBuilder());
      expect(got.size).toBe(3);
      for (const l of got.values()) {
        expect(l.source).toBe(target);
        if (l.target instanceof DatasetBuilder) {
          const theirs = await (await local.dataset(l.path)).read();
          const d = l.target.data;
          const ours = isStoredDataset(d) ? await d.read() : (d as NdArray);
          expect(ours.size).toBeGreaterThan(0);
          expect(Array.from(ours.data as ArrayLike<number>)).toEqual(Array.from(theirs.data as ArrayLike<number>));
        } else {
          expect(l.target).toBeInstanceOf(GroupBuilder);
        }
      }
    } finally {
      await io.close();
      await local.close();
    }
  });
});

describe("--links preserve to HDF5", () => {
  it("is refused before anything is written: an UnsupportedError naming the link and --links resolve", async () => {
    const out = join(dir, "preserved.nwb");
    const err = await exportTo(srv.url("ok", "c_link_container.nwb"), out, { links: "preserve" }).then(() => undefined, (e: unknown) => e);
    expect(err).toMatchObject({ kind: "unsupported", message: expect.stringMatching(/cannot keep link \/acquisition\/.* to http:\/\/127\.0\.0\.1:\d+\/ok\/c_link_source\.nwb::.*--links resolve/) });
    expect(existsSync(out)).toBe(false);
    expect(readdirSync(dir).filter((n) => n.includes("preserved.nwb"))).toEqual([]);
  });

  it("--links resolve copies the linked content in: no external link left", async () => {
    const out = join(dir, "resolved.nwb");
    const report = await exportTo(srv.url("ok", "c_link_container.nwb"), out, { links: "resolve" });
    expect(report.links.resolved).toBe(3);
    const io = await openIO(out, "r");
    try {
      expect([...links(await io.readBuilder()).values()].filter((l) => l.source !== undefined && l.source !== out)).toEqual([]);
    } finally {
      await io.close();
    }
  });

  it("the CLI: exit 1, one line on stderr", () => {
    const out = join(dir, "cli.nwb");
    const r = spawnSync(resolve("node_modules/.bin/tsx"), [resolve("src/cli/bin.ts"), "export", srv.url("ok", "c_link_container.nwb"), out, "--links", "preserve"], { encoding: "utf8", timeout: 120_000 });
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toHaveLength(1);
    expect(r.stderr).toMatch(/UnsupportedError.*--links resolve/);
    expect(existsSync(out)).toBe(false);
  });

  it("the HDF5 writer refuses a link to a URL in any builder tree (never a relative path that does not resolve)", async () => {
    const io = await openHdf5File(join(dir, "direct.h5"), "w");
    try {
      const root = new GroupBuilder("root");
      root.add(new LinkBuilder("x", { path: "/data", source: "https://example.org/other.nwb" }));
      await expect(io.write(root)).rejects.toMatchObject({ kind: "unsupported", message: expect.stringContaining("https://example.org/other.nwb::/data") });
    } finally {
      await io.close();
    }
  });
});
