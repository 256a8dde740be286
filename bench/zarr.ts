/**
 * bench/zarr: gzip-4 write and read of float64 (1 GiB; --quick 64 MiB) through ZarrIO to a
 * directory store and to a local moto S3, and Blosc lz4 (hdmf-zarr's default) and zstd 3 to a directory store, side by side with zarr-python 2.13 (/usr/bin/python3)
 * doing the same in the same run; peak RSS of an iterative write (2 GiB; --quick 256 MiB) in a
 * child process. Prints a table and one JSON line.
 *
 *   npx tsx bench/zarr.ts [--quick]
 */
import { availableParallelism } from "node:os";
// node:zlib runs on the libuv pool; give it every core before anything touches the pool.
process.env.UV_THREADPOOL_SIZE ??= String(Math.max(4, availableParallelism()));

const { execFile } = await import("node:child_process");
const { promisify } = await import("node:util");
const { mkdtemp, rm, writeFile } = await import("node:fs/promises");
const { tmpdir } = await import("node:os");
const { join } = await import("node:path");
const { FsStore } = await import("../src/stores/fs-store.js");
const { S3Store } = await import("../src/stores/s3-store.js");
const { startMoto, MOTO_CREDENTIALS, MOTO_REGION } = await import("../test/helpers/moto.js");
const { writeWalk, readWalk, baseBlock, COLS, CHUNK_ROWS } = await import("./zarr-work.js");
type ZarrCodecName = import("./zarr-work.js").ZarrCodecName;

const run = promisify(execFile);
const quick = process.argv.includes("--quick");
const MiB = 1024 * 1024;
const SIZE = (quick ? 64 : 1024) * MiB;
const RSS_SIZE = (quick ? 256 : 2048) * MiB;

const PY = `
import sys, time, json, http.client, numpy as np, zarr, numcodecs
from collections.abc import MutableMapping
mode, target, nbytes = sys.argv[1], sys.argv[2], int(sys.argv[3])
codec = sys.argv[4]
COMP = {'gzip-4': numcodecs.GZip(4), 'blosc-lz4': numcodecs.Blosc(cname='lz4', clevel=5, shuffle=numcodecs.Blosc.SHUFFLE), 'zstd-3': numcodecs.Zstd(level=3)}[codec]
COLS, CH = ${COLS}, ${CHUNK_ROWS}
class S3Map(MutableMapping):
    """zarr-python has no S3 store without s3fs; a minimal one over http.client against moto."""
    def __init__(self, endpoint, bucket, prefix):
        host = endpoint.split("//")[1]
        self.c = http.client.HTTPConnection(host)
        self.base = "/" + bucket + "/" + prefix + "/"
    def _req(self, method, key, body=None):
        self.c.request(method, self.base + key, body=body, headers={"Authorization": "AWS4-HMAC-SHA256 Credential=testing/20240101/us-east-1/s3/aws4_request, SignedHeaders=host, Signature=0"})
        r = self.c.getresponse(); data = r.read(); return r.status, data
    def __getitem__(self, k):
        s, d = self._req("GET", k)
        if s == 404: raise KeyError(k)
        if s >= 300: raise IOError(s)
        return d
    def __setitem__(self, k, v):
        s, _ = self._req("PUT", k, bytes(v))
        if s >= 300: raise IOError(s)
    def __delitem__(self, k): self._req("DELETE", k)
    def __iter__(self): return iter([])
    def __len__(self): return 0
    def __contains__(self, k): return self._req("HEAD", k)[0] == 200
store = S3Map(*target.split("|")) if "|" in target else zarr.DirectoryStore(target)
rows = nbytes // 8 // COLS // CH * CH
base = np.fromfile(sys.argv[5], dtype="<f8").reshape(CH, COLS)  # the block hdmf-ts writes: same bytes
if mode == "write":
    t = time.perf_counter()
    z = zarr.open_array(store, mode="w", shape=(rows, COLS), chunks=(CH, COLS), dtype="f8", compressor=COMP)
    buf = np.empty_like(base)
    for k, r0 in enumerate(range(0, rows, CH)):
        z[r0:r0 + CH] = np.add(base, k, out=buf)
    print(json.dumps({"seconds": time.perf_counter() - t, "bytes": rows * COLS * 8}))
else:
    t = time.perf_counter()
    z = zarr.open_array(store, mode="r")
    s = 0.0
    for r0 in range(0, rows, CH * 8):
        a = z[r0:r0 + CH * 8]; s += a[0, 0] + a[-1, -1]
    print(json.dumps({"seconds": time.perf_counter() - t}))
`;

async function py(mode: "write" | "read", target: string, bytes: number, codec: ZarrCodecName = "gzip-4"): Promise<number> {
  const { stdout } = await run("/usr/bin/python3", ["-c", PY, mode, target, String(bytes), codec, basePath], { maxBuffer: 1 << 20 });
  return (JSON.parse(stdout) as { seconds: number }).seconds;
}

async function timed(fn: () => Promise<unknown>): Promise<number> {
  const t = performance.now();
  await fn();
  return (performance.now() - t) / 1000;
}

const dir = await mkdtemp(join(tmpdir(), "bench-zarr-"));
// zarr-python writes the same random-walk block (shifted per block, into one reused buffer) as hdmf-ts: the same bytes
const basePath = join(dir, "base.f8");
await writeFile(basePath, new Uint8Array(baseBlock().buffer));
const moto = await startMoto({ bucket: "bench" });
// bench/run.ts sends SIGTERM when the time budget runs out: stop the moto_server this process started
process.once("SIGTERM", () => { void Promise.allSettled([moto.stop(), rm(dir, { recursive: true, force: true })]).then(() => process.exit(143)); });
const s3 = (prefix: string, readOnly = false) => new S3Store({
  bucket: moto.bucket, prefix, endpoint: moto.endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS, readOnly, concurrency: 8,
});
const results: Record<string, number> = {};
/**
 * An untimed 32 MB write and read with the codec first: it starts the codec workers and lets V8
 * compile and optimise the wasm codec (a JIT warms up; zarr-python's C codecs need not), as
 * bench/hdf5 keeps start-up outside its timings. Its time is reported as start-up.
 */
async function warm(codec: ZarrCodecName): Promise<void> {
  const at = join(dir, "warm.zarr");
  results[`${codec}StartupS`] = await timed(async () => {
    await writeWalk(new FsStore(at, { fsync: false }), 32 * MiB, codec);
    await readWalk(new FsStore(at, { readOnly: true }));
  });
  await rm(at, { recursive: true, force: true });
}
try {
  let bytes = 0;
  await warm("gzip-4");
  results.dirWriteTs = await timed(async () => { bytes = await writeWalk(new FsStore(join(dir, "ts.zarr"), { fsync: false }), SIZE); });
  results.dirReadTs = await timed(() => readWalk(new FsStore(join(dir, "ts.zarr"), { readOnly: true })));
  results.dirWritePy = await py("write", join(dir, "py.zarr"), SIZE);
  results.dirReadPy = await py("read", join(dir, "py.zarr"), SIZE);
  await rm(join(dir, "ts.zarr"), { recursive: true, force: true });
  await rm(join(dir, "py.zarr"), { recursive: true, force: true });
  // the compressors real NWB-Zarr stores use: hdmf-zarr's default Blosc and zstd (dir store)
  for (const codec of ["blosc-lz4", "zstd-3"] as const) {
    const k = codec === "blosc-lz4" ? "bloscLz4" : "zstd3";
    await warm(codec);
    results[`${k}WriteTs`] = await timed(() => writeWalk(new FsStore(join(dir, "ts.zarr"), { fsync: false }), SIZE, codec));
    results[`${k}ReadTs`] = await timed(() => readWalk(new FsStore(join(dir, "ts.zarr"), { readOnly: true })));
    results[`${k}WritePy`] = await py("write", join(dir, "py.zarr"), SIZE, codec);
    results[`${k}ReadPy`] = await py("read", join(dir, "py.zarr"), SIZE, codec);
    await rm(join(dir, "ts.zarr"), { recursive: true, force: true });
    await rm(join(dir, "py.zarr"), { recursive: true, force: true });
  }
  const w = s3("ts.zarr");
  results.s3WriteTs = await timed(() => writeWalk(w, SIZE));
  await w.close();
  const r = s3("ts.zarr", true);
  results.s3ReadTs = await timed(() => readWalk(r));
  await r.close();
  results.s3WritePy = await py("write", `${moto.endpoint}|${moto.bucket}|py.zarr`, SIZE);
  results.s3ReadPy = await py("read", `${moto.endpoint}|${moto.bucket}|py.zarr`, SIZE);
  // the peak RSS of the package as users run it (node on dist/), not of tsx transpiling sources
  const { nodeScript } = await import("./node-script.js");
  const { stdout } = await run(process.execPath, [nodeScript("bench/zarr-work.ts"), "rss", String(RSS_SIZE), join(dir, "rss.zarr")], { maxBuffer: 1 << 20, env: process.env });
  results.rssMiB = (JSON.parse(stdout.trim().split("\n").pop()!) as { maxRssMiB: number }).maxRssMiB;

  const mbs = (s: number): string => `${(bytes / MiB / s).toFixed(0)} MB/s`;
  const row = (name: string, ts: number, pyS: number): string =>
    `${name.padEnd(16)} ${mbs(ts).padStart(10)} ${mbs(pyS).padStart(12)} ${(pyS / ts).toFixed(2).padStart(7)}x`;
  console.log(`zarr bench: ${(bytes / MiB).toFixed(0)} MiB float64 random walk, gzip level 4, chunks ${CHUNK_ROWS}x${COLS}, ${availableParallelism()} cores`);
  console.log(`${"".padEnd(16)} ${"hdmf-ts".padStart(10)} ${"zarr-python".padStart(12)} ${"ratio".padStart(8)}`);
  console.log(row("dir write", results.dirWriteTs, results.dirWritePy));
  console.log(row("dir read", results.dirReadTs, results.dirReadPy));
  console.log(row("s3 write", results.s3WriteTs, results.s3WritePy));
  console.log(row("s3 read", results.s3ReadTs, results.s3ReadPy));
  console.log(row("blosc-lz4 write", results.bloscLz4WriteTs!, results.bloscLz4WritePy!));
  console.log(row("blosc-lz4 read", results.bloscLz4ReadTs!, results.bloscLz4ReadPy!));
  console.log(row("zstd-3 write", results.zstd3WriteTs!, results.zstd3WritePy!));
  console.log(row("zstd-3 read", results.zstd3ReadTs!, results.zstd3ReadPy!));
  console.log(`start-up (untimed 32 MB write + read first, per codec): ${(["gzip-4", "blosc-lz4", "zstd-3"] as const).map((c) => `${c} ${results[`${c}StartupS`]!.toFixed(2)} s`).join(", ")}`);
  console.log(`peak RSS of a ${(RSS_SIZE / MiB).toFixed(0)} MiB iterative write: ${results.rssMiB.toFixed(0)} MiB (goal < 250)`);
  console.log(JSON.stringify({
    bench: "zarr", quick, bytes, cores: availableParallelism(),
    dirWriteRatio: +(results.dirWritePy / results.dirWriteTs).toFixed(2),
    dirReadRatio: +(results.dirReadPy / results.dirReadTs).toFixed(2),
    s3WriteRatio: +(results.s3WritePy / results.s3WriteTs).toFixed(2),
    s3ReadRatio: +(results.s3ReadPy / results.s3ReadTs).toFixed(2),
    bloscLz4WriteRatio: +(results.bloscLz4WritePy! / results.bloscLz4WriteTs!).toFixed(2),
    bloscLz4ReadRatio: +(results.bloscLz4ReadPy! / results.bloscLz4ReadTs!).toFixed(2),
    zstd3WriteRatio: +(results.zstd3WritePy! / results.zstd3WriteTs!).toFixed(2),
    zstd3ReadRatio: +(results.zstd3ReadPy! / results.zstd3ReadTs!).toFixed(2),
    seconds: Object.fromEntries(Object.entries(results).filter(([k]) => k !== "rssMiB" && !k.endsWith("StartupS")).map(([k, v]) => [k, +v.toFixed(3)])),
    startupS: Object.fromEntries(Object.entries(results).filter(([k]) => k.endsWith("StartupS")).map(([k, v]) => [k.replace("StartupS", ""), +v.toFixed(3)])),
    rssMiB: +results.rssMiB.toFixed(1), rssBytes: RSS_SIZE,
    goals: { write3x: results.dirWritePy / results.dirWriteTs >= 3, rssUnder250: results.rssMiB < 250 },
  }));
} finally {
  await moto.stop();
  await rm(dir, { recursive: true, force: true });
}
