import { beforeAll, describe, expect, it } from "vitest";
import {
  createBuildManager, DynamicTable, DynamicTableRegion, GroupBuilder, DatasetBuilder, VectorData, VectorIndex,
  type BuildManager,
} from "../../src/schema/index.js";
import { describeDtype } from "../../src/data/dtype.js";

let manager: () => Promise<BuildManager>;
beforeAll(() => { manager = () => createBuildManager(); });

function table(): DynamicTable {
  const t = new DynamicTable({ name: "generic_table", description: "ragged and region columns" });
  t.addColumn({ name: "words", description: "ragged strings", index: true });
  t.addColumn({ name: "nested", description: "doubly ragged int", index: 2 });
  t.addColumn({ name: "flag", description: "bool column" });
  t.addColumn({ name: "score", description: "float column" });
  t.addRow({ words: ["a", "b"], nested: [[1, 2], [3]], flag: true, score: 0.5 });
  t.addRow({ words: [], nested: [[4]], flag: false, score: 1.5 });
  t.addRow({ words: ["c", "d", "e", "f"], nested: [[5, 6, 7], [], [8, 9, 10]], flag: true, score: 2 });
  t.addColumn({ name: "self_rows", description: "region into this table", table: t, data: [2, 0, 1] });
  t.addColumn({ name: "refs", description: "references to columns", data: [t.getColumn("words"), t.getColumn("flag"), t.getColumn("words")] });
  return t;
}

describe("DynamicTable", () => {
  it("keeps hdmf's add_row semantics for ragged and doubly ragged columns", () => {
    const t = table();
    expect(t.length).toBe(3);
    expect(t.colnames).toEqual(["words", "nested", "flag", "score", "self_rows", "refs"]);
    expect(t.getRow(2).nested).toEqual([[5, 6, 7], [], [8, 9, 10]]);
    expect(t.getRow(1).words).toEqual([]);
    expect(t.indexOf("nested")?.name).toBe("nested_index_index");
    expect(() => t.addRow({ words: [] })).toThrow(/lacks column/);
  });

  it("builds the layout hdmf writes (index dtypes, colnames, target references)", async () => {
    const m = await manager();
    const root = m.build(table(), { source: "t.h5" });
    expect(root.getAttribute("data_type")).toBe("DynamicTable");
    expect(root.getAttribute("namespace")).toBe("hdmf-common");
    const colnames = root.getAttribute("colnames");
    expect((colnames as { toArray(): unknown[] }).toArray()).toEqual(["words", "nested", "flag", "score", "self_rows", "refs"]);
    const idx = root.datasets.get("nested_index")!;
    expect(describeDtype(idx.dtype)).toBe("uint8");
    expect(idx.getAttribute("data_type")).toBe("VectorIndex");
    expect((idx.getAttribute("target") as { resolvedPath: string }).resolvedPath).toBe("/generic_table/nested");
    expect(describeDtype(root.datasets.get("flag")!.dtype)).toBe("bool");
    expect(describeDtype(root.datasets.get("score")!.dtype)).toBe("float64");
    expect(describeDtype(root.datasets.get("id")!.dtype)).toBe("int64");
    expect(describeDtype(root.datasets.get("refs")!.dtype)).toBe("ref:object");
    expect(describeDtype(root.datasets.get("words")!.dtype)).toBe("string:utf-8:vlen");
  });

  it("reads back the same rows (ragged, doubly ragged, region, reference columns)", async () => {
    const t = table();
    const root = (await manager()).build(t, { source: "t.h5" });
    const back = (await manager()).construct(root) as DynamicTable;
    expect(back).toBeInstanceOf(DynamicTable);
    expect(back.colnames).toEqual(t.colnames);
    expect(back.length).toBe(3);
    for (let i = 0; i < 3; i++) {
      const a = t.getRow(i);
      const b = back.getRow(i);
      expect(b.words).toEqual(a.words);
      expect(b.nested).toEqual((a.nested as number[][]).map((x) => x.map(BigInt)));
      expect(b.flag).toBe(a.flag);
      expect(b.score).toBe(Number(a.score));
      expect(b.self_rows).toBe(BigInt(a.self_rows as number));
      expect((b.refs as VectorData).name).toBe((a.refs as VectorData).name);
      expect((b.refs as VectorData).objectId).toBe((a.refs as VectorData).objectId);
    }
    const region = back.getColumn("self_rows");
    expect(region).toBeInstanceOf(DynamicTableRegion);
    expect((region as DynamicTableRegion).table).toBe(back);
    expect(back.getColumn("nested_index")).toBeInstanceOf(VectorIndex);
    expect(back.objectId).toBe(t.objectId);
  });

  it("copies a read table into another file with linkData: false, links to it by default", async () => {
    const root = (await manager()).build(table(), { source: "t.h5" });
    const m = await manager();
    const read = m.construct(root);
    const names = (g: GroupBuilder): string[] => [...g.children()].map((c) => `${c.name}:${c instanceof DatasetBuilder ? describeDtype(c.dtype) : c.constructor.name}`).sort();
    const copied = m.build(read, { source: "u.h5", linkData: false });
    expect(names(copied)).toEqual(names(root));
    const holder = new DynamicTable({ name: "holder", description: "links" });
    holder.addChild(read);
    const linked = (await manager()).build(holder, { source: "u.h5" });
    const link = linked.links.get("generic_table")!;
    expect(link.targetSource).toBe("t.h5");
    expect(link.targetPath).toBe("/generic_table");
  });
});
