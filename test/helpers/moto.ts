/**
 * Start a local moto_server (the pyenv Python's, on PATH) on a free 127.0.0.1 port, wait
 * until it answers, create a bucket, and stop it by pid. The server runs in its own process
 * group so stop() also reaps anything the pyenv shim started; an exit hook kills it if the
 * test process dies without calling stop().
 *
 *   let moto: Moto;
 *   beforeAll(async () => { moto = await startMoto(); });
 *   afterAll(async () => { await moto?.stop(); });
 */
import { spawn, type ChildProcess } from "node:child_process";
import { createServer } from "node:net";
import { CreateBucketCommand, S3Client } from "@aws-sdk/client-s3";

export const MOTO_CREDENTIALS = { accessKeyId: "testing", secretAccessKey: "testing" } as const;
export const MOTO_REGION = "us-east-1";

export interface Moto {
  readonly endpoint: string;
  readonly bucket: string;
  readonly pid: number;
  /** A client with dummy credentials, for backdoor reads and writes. */
  readonly client: S3Client;
  createBucket(name: string): Promise<void>;
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

export function motoClient(endpoint: string): S3Client {
  return new S3Client({
    endpoint, region: MOTO_REGION, forcePathStyle: true, credentials: MOTO_CREDENTIALS,
    requestChecksumCalculation: "WHEN_REQUIRED", responseChecksumValidation: "WHEN_REQUIRED",
  });
}

async function waitUntilAnswering(endpoint: string, child: ChildProcess, timeoutMs: number): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`moto_server exited early with code ${child.exitCode}`);
    try {
      const res = await fetch(`${endpoint}/moto-api/`, { signal: AbortSignal.timeout(1000) });
      await res.arrayBuffer();
      return;
    } catch {
      if (Date.now() > deadline) throw new Error(`moto_server did not answer at ${endpoint} within ${timeoutMs} ms`);
      await new Promise((r) => setTimeout(r, 100));
    }
  }
}

function killGroup(pid: number, signal: NodeJS.Signals): void {
  try { process.kill(-pid, signal); } catch { /* already gone */ }
}

export async function startMoto(options: { bucket?: string; bin?: string } = {}): Promise<Moto> {
  const port = await freePort();
  const endpoint = `http://127.0.0.1:${port}`;
  const child = spawn(options.bin ?? "moto_server", ["-H", "127.0.0.1", "-p", String(port)], {
    detached: true, // own process group: stop() signals the group by its id
    stdio: ["ignore", "ignore", "pipe"],
    env: { ...process.env, AWS_ACCESS_KEY_ID: "testing", AWS_SECRET_ACCESS_KEY: "testing" },
  });
  let stderr = "";
  child.stderr?.on("data", (d: Buffer) => { stderr = (stderr + d.toString()).slice(-4000); });
  const pid = child.pid;
  if (pid === undefined) throw new Error("moto_server did not start (no pid)");
  const exited = new Promise<void>((r) => child.once("exit", () => r()));
  const onExit = () => killGroup(pid, "SIGKILL");
  process.once("exit", onExit);

  let stopped: Promise<void> | undefined;
  const stop = (): Promise<void> => (stopped ??= doStop());
  const doStop = async (): Promise<void> => {
    process.removeListener("exit", onExit);
    if (child.exitCode === null && child.signalCode === null) {
      killGroup(pid, "SIGTERM");
      const timer = setTimeout(() => killGroup(pid, "SIGKILL"), 5000);
      await exited;
      clearTimeout(timer);
    }
    killGroup(pid, "SIGKILL"); // anything the shim left in the group (once: the id may be reused later)
    client.destroy();
  };

  const client = motoClient(endpoint);
  try {
    await waitUntilAnswering(endpoint, child, 30_000);
    const bucket = options.bucket ?? "hdmf-test";
    await client.send(new CreateBucketCommand({ Bucket: bucket }));
    return {
      endpoint, bucket, pid, client, stop,
      async createBucket(name: string) { await client.send(new CreateBucketCommand({ Bucket: name })); },
    };
  } catch (e) {
    await stop();
    throw new Error(`${(e as Error).message}\n${stderr}`, { cause: e });
  }
}
