/** What every tour step shares: where files go, how to open them, and the rows of the summary. */
import { mkdir } from "node:fs/promises";
import { FormatError } from "../../errors.js";
import { join } from "node:path";
import type { HDMFIO, OpenMode } from "../../backends/io.js";
import { openIO, type S3Options } from "../../backends/factory.js";
import { itemsize } from "../../data/dtype.js";
import type { StoredDataset } from "../../data/data-source.js";
import { product } from "../../data/selection.js";
import { openNWB } from "../../nwb-io.js";
import type { NWBFile } from "../../nwb/index.js";
import type { BuildManager } from "../../schema/build/manager.js";

export type TourBackend = "hdf5" | "zarr";

export interface TourRow {
  readonly section: string;
  readonly dataset: string;
  readonly backend: string;
  readonly location: string;
  /** Uncompressed bytes of the dataset. */
  readonly raw: number;
  /** Bytes its chunks take in storage. */
  readonly stored: number;
  /** Seconds the write (or export) took, open to close. */
  readonly seconds: number;
}

export class TourContext {
  readonly rows: TourRow[] = [];
  readonly #log: (line: string) => void;

  constructor(
    readonly out: string,
    /** Folder or s3://bucket/prefix for the Zarr stores. */
    readonly zarrBase: string,
    readonly s3: S3Options,
    readonly manager: BuildManager,
    readonly mb: number,
    log: (line: string) => void,
  ) {
    this.#log = log;
  }

  async init(): Promise<void> {
    await mkdir(join(this.out, "hdf5"), { recursive: true });
    if (!this.zarrBase.startsWith("s3://")) await mkdir(this.zarrBase, { recursive: true });
  }

  progress(line: string): void {
    this.#log(line);
  }

  location(backend: TourBackend, stem: string): string {
    return backend === "hdf5" ? join(this.out, "hdf5", `${stem}.nwb`) : `${this.zarrBase}/${stem}.nwb.zarr`;
  }

  backendLabel(backend: TourBackend): string {
    return backend === "hdf5" ? "hdf5" : this.zarrBase.startsWith("s3://") ? "zarr-s3" : "zarr";
  }

  /** NWBHDF5IO / NWBZarrIO with the tour's shared BuildManager. */
  nwb(location: string, mode: OpenMode, manager: BuildManager = this.manager): Promise<HDMFIO<NWBFile>> {
    return openNWB(location, mode, { manager, s3: this.s3 });
  }

  raw(location: string, mode: OpenMode = "r"): Promise<HDMFIO> {
    return openIO(location, mode, { s3: this.s3 });
  }

  /** Write `nwbfile` and time it (open to close). */
  async write(location: string, nwbfile: NWBFile, options: { linkData?: boolean; manager?: BuildManager } = {}): Promise<number> {
    const t0 = performance.now();
    const io = await this.nwb(location, "w", options.manager);
    try {
      await io.write(nwbfile, { linkData: options.linkData ?? true });
    } finally {
      await io.close();
    }
    return (performance.now() - t0) / 1000;
  }

  /** Measure a written dataset and add its row. */
  async record(section: string, backend: string, location: string, path: string, seconds: number): Promise<StoredDataset> {
    const io = await this.raw(location);
    try {
      const ds = await io.dataset(path);
      const raw = product(ds.shape) * itemsize(ds.dtype);
      let stored = raw;
      if (ds.rawChunks && ds.storage.layout === "chunked") {
        stored = 0;
        for await (const c of ds.rawChunks()) stored += c.bytes.byteLength;
      }
      this.rows.push({ section, dataset: path, backend, location, raw, stored, seconds });
      return ds;
    } finally {
      await io.close();
    }
  }
}

/** Fail the tour when a read-back value differs: the tour checks what it claims. */
export function expectValues(actual: ArrayLike<unknown>, expected: ArrayLike<unknown>, what: string, path?: string): void {
  const a = Array.from(actual, (v) => (typeof v === "bigint" ? Number(v) : v));
  const e = Array.from(expected, (v) => (typeof v === "bigint" ? Number(v) : v));
  const same = a.length === e.length && a.every((v, i) => v === e[i] || (Number.isNaN(v) && Number.isNaN(e[i])));
  if (!same) throw new FormatError(`tour: ${what} read back [${a.slice(0, 8).join(", ")}], expected [${e.slice(0, 8).join(", ")}]`, { path });
}
