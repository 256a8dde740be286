import { describe, expect, it } from "vitest";
import { InvalidInputError } from "../../src/errors.js";
import { detectWorld } from "../../src/parallel/rank.js";

type Env = Record<string, string>;
const world = (env: Env, extra: Parameters<typeof detectWorld>[0] = {}) => detectWorld({ env, ...extra });

function invalid(env: Env, variable: string, extra: Parameters<typeof detectWorld>[0] = {}): void {
  let err: unknown;
  try { world(env, extra); } catch (e) { err = e; }
  expect(err).toBeInstanceOf(InvalidInputError);
  expect((err as InvalidInputError).option).toBe(variable);
  expect((err as Error).message).toContain(variable);
}

describe("detectWorld: launchers", () => {
  it("Open MPI (mpirun) with its job id as run id", () => {
    const w = world({ OMPI_COMM_WORLD_RANK: "2", OMPI_COMM_WORLD_SIZE: "4", OMPI_MCA_ess_base_jobid: "1234" });
    expect(w).toEqual({ rank: 2, size: 4, launcher: "openmpi", runId: "ompi-1234" });
    expect(world({ OMPI_COMM_WORLD_RANK: "0", OMPI_COMM_WORLD_SIZE: "1", PMIX_NAMESPACE: "99", OMPI_MCA_ess_base_jobid: "1" }).runId).toBe("pmix-99");
  });

  it("MPICH / Hydra PMI", () => {
    expect(world({ PMI_RANK: "1", PMI_SIZE: "3" })).toMatchObject({ rank: 1, size: 3, launcher: "pmi", runId: undefined });
    // srun --mpi=pmi2 sets both PMI and Slurm variables, consistently.
    expect(world({ PMI_RANK: "1", PMI_SIZE: "3", SLURM_PROCID: "1", SLURM_NTASKS: "3", SLURM_JOB_ID: "77", SLURM_STEP_ID: "0" }))
      .toEqual({ rank: 1, size: 3, launcher: "pmi", runId: "slurm-77.0" });
  });

  it("Slurm srun, SLURM_NPROCS as the older size variable", () => {
    expect(world({ SLURM_PROCID: "3", SLURM_NTASKS: "4", SLURM_JOB_ID: "5", SLURM_STEP_ID: "2" }))
      .toEqual({ rank: 3, size: 4, launcher: "slurm", runId: "slurm-5.2" });
    expect(world({ SLURM_PROCID: "0", SLURM_NPROCS: "2" })).toMatchObject({ rank: 0, size: 2, launcher: "slurm" });
    expect(world({ SLURM_PROCID: "1", SLURM_STEP_NUM_TASKS: "2", SLURM_NTASKS: "2" })).toMatchObject({ rank: 1, size: 2 });
  });

  it("mpirun inside an sbatch allocation: Open MPI wins over the inherited SLURM_PROCID", () => {
    const w = world({ OMPI_COMM_WORLD_RANK: "3", OMPI_COMM_WORLD_SIZE: "4", SLURM_PROCID: "0", SLURM_NTASKS: "4", SLURM_JOB_ID: "8" });
    expect(w).toMatchObject({ rank: 3, size: 4, launcher: "openmpi" });
  });

  it("Kubernetes indexed Job: JOB_COMPLETION_INDEX + HDMF_TS_WORLD_SIZE, run id from HDMF_TS_RUN_ID", () => {
    expect(world({ JOB_COMPLETION_INDEX: "5", HDMF_TS_WORLD_SIZE: "8", HDMF_TS_RUN_ID: "uid-1" }))
      .toEqual({ rank: 5, size: 8, launcher: "kubernetes", runId: "uid-1" });
  });

  it("generic HDMF_TS_RANK / HDMF_TS_WORLD_SIZE", () => {
    expect(world({ HDMF_TS_RANK: "0", HDMF_TS_WORLD_SIZE: "2" })).toMatchObject({ rank: 0, size: 2, launcher: "hdmf-ts" });
  });

  it("nothing set: one process", () => {
    expect(world({})).toEqual({ rank: 0, size: 1, launcher: "none", runId: undefined });
    expect(world({ HDMF_TS_WORLD_SIZE: "1" })).toMatchObject({ rank: 0, size: 1 });
  });

  it("explicit rank/size win over the environment", () => {
    expect(world({ OMPI_COMM_WORLD_RANK: "1", OMPI_COMM_WORLD_SIZE: "2" }, { rank: 3, size: 5, runId: "r" }))
      .toEqual({ rank: 3, size: 5, launcher: "explicit", runId: "r" });
  });
});

describe("detectWorld: garbage and contradictions name the variable", () => {
  it.each([
    [{ OMPI_COMM_WORLD_RANK: "two", OMPI_COMM_WORLD_SIZE: "4" }, "OMPI_COMM_WORLD_RANK"],
    [{ OMPI_COMM_WORLD_RANK: "1", OMPI_COMM_WORLD_SIZE: "-4" }, "OMPI_COMM_WORLD_SIZE"],
    [{ OMPI_COMM_WORLD_RANK: "1" }, "OMPI_COMM_WORLD_SIZE"],
    [{ OMPI_COMM_WORLD_SIZE: "4" }, "OMPI_COMM_WORLD_RANK"],
    [{ PMI_RANK: "4", PMI_SIZE: "4" }, "PMI_RANK"],
    [{ PMI_RANK: "0", PMI_SIZE: "0" }, "PMI_SIZE"],
    [{ PMI_SIZE: "2" }, "PMI_RANK"],
    [{ SLURM_PROCID: "1.5", SLURM_NTASKS: "4" }, "SLURM_PROCID"],
    [{ SLURM_PROCID: "1" }, "SLURM_STEP_NUM_TASKS"],
    [{ JOB_COMPLETION_INDEX: "2" }, "HDMF_TS_WORLD_SIZE"],
    [{ JOB_COMPLETION_INDEX: "2", HDMF_TS_WORLD_SIZE: "2" }, "JOB_COMPLETION_INDEX"],
    [{ HDMF_TS_WORLD_SIZE: "4" }, "HDMF_TS_RANK"],
    [{ HDMF_TS_WORLD_SIZE: "" }, "HDMF_TS_WORLD_SIZE"],
    [{ OMPI_COMM_WORLD_RANK: "1", OMPI_COMM_WORLD_SIZE: "4", PMI_RANK: "2", PMI_SIZE: "4" }, "PMI_RANK"],
    [{ OMPI_COMM_WORLD_RANK: "1", OMPI_COMM_WORLD_SIZE: "4", PMI_RANK: "1", PMI_SIZE: "5" }, "PMI_SIZE"],
    [{ OMPI_COMM_WORLD_RANK: "1", OMPI_COMM_WORLD_SIZE: "4", HDMF_TS_WORLD_SIZE: "3" }, "HDMF_TS_WORLD_SIZE"],
    [{ HDMF_TS_RANK: "1", JOB_COMPLETION_INDEX: "2", HDMF_TS_WORLD_SIZE: "4" }, "JOB_COMPLETION_INDEX"],
    [{ OMPI_COMM_WORLD_RANK: "0", OMPI_COMM_WORLD_SIZE: "1", HDMF_TS_RUN_ID: "" }, "HDMF_TS_RUN_ID"],
  ])("%j -> %s", (env, variable) => invalid(env as Env, variable));

  it("explicit values are checked too", () => {
    invalid({}, "size", { rank: 1 });
    invalid({}, "rank", { rank: 2, size: 2 });
    invalid({}, "rank", { rank: -1, size: 2 });
    invalid({}, "size", { rank: 0, size: 1.5 });
  });
});
