/**
 * NWBFile: the root of an NWB file (pynwb's NWBFile, camelCase). Groups of the file are spec
 * paths in `fields`: "acquisition/*", "general/devices/*", "intervals/trials", "units", ...
 */
import { InvalidInputError } from "../errors.js";
import { AbstractContainer, type ContainerOptions, type FieldValue } from "../schema/containers/container.js";
import { DynamicTable, DynamicTableRegion, type AddColumnOptions } from "../schema/containers/table.js";
import { isoformat } from "../schema/build/convert.js";
import { CORE, Device, ElectrodeGroup, ProcessingModule, Subject, type TimeSeries } from "./base.js";
import { TimeIntervals, Units } from "./tables.js";

/**
 * Arguments of NWBFile: pynwb's NWBFile arguments in camelCase. Times are ISO 8601 strings or
 * Dates (written as Python's isoformat in UTC); the rest go under /general.
 */
export interface NWBFileOptions extends Partial<ContainerOptions> {
  sessionDescription: string;
  /** A unique identifier of this file. */
  identifier: string;
  /** When the session started; the reference time of all times in the file unless timestampsReferenceTime is given. */
  sessionStartTime: string | Date;
  /** The time all timestamps count from (default: sessionStartTime). */
  timestampsReferenceTime?: string | Date;
  /** When the file was created or modified (default: now). */
  fileCreateDate?: string | Date | ReadonlyArray<string | Date>;
  experimenter?: string | readonly string[];
  experimentDescription?: string;
  sessionId?: string;
  institution?: string;
  lab?: string;
  keywords?: readonly string[];
  notes?: string;
  pharmacology?: string;
  protocol?: string;
  relatedPublications?: string | readonly string[];
  slices?: string;
  dataCollection?: string;
  surgery?: string;
  virus?: string;
  /** Written as /general/stimulus (pynwb's `stimulus_notes`). */
  stimulusNotes?: string;
  subject?: Subject;
}

const iso = (d: string | Date): string => (d instanceof Date ? isoformat(d) : d);
const list = <T>(v: T | readonly T[] | undefined): T[] | undefined => (v === undefined ? undefined : Array.isArray(v) ? [...v] : [v as T]);

const ELECTRODE_COLUMNS: Record<string, string> = {
  location: "the location of channel within the subject e.g. brain region",
  group: "a reference to the ElectrodeGroup this electrode is a part of",
  group_name: "the name of the ElectrodeGroup this electrode is a part of",
  x: "the x coordinate of the position (+x is posterior)",
  y: "the y coordinate of the position (+y is inferior)",
  z: "the z coordinate of the position (+z is right)",
  imp: "the impedance of the electrode, in ohms",
  filtering: "description of hardware filtering, including the filter name and frequency cutoffs",
  rel_x: "the x coordinate within the electrode group",
  rel_y: "the y coordinate within the electrode group",
  rel_z: "the z coordinate within the electrode group",
  reference: "Description of the reference electrode and/or reference scheme used for this electrode",
};

/**
 * NWB NWBFile: the root group of an NWB file, with session metadata and the acquisition,
 * analysis, scratch, stimulus, processing, general/devices, electrodes, intervals and units
 * it holds. Methods follow pynwb's (addAcquisition, createDevice, addElectrode, addTrial, addUnit...).
 */
export class NWBFile extends AbstractContainer {
  static override readonly dataType: string = "NWBFile";
  static override readonly namespace: string = CORE;

  /** With only ContainerOptions (no `identifier`) the file is left empty, for the reader to fill. */
  constructor(o: NWBFileOptions | ContainerOptions) {
    super({ name: o.name ?? "root", objectId: o.objectId });
    if (!("identifier" in o)) return; // an empty NWBFile, filled by the reader
    const start = iso(o.sessionStartTime);
    this.set("session_description", o.sessionDescription).set("identifier", o.identifier);
    this.set("session_start_time", start);
    this.set("timestamps_reference_time", o.timestampsReferenceTime !== undefined ? iso(o.timestampsReferenceTime) : start);
    this.set("file_create_date", (list(o.fileCreateDate) ?? [new Date()]).map(iso));
    const g: Array<[string, FieldValue | undefined]> = [
      ["experimenter", list(o.experimenter)], ["experiment_description", o.experimentDescription],
      ["session_id", o.sessionId], ["institution", o.institution], ["lab", o.lab],
      ["keywords", o.keywords ? [...o.keywords] : undefined], ["notes", o.notes], ["pharmacology", o.pharmacology],
      ["protocol", o.protocol], ["related_publications", list(o.relatedPublications)], ["slices", o.slices],
      ["data_collection", o.dataCollection], ["surgery", o.surgery], ["virus", o.virus], ["stimulus", o.stimulusNotes],
    ];
    for (const [k, v] of g) this.set(`general/${k}`, v);
    if (o.subject) this.subject = o.subject;
  }

  /** The session_description dataset. */
  get sessionDescription(): string { return this.get("session_description") as string; }
  /** The identifier dataset. */
  get identifier(): string { return this.get("identifier") as string; }
  /** The session_start_time dataset (an ISO 8601 string). */
  get sessionStartTime(): string { return this.get("session_start_time") as string; }
  /** The timestamps_reference_time dataset (an ISO 8601 string). */
  get timestampsReferenceTime(): string { return this.get("timestamps_reference_time") as string; }
  /** The file_create_date dataset (a list of ISO 8601 strings). */
  get fileCreateDate(): FieldValue | undefined { return this.get("file_create_date"); }
  /** /general/experimenter (a list of names). */
  get experimenter(): FieldValue | undefined { return this.get("general/experimenter"); }
  /** /general/institution. */
  get institution(): string | undefined { return this.get("general/institution") as string | undefined; }
  /** /general/lab. */
  get lab(): string | undefined { return this.get("general/lab") as string | undefined; }
  /** /general/session_id. */
  get sessionId(): string | undefined { return this.get("general/session_id") as string | undefined; }

  #map(key: string): Map<string, AbstractContainer> {
    return new Map(this.childList(key).map((c) => [c.name, c]));
  }
  /** The objects in /acquisition, by name. */
  get acquisition(): Map<string, AbstractContainer> { return this.#map("acquisition/*"); }
  /** The objects in /analysis, by name. */
  get analysis(): Map<string, AbstractContainer> { return this.#map("analysis/*"); }
  /** The objects in /scratch, by name. */
  get scratch(): Map<string, AbstractContainer> { return this.#map("scratch/*"); }
  /** The objects in /stimulus/presentation, by name. */
  get stimulus(): Map<string, AbstractContainer> { return this.#map("stimulus/presentation/*"); }
  /** The objects in /stimulus/templates, by name. */
  get stimulusTemplate(): Map<string, AbstractContainer> { return this.#map("stimulus/templates/*"); }
  /** The processing modules in /processing, by name. */
  get processing(): Map<string, ProcessingModule> { return this.#map("processing/*") as Map<string, ProcessingModule>; }
  /** The devices in /general/devices, by name. */
  get devices(): Map<string, Device> { return this.#map("general/devices/*") as Map<string, Device>; }
  /** The electrode groups in /general/extracellular_ephys, by name. */
  get electrodeGroups(): Map<string, ElectrodeGroup> { return this.#map("general/extracellular_ephys/*") as Map<string, ElectrodeGroup>; }
  /** The tables in /intervals (trials, epochs, invalid_times and any other TimeIntervals), by name. */
  get intervals(): Map<string, AbstractContainer> {
    const m = this.#map("intervals/*");
    for (const k of ["trials", "epochs", "invalid_times"]) {
      const v = this.get(`intervals/${k}`);
      if (v instanceof AbstractContainer) m.set(k, v);
    }
    return m;
  }

  /** Add raw acquired data (a TimeSeries, a table...) to /acquisition; a duplicate name is an InvalidInputError. Returns `c`. */
  addAcquisition<T extends AbstractContainer>(c: T): T { return this.addChild(c, "acquisition/*"); }
  /** Add a result of analysis to /analysis. Returns `c`. */
  addAnalysis<T extends AbstractContainer>(c: T): T { return this.addChild(c, "analysis/*"); }
  /** Add temporary data (e.g. ScratchData) to /scratch. Returns `c`. */
  addScratch<T extends AbstractContainer>(c: T): T { return this.addChild(c, "scratch/*"); }
  /** Add a presented stimulus to /stimulus/presentation (pynwb add_stimulus). Returns `c`. */
  addStimulus<T extends AbstractContainer>(c: T): T { return this.addChild(c, "stimulus/presentation/*"); }
  /** Add a stimulus template to /stimulus/templates (pynwb add_stimulus_template). Returns `c`. */
  addStimulusTemplate<T extends AbstractContainer>(c: T): T { return this.addChild(c, "stimulus/templates/*"); }
  /** Add a ProcessingModule to /processing. Returns `m`. */
  addProcessingModule(m: ProcessingModule): ProcessingModule { return this.addChild(m, "processing/*"); }
  /** Create a ProcessingModule and add it to /processing (pynwb create_processing_module). */
  createProcessingModule(o: { name: string; description: string }): ProcessingModule { return this.addProcessingModule(new ProcessingModule(o)); }
  /** Add a Device to /general/devices. Returns `d`. */
  addDevice(d: Device): Device { return this.addChild(d, "general/devices/*"); }
  /** Create a Device and add it to /general/devices (pynwb create_device). */
  createDevice(o: { name: string; description?: string; manufacturer?: string }): Device { return this.addDevice(new Device(o)); }
  /** Add an ElectrodeGroup to /general/extracellular_ephys. Returns `g`. */
  addElectrodeGroup(g: ElectrodeGroup): ElectrodeGroup { return this.addChild(g, "general/extracellular_ephys/*"); }
  /** Create an ElectrodeGroup on `device` and add it (pynwb create_electrode_group). */
  createElectrodeGroup(o: { name: string; description: string; location: string; device: Device }): ElectrodeGroup {
    return this.addElectrodeGroup(new ElectrodeGroup(o));
  }
  /** Add a TimeIntervals table: "trials", "epochs" and "invalid_times" take their fixed places, others go in /intervals. Returns `t`. */
  addTimeIntervals(t: TimeIntervals): TimeIntervals {
    if (["trials", "epochs", "invalid_times"].includes(t.name)) { this.set(`intervals/${t.name}`, t); return t; }
    return this.addChild(t, "intervals/*");
  }
  /** Add a TimeSeries to stimulus/presentation (pynwb add_stimulus). */
  addStimulusSeries(ts: TimeSeries): TimeSeries { return this.addStimulus(ts); }

  /** The Subject at /general/subject, if set. */
  get subject(): Subject | undefined {
    const s = this.get("general/subject");
    return s instanceof Subject ? s : undefined;
  }
  set subject(s: Subject | undefined) { this.set("general/subject", s); }

  /** The electrodes table (/general/extracellular_ephys/electrodes), once an electrode was added. */
  get electrodes(): DynamicTable | undefined {
    const e = this.get("general/extracellular_ephys/electrodes");
    return e instanceof DynamicTable ? e : undefined;
  }

  /** pynwb add_electrode: `location` and `group` are required; group_name is filled in. */
  addElectrode(row: { location: string; group: ElectrodeGroup } & Record<string, unknown>): void {
    let t = this.electrodes;
    if (!t) {
      t = new DynamicTable({ name: "electrodes", description: "metadata about extracellular electrodes" });
      this.set("general/extracellular_ephys/electrodes", t);
    }
    const values: Record<string, unknown> = { ...row, group_name: row.group.name };
    if (t.length === 0) {
      for (const k of Object.keys(values)) {
        if (!t.colnames.includes(k)) t.addColumn({ name: k, description: ELECTRODE_COLUMNS[k] ?? "no description" });
      }
    }
    t.addRow(values);
  }

  /** Add a column to the electrodes table; an InvalidInputError before the first addElectrode. */
  addElectrodeColumn(o: AddColumnOptions): void {
    const t = this.electrodes;
    if (!t) throw new InvalidInputError("add an electrode before adding electrode columns", { option: "electrodes" });
    t.addColumn(o);
  }

  /** pynwb create_electrode_table_region. */
  createElectrodeTableRegion(region: readonly number[], description: string, name = "electrodes"): DynamicTableRegion {
    const t = this.electrodes;
    if (!t) throw new InvalidInputError("this file has no electrodes table", { option: "electrodes" });
    for (const i of region) if (i < 0 || i >= t.length) throw new InvalidInputError(`electrode index ${i} is out of range`, { option: "region" });
    return new DynamicTableRegion({ name, data: [...region], description, table: t });
  }

  /** The trials table (/intervals/trials), if any. */
  get trials(): TimeIntervals | undefined {
    const t = this.get("intervals/trials");
    return t instanceof TimeIntervals ? t : undefined;
  }
  #trials(): TimeIntervals {
    return this.trials ?? (this.addTimeIntervals(new TimeIntervals({ name: "trials", description: "experimental trials" })));
  }
  /** Add a column to the trials table, creating the table if needed (pynwb add_trial_column). */
  addTrialColumn(o: AddColumnOptions): void { this.#trials().addColumn(o); }
  /** Add a trial with its start and stop time and a value for every other trials column (pynwb add_trial). */
  addTrial(row: { startTime: number; stopTime: number } & Record<string, unknown>): void { this.#trials().addInterval(row); }

  /** The Units table (/units), if set. */
  get units(): Units | undefined {
    const u = this.get("units");
    return u instanceof Units ? u : undefined;
  }
  set units(u: Units | undefined) { this.set("units", u); }
  #units(): Units {
    if (!this.units) this.units = new Units();
    return this.units!;
  }
  /**
   * Add a column to the Units table, creating the table if needed (pynwb add_unit_column); an
   * "electrodes" column defaults to a ragged region into the electrodes table.
   */
  addUnitColumn(o: AddColumnOptions): void {
    const u = this.#units();
    u.addColumn(o.name === "electrodes" ? { ...o, index: o.index ?? true, table: o.table ?? this.electrodes } : o);
  }
  /** pynwb add_unit: keys are column names (spike_times, obs_intervals, electrodes, ...). */
  addUnit(row: Record<string, unknown>, options: { id?: number } = {}): void {
    const u = this.#units();
    if ("electrodes" in row && !u.colnames.includes("electrodes") && u.length === 0) {
      u.addColumn({ name: "electrodes", description: "the electrodes that each spike unit came from", index: true, table: this.electrodes });
    }
    u.addRow(row, options);
  }
}

