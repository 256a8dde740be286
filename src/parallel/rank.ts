/**
 * Rank and size of this process, from the launcher that started it. No MPI binding: every
 * launcher we support already tells each process who it is through its environment.
 *
 *  launcher                      rank                     size
 *  Open MPI (mpirun)             OMPI_COMM_WORLD_RANK     OMPI_COMM_WORLD_SIZE
 *  MPICH / Intel MPI (Hydra),    PMI_RANK                 PMI_SIZE
 *    srun --mpi=pmi2
 *  Kubernetes indexed Job        JOB_COMPLETION_INDEX     HDMF_TS_WORLD_SIZE (map it to the
 *                                                           Job's spec.completions)
 *  any other launcher            HDMF_TS_RANK             HDMF_TS_WORLD_SIZE
 *  Slurm (srun)                  SLURM_PROCID             SLURM_STEP_NUM_TASKS (or SLURM_NTASKS,
 *                                                           SLURM_NPROCS)
 *
 * Several sources may be present at once and must then agree, except Slurm: `mpirun` inside
 * an `sbatch` allocation inherits the batch step's SLURM_PROCID (0 in every process), so
 * Slurm's variables are used only when no MPI/Kubernetes/hdmf-ts variable is set.
 * Explicit `{rank, size}` wins over the environment. Garbage (not a non-negative integer,
 * rank >= size, a rank without a size) is an InvalidInputError naming the variable.
 *
 * The run id lets barrier markers of this run be told from those a previous run left behind;
 * every rank must compute the same one without talking to the others, so it comes from the
 * launcher's job id (Open MPI/PMIx namespace, Slurm job.step) or HDMF_TS_RUN_ID.
 */
import { InvalidInputError } from "../errors.js";

/** Which launcher's environment gave this process its rank and size ("explicit": the caller's options; "none": a single process). */
export type Launcher = "explicit" | "openmpi" | "pmi" | "kubernetes" | "hdmf-ts" | "slurm" | "none";

/** This process's place in a parallel run. */
export interface World {
  /** This process's index, 0 ≤ rank < size. */
  readonly rank: number;
  /** Number of processes in the run. */
  readonly size: number;
  /** Where rank and size came from. */
  readonly launcher: Launcher;
  /** Same in every rank of one run, different between runs; undefined when unknown. */
  readonly runId: string | undefined;
}

/** Options of {@link detectWorld}: explicit values win over the environment. */
export interface WorldOptions {
  /** This process's rank (give `size` too). */
  rank?: number;
  /** Number of processes. */
  size?: number;
  /** The run id, instead of HDMF_TS_RUN_ID or the launcher's job id. */
  runId?: string;
  /** Defaults to process.env. */
  env?: Readonly<Record<string, string | undefined>>;
}

/** The variable that sets this process's rank under a launcher we do not detect. */
export const RANK_ENV = "HDMF_TS_RANK";
/** The variable that sets the number of ranks (also for Kubernetes indexed Jobs). */
export const WORLD_SIZE_ENV = "HDMF_TS_WORLD_SIZE";
/** The variable that sets the run id every rank shares (barrier markers of other runs are ignored). */
export const RUN_ID_ENV = "HDMF_TS_RUN_ID";

type Env = Readonly<Record<string, string | undefined>>;

interface Source {
  launcher: Exclude<Launcher, "explicit" | "none">;
  rankVar: string;
  sizeVar: string;
  rank: number;
  size: number;
}

/** Parse one variable as a non-negative integer; InvalidInputError naming it otherwise. */
function intVar(env: Env, name: string): number | undefined {
  const raw = env[name];
  if (raw === undefined) return undefined;
  const text = raw.trim();
  if (!/^\d+$/.test(text) || !Number.isSafeInteger(Number(text))) {
    throw new InvalidInputError(`environment variable ${name}=${JSON.stringify(raw)} is not a non-negative integer`, { option: name });
  }
  return Number(text);
}

function pair(env: Env, launcher: Source["launcher"], rankVar: string, sizeVars: readonly string[]): Source | undefined {
  const rank = intVar(env, rankVar);
  if (rank === undefined) return undefined;
  const sizeVar = sizeVars.find((v) => env[v] !== undefined);
  if (sizeVar === undefined) {
    throw new InvalidInputError(`${rankVar} is set but ${sizeVars.join(" / ")} is not: cannot tell the number of ranks`, { option: sizeVars[0] });
  }
  const size = intVar(env, sizeVar)!;
  checkRankSize(rank, size, rankVar, sizeVar);
  return { launcher, rankVar, sizeVar, rank, size };
}

function checkRankSize(rank: number, size: number, rankName: string, sizeName: string): void {
  if (size < 1) throw new InvalidInputError(`${sizeName}=${size}: the number of ranks must be at least 1`, { option: sizeName });
  if (rank >= size) throw new InvalidInputError(`${rankName}=${rank} is not below ${sizeName}=${size}`, { option: rankName });
}

/** Every rank/size source present in `env`, in precedence order (Slurm last). */
function launcherSources(env: Env): Source[] {
  const out: Source[] = [];
  const ompi = pair(env, "openmpi", "OMPI_COMM_WORLD_RANK", ["OMPI_COMM_WORLD_SIZE"]);
  if (ompi) out.push(ompi);
  else if (env.OMPI_COMM_WORLD_SIZE !== undefined) {
    throw new InvalidInputError("OMPI_COMM_WORLD_SIZE is set but OMPI_COMM_WORLD_RANK is not", { option: "OMPI_COMM_WORLD_RANK" });
  }
  const pmi = pair(env, "pmi", "PMI_RANK", ["PMI_SIZE"]);
  if (pmi) out.push(pmi);
  else if (env.PMI_SIZE !== undefined) throw new InvalidInputError("PMI_SIZE is set but PMI_RANK is not", { option: "PMI_RANK" });
  const own = pair(env, "hdmf-ts", RANK_ENV, [WORLD_SIZE_ENV]);
  if (own) out.push(own);
  const k8s = pair(env, "kubernetes", "JOB_COMPLETION_INDEX", [WORLD_SIZE_ENV]);
  if (k8s) out.push(k8s);
  // srun sets the step's task count; SLURM_NTASKS / SLURM_NPROCS are the older spellings.
  const slurm = pair(env, "slurm", "SLURM_PROCID", ["SLURM_STEP_NUM_TASKS", "SLURM_NTASKS", "SLURM_NPROCS"]);
  if (slurm) out.push(slurm);
  return out;
}

/**
 * This process's rank and size. Explicit values win; then the launcher's environment;
 * with nothing set, a single process (rank 0 of 1).
 */
export function detectWorld(options: WorldOptions = {}): World {
  const env: Env = options.env ?? process.env;
  const runIdOption = options.runId !== undefined ? checkRunId(options.runId, "runId") : undefined;
  if (options.rank !== undefined || options.size !== undefined) {
    const { rank, size } = options;
    if (rank === undefined || size === undefined) {
      throw new InvalidInputError("give both rank and size, or neither", { option: rank === undefined ? "rank" : "size" });
    }
    for (const [name, v] of [["rank", rank], ["size", size]] as const) {
      if (!Number.isSafeInteger(v) || v < 0) throw new InvalidInputError(`${name} must be a non-negative integer, got ${v}`, { option: name });
    }
    checkRankSize(rank, size, "rank", "size");
    return { rank, size, launcher: "explicit", runId: runIdOption ?? runIdFromEnv(env, "explicit") };
  }
  const sources = launcherSources(env);
  const primary = sources.filter((s) => s.launcher !== "slurm");
  const chosen = primary[0] ?? sources[0];
  if (!chosen) {
    const size = intVar(env, WORLD_SIZE_ENV);
    if (size !== undefined && size !== 1) {
      throw new InvalidInputError(`${WORLD_SIZE_ENV}=${size} is set but no rank variable is (${RANK_ENV} or JOB_COMPLETION_INDEX)`, { option: RANK_ENV });
    }
    return { rank: 0, size: 1, launcher: "none", runId: runIdOption ?? runIdFromEnv(env, "none") };
  }
  for (const other of primary) {
    if (other.rank !== chosen.rank) {
      throw new InvalidInputError(`${other.rankVar}=${other.rank} contradicts ${chosen.rankVar}=${chosen.rank}`, { option: other.rankVar });
    }
    if (other.size !== chosen.size) {
      throw new InvalidInputError(`${other.sizeVar}=${other.size} contradicts ${chosen.sizeVar}=${chosen.size}`, { option: other.sizeVar });
    }
  }
  // HDMF_TS_WORLD_SIZE next to mpirun's variables is a statement about the run: hold it to it.
  const declared = intVar(env, WORLD_SIZE_ENV);
  if (declared !== undefined && declared !== chosen.size) {
    throw new InvalidInputError(`${WORLD_SIZE_ENV}=${declared} contradicts ${chosen.sizeVar}=${chosen.size}`, { option: WORLD_SIZE_ENV });
  }
  return { rank: chosen.rank, size: chosen.size, launcher: chosen.launcher, runId: runIdOption ?? runIdFromEnv(env, chosen.launcher) };
}

function checkRunId(id: string, name: string): string {
  if (typeof id !== "string" || id.trim() === "" || id.length > 256 || /[\0\n\r]/.test(id)) {
    throw new InvalidInputError(`${name} must be a non-empty single-line string of at most 256 characters, got ${JSON.stringify(id)}`, { option: name });
  }
  return id;
}

/**
 * The run id every rank of this launch shares: HDMF_TS_RUN_ID, else the launcher's job id.
 * Kubernetes gives pods no job id in the environment: map the Job's
 * `metadata.labels['batch.kubernetes.io/controller-uid']` to HDMF_TS_RUN_ID (docs/notes/parallel.md).
 */
function runIdFromEnv(env: Env, launcher: Launcher): string | undefined {
  if (env[RUN_ID_ENV] !== undefined) return checkRunId(env[RUN_ID_ENV]!, RUN_ID_ENV);
  const slurm = env.SLURM_JOB_ID !== undefined ? `slurm-${env.SLURM_JOB_ID}.${env.SLURM_STEP_ID ?? "batch"}` : undefined;
  const pmix = env.PMIX_NAMESPACE !== undefined ? `pmix-${env.PMIX_NAMESPACE}` : undefined;
  switch (launcher) {
    case "openmpi":
      // Open MPI 4 and 5 both set the PMIx namespace; 4.x also the ess job id.
      return pmix ?? (env.OMPI_MCA_ess_base_jobid !== undefined ? `ompi-${env.OMPI_MCA_ess_base_jobid}` : undefined);
    case "pmi":
    case "slurm":
      return pmix ?? slurm;
    default:
      return undefined;
  }
}
