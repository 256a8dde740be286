/**
 * Containers hold the containers a reference points at (hdmf's ObjectMapper resolves
 * references on construct), but construct() is synchronous and a dataset read lazily (every Zarr
 * array; an HDF5 dataset above the eager size) still holds its references in the file. So before
 * construct, the data of every reference dataset and every compound with a reference field is
 * read into memory, in the tree and in the trees of other files its links reach. Without this a
 * Zarr store's reference columns (an electrodes table's `group`, an intervals table's
 * TimeSeriesReferenceVectorData) stayed unresolved ObjectReferences where its HDF5 twin gave
 * containers. Reference datasets are small (one entry per row of a table), so loading them is cheap.
 */
import { isStoredDataset } from "../../data/data-source.js";
import type { Dtype } from "../../data/dtype.js";
import { Builder, DatasetBuilder, GroupBuilder, LinkBuilder } from "../builders.js";

function holdsReferences(d: Dtype): boolean {
  return d.kind === "reference" || (d.kind === "compound" && d.fields.some((f) => holdsReferences(f.dtype)));
}

function topOf(b: Builder): Builder {
  return b.parent ? b.parent.root : b;
}

/** Read into memory every stored dataset holding references under `root` and in the other files its links reach (see above). */
export async function loadReferenceData(root: GroupBuilder): Promise<void> {
  const seen = new Set<Builder>();
  const pending: Builder[] = [root];
  const loads: Array<Promise<void>> = [];
  while (pending.length > 0) {
    const top = pending.pop()!;
    if (seen.has(top)) continue;
    seen.add(top);
    for (const b of top instanceof GroupBuilder ? top.walk() : [top]) {
      if (b instanceof LinkBuilder && b.target instanceof Builder && topOf(b.target) !== root) pending.push(b.target);
      if (b instanceof DatasetBuilder && isStoredDataset(b.data) && holdsReferences(b.data.dtype)) {
        const d = b;
        const stored = b.data;
        loads.push(stored.read().then((values) => { d.data = values; }));
      }
    }
  }
  await Promise.all(loads);
}
