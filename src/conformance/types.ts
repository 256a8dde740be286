/**
 * The conformance suite's vocabulary: what a backend author hands the suite (a fixture with a
 * backdoor and declared capabilities) and what the suite hands back (a report).
 *
 * Shaped after zarr-python's `StoreTests` (src/zarr/testing/store.py): the fixture gives
 * the suite a fresh target per case and a `peek` that bypasses the IO under test, so the IO
 * is never its own witness.
 */
import type { HDMFIO, OpenMode } from "../backends/io.js";
import type { Store } from "../stores/store.js";

/** What a backend can do; a case that needs a missing capability is reported as unsupported. */
export interface BackendCapabilities {
  /** Extendable (maxshape with null) datasets can be resized and appended to. */
  readonly resize: boolean;
  /**
   * maxshape is stored and enforced: a dataset written without one keeps its extent and
   * resize past it is refused (HDF5). Zarr has no maxshape: every array can grow.
   */
  readonly maxshape: boolean;
  /** Soft links inside one file/store. */
  readonly softLinks: boolean;
  /** Links to objects in another file/store. */
  readonly externalLinks: boolean;
  /** Object references in datasets and attributes. */
  readonly references: boolean;
  /** Compound (record) datasets. */
  readonly compound: boolean;
  /** Compound datasets with a variable-length string field. */
  readonly compoundStrings: boolean;
  /** Compound datasets with a reference field (hdmf's DynamicTableRegion-like rows). */
  readonly compoundReferences: boolean;
  /** IEEE binary16 datasets, bits kept. */
  readonly float16: boolean;
  /** The fletcher32 checksum filter. */
  readonly fletcher32: boolean;
  /** Fixed-length byte strings (numpy `S`). */
  readonly fixedStrings: boolean;
  /** Chunks are stored in shards (Zarr v3 sharding_indexed). */
  readonly sharding: boolean;
  /** The target survives close() and can be opened again. */
  readonly reopen: boolean;
}

/** The name of one BackendCapabilities flag, as a case's `requires` lists it. */
export type CapabilityName = keyof BackendCapabilities;

/** A JSON-like value as the backdoor sees it (bigint where the raw storage keeps 64-bit ints). */
export type RawValue = null | boolean | number | bigint | string | RawValue[] | { [key: string]: RawValue };

/** A group as the backdoor reads it. */
export interface RawGroup {
  readonly kind: "group";
  /** Attributes as stored (JSON-like). */
  readonly attributes: Readonly<Record<string, RawValue>>;
  /** Names of direct children (groups, datasets, links), sorted. */
  readonly children: readonly string[];
}

/** A dataset as the backdoor reads it: layout, codecs and (when it can decode them) values. */
export interface RawDataset {
  readonly kind: "dataset";
  /** Attributes as stored (JSON-like). */
  readonly attributes: Readonly<Record<string, RawValue>>;
  /** Extent as stored. */
  readonly shape: readonly number[];
  /** numpy-style kind + size ("i8", "u2", "f4", "b1") for numeric data, else a short tag ("str", "ref", "compound", "object"). */
  readonly dtype: string;
  /** Chunk shape, or null for contiguous/compact layouts. */
  readonly chunks: readonly number[] | null;
  /** Codec / filter names in storage order ("shuffle", "zlib"/"gzip", "fletcher32", "sharding_indexed", ...). */
  readonly codecs: readonly string[];
  /** The stored fill value; undefined when the backdoor cannot read it (h5wasm). */
  readonly fillvalue?: RawValue;
  /** Values in C order, when the backdoor can decode them (numeric data at least). */
  readonly values?: readonly RawValue[];
  /** Stored chunk objects (Zarr keys / allocated HDF5 chunks), when the backdoor can count them. */
  readonly storedChunks?: number;
}

/** A soft or external link as the backdoor reads it. */
export interface RawLink {
  readonly kind: "link";
  /** Absolute path of the target inside its file/store. */
  readonly target: string;
  /** The other file/store for an external link; undefined for a soft link. */
  readonly file?: string;
}

/** What `BackendFixture.peek` finds at a path. */
export type RawNode = RawGroup | RawDataset | RawLink;

/** Another target next to the main one, for external links. */
export interface ExternalTarget {
  /** The name a link in the main target uses for it (relative, as hdmf writes it). */
  readonly source: string;
  /** Open the external target in a creating mode (default "w"). */
  create(mode?: "w" | "w-" | "a"): Promise<HDMFIO>;
}

/**
 * One fresh target (a file, a directory, a bucket prefix, ...) and the means to open it.
 * `create` and `open` may return any HDMFIO: the suite only uses the contract.
 */
export interface BackendFixture {
  readonly capabilities: BackendCapabilities;
  /** Open the fixture's target in a creating mode (default "w"). */
  create(mode?: "w" | "w-" | "a"): Promise<HDMFIO>;
  /** Open the fixture's existing (or missing) target in any mode. */
  open(mode: OpenMode): Promise<HDMFIO>;
  /** A second target next to this one (external links); needed when `externalLinks`. */
  external?(name: string): Promise<ExternalTarget>;
  /**
   * The backdoor: what is stored at `path`, read without the IO under test. Called after
   * the IO that wrote it is closed. Undefined = nothing stored there.
   */
  peek(path: string): Promise<RawNode | undefined>;
  /**
   * The Store under ZarrIO, for the store-level cases (`store.*`): a writable store on this
   * fixture's fresh target, which the case closes. Absent (HDF5) = those cases are unsupported.
   */
  store?(): Promise<Store>;
  /** Remove the target and everything the fixture made; idempotent. */
  destroy(): Promise<void>;
}

/** Makes a fresh fixture for one case. */
export type FixtureFactory = () => Promise<BackendFixture>;

/** What a case's `run` receives. */
export interface CaseContext {
  /** A fresh fixture, destroyed by the runner after the case. */
  readonly fixture: BackendFixture;
}

/** One check of the suite: an id, what it needs, and a `run` that throws on failure. */
export interface ConformanceCase {
  /** Stable id ("dtype.uint64", "mode.r-forbids-write"). */
  readonly id: string;
  /** One line saying what the case checks. */
  readonly title: string;
  /** Capabilities the case needs; any false → the case is reported as unsupported. */
  readonly requires?: readonly CapabilityName[];
  /**
   * A prerequisite of the suite itself (not of the backend), e.g. the NWB container layer:
   * resolves to a reason when missing, and the case is reported unsupported with it.
   */
  available?(): Promise<string | undefined>;
  /** Run the case: resolve to pass; an AssertionError (or any error) fails it; CaseUnsupported reports it unsupported. */
  run(ctx: CaseContext): Promise<void>;
}

/** The outcome of one case; "unsupported" = the backend lacks a capability the case needs. */
export type CaseStatus = "passed" | "failed" | "unsupported";

/** The outcome of one case on one backend. */
export interface CaseResult {
  /** The case's id. */
  readonly id: string;
  /** The case's title. */
  readonly title: string;
  /** Passed, failed or unsupported. */
  readonly status: CaseStatus;
  /** Failure message, or for unsupported the capabilities that were missing. */
  readonly message?: string;
  /** Wall time of the case, fixture creation included. */
  readonly ms: number;
}

/** One failed case in a report. */
export interface ConformanceFailure {
  /** The case's id. */
  readonly case: string;
  /** Why it failed. */
  readonly message: string;
}

/** The result of running the suite on one backend: counts, failures and every case. */
export interface ConformanceReport {
  /** The name given to `runConformance`. */
  readonly backend: string;
  /** Cases passed. */
  readonly passed: number;
  /** Cases failed. */
  readonly failed: number;
  /** Cases skipped for a missing capability or prerequisite. */
  readonly unsupported: number;
  /** The failed cases with their messages. */
  readonly failures: readonly ConformanceFailure[];
  /** Every case run, in order. */
  readonly cases: readonly CaseResult[];
}

/** Every capability on; spread and switch off what a backend lacks. */
export const ALL_CAPABILITIES: BackendCapabilities = {
  resize: true, maxshape: true, softLinks: true, externalLinks: true, references: true, compound: true, compoundStrings: true, compoundReferences: true,
  float16: true, fletcher32: true, fixedStrings: true, sharding: false, reopen: true,
};
