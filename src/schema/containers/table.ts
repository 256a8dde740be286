/**
 * hdmf-common table types: VectorData, VectorIndex (ragged columns, index of index),
 * ElementIdentifiers, DynamicTableRegion and DynamicTable with hdmf's add_column / add_row.
 */
import { InvalidInputError, NotFoundError } from "../../errors.js";
import { numeric, type NumericName } from "../../data/dtype.js";
import { NdArray } from "../../data/ndarray.js";
import { AbstractContainer, Container, Data, STAR, type ContainerOptions, type FieldValue } from "./container.js";

/**
 * One cell of a table column: a scalar, a string, a container (in a reference column), an
 * array (a ragged cell, nested for an index of an index), or a compound row.
 */
export type TableCell = unknown;

/** The rows of a data value as JS values (first axis), whatever form it has. */
export function rowsOf(data: FieldValue | undefined): TableCell[] {
  if (data === undefined) return [];
  if (data instanceof NdArray) {
    if (data.shape.length <= 1) return data.toArray();
    return Array.from({ length: data.shape[0]! }, (_, i) => data.get([i]).toArray());
  }
  if (Array.isArray(data)) return [...data];
  throw new InvalidInputError("this column's data is not in memory (a stream or a stored dataset)", { option: "data" });
}

/** hdmf-common VectorData: one column of a DynamicTable (its values in `data`, one per row). */
export class VectorData extends Data {
  static override readonly dataType: string = "VectorData";
  static override readonly namespace: string = "hdmf-common";
  constructor(options: ContainerOptions & { description?: string; data?: FieldValue }) {
    super({ ...options, data: options.data ?? [] });
    this.set("description", options.description);
  }
  /** The column's `description` attribute. */
  get description(): string | undefined {
    return this.get("description") as string | undefined;
  }
  /** Append one element (a row of a plain column, an element of a ragged one). */
  append(...values: TableCell[]): void {
    const rows = rowsOf(this.data);
    rows.push(...values);
    this.data = rows as FieldValue;
  }
  /** The number of elements (first axis; 1 for a scalar NdArray, 0 for data not held in memory). */
  get length(): number {
    return this.data instanceof NdArray ? (this.data.shape[0] ?? 1) : Array.isArray(this.data) ? this.data.length : 0;
  }
}

/** Smallest unsigned type that holds `max`, as hdmf's VectorIndex picks. */
function indexDtype(max: number): NumericName {
  return max < 2 ** 8 ? "uint8" : max < 2 ** 16 ? "uint16" : max < 2 ** 32 ? "uint32" : "uint64";
}

/**
 * hdmf-common VectorIndex: the end offset of each row's cell in its `target`, which makes the
 * target column ragged; the target may itself be a VectorIndex (a ragged column of ragged cells).
 * Written with the smallest unsigned dtype that holds the offsets, as hdmf does.
 */
export class VectorIndex extends VectorData {
  static override readonly dataType: string = "VectorIndex";
  constructor(options: ContainerOptions & { data?: FieldValue; target?: VectorData; description?: string }) {
    super({ ...options, description: options.description ?? (options.target ? `Index for VectorData '${options.target.name}'` : undefined) });
    if (options.target) this.fields.set("target", options.target);
  }
  /** The column this index splits into cells; NotFoundError when it has none. */
  get target(): VectorData {
    const t = this.get("target");
    if (!(t instanceof VectorData)) throw new NotFoundError(`VectorIndex "${this.name}" has no target`, { path: this.name });
    return t;
  }
  /** Append one ragged cell: its elements go to the target, the new end offset here. */
  addVector(values: readonly TableCell[]): void {
    this.target.append(...values);
    this.append(this.target.length);
  }
  /** The cells of the target, split by this index. */
  cells(): TableCell[][] {
    const ends = rowsOf(this.data).map(Number);
    const target = this.target instanceof VectorIndex ? this.target.cells() : rowsOf(this.target.data);
    return ends.map((end, i) => target.slice(i === 0 ? 0 : ends[i - 1], end));
  }
  override prepareForBuild(): void {
    if (Array.isArray(this.data)) {
      const ends = (this.data as number[]).map(Number);
      const dt = numeric(indexDtype(Math.max(0, ...ends)));
      this.data = new NdArray(new (dt.name === "uint64" ? BigUint64Array : dt.name === "uint32" ? Uint32Array : dt.name === "uint16" ? Uint16Array : Uint8Array)(
        ends.map((e) => (dt.name === "uint64" ? BigInt(e) : e)) as never), [ends.length], dt);
    }
  }
}

/** hdmf-common ElementIdentifiers: the `id` column of a DynamicTable (named "id" by default). */
export class ElementIdentifiers extends Data {
  static override readonly dataType: string = "ElementIdentifiers";
  static override readonly namespace: string = "hdmf-common";
  constructor(options: Partial<ContainerOptions> & { data?: FieldValue } = {}) {
    super({ name: options.name ?? "id", objectId: options.objectId, data: options.data ?? [] });
  }
}

/** hdmf-common DynamicTableRegion: a column of row indices into another DynamicTable (`table`). */
export class DynamicTableRegion extends VectorData {
  static override readonly dataType: string = "DynamicTableRegion";
  constructor(options: ContainerOptions & { data?: FieldValue; description?: string; table?: DynamicTable }) {
    super(options);
    if (options.table) this.fields.set("table", options.table);
  }
  /** The table the indices point into (a reference, not a child). */
  get table(): DynamicTable | undefined {
    const t = this.get("table");
    return t instanceof DynamicTable ? t : undefined;
  }
  set table(t: DynamicTable | undefined) {
    this.fields.set("table", t as DynamicTable);
  }
}

/** A predefined column of a table type (hdmf `__columns__`). */
export interface ColumnSpec {
  readonly name: string;
  readonly description: string;
  readonly required?: boolean;
  /** true/1 = ragged, 2 = ragged of ragged. */
  readonly index?: boolean | number;
  /** A DynamicTableRegion column. */
  readonly table?: boolean;
  /** The column class when it is not VectorData (e.g. TimeSeriesReferenceVectorData). */
  readonly colClass?: new (o: { name: string; description?: string }) => VectorData;
}

/** Arguments of DynamicTable.addColumn (hdmf add_column). */
export interface AddColumnOptions {
  name: string;
  description: string;
  /** Values per row (nested per row for ragged columns). */
  data?: readonly TableCell[];
  /** true/1: a ragged column (one VectorIndex); 2: ragged of ragged (an index of an index). */
  index?: boolean | number;
  /** Make a DynamicTableRegion column pointing at this table. */
  table?: DynamicTable;
  /** The column class when it is not VectorData (e.g. TimeSeriesReferenceVectorData). */
  colClass?: new (o: { name: string; description?: string }) => VectorData;
}

/**
 * hdmf-common DynamicTable: columns (VectorData, with VectorIndex for ragged ones) of equal
 * length, row ids in `id`, column order in `colnames`. Subclasses list predefined columns in
 * `columnSpecs`; required ones exist from construction on.
 */
export class DynamicTable extends Container {
  static override readonly dataType: string = "DynamicTable";
  static override readonly namespace: string = "hdmf-common";
  /** Columns with a fixed name in the spec of this type. */
  static readonly columnSpecs: readonly ColumnSpec[] = [];
  #colnames: string[] = [];

  constructor(options: ContainerOptions & { description?: string; id?: ElementIdentifiers; columns?: readonly VectorData[] }) {
    super(options);
    this.set("description", options.description);
    this.set("id", options.id ?? new ElementIdentifiers());
    for (const c of options.columns ?? []) this.#place(c, !(c instanceof VectorIndex));
    // Required predefined columns exist from the start, as in hdmf.
    for (const s of (this.constructor as typeof DynamicTable).columnSpecs) {
      if (s.required && !this.#colnames.includes(s.name)) this.addColumn({ name: s.name, description: s.description, index: s.index, colClass: s.colClass });
    }
  }

  /** The table's `description` attribute. */
  get description(): string | undefined {
    return this.get("description") as string | undefined;
  }
  /** The row ids (the `id` dataset). */
  get id(): ElementIdentifiers {
    return this.get("id") as ElementIdentifiers;
  }
  /** The column names in order (the `colnames` attribute; index columns are not listed). */
  get colnames(): readonly string[] {
    return this.#colnames;
  }
  /** The number of rows (the number of ids). */
  get length(): number {
    return rowsOf(this.id.data).length;
  }

  #named(): Set<string> {
    const specs = (this.constructor as typeof DynamicTable).columnSpecs;
    const out = new Set<string>();
    for (const s of specs) {
      out.add(s.name);
      const levels = s.index === true ? 1 : typeof s.index === "number" ? s.index : 0;
      for (let i = 1; i <= levels; i++) out.add(s.name + "_index".repeat(i));
    }
    return out;
  }

  #place(c: VectorData, isColumn: boolean): void {
    if (this.#named().has(c.name)) this.set(c.name, c);
    else this.addChild(c, STAR);
    c.parent = this;
    if (isColumn && !this.#colnames.includes(c.name)) this.#colnames.push(c.name);
  }

  /** Every VectorData held by the table (columns and indexes), by name. */
  allVectors(): Map<string, VectorData> {
    const out = new Map<string, VectorData>();
    for (const c of this.containers()) if (c instanceof VectorData && c.parent === this) out.set(c.name, c);
    return out;
  }

  /** The column as stored (the VectorData holding its values). */
  getColumn(name: string): VectorData {
    const c = this.allVectors().get(name);
    if (!c) throw new NotFoundError(`table "${this.name}" has no column "${name}"`, { path: `${this.name}/${name}` });
    return c;
  }

  /** The outermost index of a ragged column, if it is ragged. */
  indexOf(name: string): VectorIndex | undefined {
    const all = this.allVectors();
    let idx: VectorIndex | undefined;
    for (let n = `${name}_index`; all.get(n) instanceof VectorIndex; n = `${n}_index`) idx = all.get(n) as VectorIndex;
    return idx;
  }

  /**
   * Add a column (hdmf add_column) with its VectorIndex(es) when ragged, filled from `o.data`
   * when given (as many values as the table has rows; it sets the ids of an empty table).
   * Returns the column; InvalidInputError for a duplicate name or a row count mismatch.
   */
  addColumn(o: AddColumnOptions): VectorData {
    if (this.#colnames.includes(o.name)) throw new InvalidInputError(`column "${o.name}" already exists in "${this.name}"`, { option: "name" });
    const spec = (this.constructor as typeof DynamicTable).columnSpecs.find((s) => s.name === o.name);
    const levels = o.index === true ? 1 : typeof o.index === "number" ? o.index : spec?.index === true ? 1 : typeof spec?.index === "number" ? spec.index : 0;
    const cls = o.colClass ?? spec?.colClass;
    const col = cls ? new cls({ name: o.name, description: o.description })
      : o.table || spec?.table ? new DynamicTableRegion({ name: o.name, description: o.description, table: o.table })
      : new VectorData({ name: o.name, description: o.description });
    this.#place(col, true);
    let target: VectorData = col;
    for (let i = 1; i <= levels; i++) {
      const idx = new VectorIndex({ name: o.name + "_index".repeat(i), target });
      this.#place(idx, false);
      target = idx;
    }
    if (o.data !== undefined) {
      if (this.length !== 0 && o.data.length !== this.length) {
        throw new InvalidInputError(`column "${o.name}" has ${o.data.length} rows, the table has ${this.length}`, { option: "data" });
      }
      for (const cell of o.data) this.#appendCell(o.name, cell);
      if (this.length === 0) this.id.data = o.data.map((_, i) => i);
    }
    return col;
  }

  #appendCell(name: string, value: TableCell): void {
    const idx = this.indexOf(name);
    if (idx) appendRagged(idx, value);
    else this.getColumn(name).append(value);
  }

  /** hdmf add_row: one value per column; predefined optional columns are added on first use. */
  addRow(values: Readonly<Record<string, TableCell>>, options: { id?: number } = {}): void {
    for (const key of Object.keys(values)) {
      if (this.#colnames.includes(key)) continue;
      const spec = (this.constructor as typeof DynamicTable).columnSpecs.find((s) => s.name === key);
      if (!spec || this.length > 0) throw new InvalidInputError(`"${key}" is not a column of "${this.name}"`, { option: key });
      this.addColumn({ name: spec.name, description: spec.description, index: spec.index, colClass: spec.colClass });
    }
    for (const name of this.#colnames) {
      if (!(name in values)) throw new InvalidInputError(`row for "${this.name}" lacks column "${name}"`, { option: name });
    }
    for (const name of this.#colnames) this.#appendCell(name, values[name]);
    const ids = rowsOf(this.id.data);
    ids.push(options.id ?? ids.length);
    this.id.data = ids as FieldValue;
  }

  /** Row `i` as {column: value}; ragged cells come back as arrays (nested for index of index). */
  getRow(i: number): Record<string, TableCell> {
    const out: Record<string, TableCell> = {};
    for (const name of this.#colnames) {
      const idx = this.indexOf(name);
      out[name] = idx ? idx.cells()[i] : rowsOf(this.getColumn(name).data)[i];
    }
    return out;
  }

  override prepareForBuild(): void {
    this.fields.set("colnames", [...this.#colnames]);
  }

  override afterConstruct(): void {
    const c = this.get("colnames");
    this.#colnames = c instanceof NdArray ? (c.toArray() as string[]) : Array.isArray(c) ? [...(c as string[])] : typeof c === "string" ? [c] : [];
  }
}

function appendRagged(idx: VectorIndex, value: TableCell): void {
  if (!Array.isArray(value)) throw new InvalidInputError(`a cell of ragged column "${idx.target.name}" must be an array`, { option: idx.target.name });
  const t = idx.target;
  if (t instanceof VectorIndex) for (const inner of value) appendRagged(t, inner);
  else t.append(...value);
  idx.append(t.length);
}

/** Is `c` a DynamicTable (or a subclass such as TimeIntervals or Units)? */
export function isTable(c: AbstractContainer): c is DynamicTable {
  return c instanceof DynamicTable;
}
