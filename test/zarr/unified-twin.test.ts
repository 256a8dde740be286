/**
 * A unified-convention Zarr v3 store written without hdmf-ts (zarr-python 3.4 in the Debian sid
 * chroot, spelled as hdmf-zarr's storage.rst examples show: `_LINKS`, `_DTYPE`,
 * `{"_REFERENCE": ...}`, struct compounds with `_REFERENCE_FIELDS`, 0-d scalars) reads into the
 * same builder tree as its HDF5 twin (h5py): the same groups, datasets, attributes, links
 * (external ones included), references, compound references and scalar shapes.
 */
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHdf5File, openZarrStore } from "../../src/backends/factory.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder, type Builder } from "../../src/schema/builders.js";
import { NdArray } from "../../src/data/ndarray.js";
import { ObjectReference } from "../../src/data/reference.js";
import { manifestSha256, renderRef } from "../helpers/manifest-sha.js";
import { sidPython } from "../helpers/sid.js";
import { valueOf } from "./sample-tree.js";

const SCRIPT = resolve(import.meta.dirname, "py/unified_twin.py");
let dir: string;

/** A value as text both backends must agree on: references as their target path. */
function render(v: unknown): unknown {
  if (v instanceof ObjectReference) return `ref:${renderRef(v)}`;
  if (v instanceof NdArray) return { shape: v.shape, values: v.toArray().map(render) };
  if (Array.isArray(v)) return v.map(render);
  if (typeof v === "bigint") return Number(v);
  if (v !== null && typeof v === "object") return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, render(x)]));
  return v;
}

/** An external link's target file without folder and suffix; same-file links (either spelling) none. */
function linkFile(source: string | undefined): string | undefined {
  const name = source?.replace(/\/+$/, "").replace(/\.(h5|zarr)$/, "").split("/").pop();
  return name === "twin" ? undefined : name;
}

interface Node { kind: string; attrs: Record<string, unknown>; shape?: number[]; dtype?: string; sha?: string; rows?: unknown; target?: string; file?: string }

async function tree(root: GroupBuilder): Promise<Map<string, Node>> {
  const out = new Map<string, Node>();
  for (const b of root.walk() as Iterable<Builder>) {
    const path = b === root ? "/" : b.path;
    const attrs = b instanceof LinkBuilder ? {} : Object.fromEntries([...b.attributes.entries()].map(([k, a]) => [k, render(a.value)]));
    if (b instanceof LinkBuilder) {
      out.set(path, { kind: "link", attrs, target: b.targetPath, file: linkFile(b.targetSource) });
    } else if (b instanceof DatasetBuilder) {
      const v = await valueOf(b);
      out.set(path, { kind: "dataset", attrs, shape: [...v.shape], dtype: v.dtype.kind, sha: manifestSha256(v), rows: v.dtype.kind === "compound" || v.dtype.kind === "reference" ? render(v) : undefined });
    } else out.set(path, { kind: "group", attrs });
  }
  return out;
}

let h5: Map<string, Node>;
let zr: Map<string, Node>;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hdmf-twin-"));
  sidPython([SCRIPT, dir], { binds: [dir, resolve(import.meta.dirname, "py")], timeout: 120_000 });
  const a = await openHdf5File(join(dir, "twin.h5"));
  const b = await openZarrStore(join(dir, "twin.zarr"));
  try {
    h5 = await tree(await a.readBuilder());
    zr = await tree(await b.readBuilder());
  } finally {
    await a.close();
    await b.close();
  }
}, 180_000);

afterAll(() => {
  if (dir) rmSync(dir, { recursive: true, force: true });
});

describe("a hand-written unified v3 store and its HDF5 twin", () => {
  it("hold the same nodes", () => {
    expect([...zr.keys()].sort()).toEqual([...h5.keys()].sort());
    expect(zr.size).toBe(14);
  });

  it("have the same attributes, reserved ones hidden and attribute references resolved", () => {
    for (const [p, n] of h5) expect(zr.get(p)!.attrs, p).toEqual(n.attrs);
    expect(zr.get("/data")!.attrs.table).toBe("ref:/electrodes");
    for (const n of zr.values()) for (const k of Object.keys(n.attrs)) expect(k.startsWith("_")).toBe(false);
  });

  it("read every dataset to equal values, shapes and kinds (0-d scalars, references, compound references)", () => {
    for (const [p, n] of h5) {
      if (n.kind !== "dataset") continue;
      const z = zr.get(p)!;
      expect({ shape: z.shape, dtype: z.dtype, sha: z.sha, rows: z.rows }, p).toEqual({ shape: n.shape, dtype: n.dtype, sha: n.sha, rows: n.rows });
    }
    expect(zr.get("/scalar")!.shape).toEqual([]);
    expect(zr.get("/label")!.shape).toEqual([]);
    expect(zr.get("/refs")!.rows).toEqual({ shape: [2], values: ["ref:/electrodes", "ref:/data"] });
    expect((zr.get("/table")!.rows as { values: Array<Record<string, unknown>> }).values.map((r) => r.timeseries)).toEqual(["ref:/data", "ref:/data"]);
  });

  it("keep soft and external links as links to the same targets", () => {
    for (const p of ["/group/link", "/group/glink", "/group/ext"]) {
      expect(zr.get(p), p).toEqual(h5.get(p));
      expect(zr.get(p)!.kind).toBe("link");
    }
    expect(zr.get("/group/ext")!.file).toBe("other");
  });
});
