/**
 * Start a local S3 server (moto_server) for `hdmf-ts conformance --backend s3` when no
 * endpoint is given: a free 127.0.0.1 port, its own process group, a bucket, and stop() by
 * pid (an exit hook kills it if the process dies first). Same logic as test/helpers/moto.ts.
 */
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";
import { StoreError } from "../errors.js";

export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;

export interface MotoServer {
  readonly endpoint: string;
  readonly bucket: string;
  readonly pid: number;
  stop(): Promise<void>;
}

/** A free TCP port on 127.0.0.1 (bind port 0, read it, release it). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const addr = srv.address();
      const port = typeof addr === "object" && addr ? addr.port : 0;
      srv.close(() => resolve(port));
    });
  });
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { /* gone */ }
}

export async function startMotoServer(options: { bucket?: string; bin?: string; timeoutMs?: number } = {}): Promise<MotoServer> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const bin = options.bin ?? process.env.MOTO_SERVER ?? "moto_server";
  const child = spawn(bin, ["-H", "127.0.0.1", "-p", String(port)], {
    detached: true, stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
  });
  let stderr = "";
  let spawnError: Error | undefined;
  child.on("error", (e) => { spawnError = e; });
  child.stderr?.on("data", (d: Buffer) => { stderr = (stderr + d.toString()).slice(-2000); });
  const exited = new Promise<void>((r) => child.once("exit", () => r()).once("error", () => r()));
  const pid = child.pid;
  const onExit = () => { if (pid) killGroup(pid, "SIGKILL"); };
  process.once("exit", onExit);
  const client = new S3Client({
    endpoint, region: "us-east-1", forcePathStyle: true, credentials: MOTO_CREDENTIALS,
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
  });
  const stop = async (): Promise<void> => {
    process.removeListener("exit", onExit);
    if (pid && child.exitCode === null && child.signalCode === null) {
      killGroup(pid, "SIGTERM");
      const t = setTimeout(() => killGroup(pid, "SIGKILL"), 5000);
      await exited;
      clearTimeout(t);
    }
    if (pid) killGroup(pid, "SIGKILL");
    client.destroy();
  };
  const deadline = Date.now() + (options.timeoutMs ?? 30_000);
  for (;;) {
    if (spawnError || child.exitCode !== null || pid === undefined) {
      await stop();
      throw new StoreError(`could not start ${bin} (${spawnError?.message ?? `exit code ${child.exitCode}`}); give --endpoint or put moto_server on PATH. ${stderr}`, { op: "open", key: endpoint, cause: spawnError });
    }
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      break;
    } catch {
      if (Date.now() > deadline) { await stop(); throw new StoreError(`${bin} did not answer at ${endpoint}`, { op: "open", key: endpoint }); }
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  const bucket = options.bucket ?? "hdmf-conformance";
  await client.send(new CreateBucketCommand({ Bucket: bucket }));
  return { endpoint, bucket, pid: pid!, stop };
}
