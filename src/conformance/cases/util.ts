/** Small helpers the cases share: write a tree, reopen it, read a dataset's values. */
import type { HDMFIO } from "../../backends/io.js";
import { isStoredDataset } from "../../data/data-source.js";
import { NdArray } from "../../data/ndarray.js";
import { DatasetBuilder, GroupBuilder, LinkBuilder, type ChildBuilder } from "../../schema/builders.js";
import { fail, ok, show } from "../check.js";
import type { BackendFixture } from "../types.js";

export function root(): GroupBuilder {
  return new GroupBuilder("root");
}

/** Write `tree` into a fresh target ("w"), then close. */
export async function writeTree(fx: BackendFixture, tree: GroupBuilder): Promise<void> {
  const io = await fx.create("w");
  try {
    await io.write(tree, { cacheSpec: false });
  } finally {
    await io.close();
  }
}

/** Open the target read-only, run `fn` with the IO and its root builder, close. */
export async function withRead<T>(fx: BackendFixture, fn: (root: GroupBuilder, io: HDMFIO) => Promise<T>): Promise<T> {
  const io = await fx.open("r");
  try {
    return await fn(await io.readBuilder(), io);
  } finally {
    await io.close();
  }
}

/** Write `tree`, reopen, call `fn` on what was read. */
export async function roundTrip<T>(fx: BackendFixture, tree: GroupBuilder, fn: (root: GroupBuilder, io: HDMFIO) => Promise<T>): Promise<T> {
  await writeTree(fx, tree);
  return withRead(fx, fn);
}

export function child(group: GroupBuilder, path: string): ChildBuilder | GroupBuilder {
  const node = group.find(path);
  if (!node) {
    const parent = group.find(path.split("/").slice(0, -1).join("/") || "/");
    const names = parent instanceof GroupBuilder ? [...parent.children()].map((c) => c.name) : [];
    fail(`read back: ${path} is missing (siblings: ${names.join(", ") || "none"})`);
  }
  return node;
}

export function datasetAt(group: GroupBuilder, path: string): DatasetBuilder {
  const node = child(group, path);
  ok(node instanceof DatasetBuilder, `read back: ${path} is not a dataset (${node.constructor.name})`);
  return node;
}

export function groupAt(group: GroupBuilder, path: string): GroupBuilder {
  const node = child(group, path);
  ok(node instanceof GroupBuilder, `read back: ${path} is not a group (${node.constructor.name})`);
  return node;
}

export function linkAt(group: GroupBuilder, path: string): LinkBuilder {
  const node = child(group, path);
  ok(node instanceof LinkBuilder, `read back: ${path} is not a link (${node.constructor.name})`);
  return node;
}

/** The values of a dataset builder as read: in memory already, or read through its handle. */
export async function valuesOf(b: DatasetBuilder): Promise<NdArray> {
  const d = b.data;
  if (d instanceof NdArray) return d;
  if (isStoredDataset(d)) return d.read();
  return fail(`read back: ${b.path} holds ${show(d)}, not stored data`);
}

export function attr(b: { attributes: Map<string, { value: unknown }>; path: string }, name: string): unknown {
  const a = b.attributes.get(name);
  if (!a) fail(`read back: attribute "${name}" is missing on ${b.path} (has: ${[...b.attributes.keys()].join(", ") || "none"})`);
  return a.value;
}

/** An attribute value as a flat list (NdArray → elements, scalar → [scalar]). */
export function attrList(value: unknown): unknown[] {
  if (value instanceof NdArray) return value.toArray();
  return [value];
}

export const range = (n: number, f: (i: number) => number = (i) => i): number[] => Array.from({ length: n }, (_, i) => f(i));
