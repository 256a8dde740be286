/**
 * Bad input gives typed errors naming the path, and the file stays readable afterwards;
 * a writer SIGKILLed after flush() leaves the flushed datasets readable in h5py.
 */
import { spawn } from "node:child_process";
import { copyFileSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { openHdf5 } from "../../src/backends/hdf5/index.js";
import { DataIO } from "../../src/data/data-io.js";
import { array } from "../../src/data/ndarray.js";
import { DatasetBuilder, GroupBuilder } from "../../src/schema/builders.js";
import { CodecError, FormatError, HdmfError, InvalidInputError, ModeError, NotFoundError } from "../../src/errors.js";
import { py, readValues } from "../helpers/hdf5-py.js";

let dir: string;
let good: string;

beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), "hdf5io-errors-"));
  good = join(dir, "good.h5");
  const root = new GroupBuilder("root");
  root.add(new DatasetBuilder("x", new DataIO({ data: array(Float64Array.from({ length: 400 }, (_, i) => i), { shape: [40, 10] }), chunks: [10, 10], compression: "gzip", fletcher32: true })));
  root.add(new DatasetBuilder("y", array(Int16Array.from([1, 2, 3]))));
  const io = await openHdf5(good, "w");
  await io.write(root);
  await io.close();
});
afterAll(() => { rmSync(dir, { recursive: true, force: true }); });

async function expectReadable(file: string): Promise<void> {
  const io = await openHdf5(file, "r");
  expect(Array.from((await (await io.dataset("/y")).read()).data as Int16Array)).toEqual([1, 2, 3]);
  await io.close();
}

describe("bad input -> typed errors with the path; the file stays readable", () => {
  it("unknown filter id and plugin without allowPlugins", () => {
    expect(() => new DataIO({ data: [1, 2, 3], compression: 40000 })).toThrow(InvalidInputError);
    expect(() => new DataIO({ data: [1, 2, 3], compression: 32001 })).toThrow(/allowPlugins/);
  });

  it("shape / maxshape mismatch", async () => {
    const f = join(dir, "shape.h5");
    copyFileSync(good, f);
    const io = await openHdf5(f, "a");
    const root = new GroupBuilder("root");
    const bad = new DataIO({ data: array(new Float64Array(20), { shape: [20] }), chunks: [5] });
    (bad.options as { maxshape?: number[] }).maxshape = [10]; // bypass DataIO's own check: the backend checks again
    root.add(new DatasetBuilder("z", bad));
    const err = await io.write(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).path).toContain("/z");
    await io.close();
    await expectReadable(f);
  });

  it("write in mode r", async () => {
    const io = await openHdf5(good, "r");
    await expect(io.write(new GroupBuilder("root"))).rejects.toBeInstanceOf(ModeError);
    const ds = await io.dataset("/x");
    await expect(ds.write([[0, 1]], 5)).rejects.toBeInstanceOf(ModeError);
    await expect(io.flush()).rejects.toBeInstanceOf(ModeError);
    await io.close();
  });

  it("create over an existing name; mode w- on an existing file; a missing dataset", async () => {
    const f = join(dir, "exists.h5");
    copyFileSync(good, f);
    const io = await openHdf5(f, "a");
    const root = new GroupBuilder("root");
    root.add(new DatasetBuilder("y", array(Int16Array.from([9]))));
    const err = await io.write(root).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(InvalidInputError);
    expect((err as InvalidInputError).path).toBe("/y");
    await expect(io.dataset("/nope")).rejects.toBeInstanceOf(NotFoundError);
    await io.close();
    await expect(openHdf5(f, "w-")).rejects.toBeInstanceOf(HdmfError);
    await expectReadable(f);
  });

  it("a corrupt chunk (fletcher32 mismatch) -> CodecError naming the dataset", async () => {
    const f = join(dir, "corrupt.h5");
    copyFileSync(good, f);
    // flip one byte inside the first stored chunk of /x (h5py tells us where it is)
    const where = pyChunkOffset(f);
    const bytes = readFileSync(f);
    bytes[where.offset + 5] = bytes[where.offset + 5]! ^ 0xff;
    writeFileSync(f, bytes);
    const io = await openHdf5(f, "r");
    const err = await (await io.dataset("/x")).read([[0, 10]]).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(CodecError);
    expect((err as CodecError).path).toContain("/x");
    // other chunks and datasets still read
    expect((await (await io.dataset("/x")).read([[10, 20]])).shape).toEqual([10, 10]);
    await io.close();
    await expectReadable(f);
  });

  it("a truncated file -> a typed error on open", async () => {
    const f = join(dir, "trunc.h5");
    copyFileSync(good, f);
    truncateSync(f, Math.floor(statSync(f).size / 3));
    const err = await openHdf5(f, "r").then(async (io) => { await io.readBuilder(); await io.close(); }).catch((e: unknown) => e);
    expect(err).toBeInstanceOf(HdmfError);
    expect(err instanceof FormatError || err instanceof HdmfError).toBe(true);
  });
});

function pyChunkOffset(file: string): { offset: number; size: number } {
  return py(`
with h5py.File(ARGS, "r") as F:
    info = F["x"].id.get_chunk_info(0)
    print(json.dumps({"offset": info.byte_offset, "size": info.size}))
`, file);
}

describe("crash safety", () => {
  it("a writer SIGKILLed after flush() leaves the flushed datasets readable in h5py", async () => {
    const f = join(dir, "killed.h5");
    const child = spawn(process.execPath, ["--import", "tsx", join(import.meta.dirname, "../helpers/hdf5-kill-child.ts"), f], { stdio: ["ignore", "pipe", "inherit"] });
    try {
      await new Promise<void>((resolve, reject) => {
        let out = "";
        child.stdout!.on("data", (b: Buffer) => {
          out += b.toString();
          if (out.includes("flushed")) setTimeout(resolve, 300); // let it write past the flush
        });
        child.on("exit", (code) => reject(new Error(`child exited early (${code})`)));
      });
    } finally {
      child.kill("SIGKILL");
      await new Promise((r) => child.once("exit", r).once("close", r));
    }
    expect(readValues(f, "/a")).toEqual(Array.from({ length: 10000 }, (_, i) => i));
    expect(readValues(f, "/b")).toEqual(Array.from({ length: 500 }, (_, i) => (i === 0 ? 0 : -i)));
  });
});
