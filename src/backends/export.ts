/**
 * Export: any backend to any backend (hdmf's `io.export`). The source is read as a builder
 * tree whose datasets stay lazy and the link policy is applied (link-policy.ts). Numeric
 * datasets are then created empty in the destination with the source's chunk shape, fill
 * value and pipeline mapped through the codec table (export-codecs.ts), and filled chunk by
 * chunk (export-copy.ts: raw bytes when the pipelines agree). Everything else (strings,
 * references, compound, scalars: small by nature) goes through the destination's writer,
 * which rewrites references into its own form.
 *
 * Links held by builders carry absolute target locations; each backend stores its own
 * relative form (HDF5: relative to the file's folder; hdmf-zarr: relative to the store).
 *
 * `exportFile(srcIO, dstIO)` works on open IOs; `exportTo(src, dst)` (export-target.ts) opens
 * both, writes into a temporary sibling and renames it on success.
 */
import { isUrl, sameLocation } from "../location.js";
import { InvalidInputError, LinkError, UnsupportedError } from "../errors.js";
import type { CodecConfig } from "../data/codec-config.js";
import { isStoredDataset, type StoredDataset } from "../data/data-source.js";
import { DataIO, ZarrDataIO, type StorageRequest } from "../data/data-io.js";
import { describeDtype, dtypes, isNumeric, itemsize, type Dtype } from "../data/dtype.js";
import { NdArray } from "../data/ndarray.js";
import { product } from "../data/selection.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder } from "../schema/builders.js";
import type { CachedSpecEntry } from "../schema/spec/cache.js";
import type { HDMFIO } from "./io.js";
import { applyLinkPolicy, type LinkPolicy, type LinkReport } from "./link-policy.js";
import { openIO, type OpenIOOptions } from "./factory.js";
import { mapCodecs, type CodecTarget } from "../codecs/counterparts.js";
import { copyDatasetData, type CopyTick } from "./export-copy.js";

/** What `onProgress` reports after each chunk export copies. */
export interface ExportProgress {
  /** Logical bytes copied so far / in all (numeric datasets). */
  bytes: number;
  /** Logical bytes of all numeric datasets to copy. */
  totalBytes: number;
  /** Chunks copied so far. */
  chunks: number;
  /** Of those, chunks copied as stored bytes, without decoding. */
  rawChunks: number;
  /** The dataset being copied. */
  dataset: string;
  /** The destination being written (a linked file set writes several). */
  file?: string;
}

/** Options of {@link exportFile} (and, through ExportToOptions, of `exportTo`). */
export interface ExportOptions<C = unknown> {
  /** "preserve" (default) keeps soft and external links; "resolve" copies linked content in. */
  links?: LinkPolicy;
  /** Keep links whose target cannot be opened (reported) instead of failing with LinkError. */
  allowBrokenLinks?: boolean;
  /** Export this container (read from `src`, possibly modified) instead of the file's tree. */
  container?: C;
  /** Options used to open linked files for checking or resolving (S3 endpoint, ...). */
  openOptions?: OpenIOOptions<C>;
  /** numcodecs config used in place of codecs the destination has no counterpart for (default: its lossless default). */
  fallbackCodec?: CodecConfig;
  /** Fail on a codec the destination has no counterpart for, instead of transcoding it. */
  strictCodecs?: boolean;
  /**
   * Preserved external links into these files (absolute locations, as builders carry them)
   * point at the mapped location instead: the files of a linked set converted together.
   */
  linkTargets?: ReadonlyMap<string, string>;
  /** Chunks copied at once per dataset (default 8). */
  concurrency?: number;
  /** Called after every chunk copied. */
  onProgress?: (p: ExportProgress) => void;
  /** Abort the export between chunks. */
  signal?: AbortSignal;
}

/** What an export did: links kept or resolved, datasets and chunks copied, codec notes, files written. */
export interface ExportReport {
  /** The source location. */
  source: string;
  /** The destination location. */
  destination: string;
  /** Links preserved, resolved, and left dangling. */
  links: LinkReport;
  /** Numeric datasets copied chunk by chunk, and how many of their chunks moved raw. */
  datasets: number;
  /** Chunks copied. */
  chunks: number;
  /** Chunks copied as stored bytes, without decoding. */
  rawChunks: number;
  /** Logical bytes of numeric data copied. */
  bytes: number;
  /** Codec notes: checksums dropped, codecs replaced by the fallback; linked files converted. */
  notes: string[];
  /** Every file or store written: the destination, then the linked files converted with it. */
  files: string[];
  /** Wall time of the export. */
  seconds: number;
}

interface PlannedCopy { path: string; src: StoredDataset }

/** Copy everything `src` holds into `dst` (opened for writing). */
export async function exportFile<C>(src: HDMFIO<C>, dst: HDMFIO<C>, options: ExportOptions<C> = {}): Promise<ExportReport> {
  const t0 = performance.now();
  if (!dst.writable) throw new InvalidInputError(`export destination ${dst.source} is open read-only`, { option: "mode" });
  if (sameLocation(src.source, dst.source)) {
    throw new InvalidInputError(`export source and destination are the same (${src.source})`, { path: dst.source });
  }
  let tree: GroupBuilder;
  if (options.container !== undefined) {
    if (!src.manager) throw new InvalidInputError("export with a container needs the source IO's BuildManager", { option: "container" });
    tree = src.manager.build(options.container, { source: src.source, linkData: false });
  } else {
    tree = await src.readBuilder();
  }
  const links = options.links ?? "preserve";
  const opened: HDMFIO<C>[] = [];
  const ios = new Map<string, Promise<HDMFIO<C>>>([[src.source, Promise.resolve(src)]]);
  const ioFor = (location: string): Promise<HDMFIO<C>> => {
    let p = ios.get(location);
    if (!p) {
      p = openIO<C>(location, "r", { ...options.openOptions, ...(options.allowBrokenLinks ? { allowBrokenLinks: true } : {}) });
      p.then((io) => opened.push(io), () => undefined);
      ios.set(location, p);
    }
    return p;
  };
  try {
    const { root, report } = await applyLinkPolicy(tree, src.source, {
      links,
      allowBrokenLinks: options.allowBrokenLinks,
      open: async (location) => (await ioFor(location)).readBuilder(),
      ...(options.linkTargets ? { relocate: relocateIn(options.linkTargets) } : {}),
    });
    checkNoDanglingResolve(root, links, options.allowBrokenLinks ?? false, src.source);
    const target: CodecTarget = dst.format;
    const notes: string[] = [];
    checkUrlLinks(root, dst, notes);
    const planned = await planDatasets(root, target, { fallback: options.fallbackCodec, strict: options.strictCodecs ?? false }, notes, ioFor);
    await dst.write(root, { linkData: false, signal: options.signal });
    const totals = { bytes: 0, chunks: 0, rawChunks: 0 };
    const totalBytes = planned.reduce((n, p) => n + product(p.src.shape) * Math.max(1, itemsize(p.src.dtype)), 0);
    for (const p of planned) {
      options.signal?.throwIfAborted();
      const handle = await dst.dataset(p.path);
      try {
        await copyDatasetData(p.src, handle, {
          concurrency: options.concurrency, signal: options.signal,
          onChunk: (t: CopyTick) => {
            totals.bytes += t.bytes; totals.chunks++; if (t.raw) totals.rawChunks++;
            options.onProgress?.({ ...totals, totalBytes, dataset: p.path });
          },
        });
      } finally {
        handle.close();
      }
    }
    await copyCachedSpecs(src, dst);
    await dst.flush();
    return {
      source: src.source, destination: dst.source, links: report, datasets: planned.length,
      chunks: totals.chunks, rawChunks: totals.rawChunks, bytes: totals.bytes, notes, files: [dst.source],
      seconds: (performance.now() - t0) / 1000,
    };
  } finally {
    await Promise.allSettled(opened.map((io) => io.close()));
  }
}

/**
 * Replace every stored dataset's data in the tree: numeric ones by an empty allocation with the
 * source's layout (filled afterwards), the rest by their values plus the mapped layout.
 */
async function planDatasets<C>(root: GroupBuilder, target: CodecTarget, codecOptions: { fallback?: CodecConfig; strict: boolean }, notes: string[], ioFor: (location: string) => Promise<HDMFIO<C>>): Promise<PlannedCopy[]> {
  const planned: PlannedCopy[] = [];
  const work: Array<Promise<void>> = [];
  for (const b of root.walk()) {
    if (!(b instanceof DatasetBuilder)) continue;
    let src = storedOf(b.data);
    let values = b.data instanceof NdArray ? b.data : undefined;
    if (!src && values && values.ndim > 0 && b.source !== undefined && b.locationPath !== undefined) {
      // read eagerly by the backend (small): reopen it for its layout and codecs
      src = await (await ioFor(b.source)).dataset(b.locationPath).catch(() => undefined);
      if (src && src.shape.join(",") !== values.shape.join(",")) src = undefined;
    }
    const stored = src?.dtype ?? values?.dtype;
    const dtype = targetDtype(stored, target);
    if (dtype) notes.push(`${describeDtype(stored!)} -> variable-length UTF-8 string (HDF5 has no UCS-4 strings): ${b.path}`);
    const retyped = (v: NdArray): NdArray => (dtype ? new NdArray(v.data, v.shape, dtype) : v);
    if (dtype) b.dtype = dtype;
    if (values && dtype) b.data = values = retyped(values);
    if (!src) continue;
    if (src.shape.length === 0) {
      if (!values) work.push(src.read().then((v) => { b.data = retyped(v); }));
      continue;
    }
    const mapped = await mapCodecs(src.storage.codecs, target, `${src.source}:${src.path}`, codecOptions);
    notes.push(...mapped.notes);
    const numeric = isNumeric(src.dtype);
    const fromZarr = (await ioFor(src.source).catch(() => undefined))?.format.startsWith("zarr") ?? false;
    // a retyped dataset is written whole (values read), so its fill value is not needed
    const layout: StorageRequest = { ...layoutFor(src, target, numeric ? mapped.codecs : nonNumericCodecs(mapped.codecs, target), fromZarr), ...(dtype ? { fillvalue: undefined } : {}) };
    const from = src;
    if (numeric && product(src.shape) > 0) {
      b.data = new ExportDataIO(src, layout, undefined);
      planned.push({ path: b.path, src });
    } else if (values) {
      b.data = new ExportDataIO(src, layout, values);
    } else {
      work.push(src.read().then((v) => { b.data = new ExportDataIO(from, layout, retyped(v)); }));
    }
    values = undefined;
  }
  await Promise.all(work);
  return planned;
}

/**
 * The dtype a dataset takes in the destination when it cannot keep its own, else undefined:
 * numpy `U` (UCS-4) strings have no HDF5 type, so HDF5 gets the same text as variable-length UTF-8.
 */
function targetDtype(dtype: Dtype | undefined, target: CodecTarget): Dtype | undefined {
  return target === "hdf5" && dtype?.kind === "string" && dtype.unicodeFixed ? dtypes.utf8 : undefined;
}

/** Strings, references, compound: HDF5 filters them in its C library, which has deflate and shuffle only. */
function nonNumericCodecs(codecs: CodecConfig[], target: CodecTarget): CodecConfig[] {
  if (target !== "hdf5") return codecs;
  return codecs.some((c) => c.id === "zlib") ? codecs.filter((c) => c.id === "zlib" || c.id === "shuffle") : [];
}

function layoutFor(src: StoredDataset, target: CodecTarget, codecs: CodecConfig[], fromZarr: boolean): StorageRequest {
  const s = src.storage;
  const fill = s.fillvalue;
  const fillvalue = typeof fill === "number" || typeof fill === "bigint" || typeof fill === "boolean" || (typeof fill === "string" && src.dtype.kind === "string") ? fill : undefined;
  const chunked = s.layout === "chunked" && s.chunks !== null;
  if (target === "hdf5") {
    if (!chunked) return { chunks: codecs.length ? "auto" : null, maxshape: undefined, codecs, fillvalue };
    // Zarr arrays are resizable without a maxshape: they become fixed-size HDF5 datasets, as hdmf exports them
    const maxshape = !fromZarr && s.maxshape.length === src.shape.length ? s.maxshape : undefined;
    // HDF5 chunks may not exceed a fixed dimension
    const chunks = s.chunks!.map((c, i) => (maxshape?.[i] === null ? c : Math.min(c, Math.max(1, src.shape[i]!))));
    return { chunks, maxshape, codecs, fillvalue };
  }
  return { chunks: chunked ? [...s.chunks!] : "auto", maxshape: undefined, codecs, fillvalue };
}

/** DataIO that carries an exact storage request (chunks, maxshape, codecs in order, fill). */
class ExportDataIO extends ZarrDataIO {
  readonly #request: StorageRequest;
  /** `values` (read, perhaps retyped for the destination) carry their dtype; else the source's. */
  constructor(src: StoredDataset, request: StorageRequest, values: NdArray | undefined) {
    super({
      ...(values ? { data: values } : { shape: src.shape }),
      dtype: values?.dtype ?? src.dtype,
      chunks: Array.isArray(request.chunks) ? request.chunks : request.chunks === null ? false : true,
      compressor: null,
      linkData: false,
    });
    this.#request = request;
  }

  override storage(): StorageRequest {
    return this.#request;
  }
}

function storedOf(data: DatasetBuilder["data"]): StoredDataset | undefined {
  if (isStoredDataset(data)) return data;
  if (data instanceof DataIO && data.data !== undefined && isStoredDataset(data.data) && !data.linkData) return data.data;
  return undefined;
}

/** The source's cached specs, when the destination did not get its own on open. */
async function copyCachedSpecs(src: HDMFIO<unknown>, dst: HDMFIO<unknown>): Promise<void> {
  if ((await dst.readCachedSpecs()).length > 0) return;
  const entries = await src.readCachedSpecs();
  if (entries.length > 0) await dst.writeCachedSpecs(entries);
}

/** A linked-set map lookup by location (paths compared resolved, URLs as written). */
function relocateIn(map: ReadonlyMap<string, string>): (location: string) => string | undefined {
  return (location) => {
    for (const [from, to] of map) if (sameLocation(from, location)) return to;
    return undefined;
  };
}

/** After "resolve", only soft links inside the file may remain (or broken ones, if allowed). */
function checkNoDanglingResolve(root: GroupBuilder, links: LinkPolicy, allowBroken: boolean, source: string): void {
  if (links !== "resolve" || allowBroken) return;
  for (const b of root.walk()) {
    if (b instanceof GroupBuilder) {
      for (const l of b.links.values()) {
        const t = l.targetSource;
        if (t !== undefined && !sameLocation(t, source)) {
          throw new LinkError(`link ${l.path} still points to ${t} after resolving`, { path: l.path, target: `${t}::${l.targetPath}` });
        }
      }
    }
  }
}

/**
 * Links that stay links to a file at a URL (preserved from a remote source). HDF5 stores an
 * external link as a file name that HDF5 opens with its file driver: a URL there would be written
 * as a relative path that never resolves, so it is refused before anything is written. A Zarr
 * link keeps the absolute URL as its `source`: hdmf-ts follows it; hdmf-zarr 0.6 does not (it opens
 * a link's source as a Zarr store at os.path.join(store, source)), which the report says.
 */
function checkUrlLinks<C>(root: GroupBuilder, dst: HDMFIO<C>, notes: string[]): void {
  for (const l of root.walk()) {
    if (!(l instanceof LinkBuilder)) continue;
    const t = l.targetSource;
    if (t === undefined || !isUrl(t) || sameLocation(t, dst.source)) continue;
    const what = `${t}::${l.targetPath}`;
    if (dst.format === "hdf5") {
      throw new UnsupportedError(`${dst.source}: cannot keep link ${l.path} to ${what}: an HDF5 external link names a file, not a URL; export with --links resolve (links: "resolve") to copy the linked content in`, {
        feature: "HDF5 external link to a URL", path: l.path,
      });
    }
    notes.push(`link ${l.path} keeps the absolute URL ${what} (hdmf-ts follows it; hdmf-zarr 0.6 cannot, it opens link sources as Zarr stores under this one: --links resolve copies the content in)`);
  }
}

export type { LinkPolicy, LinkReport, LinkBuilder };
