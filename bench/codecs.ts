/**
 * Codec throughput: gzip level 4 and blosc-zstd (clevel 5, byte shuffle) over a float64 random
 * walk (256 MB; --quick: 32 MB) in 4 MiB chunks through CodecPipeline.encodeMany/decodeMany,
 * side by side with numcodecs 0.11 (Debian /usr/bin/python3) on the same bytes in the same run
 * (numcodecs runs before and after; its better time is kept).
 *   npx tsx bench/codecs.ts [--quick]
 * Prints a table and one JSON line ("codecs-bench").
 */
import { spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { availableParallelism, loadavg, tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { createDefaultRegistry, pipelineFromZarrV2, sharedWorkerPool, type CodecConfig } from "../src/codecs/index.js";

const quick = process.argv.includes("--quick");
const TOTAL = (quick ? 32 : 256) * 1024 * 1024;
const CHUNK = 4 * 1024 * 1024;

function randomWalk(bytes: number): Uint8Array {
  const a = new Float64Array(bytes / 8);
  let s = 12345, x = 0;
  for (let i = 0; i < a.length; i++) {
    s = (Math.imul(s, 1103515245) + 12345) >>> 0;
    x += s / 4294967296 - 0.5;
    a[i] = x;
  }
  return new Uint8Array(a.buffer);
}

interface Result { encode_s: number; decode_s: number; encode_cpu_s: number; decode_cpu_s: number; bytes_in: number; bytes_out: number }

async function runOurs(config: CodecConfig, chunks: Uint8Array[]): Promise<Result> {
  const p = await pipelineFromZarrV2(null, config, createDefaultRegistry(), { dtype: "<f8", itemsize: 8 });
  // warm-up: load wasm / start workers outside the timed region, as Python's imports are
  for await (const _ of p.encodeMany(chunks.slice(0, 2))) { /* warm */ }
  // CPU seconds of the whole process (all threads: libuv pool, workers) next to wall time:
  // on a busy machine they say more about cost than wall time does.
  const cpu = () => { const u = process.cpuUsage(); return (u.user + u.system) / 1e6; };
  let t = performance.now(), c0 = cpu();
  const enc: Uint8Array[] = [];
  for await (const c of p.encodeMany(chunks)) enc.push(c);
  const encode_s = (performance.now() - t) / 1000;
  const encode_cpu_s = cpu() - c0;
  t = performance.now(); c0 = cpu();
  let i = 0;
  for await (const d of p.decodeMany(enc)) {
    if (i === 0 || i === chunks.length - 1) {
      if (Buffer.compare(Buffer.from(d), Buffer.from(chunks[i]!)) !== 0) throw new Error(`${config.id}: chunk ${i} did not round-trip`);
    }
    i++;
  }
  const decode_s = (performance.now() - t) / 1000;
  const decode_cpu_s = cpu() - c0;
  return { encode_s, decode_s, encode_cpu_s, decode_cpu_s, bytes_in: chunks.reduce((n, c) => n + c.length, 0), bytes_out: enc.reduce((n, c) => n + c.length, 0) };
}

async function main(): Promise<void> {
  const data = randomWalk(TOTAL);
  const chunks: Uint8Array[] = [];
  for (let o = 0; o < data.length; o += CHUNK) chunks.push(data.subarray(o, Math.min(o + CHUNK, data.length)));
  const dir = mkdtempSync(join(tmpdir(), "hdmf-bench-"));
  try {
    const file = join(dir, "walk.f8");
    writeFileSync(file, data);
    const script = fileURLToPath(new URL("./codecs_numcodecs.py", import.meta.url));
    type Ref = Record<string, Result> & { blosc_nthreads: number | null };
    const runPython = (): Ref => {
      const py = spawnSync("/usr/bin/python3", [script, file, String(CHUNK)], { encoding: "utf8", cwd: dir, timeout: 1_200_000 });
      if (py.status !== 0) throw new Error(`numcodecs run failed: ${py.stderr}`);
      return JSON.parse(py.stdout) as Ref;
    };
    // numcodecs runs before and after ours and keeps its better time: other load on the machine
    // then counts against hdmf-ts, never for it.
    const first = runPython();
    const ours = {
      "gzip-4": await runOurs({ id: "gzip", level: 4 }, chunks),
      "blosc-zstd": await runOurs({ id: "blosc", cname: "zstd", clevel: 5, shuffle: 1, blocksize: 0 }, chunks),
    };
    const second = runPython();
    const best = (a: Result, b: Result): Result => ({
      ...a, encode_s: Math.min(a.encode_s, b.encode_s), decode_s: Math.min(a.decode_s, b.decode_s),
      encode_cpu_s: Math.min(a.encode_cpu_s, b.encode_cpu_s), decode_cpu_s: Math.min(a.decode_cpu_s, b.decode_cpu_s),
    });
    const ref = { ...first, "gzip-4": best(first["gzip-4"]!, second["gzip-4"]!), "blosc-zstd": best(first["blosc-zstd"]!, second["blosc-zstd"]!) } as unknown as Ref;
    const mb = TOTAL / 1024 / 1024;
    const rows: Record<string, unknown> = {};
    const load = loadavg()[0]!.toFixed(1);
    console.log(`codecs bench: ${mb} MB float64 random walk, ${CHUNK / 1024 / 1024} MiB chunks, ${availableParallelism()} cores, load average ${load}, numcodecs blosc threads ${ref.blosc_nthreads}`);
    if (Number(load) > availableParallelism()) console.log("note: the machine is busier than its core count; ratios between the two runs are noisy");
    console.log("codec        | hdmf-ts enc MB/s | numcodecs enc MB/s | ratio | hdmf-ts dec MB/s | numcodecs dec MB/s | ratio | size ours/theirs");
    for (const name of ["gzip-4", "blosc-zstd"] as const) {
      const a = ours[name], b = ref[name]!;
      const encRatio = b.encode_s / a.encode_s, decRatio = b.decode_s / a.decode_s;
      console.log(`${name.padEnd(12)} | ${(mb / a.encode_s).toFixed(0).padStart(16)} | ${(mb / b.encode_s).toFixed(0).padStart(18)} | ${encRatio.toFixed(2).padStart(5)} | ${(mb / a.decode_s).toFixed(0).padStart(16)} | ${(mb / b.decode_s).toFixed(0).padStart(18)} | ${decRatio.toFixed(2).padStart(5)} | ${(a.bytes_out / 1e6).toFixed(1)}/${(b.bytes_out / 1e6).toFixed(1)} MB`);
      console.log(`${"".padEnd(12)} | CPU s: ours enc ${a.encode_cpu_s.toFixed(2)} / numcodecs ${b.encode_cpu_s.toFixed(2)}, ours dec ${a.decode_cpu_s.toFixed(2)} / numcodecs ${b.decode_cpu_s.toFixed(2)}`);
      rows[name] = { ours: a, numcodecs: b, encode_ratio: encRatio, decode_ratio: decRatio };
    }
    console.log(JSON.stringify({ bench: "codecs-bench", mb, chunk_mib: CHUNK / 1024 / 1024, cores: availableParallelism(), loadavg: Number(load), ...rows }));
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await sharedWorkerPool().close();
  }
}

await main();
