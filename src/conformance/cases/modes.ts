/** Every open mode's allowed and forbidden operations; close, double close, use after close. */
import type { OpenMode } from "../../backends/io.js";
import { array } from "../../data/ndarray.js";
import { DatasetBuilder } from "../../schema/builders.js";
import { asDataset, equal, listEqual, namesPath, ok, rejects } from "../check.js";
import type { ConformanceCase } from "../types.js";
import { datasetAt, groupAt, root, valuesOf, withRead, writeTree } from "./util.js";

function sample(name = "d", values = [1, 2, 3]) {
  const tree = root();
  tree.add(new DatasetBuilder(name, array(values, { dtype: "int64" })));
  return tree;
}

export const modeCases: ConformanceCase[] = [
  {
    id: "mode.r-forbids-writes",
    title: "in mode r, write, region write and resize are ModeErrors and nothing changes",
    async run({ fixture }) {
      await writeTree(fixture, sample());
      const io = await fixture.open("r");
      try {
        equal(io.mode, "r", "io.mode");
        await rejects(() => io.write(sample("other"), { cacheSpec: false }), ["mode"], "write in mode r");
        const h = await io.dataset("/d");
        await rejects(() => h.write([[0, 1]], 9), ["mode"], "region write in mode r");
        await rejects(() => h.resize([5]), ["mode", "unsupported"], "resize in mode r");
      } finally { await io.close(); }
      await withRead(fixture, async (r) => {
        ok(!r.find("/other"), "read back: /other was written in mode r");
        listEqual((await valuesOf(datasetAt(r, "/d"))).toArray(), [1n, 2n, 3n], "read back: /d unchanged");
      });
      const raw = asDataset(await fixture.peek("/d"), "/d");
      if (raw.values) listEqual(raw.values.map(Number), [1, 2, 3], "backdoor: /d unchanged");
      equal(await fixture.peek("/other"), undefined, "backdoor: /other");
    },
  },
  {
    id: "mode.w-dash-existing",
    title: "mode w- over an existing target is a ModeError and the target is intact",
    async run({ fixture }) {
      await writeTree(fixture, sample());
      const e = await rejects(() => fixture.create("w-").then((io) => io.close()), ["mode"], "open in mode w- over an existing target");
      ok(e.message.length > 0, "the ModeError has a message");
      await withRead(fixture, async (r) => listEqual((await valuesOf(datasetAt(r, "/d"))).toArray(), [1n, 2n, 3n], "read back: /d after the refused w-"));
    },
  },
  {
    id: "mode.w-dash-new",
    title: "mode w- creates a new target",
    async run({ fixture }) {
      const io = await fixture.create("w-");
      try { await io.write(sample(), { cacheSpec: false }); } finally { await io.close(); }
      await withRead(fixture, async (r) => { datasetAt(r, "/d"); });
    },
  },
  {
    id: "mode.w-truncates",
    title: "mode w over an existing target starts empty",
    async run({ fixture }) {
      await writeTree(fixture, sample("old"));
      await writeTree(fixture, sample("new", [7]));
      await withRead(fixture, async (r) => {
        ok(!r.find("/old"), "read back: /old survived a reopen in mode w");
        listEqual((await valuesOf(datasetAt(r, "/new"))).toArray(), [7n], "read back: /new");
      });
      equal(await fixture.peek("/old"), undefined, "backdoor: /old after mode w");
    },
  },
  {
    id: "mode.a-creates-and-adds",
    title: "mode a creates a missing target, then adds to an existing one",
    async run({ fixture }) {
      const io = await fixture.create("a");
      try { await io.write(sample("first"), { cacheSpec: false }); } finally { await io.close(); }
      const io2 = await fixture.open("a");
      try {
        const tree = await io2.readBuilder();
        tree.group("added").setAttribute("note", "appended", "text");
        await io2.write(tree, { cacheSpec: false });
      } finally { await io2.close(); }
      await withRead(fixture, async (r) => {
        datasetAt(r, "/first");
        groupAt(r, "/added");
      });
    },
  },
  {
    id: "mode.r-plus-edits",
    title: "mode r+ edits an existing target in place",
    async run({ fixture }) {
      await writeTree(fixture, sample());
      const io = await fixture.open("r+");
      try { await (await io.dataset("/d")).write([[1, 2]], 42n); } finally { await io.close(); }
      await withRead(fixture, async (r) => listEqual((await valuesOf(datasetAt(r, "/d"))).toArray(), [1n, 42n, 3n], "read back: /d after r+ edit"));
    },
  },
  {
    id: "mode.missing-target",
    title: "modes r and r+ on a target that does not exist are typed errors",
    async run({ fixture }) {
      for (const mode of ["r", "r+"] as const) {
        await rejects(() => fixture.open(mode).then((io) => io.close()), ["not-found", "mode", "store", "format"], `open in mode ${mode} of a missing target`);
      }
    },
  },
  {
    id: "mode.unknown",
    title: "an unknown mode is an InvalidInputError",
    async run({ fixture }) {
      const e = await rejects(() => fixture.open("x" as OpenMode).then((io) => io.close()), ["invalid-input"], "open in mode \"x\"");
      ok(/mode/i.test(e.message), `the error should mention the mode: ${e.message}`);
    },
  },
  {
    id: "lifecycle.double-close",
    title: "close is idempotent; Symbol.asyncDispose closes",
    async run({ fixture }) {
      const io = await fixture.create("w");
      await io.write(sample(), { cacheSpec: false });
      await io.close();
      await io.close();
      equal(io.closed, true, "io.closed after close");
      const io2 = await fixture.open("r");
      await io2[Symbol.asyncDispose]();
      equal(io2.closed, true, "io.closed after asyncDispose");
      await io2.close();
    },
  },
  {
    id: "lifecycle.use-after-close",
    title: "read, write and region reads after close are typed errors naming the target",
    async run({ fixture }) {
      await writeTree(fixture, sample());
      const io = await fixture.open("r+");
      const h = await io.dataset("/d");
      await io.close();
      await rejects(() => io.readBuilder(), ["mode", "store"], "readBuilder after close");
      await rejects(() => io.write(sample("x"), { cacheSpec: false }), ["mode"], "write after close");
      await rejects(() => io.dataset("/d"), ["mode", "store"], "dataset() after close");
      await rejects(() => h.read(), ["mode", "store"], "reading a handle after its IO closed");
      const e = await rejects(() => h.write([[0, 1]], 5n), ["mode", "store"], "writing a handle after its IO closed");
      ok(e.message.length > 0, "error has a message");
      await withRead(fixture, async (r) => listEqual((await valuesOf(datasetAt(r, "/d"))).toArray(), [1n, 2n, 3n], "read back: /d"));
    },
  },
  {
    id: "lifecycle.flush",
    title: "flush between writes keeps everything; data survives close and reopen",
    requires: ["reopen"],
    async run({ fixture }) {
      const io = await fixture.create("w");
      try {
        await io.write(sample(), { cacheSpec: false });
        await io.flush();
        await (await io.dataset("/d")).write([[0, 1]], 11n);
        await io.flush();
        await io.flush();
      } finally { await io.close(); }
      await withRead(fixture, async (r) => listEqual((await valuesOf(datasetAt(r, "/d"))).toArray(), [11n, 2n, 3n], "read back: /d"));
      await rejects(() => fixture.open("w-").then((x) => x.close()), ["mode"], "w- after a flushed write");
    },
  },
];
