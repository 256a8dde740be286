/**
 * Start test/helpers/range-server.mjs (its own process: a test thread blocked in Atomics.wait
 * cannot starve it) on a free 127.0.0.1 port; stop it by pid.
 *
 *   const srv = await startRangeServer(dir, { latencyMs: 20 });
 *   srv.url("ok", "file.nwb")  // http://127.0.0.1:PORT/ok/file.nwb
 *   await srv.stop();
 */
import { spawn } from "node:child_process";
import { fileURLToPath } from "node:url";

export type ServeMode = "ok" | "noindex" | "norange" | "truncate" | "badrange" | "html" | "flaky" | "redirect" | "hang" | "dies" | "gzip" | "auth";

export interface RangeServer {
  readonly port: number;
  readonly pid: number;
  url(mode: ServeMode, rel: string): string;
  stats(): Promise<{ requests: number; bytes: number }>;
  reset(): Promise<void>;
  stop(): Promise<void>;
}

const SCRIPT = fileURLToPath(new URL("./range-server.mjs", import.meta.url));

export async function startRangeServer(root: string, options: { latencyMs?: number; tls?: { cert: string; key: string } } = {}): Promise<RangeServer> {
  const args = [SCRIPT, root, ...(options.latencyMs ? ["--latency", String(options.latencyMs)] : []), ...(options.tls ? ["--tls", options.tls.cert, options.tls.key] : [])];
  const child = spawn(process.execPath, args, { stdio: ["ignore", "pipe", "inherit"] });
  const port = await new Promise<number>((resolve, reject) => {
    let buf = "";
    const t = setTimeout(() => reject(new Error("range server did not start in 10 s")), 10_000);
    child.stdout!.on("data", (d: Buffer) => {
      buf += d.toString();
      const nl = buf.indexOf("\n");
      if (nl >= 0) { clearTimeout(t); resolve((JSON.parse(buf.slice(0, nl)) as { port: number }).port); }
    });
    child.once("exit", (code) => { clearTimeout(t); reject(new Error(`range server exited with ${code}`)); });
  });
  const base = `${options.tls ? "https" : "http"}://127.0.0.1:${port}`;
  let stopped: Promise<void> | undefined;
  return {
    port, pid: child.pid!,
    url: (mode, rel) => `${base}/${mode}/${rel.split("/").map(encodeURIComponent).join("/")}`,
    // (over TLS the test process may not trust the certificate: only the child processes under test do)
    stats: async () => (await (await fetch(`${base}/__stats`)).json()) as { requests: number; bytes: number },
    reset: async () => { await (await fetch(`${base}/__reset`)).text(); },
    stop: () => (stopped ??= new Promise<void>((resolve) => {
      if (child.exitCode !== null) return resolve();
      child.once("exit", () => resolve());
      process.kill(child.pid!, "SIGTERM");
      setTimeout(() => { if (child.exitCode === null) process.kill(child.pid!, "SIGKILL"); }, 3000).unref();
    })),
  };
}
