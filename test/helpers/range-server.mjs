// A small range-capable HTTP server for the remote tests and bench (Python's http.server has no
// Range). Runs as its own process, so a client thread blocked in Atomics.wait cannot starve it.
//
//   node test/helpers/range-server.mjs ROOT [--latency MS] [--tls CERT.pem KEY.pem]
//
// prints {"port": N} on stdout once listening on 127.0.0.1 (a free port). URLs are
// /<mode>/<path under ROOT>; modes:
//   ok        range GETs (206 + Content-Range), HEAD, 404 for missing files, an HTML index
//             of links for a directory URL ending in "/" (like nginx autoindex)
//   noindex   like ok, without directory index pages (like S3 or a CDN)
//   norange   ignores Range: 200 with the whole body
//   truncate  announces the full length, sends half, cuts the connection
//   badrange  206 whose Content-Range starts one byte later than asked
//   html      every path answers an HTML page (200, text/html, range-capable)
//   flaky     the first 2 requests for each path answer 503, then like ok
//   redirect  302 to /ok/<path> (as DANDI redirects to S3)
//   hang      accepts and never answers
//   auth      like ok, but 401 without the header "authorization: Bearer test-token"
//   dies      the first 2 requests for each path like ok, then 500 forever (fails after open)
//   gzip      like ok, but compresses on the fly for a client that accepts gzip, as nginx's
//             `gzip on` does: 200 with the whole body gzipped (Range ignored), Content-Length of
//             the compressed bytes; a client asking for identity gets plain range answers
// GET /__stats gives {"requests", "bytes"}; GET /__reset zeroes them. --latency delays every answer.
import { createServer as createHttp } from "node:http";
import { createServer as createHttps } from "node:https";
import { readFileSync } from "node:fs";
import { open, readdir, stat } from "node:fs/promises";
import { join, normalize, sep } from "node:path";
import { gzipSync } from "node:zlib";

const root = process.argv[2];
const li = process.argv.indexOf("--latency");
const latency = li > 0 ? Number(process.argv[li + 1]) : 0;
const ti = process.argv.indexOf("--tls");
const tls = ti > 0 ? { cert: readFileSync(process.argv[ti + 1]), key: readFileSync(process.argv[ti + 2]) } : undefined;
const createServer = (handler) => (tls ? createHttps(tls, handler) : createHttp(handler));
let requests = 0, bytes = 0;
const flakyCount = new Map();
const HTML = Buffer.from("<!DOCTYPE html><html><head><title>Sign in</title></head><body>Please sign in.</body></html>\n".repeat(40));

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function parseRange(h, size) {
  const m = /^bytes=(\d*)-(\d*)$/.exec(h ?? "");
  if (!m) return undefined;
  if (m[1] === "") return { start: Math.max(0, size - Number(m[2])), end: size };
  const start = Number(m[1]);
  const end = m[2] === "" ? size : Math.min(size, Number(m[2]) + 1);
  return { start, end };
}

async function body(path, start, end) {
  const fh = await open(path, "r");
  try {
    const buf = Buffer.alloc(end - start);
    let done = 0;
    while (done < buf.length) {
      const { bytesRead } = await fh.read(buf, done, buf.length - done, start + done);
      if (bytesRead === 0) break;
      done += bytesRead;
    }
    return buf.subarray(0, done);
  } finally {
    await fh.close();
  }
}

const server = createServer(async (req, res) => {
  const url = new URL(req.url, "http://x");
  if (url.pathname === "/__stats") { res.end(JSON.stringify({ requests, bytes })); return; }
  if (url.pathname === "/__reset") { requests = 0; bytes = 0; flakyCount.clear(); res.end("{}"); return; }
  requests++;
  if (latency) await sleep(latency);
  const [, mode, ...rest] = decodeURIComponent(url.pathname).split("/");
  const rel = rest.join("/");
  if (mode === "hang") return; // never answers (the client's timeout must fire)
  if (mode === "redirect") { res.writeHead(302, { location: `/ok/${rest.map(encodeURIComponent).join("/")}` }); res.end(); return; }
  if (mode === "auth" && req.headers.authorization !== "Bearer test-token") { res.writeHead(401, { "www-authenticate": "Bearer" }); res.end("no"); return; }
  if (mode === "dies") {
    const n = (flakyCount.get(`dies:${rel}`) ?? 0) + 1;
    flakyCount.set(`dies:${rel}`, n);
    if (n > 2) { res.writeHead(500); res.end("gone"); return; }
  }
  if (mode === "flaky") {
    const n = (flakyCount.get(rel) ?? 0) + 1;
    flakyCount.set(rel, n);
    if (n <= 2) { res.writeHead(503); res.end("busy"); return; }
  }
  let data;
  let size;
  let type = "application/octet-stream";
  const path = normalize(join(root, rel));
  if (mode === "html") {
    size = HTML.length;
    type = "text/html; charset=utf-8";
  } else {
    if (!path.startsWith(normalize(root) + sep) && path !== normalize(root)) { res.writeHead(403); res.end(); return; }
    const st = await stat(path).catch(() => undefined);
    if (st?.isDirectory() && url.pathname.endsWith("/") && (mode === "ok" || mode === "gzip")) {
      const items = await readdir(path, { withFileTypes: true });
      const links = items.map((e) => { const n = e.name + (e.isDirectory() ? "/" : ""); return `<a href="${encodeURIComponent(e.name)}${e.isDirectory() ? "/" : ""}">${n}</a>`; });
      res.writeHead(200, { "content-type": "text/html" });
      res.end(`<html><body><a href="../">../</a>\n${links.join("\n")}</body></html>`);
      return;
    }
    if (!st || !st.isFile()) { res.writeHead(404, { "content-type": "text/plain" }); res.end("not found"); return; }
    size = st.size;
  }
  const read = (s, e) => (mode === "html" ? Promise.resolve(HTML.subarray(s, e)) : body(path, s, e));
  const range = mode === "norange" ? undefined : parseRange(req.headers.range, size);
  if (mode === "gzip" && /\bgzip\b/.test(req.headers["accept-encoding"] ?? "") && req.method !== "HEAD") {
    const gz = gzipSync(await read(0, size));
    bytes += gz.length;
    res.writeHead(200, { "content-length": gz.length, "content-type": type, "content-encoding": "gzip", vary: "Accept-Encoding" });
    res.end(gz);
    return;
  }
  if (req.method === "HEAD") { res.writeHead(200, { "content-length": size, "accept-ranges": "bytes", "content-type": type }); res.end(); return; }
  if (!range) {
    const all = await read(0, size);
    bytes += all.length;
    res.writeHead(200, { "content-length": all.length, "content-type": type });
    res.end(all);
    return;
  }
  if (range.start >= size) { res.writeHead(416, { "content-range": `bytes */${size}` }); res.end(); return; }
  const chunk = await read(range.start, range.end);
  const shift = mode === "badrange" ? 1 : 0;
  const headers = {
    "content-range": `bytes ${range.start + shift}-${range.end - 1 + shift}/${size}`,
    "content-length": chunk.length, "content-type": type, "accept-ranges": "bytes",
  };
  if (mode === "truncate" && chunk.length > 1) {
    res.writeHead(206, headers);
    res.write(chunk.subarray(0, chunk.length >> 1));
    bytes += chunk.length >> 1;
    setTimeout(() => res.socket?.destroy(), 5);
    return;
  }
  bytes += chunk.length;
  res.writeHead(206, headers);
  res.end(chunk);
});
server.keepAliveTimeout = 30_000;
server.listen(0, "127.0.0.1", () => {
  process.stdout.write(`${JSON.stringify({ port: server.address().port })}\n`);
});
process.on("SIGTERM", () => { server.close(() => process.exit(0)); server.closeAllConnections(); });
