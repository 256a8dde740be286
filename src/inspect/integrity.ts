/**
 * What would break a reader, beyond the schema (validate.ts checks that): checks on a builder
 * tree read from an open IO, each problem a ValidationError naming the object's path.
 *
 * - links and external links whose target is missing (or whose file cannot be opened), e.g. the
 *   dangling `zarr_link` hdmf-zarr's export can leave;
 * - object references (datasets, compound fields, attributes) whose target is missing;
 * - DynamicTableRegion values outside [0, rows of the referenced table);
 * - VectorIndex values that decrease, are negative or point past their target's length.
 *
 * Datasets are read in blocks of rows, so memory stays bounded; other files are opened once.
 * A dataset to scan with more than `maxBytes` bytes of values is a LimitError (size-limit.ts):
 * its shape alone must not make validate run for days.
 */
import { openIO, type OpenIOOptions } from "../backends/factory.js";
import type { HDMFIO } from "../backends/io.js";
import { isStoredDataset } from "../data/data-source.js";
import type { Dtype } from "../data/dtype.js";
import { NdArray } from "../data/ndarray.js";
import { ObjectReference } from "../data/reference.js";
import { product } from "../data/selection.js";
import { resolveAgainst, sameLocation } from "../location.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder } from "../schema/builders.js";
import type { ValidationError } from "../schema/validate/index.js";
import { checkDatasetSize, DEFAULT_MAX_BYTES } from "./size-limit.js";

/** Rows read at once when scanning a dataset's values. */
const BLOCK_ELEMENTS = 1 << 20;

type Target = GroupBuilder | DatasetBuilder;

export interface IntegrityOptions {
  /** Options to open linked and referenced files with (S3 endpoint, ...). */
  openOptions?: Omit<OpenIOOptions<unknown>, "manager">;
  /** Most bytes of values scanned per dataset (default DEFAULT_MAX_BYTES, 4 GiB); more is a LimitError. */
  maxBytes?: number;
}

/** Every problem of `root` (read from `io`) that would make a reader fail; [] when none. */
export async function checkIntegrity(io: HDMFIO<unknown>, root: GroupBuilder, options: IntegrityOptions = {}): Promise<ValidationError[]> {
  const errors: ValidationError[] = [];
  const maxBytes = options.maxBytes ?? DEFAULT_MAX_BYTES;
  const others = new Map<string, Promise<GroupBuilder | Error>>();
  const opened: HDMFIO<unknown>[] = [];
  const rootOf = (location: string): Promise<GroupBuilder | Error> => {
    if (sameLocation(location, io.source)) return Promise.resolve(root);
    let p = others.get(location);
    if (!p) {
      p = openIO(location, "r", { ...options.openOptions, allowBrokenLinks: true })
        .then((o) => { opened.push(o); return o.readBuilder(); })
        .catch((e: unknown) => (e instanceof Error ? e : new Error(String(e))));
      others.set(location, p);
    }
    return p;
  };
  /** The builder at `path` in `location` (undefined: this file), or why there is none. */
  const lookup = async (path: string, location: string | undefined): Promise<Target | string> => {
    const r = await rootOf(location ?? io.source);
    if (r instanceof Error) return `${location} cannot be opened: ${firstLine(r.message)}`;
    const hit = path === "/" || path === "" ? r : r.find(path);
    if (hit instanceof LinkBuilder) return hit.target instanceof Builder ? hit.target : await lookup(hit.targetPath, hit.targetSource);
    return hit instanceof GroupBuilder || hit instanceof DatasetBuilder ? hit : `${location ? `${location}::` : ""}${path} does not exist`;
  };
  const refLocation = (r: ObjectReference): string | undefined => (r.source === undefined || r.source === "." || r.source === "" ? undefined : resolveAgainst(io.source, r.source));

  try {
    for (const b of root.walk()) {
      const path = b.locationPath ?? b.path;
      if (b instanceof GroupBuilder) {
        for (const l of b.links.values()) {
          if (l.target instanceof Builder) continue;
          const external = l.targetSource !== undefined && !sameLocation(l.targetSource, io.source);
          const found = await lookup(l.targetPath, external ? l.targetSource : undefined);
          if (typeof found === "string") {
            errors.push({ path: l.locationPath ?? l.path, kind: "link-target", message: `${external ? "external link" : "link"} to ${external ? `${l.targetSource}::` : ""}${l.targetPath}: ${found}` });
          }
        }
      }
      for (const [name, a] of b.attributes) {
        for (const r of refsIn(a.value)) {
          const found = await lookup(r.resolvedPath, refLocation(r));
          if (typeof found === "string") errors.push({ path, kind: "reference", message: `attribute ${name}: reference to ${r.toString()}: ${found}` });
        }
      }
      if (!(b instanceof DatasetBuilder)) continue;
      if (hasReferences(b.dtype) || b.dtype.kind === "object") {
        await scan(b, path, errors, maxBytes, async (block) => {
          for (const r of refsIn(block)) {
            const found = await lookup(r.resolvedPath, refLocation(r));
            if (typeof found === "string") return `reference to ${r.toString()}: ${found}`;
          }
          return undefined;
        });
      }
      const type = dataTypeOf(b);
      if (type === "DynamicTableRegion") await checkRegion(b, path, errors, maxBytes, lookup, refLocation);
      else if (type === "VectorIndex") await checkIndex(b, path, errors, maxBytes, lookup, refLocation);
    }
  } finally {
    await Promise.allSettled(opened.map((o) => o.close()));
  }
  return errors;
}

type Lookup = (path: string, location: string | undefined) => Promise<Target | string>;
type RefLocation = (r: ObjectReference) => string | undefined;

async function checkRegion(b: DatasetBuilder, path: string, errors: ValidationError[], maxBytes: number, lookup: Lookup, refLocation: RefLocation): Promise<void> {
  const table = b.getAttribute("table");
  if (!(table instanceof ObjectReference) || table.isNull) return;
  const t = await lookup(table.resolvedPath, refLocation(table));
  if (typeof t === "string" || !(t instanceof GroupBuilder)) return; // reported as a reference
  const id = t.datasets.get("id");
  const rows = id ? shapeOf(id)[0] : undefined;
  if (rows === undefined) return;
  await scan(b, path, errors, maxBytes, async (block, offset) => {
    const v = numbers(block);
    for (let i = 0; i < v.length; i++) {
      if (!(v[i]! >= 0 && v[i]! < rows)) return `DynamicTableRegion value ${v[i]} at [${offset + i}] is out of range: ${table.resolvedPath} has ${rows} rows`;
    }
    return undefined;
  });
}

async function checkIndex(b: DatasetBuilder, path: string, errors: ValidationError[], maxBytes: number, lookup: Lookup, refLocation: RefLocation): Promise<void> {
  const target = b.getAttribute("target");
  if (!(target instanceof ObjectReference) || target.isNull) return;
  const t = await lookup(target.resolvedPath, refLocation(target));
  if (typeof t === "string" || !(t instanceof DatasetBuilder)) return;
  const length = shapeOf(t)[0];
  if (length === undefined) return;
  let previous = 0;
  await scan(b, path, errors, maxBytes, async (block, offset) => {
    const v = numbers(block);
    for (let i = 0; i < v.length; i++) {
      const x = v[i]!;
      if (x < previous) return `VectorIndex is not monotonic: value ${x} at [${offset + i}] is below the previous ${previous}`;
      if (x > length) return `VectorIndex value ${x} at [${offset + i}] points past the end of ${target.resolvedPath} (length ${length})`;
      previous = x;
    }
    return undefined;
  });
}

/** Feed `b`'s values to `check` in blocks of rows; the first problem (or read failure) is recorded. */
async function scan(b: DatasetBuilder, path: string, errors: ValidationError[], maxBytes: number, check: (block: NdArray, offset: number) => Promise<string | undefined>): Promise<void> {
  const kind = dataTypeOf(b) === "VectorIndex" || dataTypeOf(b) === "DynamicTableRegion" ? "index" : "reference";
  if (isStoredDataset(b.data)) checkDatasetSize(path, b.data.shape, b.data.dtype, maxBytes, "validating its values");
  try {
    const data = b.data;
    if (data instanceof NdArray) {
      const problem = await check(data, 0);
      if (problem) errors.push({ path, kind, message: problem });
      return;
    }
    if (!isStoredDataset(data)) return;
    const shape = data.shape;
    if (shape.length === 0) {
      const problem = await check(await data.read(), 0);
      if (problem) errors.push({ path, kind, message: problem });
      return;
    }
    const rowSize = Math.max(1, product(shape.slice(1)));
    const rows = Math.max(1, Math.floor(BLOCK_ELEMENTS / rowSize));
    for (let r = 0; r < shape[0]!; r += rows) {
      const stop = Math.min(shape[0]!, r + rows);
      const block = await data.read(shape.map((n, i) => (i === 0 ? [r, stop, 1] : [0, n, 1]) as [number, number, number]));
      const problem = await check(block, r * rowSize);
      if (problem) { errors.push({ path, kind, message: problem }); return; }
    }
  } catch (e) {
    errors.push({ path, kind, message: `cannot be read: ${firstLine(e instanceof Error ? e.message : String(e))}` });
  }
}

function shapeOf(d: DatasetBuilder): readonly number[] {
  const data = d.data;
  if (data instanceof NdArray || isStoredDataset(data)) return data.shape;
  return [];
}

function numbers(a: NdArray): ArrayLike<number> {
  const d = a.data;
  if (d instanceof BigInt64Array || d instanceof BigUint64Array) return Array.from(d, (x) => Number(x));
  if (ArrayBuffer.isView(d)) return d as unknown as ArrayLike<number>;
  return (d as unknown[]).map((x) => Number(x));
}

function hasReferences(dtype: Dtype): boolean {
  if (dtype.kind === "reference") return true;
  return dtype.kind === "compound" && dtype.fields.some((f) => hasReferences(f.dtype));
}

/** Object references in a value: a reference, an array of them, compound rows holding them. */
function refsIn(value: unknown): ObjectReference[] {
  const out: ObjectReference[] = [];
  const visit = (v: unknown): void => {
    if (v instanceof ObjectReference) { if (!v.isNull) out.push(v); return; }
    if (v instanceof NdArray) { if (!ArrayBuffer.isView(v.data)) (v.data as unknown[]).forEach(visit); return; }
    if (Array.isArray(v)) { v.forEach(visit); return; }
    if (v !== null && typeof v === "object" && !ArrayBuffer.isView(v)) for (const x of Object.values(v)) if (x instanceof ObjectReference) visit(x);
  };
  visit(value);
  return out;
}

function dataTypeOf(b: Builder): string | undefined {
  const t = b.getAttribute("neurodata_type") ?? b.getAttribute("data_type");
  return typeof t === "string" ? t : undefined;
}

function firstLine(s: string): string {
  return s.split("\n")[0]!.trim();
}
