/**
 * NWB core base types: TimeSeries, ElectricalSeries, ProcessingModule, Device, ElectrodeGroup,
 * Subject, ScratchData, TimeSeriesReferenceVectorData. Options keep pynwb's names in camelCase.
 * Fields are keyed by spec path (see schema/containers/container.ts).
 */
import { InvalidInputError } from "../errors.js";
import {
  AbstractContainer, Container, Data, DatasetLink, STAR, type CompoundRow, type ContainerOptions, type FieldValue,
} from "../schema/containers/container.js";
import { DynamicTableRegion, VectorData } from "../schema/containers/table.js";

export const CORE = "core";

export class NWBContainer extends Container {
  static override readonly dataType: string = "NWBContainer";
  static override readonly namespace: string = CORE;
}

export class NWBDataInterface extends NWBContainer {
  static override readonly dataType: string = "NWBDataInterface";
}

export interface TimeSeriesOptions extends ContainerOptions {
  data?: FieldValue | TimeSeries;
  unit?: string;
  rate?: number;
  startingTime?: number;
  /** Times of each sample, or another TimeSeries whose timestamps are linked. */
  timestamps?: FieldValue | TimeSeries;
  conversion?: number;
  offset?: number;
  resolution?: number;
  continuity?: string;
  comments?: string;
  description?: string;
  control?: FieldValue;
  controlDescription?: readonly string[];
}

export class TimeSeries extends NWBDataInterface {
  static override readonly dataType: string = "TimeSeries";

  constructor(o: TimeSeriesOptions) {
    super(o);
    if (o.rate !== undefined && o.timestamps !== undefined) {
      throw new InvalidInputError(`TimeSeries "${o.name}": give rate or timestamps, not both`, { option: "rate" });
    }
    if (o.data !== undefined) this.data = o.data;
    if (o.data !== undefined || o.unit !== undefined) {
      // pynwb's defaults, set explicitly as pynwb does.
      this.set("data/unit", o.unit).set("data/conversion", o.conversion ?? 1.0).set("data/offset", o.offset ?? 0.0);
      this.set("data/resolution", o.resolution ?? -1.0);
    }
    this.set("data/continuity", o.continuity);
    if (o.rate !== undefined) this.set("starting_time", o.startingTime ?? 0.0).set("starting_time/rate", o.rate);
    if (o.timestamps !== undefined) this.timestamps = o.timestamps;
    if (o.data !== undefined) this.set("comments", o.comments ?? "no comments").set("description", o.description ?? "no description");
    this.set("control", o.control).set("control_description", o.controlDescription);
  }

  get data(): FieldValue | undefined {
    return this.get("data");
  }
  set data(v: FieldValue | TimeSeries | undefined) {
    this.set("data", v instanceof TimeSeries ? new DatasetLink(v, "data") : v);
  }
  get timestamps(): FieldValue | undefined {
    return this.get("timestamps");
  }
  set timestamps(v: FieldValue | TimeSeries | undefined) {
    this.set("timestamps", v instanceof TimeSeries ? new DatasetLink(v, "timestamps") : v);
  }
  /** The TimeSeries whose timestamps this one links to, if any. */
  get timestampLink(): TimeSeries | undefined {
    const t = this.get("timestamps");
    return t instanceof DatasetLink && t.container instanceof TimeSeries ? t.container : undefined;
  }
  get unit(): string | undefined { return this.get("data/unit") as string | undefined; }
  get rate(): number | undefined { return numberOf(this.get("starting_time/rate")); }
  get startingTime(): number | undefined { return numberOf(this.get("starting_time")); }
  get conversion(): number { return numberOf(this.get("data/conversion")) ?? 1.0; }
  get offset(): number { return numberOf(this.get("data/offset")) ?? 0.0; }
  get resolution(): number { return numberOf(this.get("data/resolution")) ?? -1.0; }
  get comments(): string { return (this.get("comments") as string | undefined) ?? "no comments"; }
  get description(): string { return (this.get("description") as string | undefined) ?? "no description"; }
}

function numberOf(v: FieldValue | undefined): number | undefined {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
}

export interface ElectricalSeriesOptions extends TimeSeriesOptions {
  electrodes?: DynamicTableRegion;
  channelConversion?: FieldValue;
  filtering?: string;
}

export class ElectricalSeries extends TimeSeries {
  static override readonly dataType: string = "ElectricalSeries";
  constructor(o: ElectricalSeriesOptions) {
    super({ ...o, unit: o.unit ?? "volts" });
    if (o.electrodes) this.set("electrodes", o.electrodes);
    this.set("channel_conversion", o.channelConversion).set("filtering", o.filtering);
  }
  get electrodes(): DynamicTableRegion | undefined {
    const e = this.get("electrodes");
    return e instanceof DynamicTableRegion ? e : undefined;
  }
}

export class ProcessingModule extends NWBContainer {
  static override readonly dataType: string = "ProcessingModule";
  constructor(o: ContainerOptions & { description?: string }) {
    super(o);
    this.set("description", o.description);
  }
  get description(): string | undefined { return this.get("description") as string | undefined; }
  /** pynwb ProcessingModule.add: a data interface or a table. */
  add<T extends AbstractContainer>(c: T): T {
    return this.addChild(c, STAR);
  }
  get dataInterfaces(): Map<string, AbstractContainer> {
    return new Map(this.childList(STAR).map((c) => [c.name, c]));
  }
}

export class Device extends NWBContainer {
  static override readonly dataType: string = "Device";
  constructor(o: ContainerOptions & { description?: string; manufacturer?: string }) {
    super(o);
    this.set("description", o.description).set("manufacturer", o.manufacturer);
  }
  get description(): string | undefined { return this.get("description") as string | undefined; }
  get manufacturer(): string | undefined { return this.get("manufacturer") as string | undefined; }
}

export class ElectrodeGroup extends NWBContainer {
  static override readonly dataType: string = "ElectrodeGroup";
  constructor(o: ContainerOptions & { description?: string; location?: string; device?: Device; position?: readonly CompoundRow[] }) {
    super(o);
    this.set("description", o.description).set("location", o.location).set("position", o.position);
    if (o.device) this.fields.set("device", o.device);
  }
  get device(): Device | undefined {
    const d = this.get("device");
    return d instanceof Device ? d : undefined;
  }
  get location(): string | undefined { return this.get("location") as string | undefined; }
  get description(): string | undefined { return this.get("description") as string | undefined; }
}

export interface SubjectOptions {
  subjectId?: string;
  age?: string;
  ageReference?: string;
  description?: string;
  species?: string;
  sex?: string;
  weight?: string;
  genotype?: string;
  strain?: string;
  dateOfBirth?: string | Date;
  objectId?: string;
}

export class Subject extends NWBContainer {
  static override readonly dataType: string = "Subject";
  constructor(o: SubjectOptions & { name?: string } = {}) {
    super({ name: o.name ?? "subject", objectId: o.objectId });
    this.set("subject_id", o.subjectId).set("age", o.age).set("age/reference", o.ageReference ?? (o.age !== undefined ? "birth" : undefined));
    this.set("description", o.description).set("species", o.species).set("sex", o.sex);
    this.set("weight", o.weight).set("genotype", o.genotype).set("strain", o.strain);
    this.set("date_of_birth", o.dateOfBirth);
  }
  get subjectId(): string | undefined { return this.get("subject_id") as string | undefined; }
  get species(): string | undefined { return this.get("species") as string | undefined; }
  get age(): string | undefined { return this.get("age") as string | undefined; }
  get sex(): string | undefined { return this.get("sex") as string | undefined; }
}

export class ScratchData extends Data {
  static override readonly dataType: string = "ScratchData";
  static override readonly namespace: string = CORE;
  constructor(o: ContainerOptions & { data?: FieldValue; notes?: string; description?: string }) {
    super(o);
    this.set("notes", o.notes).set("description", o.description);
  }
  get notes(): string | undefined { return this.get("notes") as string | undefined; }
}

/** Rows of {idx_start, count, timeseries} (pynwb TimeSeriesReferenceVectorData). */
export class TimeSeriesReferenceVectorData extends VectorData {
  static override readonly dataType: string = "TimeSeriesReferenceVectorData";
  static override readonly namespace: string = CORE;
  constructor(o: Partial<ContainerOptions> & { data?: readonly CompoundRow[]; description?: string } = {}) {
    super({ name: o.name ?? "timeseries", objectId: o.objectId, data: o.data ? [...o.data] : [], description: o.description ?? "Column storing references to a TimeSeries (rows). For each TimeSeries this VectorData column stores the start_index and count to indicate the range in time to be selected as well as an object reference to the TimeSeries." });
  }
}
