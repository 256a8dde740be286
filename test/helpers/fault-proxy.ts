/**
 * A small HTTP proxy for fault injection in front of an S3 endpoint (moto). For a fraction
 * of requests (chosen by a seeded RNG, so a run is reproducible for a given request order)
 * it answers 500 or 503, stalls past the client's timeout, resets the connection, or cuts a
 * response body short; everything else is forwarded unchanged. It counts what it injected.
 */
import http from "node:http";
import type { AddressInfo } from "node:net";
import { seededRandom } from "./random.js";

export type FaultKind = "500" | "503" | "delay" | "reset" | "truncate";

export interface FaultProxyOptions {
  /** Where to forward, e.g. moto's endpoint. */
  target: string;
  /** Fraction of requests to fault (0..1). */
  rate: number;
  seed?: number;
  /** Which faults, equally likely (default all five). */
  kinds?: readonly FaultKind[];
  /** How long a "delay" fault stalls before dropping the connection (ms). */
  delayMs?: number;
  /** Always fault requests for which this holds (e.g. one key), regardless of `rate`. */
  always?: (req: http.IncomingMessage) => FaultKind | undefined;
}

export interface FaultProxy {
  readonly endpoint: string;
  readonly stats: {
    requests: number; forwarded: number; faults: Record<FaultKind, number>; totalFaults: () => number;
    /** Requests open right now, and the most ever open at once (by method). */
    active: number; maxActive: Record<string, number>;
  };
  setRate(rate: number): void;
  stop(): Promise<void>;
}


const errorXml = (code: string) =>
  `<?xml version="1.0" encoding="UTF-8"?><Error><Code>${code}</Code><Message>injected by fault proxy</Message></Error>`;

export async function startFaultProxy(options: FaultProxyOptions): Promise<FaultProxy> {
  const target = new URL(options.target);
  const random = seededRandom(options.seed ?? 1);
  const kinds = options.kinds ?? ["500", "503", "delay", "reset", "truncate"];
  const delayMs = options.delayMs ?? 3000;
  let rate = options.rate;
  const faults: Record<FaultKind, number> = { "500": 0, "503": 0, delay: 0, reset: 0, truncate: 0 };
  const stats = {
    requests: 0, forwarded: 0, faults, totalFaults: () => Object.values(faults).reduce((a, b) => a + b, 0),
    active: 0, maxActive: {} as Record<string, number>,
  };
  const activeBy: Record<string, number> = {};
  const timers = new Set<NodeJS.Timeout>();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });

  const forward = (req: http.IncomingMessage, res: http.ServerResponse, truncate: boolean): void => {
    const up = http.request({
      host: target.hostname, port: target.port, method: req.method, path: req.url, headers: req.headers, agent,
    }, (upRes) => {
      res.writeHead(upRes.statusCode ?? 502, upRes.headers);
      const len = Number(upRes.headers["content-length"] ?? 0);
      if (truncate && len > 1) {
        // Send half the body under the full Content-Length, then drop the connection.
        let sent = 0;
        upRes.on("data", (d: Buffer) => {
          const room = Math.floor(len / 2) - sent;
          if (room > 0) { res.write(d.subarray(0, room)); sent += Math.min(room, d.length); }
          if (sent >= Math.floor(len / 2)) { upRes.destroy(); res.socket?.destroy(); }
        });
      } else {
        upRes.pipe(res);
      }
    });
    up.on("error", () => res.socket?.destroy());
    req.pipe(up);
  };

  const server = http.createServer((req, res) => {
    stats.requests++;
    const method = req.method ?? "?";
    stats.active++;
    activeBy[method] = (activeBy[method] ?? 0) + 1;
    stats.maxActive[method] = Math.max(stats.maxActive[method] ?? 0, activeBy[method]);
    let open = true;
    const done = () => { if (open) { open = false; stats.active--; activeBy[method]--; } };
    res.once("close", done); // also fires when the connection is destroyed
    const forced = options.always?.(req);
    const kind = forced ?? (random() < rate ? kinds[Math.floor(random() * kinds.length)] : undefined);
    // A truncated body only makes sense on a response that has one; otherwise reset.
    const fault: FaultKind | undefined = kind === "truncate" && req.method !== "GET" ? "reset" : kind;
    if (fault === undefined) { stats.forwarded++; forward(req, res, false); return; }
    faults[fault]++;
    switch (fault) {
      case "500":
      case "503": {
        req.resume();
        const body = errorXml(fault === "500" ? "InternalError" : "ServiceUnavailable");
        res.writeHead(Number(fault), { "content-type": "application/xml", "content-length": Buffer.byteLength(body), connection: "close" });
        res.end(body);
        return;
      }
      case "delay": {
        req.resume();
        const t = setTimeout(() => { timers.delete(t); req.socket.destroy(); }, delayMs);
        timers.add(t);
        return;
      }
      case "reset":
        req.socket.destroy();
        return;
      case "truncate":
        forward(req, res, true);
        return;
    }
  });
  await new Promise<void>((r) => server.listen(0, "127.0.0.1", r));
  const { port } = server.address() as AddressInfo;
  return {
    endpoint: `http://127.0.0.1:${port}`,
    stats,
    setRate(r: number) { rate = r; },
    async stop() {
      for (const t of timers) clearTimeout(t);
      server.closeAllConnections();
      await new Promise<void>((r) => server.close(() => r()));
      agent.destroy();
    },
  };
}
