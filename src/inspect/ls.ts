/**
 * `hdmf-ts ls`: the tree of a file or store, one line per object: groups with their
 * neurodata type, datasets with dtype, shape, chunking and codecs, links with their target.
 */
import { openIO, type OpenIOOptions } from "../backends/factory.js";
import type { HDMFIO } from "../backends/io.js";
import type { CodecConfig } from "../data/codec-config.js";
import { describeDtype } from "../data/dtype.js";
import { isStoredDataset, type StorageInfo } from "../data/data-source.js";
import { NdArray } from "../data/ndarray.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder, type Builder } from "../schema/builders.js";

/** One line of `hdmf-ts ls`: an object of the tree and its rendered description. */
export interface LsLine {
  /** Absolute path of the object. */
  readonly path: string;
  /** Nesting depth (0 = the root group), for indentation. */
  readonly depth: number;
  /** What the object is. */
  readonly kind: "group" | "dataset" | "link";
  /** The rendered line without indentation (type, dtype, shape, chunks, codecs, or link target). */
  readonly text: string;
}

function typeOf(b: Builder): string {
  const t = b.getAttribute("neurodata_type") ?? b.getAttribute("data_type");
  return typeof t === "string" ? t : "";
}

export function codecLabel(c: CodecConfig): string {
  if (c.id === "hdf5-filter") return `hdf5:${String(c.filter_id)}`;
  if (c.id === "blosc") return `blosc(${String(c.cname)},${String(c.clevel)}${c.shuffle ? ",shuffle" : ""})`;
  if (typeof c.level === "number") return `${c.id}(${c.level})`;
  return c.id;
}

function storageLabel(s: StorageInfo | undefined): string {
  if (!s) return "";
  const parts = [s.layout === "chunked" && s.chunks ? `chunks [${s.chunks.join(",")}]` : s.layout];
  if (s.codecs.length) parts.push(s.codecs.map(codecLabel).join("+"));
  return parts.join("  ");
}

async function datasetLine(io: HDMFIO<unknown>, d: DatasetBuilder): Promise<string> {
  let storage: StorageInfo | undefined;
  let shape: readonly number[];
  if (isStoredDataset(d.data)) { storage = d.data.storage; shape = d.data.shape; }
  else {
    shape = d.data instanceof NdArray ? d.data.shape : [];
    if (d.locationPath) storage = (await io.dataset(d.locationPath).catch(() => undefined))?.storage;
  }
  return `${describeDtype(d.dtype)} [${shape.join(", ")}]  ${storageLabel(storage)}`.trimEnd();
}

/** Lines of the tree (depth-first, children sorted by name). */
export async function lsLines(io: HDMFIO<unknown>): Promise<LsLine[]> {
  const root = await io.readBuilder();
  const out: LsLine[] = [];
  const walk = async (g: GroupBuilder, depth: number): Promise<void> => {
    const children = [...g.children()].sort((a, b) => (a.name < b.name ? -1 : 1));
    for (const c of children) {
      const p = c.path;
      if (c instanceof LinkBuilder) {
        const src = c.targetSource;
        const where = src && src !== io.source ? `${src}::${c.targetPath}` : c.targetPath;
        out.push({ path: p, depth, kind: "link", text: `${c.name} -> ${where}  (${src && src !== io.source ? "external" : "soft"} link)` });
      } else if (c instanceof GroupBuilder) {
        const t = typeOf(c);
        out.push({ path: p, depth, kind: "group", text: `${c.name}/${t ? `  ${t}` : ""}` });
        await walk(c, depth + 1);
      } else {
        const t = typeOf(c);
        out.push({ path: p, depth, kind: "dataset", text: `${c.name}  ${await datasetLine(io, c)}${t ? `  ${t}` : ""}` });
      }
    }
  };
  out.push({ path: "/", depth: 0, kind: "group", text: `/  ${typeOf(root)}`.trimEnd() });
  await walk(root, 1);
  return out;
}

/** Open `location` read-only and render its tree as text. */
export async function ls(location: string, options: Omit<OpenIOOptions<unknown>, "manager"> = {}): Promise<string> {
  const io = await openIO(location, "r", { ...options, allowBrokenLinks: true });
  try {
    return (await lsLines(io)).map((l) => `${"  ".repeat(l.depth)}${l.text}`).join("\n");
  } finally {
    await io.close();
  }
}
