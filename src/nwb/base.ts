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

/** The name of the NWB core namespace, which defines the NWB types. */
export const CORE = "core";

/** NWB NWBContainer: the base of NWB group types. */
export class NWBContainer extends Container {
  static override readonly dataType: string = "NWBContainer";
  static override readonly namespace: string = CORE;
}

/** NWB NWBDataInterface: the base of data (as opposed to metadata) objects, as held in acquisition or a ProcessingModule. */
export class NWBDataInterface extends NWBContainer {
  static override readonly dataType: string = "NWBDataInterface";
}

/** Arguments of TimeSeries: pynwb's TimeSeries arguments in camelCase. */
export interface TimeSeriesOptions extends ContainerOptions {
  /** The samples (first axis is time), or another TimeSeries whose data is linked. */
  data?: FieldValue | TimeSeries;
  /** Unit of `data` after conversion (the data/unit attribute). */
  unit?: string;
  /** Sampling rate in Hz; give it (with startingTime) or timestamps, not both. */
  rate?: number;
  /** Time of the first sample in seconds, with `rate` (default 0). */
  startingTime?: number;
  /** Times of each sample, or another TimeSeries whose timestamps are linked. */
  timestamps?: FieldValue | TimeSeries;
  /** Factor from stored values to `unit` (default 1.0). */
  conversion?: number;
  /** Added to the values after conversion (default 0.0). */
  offset?: number;
  /** Smallest meaningful difference in `unit` (default -1.0: unknown). */
  resolution?: number;
  /** "continuous", "instantaneous" or "step" (the data/continuity attribute). */
  continuity?: string;
  comments?: string;
  description?: string;
  /** Per-sample integers labelling the condition of each sample. */
  control?: FieldValue;
  /** What each value of `control` means. */
  controlDescription?: readonly string[];
}

/**
 * NWB TimeSeries: data over time, sampled at a `rate` from a starting time or at explicit
 * `timestamps`; data or timestamps may link to another TimeSeries' datasets.
 */
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

  /** The samples; a DatasetLink when they are another TimeSeries' data. Setting a TimeSeries links to its data. */
  get data(): FieldValue | undefined {
    return this.get("data");
  }
  set data(v: FieldValue | TimeSeries | undefined) {
    this.set("data", v instanceof TimeSeries ? new DatasetLink(v, "data") : v);
  }
  /** The sample times; a DatasetLink when linked. Setting a TimeSeries links to its timestamps. */
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
  /** The data/unit attribute. */
  get unit(): string | undefined { return this.get("data/unit") as string | undefined; }
  /** The sampling rate (starting_time/rate), when sampled at a rate. */
  get rate(): number | undefined { return numberOf(this.get("starting_time/rate")); }
  /** The starting_time in seconds, when sampled at a rate. */
  get startingTime(): number | undefined { return numberOf(this.get("starting_time")); }
  /** The data/conversion attribute (1.0 when unset). */
  get conversion(): number { return numberOf(this.get("data/conversion")) ?? 1.0; }
  /** The data/offset attribute (0.0 when unset). */
  get offset(): number { return numberOf(this.get("data/offset")) ?? 0.0; }
  /** The data/resolution attribute (-1.0 when unset). */
  get resolution(): number { return numberOf(this.get("data/resolution")) ?? -1.0; }
  /** The comments attribute ("no comments" when unset, as pynwb). */
  get comments(): string { return (this.get("comments") as string | undefined) ?? "no comments"; }
  /** The description attribute ("no description" when unset, as pynwb). */
  get description(): string { return (this.get("description") as string | undefined) ?? "no description"; }
}

function numberOf(v: FieldValue | undefined): number | undefined {
  return typeof v === "number" ? v : typeof v === "bigint" ? Number(v) : undefined;
}

/** Arguments of ElectricalSeries: the TimeSeries ones plus its electrodes and channel conversion. */
export interface ElectricalSeriesOptions extends TimeSeriesOptions {
  /** The rows of the file's electrodes table the channels were recorded from (NWBFile.createElectrodeTableRegion). */
  electrodes?: DynamicTableRegion;
  /** Per-channel conversion factors, applied along with `conversion`. */
  channelConversion?: FieldValue;
  /** Description of the filtering applied to the data. */
  filtering?: string;
}

/** NWB ElectricalSeries: voltages from extracellular electrodes; `unit` defaults to "volts". */
export class ElectricalSeries extends TimeSeries {
  static override readonly dataType: string = "ElectricalSeries";
  constructor(o: ElectricalSeriesOptions) {
    super({ ...o, unit: o.unit ?? "volts" });
    if (o.electrodes) this.set("electrodes", o.electrodes);
    this.set("channel_conversion", o.channelConversion).set("filtering", o.filtering);
  }
  /** The electrodes region, if set. */
  get electrodes(): DynamicTableRegion | undefined {
    const e = this.get("electrodes");
    return e instanceof DynamicTableRegion ? e : undefined;
  }
}

/** NWB ProcessingModule: a named group of processed data interfaces and tables (under /processing). */
export class ProcessingModule extends NWBContainer {
  static override readonly dataType: string = "ProcessingModule";
  constructor(o: ContainerOptions & { description?: string }) {
    super(o);
    this.set("description", o.description);
  }
  /** The description attribute. */
  get description(): string | undefined { return this.get("description") as string | undefined; }
  /** pynwb ProcessingModule.add: a data interface or a table. */
  add<T extends AbstractContainer>(c: T): T {
    return this.addChild(c, STAR);
  }
  /** The module's contents by name. */
  get dataInterfaces(): Map<string, AbstractContainer> {
    return new Map(this.childList(STAR).map((c) => [c.name, c]));
  }
}

/** NWB Device: a recording device (under /general/devices). */
export class Device extends NWBContainer {
  static override readonly dataType: string = "Device";
  constructor(o: ContainerOptions & { description?: string; manufacturer?: string }) {
    super(o);
    this.set("description", o.description).set("manufacturer", o.manufacturer);
  }
  /** The description attribute. */
  get description(): string | undefined { return this.get("description") as string | undefined; }
  /** The manufacturer attribute. */
  get manufacturer(): string | undefined { return this.get("manufacturer") as string | undefined; }
}

/** NWB ElectrodeGroup: electrodes on one device at one location (under /general/extracellular_ephys). */
export class ElectrodeGroup extends NWBContainer {
  static override readonly dataType: string = "ElectrodeGroup";
  constructor(o: ContainerOptions & { description?: string; location?: string; device?: Device; position?: readonly CompoundRow[] }) {
    super(o);
    this.set("description", o.description).set("location", o.location).set("position", o.position);
    if (o.device) this.fields.set("device", o.device);
  }
  /** The Device the group is on (written as a link). */
  get device(): Device | undefined {
    const d = this.get("device");
    return d instanceof Device ? d : undefined;
  }
  /** The location attribute (brain area). */
  get location(): string | undefined { return this.get("location") as string | undefined; }
  /** The description attribute. */
  get description(): string | undefined { return this.get("description") as string | undefined; }
}

/** Arguments of Subject: pynwb's Subject arguments in camelCase. */
export interface SubjectOptions {
  subjectId?: string;
  /** Age as an ISO 8601 duration ("P90D"). */
  age?: string;
  /** What `age` counts from: "birth" (default when age is given) or "gestational". */
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

/** NWB Subject: the subject of the session (/general/subject); named "subject" by default. */
export class Subject extends NWBContainer {
  static override readonly dataType: string = "Subject";
  constructor(o: SubjectOptions & { name?: string } = {}) {
    super({ name: o.name ?? "subject", objectId: o.objectId });
    this.set("subject_id", o.subjectId).set("age", o.age).set("age/reference", o.ageReference ?? (o.age !== undefined ? "birth" : undefined));
    this.set("description", o.description).set("species", o.species).set("sex", o.sex);
    this.set("weight", o.weight).set("genotype", o.genotype).set("strain", o.strain);
    this.set("date_of_birth", o.dateOfBirth);
  }
  /** The subject_id dataset. */
  get subjectId(): string | undefined { return this.get("subject_id") as string | undefined; }
  /** The species dataset. */
  get species(): string | undefined { return this.get("species") as string | undefined; }
  /** The age dataset. */
  get age(): string | undefined { return this.get("age") as string | undefined; }
  /** The sex dataset. */
  get sex(): string | undefined { return this.get("sex") as string | undefined; }
}

/** NWB ScratchData: a dataset of temporary or exploratory results (under /scratch), with notes. */
export class ScratchData extends Data {
  static override readonly dataType: string = "ScratchData";
  static override readonly namespace: string = CORE;
  constructor(o: ContainerOptions & { data?: FieldValue; notes?: string; description?: string }) {
    super(o);
    this.set("notes", o.notes).set("description", o.description);
  }
  /** The notes attribute. */
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
