#!/usr/bin/env node
// The production server: the built Next.js app behind a plain Node HTTP server, so that
// - the client's address is worked out once, trusting X-Forwarded-For only from TRUST_PROXY proxies;
// - every request has an id (X-Request-Id in and out) and every log line of it is JSON carrying that id
//   (lib/log.ts), plus one access line per request;
// - SIGTERM drains: /api/ready turns 503, the listener stops accepting, idle keep-alive connections
//   close, requests in flight finish (up to SHUTDOWN_TIMEOUT_MS, default 25 s), then the database pool
//   and the in-process jobs stop and the process exits 0.
//   node scripts/server.mjs [--port 3000] [--hostname 0.0.0.0]
// Used by `npm start` and scripts/serve.mjs (the demo, the e2e tests and the benchmarks).
import http from "node:http";
import { parseArgs } from "node:util";
import next from "next";
import { tsImport } from "tsx/esm/api";

const { values: args } = parseArgs({
  options: { port: { type: "string", default: process.env.PORT ?? "3000" }, hostname: { type: "string", default: "0.0.0.0" } },
});
const port = Number(args.port);
const shutdownTimeoutMs = Number(process.env.SHUTDOWN_TIMEOUT_MS ?? 25_000);
// How many reverse proxies in front of us append to X-Forwarded-For (0: none, the socket is the client).
const trustProxy = Math.max(0, Math.trunc(Number(process.env.TRUST_PROXY ?? 0)) || 0);

const { logger, withRequestId, requestIdFrom, bridgeConsole } = await tsImport("../lib/log.ts", import.meta.url);
const { startDraining, runShutdownHooks } = await tsImport("../lib/lifecycle.ts", import.meta.url);
const { clientAddress, CLIENT_IP_HEADER } = await tsImport("../lib/client-address.ts", import.meta.url);
const log = logger(process.env.LOG_LEVEL ?? "info");
bridgeConsole();

const app = next({ dev: false, hostname: args.hostname, port, dir: process.cwd() });
await app.prepare();
const handle = app.getRequestHandler();

let inFlight = 0;
let draining = false;
let drained = () => {};

const server = http.createServer((req, res) => {
  const requestId = requestIdFrom(req.headers["x-request-id"]);
  const started = performance.now();
  inFlight++;
  res.setHeader("X-Request-Id", requestId);
  req.headers[CLIENT_IP_HEADER] = clientAddress(req.headers["x-forwarded-for"], req.socket.remoteAddress, trustProxy);
  if (draining) res.setHeader("Connection", "close");
  res.once("close", () => {
    inFlight--;
    const path = (req.url ?? "/").split("?")[0];
    if (!path.startsWith("/_next/static/")) {
      withRequestId(requestId, () =>
        log.info({ method: req.method, path, status: res.statusCode, duration_ms: Math.round(performance.now() - started), aborted: !res.writableFinished || undefined }, "request"),
      );
    }
    if (draining && inFlight === 0) drained();
  });
  withRequestId(requestId, () => {
    handle(req, res).catch((err) => {
      log.error({ err }, "unhandled request error");
      if (!res.headersSent) {
        res.statusCode = 500;
        res.setHeader("Content-Type", "application/json");
        res.end(JSON.stringify({ error: { code: "internal", message: "Something went wrong on our side.", retryable: true } }));
      } else res.destroy();
    });
  });
});
server.keepAliveTimeout = 65_000; // longer than common load balancers' idle timeout (60 s)

server.listen(port, args.hostname, () => log.info({ port, hostname: args.hostname, node: process.version }, "ready"));

async function shutdown(signal) {
  if (draining) return;
  draining = true;
  startDraining();
  log.info({ signal, in_flight: inFlight }, "draining");
  server.close();
  server.closeIdleConnections();
  const timedOut = await new Promise((resolve) => {
    if (inFlight === 0) return resolve(false);
    drained = () => resolve(false);
    setTimeout(() => resolve(true), shutdownTimeoutMs).unref();
  });
  if (timedOut) {
    log.warn({ in_flight: inFlight, timeout_ms: shutdownTimeoutMs }, "shutdown timed out; closing the remaining connections");
    server.closeAllConnections();
  }
  for (const { name, error } of await runShutdownHooks()) {
    if (error) log.error({ err: error, hook: name }, "stopping failed");
    else log.info({ hook: name }, "stopped");
  }
  log.info("exiting");
  process.exit(0);
}
for (const signal of ["SIGTERM", "SIGINT"]) process.on(signal, () => void shutdown(signal));
