/**
 * Read every array of a "world" store (test/zarr/py/world_gen.py) with hdmf-ts and compare its
 * checksum (the oracle's manifest rule) with the one zarr-python computed. Used by
 * world.test.ts and runnable on its own to measure:
 *
 *     npx tsx test/zarr/world-read.ts OUT_DIR expected.json
 */
import { readFileSync } from "node:fs";
import { join } from "node:path";
import { openZarr } from "../../src/backends/zarr/index.js";
import { manifestSha256 } from "../helpers/manifest-sha.js";

export interface WorldExpected {
  zarr: string;
  skipped: string[];
  stores: Record<string, Record<string, { sha256?: string; shape?: number[]; error?: string }>>;
}

export interface WorldResult {
  store: string;
  path: string;
  ok: boolean;
  why?: string;
}

export async function readWorld(dir: string, expected: WorldExpected): Promise<WorldResult[]> {
  const out: WorldResult[] = [];
  for (const [store, entries] of Object.entries(expected.stores)) {
    let io: Awaited<ReturnType<typeof openZarr>>;
    try {
      io = await openZarr(join(dir, store), "r");
    } catch (e) {
      for (const path of Object.keys(entries)) out.push({ store, path, ok: false, why: `open: ${(e as Error).message}` });
      continue;
    }
    try {
      for (const [path, want] of Object.entries(entries)) {
        if (want.error) continue; // zarr-python itself cannot read it back
        try {
          const ds = await io.dataset(path);
          const a = await ds.read();
          const sha = manifestSha256(a);
          const shapeOk = JSON.stringify([...a.shape]) === JSON.stringify(want.shape);
          out.push({ store, path, ok: sha === want.sha256 && shapeOk, why: sha === want.sha256 ? (shapeOk ? undefined : `shape [${a.shape}]`) : "values differ" });
        } catch (e) {
          out.push({ store, path, ok: false, why: `${(e as Error).constructor.name}: ${(e as Error).message}`.slice(0, 200) });
        }
      }
    } finally {
      await io.close();
    }
  }
  return out;
}

if (process.argv[1]?.endsWith("world-read.ts")) {
  const [dir, file] = process.argv.slice(2);
  const expected = JSON.parse(readFileSync(file!, "utf8")) as WorldExpected;
  const results = await readWorld(dir!, expected);
  for (const r of results) if (!r.ok) console.log(`MISS ${r.store}${r.path}: ${r.why}`);
  console.log(`${results.filter((r) => r.ok).length}/${results.length} equal`);
}
