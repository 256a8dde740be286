/**
 * What every tutorial example shares: its command line, where its files go (one HDF5 file, one
 * Zarr store, and a Zarr store in S3 when `--s3` is given), the tutorial's NWBFile, and a
 * read-back report. The examples themselves hold the tutorial's code; this file holds none.
 *
 *   npx tsx examples/NAME.ts [OUTDIR] [--small] [--s3 s3://bucket/prefix --endpoint http://127.0.0.1:9000]
 */
import { mkdirSync, mkdtempSync } from "node:fs";
import { tmpdir } from "node:os";
import { join, resolve } from "node:path";
import { parseArgs } from "node:util";
import {
  NWBFile, NdArray as NdArrayClass, NotFoundError, isStoredDataset, itemsize, openIO, openNWB, product,
  type HDMFIO, type NdArray, type OpenMode, type OpenNWBOptions, type S3Options, type Selection, type StoredDataset,
} from "../src/index.js";

export type Backend = "hdf5" | "zarr" | "s3";

export interface ExampleArgs {
  /** Local output folder (created). */
  readonly out: string;
  /** `s3://bucket/prefix` for a third, object-storage target (Zarr). */
  readonly s3: string | undefined;
  readonly s3Options: S3Options;
  /** Test-sized data (the test suite passes --small). */
  readonly small: boolean;
  /** Processes for the parallel example. */
  readonly ranks: number;
}

export interface Target {
  readonly backend: Backend;
  readonly location: string;
}

export function exampleArgs(name: string): ExampleArgs {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      s3: { type: "string" }, endpoint: { type: "string" }, small: { type: "boolean", default: false },
      ranks: { type: "string", default: "4" },
    },
  });
  const out = positionals[0] ? resolve(positionals[0]) : mkdtempSync(join(tmpdir(), `hdmf-ts-${name}-`));
  mkdirSync(out, { recursive: true });
  if (values.endpoint && !values.s3) {
    process.stderr.write("--endpoint needs --s3 s3://bucket/prefix\n");
    process.exit(2);
  }
  const s3Options: S3Options = values.endpoint
    ? { endpoint: values.endpoint, forcePathStyle: true, region: process.env.AWS_REGION ?? "us-east-1" }
    : {};
  process.stdout.write(`# ${name}: writing into ${out}${values.s3 ? ` and ${values.s3}` : ""}\n`);
  return { out, s3: values.s3?.replace(/\/+$/, ""), s3Options, small: values.small ?? false, ranks: Number(values.ranks) };
}

/** The HDF5 file, the Zarr store, and (with --s3) the Zarr store in S3 for one file stem. */
export function targets(args: ExampleArgs, stem: string, backends: readonly Backend[] = ["hdf5", "zarr", "s3"]): Target[] {
  const all: Target[] = [
    { backend: "hdf5", location: join(args.out, `${stem}.nwb`) },
    { backend: "zarr", location: join(args.out, `${stem}.nwb.zarr`) },
  ];
  if (args.s3) all.push({ backend: "s3", location: `${args.s3}/${stem}.nwb.zarr` });
  return all.filter((t) => backends.includes(t.backend));
}

/** openNWB with the S3 endpoint from the command line (pynwb: NWBHDF5IO / NWBZarrIO). */
export function nwbIO(args: ExampleArgs, location: string, mode: OpenMode, options: OpenNWBOptions = {}): Promise<HDMFIO<NWBFile>> {
  return openNWB(location, mode, { s3: args.s3Options, ...options });
}

/**
 * `with NWBHDF5IO(path, "w") as io: io.write(nwbfile)`, timed, then the file opened again for
 * reading (the caller closes it): returns the IO and the NWBFile read back.
 */
export async function writeThenRead(args: ExampleArgs, target: Target, nwbfile: NWBFile): Promise<{ io: HDMFIO<NWBFile>; back: NWBFile }> {
  const t0 = performance.now();
  {
    await using io = await nwbIO(args, target.location, "w");
    await io.write(nwbfile);
  }
  process.stdout.write(`wrote ${target.location} [${target.backend}] in ${((performance.now() - t0) / 1000).toFixed(2)} s\n`);
  const io = await nwbIO(args, target.location, "r");
  const back = await io.read();
  process.stdout.write(`  acquisition: ${[...back.acquisition.keys()].join(", ")}\n`);
  return { io, back };
}

/** openIO (no BuildManager): region access to datasets, as h5py / zarr-python give. */
export function rawIO(args: ExampleArgs, location: string, mode: OpenMode): Promise<HDMFIO> {
  return openIO(location, mode, { s3: args.s3Options });
}

/**
 * The tutorial's test file:
 *   nwbfile = NWBFile(session_description="demonstrate advanced HDF5 I/O features",
 *                     identifier="NWB123", session_start_time=datetime(2017, 4, 3, 11, tzinfo=tzlocal()))
 */
export function tutorialNwbFile(identifier = "NWB123"): NWBFile {
  return new NWBFile({
    sessionDescription: "demonstrate advanced HDF5 I/O features",
    identifier,
    sessionStartTime: new Date(2017, 3, 3, 11),
  });
}

/** Bytes a dataset takes in storage: its stored chunks (compressed), or its raw size. */
export async function storedBytes(ds: StoredDataset): Promise<number> {
  if (!ds.rawChunks || ds.storage.layout !== "chunked") return product(ds.shape) * itemsize(ds.dtype);
  let n = 0;
  for await (const c of ds.rawChunks()) n += c.bytes.byteLength;
  return n;
}

const PLUGIN_NAMES: Record<number, string> = { 32001: "blosc", 32004: "lz4", 32008: "bitshuffle", 32015: "zstd", 307: "bzip2" };

export function codecNames(ds: StoredDataset): string {
  const names = ds.storage.codecs.map((c) => {
    if (c.id === "hdf5-filter") return `${PLUGIN_NAMES[Number(c.filter_id)] ?? "filter"}[${String(c.filter_id)}](${String(c.cd_values)})`;
    if (c.id === "blosc") return `blosc(${String(c.cname)},${String(c.clevel)},shuffle=${String(c.shuffle)})`;
    const level = c.level ?? c.clevel;
    return level !== undefined ? `${c.id}(${String(level)})` : c.id;
  });
  return names.length ? names.join("+") : "none";
}

/**
 * One line per dataset: shape, chunks, codecs, stored bytes, ratio; then the values in `preview`.
 * Goes through `io.dataset(path)` (h5py `f[path]`): a container read may hold small datasets
 * already in memory, which no longer know their storage.
 */
export async function report(io: HDMFIO, path: string, preview: Selection = [[0, 2]], fromContainer?: unknown): Promise<NdArray | undefined> {
  // HDF5IO.dataset() does not follow external links (h5py's f[path] does): fall back on the
  // container's field, which the reader resolved to the linked file's dataset.
  const ds: StoredDataset | undefined = isStoredDataset(fromContainer) ? fromContainer : await io.dataset(path).catch(() => undefined);
  const label = path;
  if (!ds) {
    if (fromContainer instanceof NdArrayClass) {
      process.stdout.write(`  ${label}: in memory, shape [${fromContainer.shape.join(", ")}]\n`);
      const values = fromContainer.get(preview);
      process.stdout.write(`    read back ${JSON.stringify(preview)}: ${formatValues(values)}\n`);
      return values;
    }
    throw new NotFoundError(`${io.source}:${path}: no such dataset`, { path });
  }
  const raw = product(ds.shape) * itemsize(ds.dtype);
  const stored = await storedBytes(ds);
  const chunks = ds.storage.chunks ? `[${ds.storage.chunks.join(", ")}]` : ds.storage.layout;
  const maxshape = `[${ds.storage.maxshape.map((m) => (m === null ? "None" : String(m))).join(", ")}]`;
  process.stdout.write(
    `  ${label}: shape [${ds.shape.join(", ")}] maxshape ${maxshape} chunks ${chunks} codecs ${codecNames(ds)} ` +
    `stored ${stored} B of ${raw} B (ratio ${stored > 0 ? (raw / stored).toFixed(2) : "-"})\n`,
  );
  if (product(ds.shape) === 0) return undefined;
  const values = await ds.read(preview);
  process.stdout.write(`    read back ${JSON.stringify(preview)}: ${formatValues(values)}\n`);
  return values;
}

export function formatValues(a: NdArray, max = 12): string {
  const vals = a.toArray().slice(0, max).map((v) => (typeof v === "bigint" ? v.toString() : typeof v === "number" ? String(Number(v.toPrecision(6))) : JSON.stringify(v)));
  return `[${vals.join(", ")}${a.size > max ? ", ..." : ""}] (shape [${a.shape.join(", ")}])`;
}

/** Throw with the example's name when a read-back value is not what was written. */
export function expectEqual(actual: unknown, expected: unknown, what: string): void {
  const a = JSON.stringify(actual, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
  const e = JSON.stringify(expected, (_k, v: unknown) => (typeof v === "bigint" ? Number(v) : v));
  if (a !== e) throw new Error(`${what}: read back ${a.slice(0, 200)}, expected ${e.slice(0, 200)}`);
}

/** Run an example's main, exit 1 with the message on failure. */
export function run(main: () => Promise<void>): void {
  main().then(
    () => process.stdout.write("done\n"),
    (err: unknown) => {
      process.stderr.write(`${err instanceof Error ? (err.stack ?? err.message) : String(err)}\n`);
      process.exitCode = 1;
    },
  );
}
