/**
 * Byte-flip fuzzing of the shared NWB fixtures through `manifest` (every object opened, every
 * attribute read, every dataset checksummed): 600 seeded mutants, 4 flipped bits each, mostly in
 * the first 8 KiB where the metadata lives. Every mutant must either read or fail with a
 * FormatError, CodecError or NotFoundError whose message is one line naming the file (the HDF5
 * error stack is only in `detail`).
 * A wasm abort would show as the module refusing all later mutants. A hang fails by the test
 * timeout. The class counts go to .cache/figures/reliability-hdf5-fuzz.txt.
 */
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { manifest } from "../../src/inspect/manifest.js";
import { FIXTURES } from "../export/helpers.js";
import { seededRandom } from "../helpers/random.js";
import { writeFigure } from "./figures.js";

const SOURCES = ["a_h5dataio.nwb", "b_datachunkiterator.nwb", "c_link_copy.nwb", "c_link_source.nwb", "f_tables_refs.nwb"];
const SEEDS = [1, 2, 3];
const PER_SEED = 200;
const dir = mkdtempSync(join(tmpdir(), "hdf5-fuzz-"));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe("HDF5 byte-flip fuzz", () => {
  it(`${SEEDS.length * PER_SEED} mutants: each reads or fails with one typed, one-line error`, async () => {
    const bytes = SOURCES.map((s) => readFileSync(join(FIXTURES, s)));
    const classes: Record<string, number> = {};
    const bad: string[] = [];
    let read = 0;
    for (const seed of SEEDS) {
      const rnd = seededRandom(seed);
      for (let i = 0; i < PER_SEED; i++) {
        const k = i % SOURCES.length;
        const buf = Buffer.from(bytes[k]!);
        const region = rnd() < 0.7 ? Math.min(buf.length, 8192) : buf.length;
        for (let b = 0; b < 4; b++) buf[Math.floor(rnd() * region)]! ^= 1 << Math.floor(rnd() * 8);
        const p = join(dir, `s${seed}-${i}-${SOURCES[k]}`);
        writeFileSync(p, buf);
        try {
          await manifest(p);
          read++;
        } catch (e) {
          const name = e instanceof Error ? e.name : "not an Error";
          classes[name] = (classes[name] ?? 0) + 1;
          const msg = String((e as Error)?.message);
          // a corrupt file is a FormatError, a chunk that does not decode a CodecError, a flipped name a NotFoundError
          const expectedClass = ["FormatError", "CodecError", "NotFoundError"].includes(name);
          if (!expectedClass || msg.includes("\n") || !msg.includes(p) || /aborted earlier/.test(msg)) bad.push(`${name}: ${msg.slice(0, 200)}`);
        }
        rmSync(p);
      }
    }
    const total = SEEDS.length * PER_SEED;
    writeFigure("reliability-hdf5-fuzz", [
      `HDF5 byte-flip fuzz: ${total} mutants of ${SOURCES.length} NWB fixtures (manifest of each): ${read} read, ` +
        `${total - read} one-line errors (${Object.entries(classes).map(([c, n]) => `${c} ${n}`).join(", ")}), ${bad.length} bad`,
    ]);
    expect(bad).toEqual([]);
    expect(read).toBeGreaterThan(0);
    expect(total - read).toBeGreaterThan(total / 4); // the flips do hit metadata
  }, 300_000);
});
