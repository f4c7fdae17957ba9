#!/usr/bin/env node
// The production server: the built Next.js app behind a plain Node HTTP server, so that
// - the client's address is worked out once, trusting X-Forwarded-For only from TRUST_PROXY proxies;
// - every request has an id (X-Request-Id in and out) and every log line of it is JSON carrying that id
//   (lib/log.ts), plus one access line per request;
// - SIGTERM drains: /api/ready turns 503, the listener stops accepting, idle keep-alive connections
//   close, requests in flight finish (up to SHUTDOWN_TIMEOUT_MS, default 25 s), then the database pool
//   and the in-process jobs stop and the process exits 0.
//   node scripts/server.mjs [--port 3000] [--hostname 0.0.0.0]
// - WEB_CONCURRENCY > 1 (default: one per core; one in test mode): this process becomes the primary of
//   that many workers, each running this file as a whole server on the same port
//   (scripts/cluster-primary.mjs); SIGTERM drains them all.
// Used by `npm start` and scripts/serve.mjs (the demo, the e2e tests and the benchmarks).
import cluster from "node:cluster";
import http from "node:http";
import os from "node:os";
import { parseArgs } from "node:util";
import { tsImport } from "tsx/esm/api";

const { values: args } = parseArgs({
  options: { port: { type: "string", default: process.env.PORT ?? "3000" }, hostname: { type: "string", default: "0.0.0.0" } },
});
const port = Number(args.port);
// As `next start` does: a production server unless told otherwise (the tests say NODE_ENV=test).
process.env.NODE_ENV ??= "production";

// Configuration comes from lib/env.ts like everywhere else: validated once, and a bad value stops the
// start with a list of what is wrong. SHUTDOWN_TIMEOUT_MS, TRUST_PROXY and LOG_LEVEL are read here.
// The primary of a cluster needs only these two; what serving needs is imported by serve(), in the workers.
const { env } = await tsImport("../lib/env.ts", import.meta.url);
const { logger, withRequestId, requestIdFrom, bridgeConsole, loggablePath } = await tsImport("../lib/log.ts", import.meta.url);
const log = logger();
bridgeConsole();

const workers = env.WEB_CONCURRENCY ?? (env.TEST_MODE ? 1 : os.availableParallelism());
if (cluster.isPrimary && workers > 1) {
  const { runPrimary } = await import("./cluster-primary.mjs");
  runPrimary({ workers, log, shutdownTimeoutMs: env.SHUTDOWN_TIMEOUT_MS });
} else {
  await serve();
}

async function serve() {
  const { default: next } = await import("next");
  const { startDraining, runShutdownHooks } = await tsImport("../lib/lifecycle.ts", import.meta.url);
  const { clientAddress, CLIENT_IP_HEADER } = await tsImport("../lib/client-address.ts", import.meta.url);
  const { errorBody } = await tsImport("../lib/errors.ts", import.meta.url);
  const { canonicalRedirect } = await tsImport("../lib/auth/canonical-host.ts", import.meta.url);
  const { FairAdmission, admitted, tenantOf } = await tsImport("../lib/metering/admission.ts", import.meta.url);
  const app = next({ dev: false, hostname: args.hostname, port, dir: process.cwd() });
  await app.prepare();
  const handle = app.getRequestHandler();

  /** An error in lib/errors.ts's one JSON shape, for the answers given before a route of ours runs. */
  function sendError(res, status, code, message, { nextStep, headers } = {}) {
    res.statusCode = status;
    res.setHeader("Content-Type", "application/json");
    res.setHeader("Cache-Control", "no-store");
    for (const [name, value] of Object.entries(headers ?? {})) res.setHeader(name, value);
    res.end(JSON.stringify(errorBody(code, message, nextStep)));
  }

  // The metering hot path's calls wait their turn here, round-robin by API key, before Next.js spends any
  // work on them (lib/metering/admission.ts): a hot tenant delays another by about one call.
  const admission = new FairAdmission({
    concurrency: env.METERING_CONCURRENCY,
    // Two slots a hot key cannot take: another key's call starts at once (bench:api T3).
    perTenant: Math.max(1, env.METERING_CONCURRENCY - 2),
    // A few more may wait for their workspace's round trip without a slot, so a hot workspace's next
    // batch is parsed meanwhile (bench:api T2). A hot key's calls in the process (6 + 3 by default) are
    // what another key's call is interleaved with: more cost the other keys' latency (T3,
    // docs/performance.md "A batch charged set-based in the database").
    parkedPerTenant: Math.max(1, Math.floor(env.METERING_CONCURRENCY / 2) - 1),
    maxQueued: env.METERING_QUEUE,
    maxWaitMs: env.DATABASE_HOT_WAIT_MS,
  });

  /** Is every %-escape in the path UTF-8? Next's router answers a bare 500 otherwise (vercel/next.js#92527). */
  function decodablePath(path) {
    try {
      decodeURIComponent(path);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Next answers a method a route file does not export with an empty 405 (writeHead, then end). Under
   * /api that answer gets the JSON error shape every other API error has.
   */
  const METHOD_NOT_ALLOWED = JSON.stringify(
    errorBody("method_not_allowed", "This endpoint does not answer that HTTP method. See /api/v1/openapi.json."),
  );
  function jsonMethodNotAllowed(res) {
    const { writeHead, end } = res;
    let replace = false;
    res.writeHead = function (status, ...rest) {
      if (status === 405 && !String(res.getHeader("content-type") ?? "").includes("json")) {
        replace = true;
        res.setHeader("Content-Type", "application/json");
        res.removeHeader("Content-Length");
      }
      return writeHead.call(res, status, ...rest);
    };
    res.end = function (...args) {
      if (!replace) return end.apply(res, args);
      replace = false;
      return end.call(res, METHOD_NOT_ALLOWED);
    };
  }

  // Next's own limit on a server action's body (serverActions.bodySizeLimit, 1 MB by default): past it,
  // Next throws and answers 500. Refused here first with a 413 (or 411 when the length is not declared,
  // which browsers always do), so an oversized form is the client's error, stated as such.
  const SERVER_ACTION_MAX_BYTES = 1024 * 1024;
  function serverActionTooLarge(req) {
    if (req.method !== "POST" || !req.headers["next-action"]) return null;
    const declared = req.headers["content-length"];
    if (declared === undefined) return [411, "invalid_request", "Send a Content-Length with the form."];
    if (Number(declared) > SERVER_ACTION_MAX_BYTES)
      return [413, "payload_too_large", "The form is larger than 1 MB. Shorten what you typed or pasted and send it again."];
    return null;
  }

  let inFlight = 0;
  let draining = false;
  let drained = () => {};

  const server = http.createServer((req, res) => {
    const requestId = requestIdFrom(req.headers["x-request-id"]);
    const path = (req.url ?? "/").split("?")[0];
    const started = performance.now();
    inFlight++;
    res.setHeader("X-Request-Id", requestId);
    req.headers[CLIENT_IP_HEADER] = clientAddress(req.headers["x-forwarded-for"], req.socket.remoteAddress, env.TRUST_PROXY);
    if (draining) res.setHeader("Connection", "close");
    res.once("close", () => {
      inFlight--;
      if (!path.startsWith("/_next/static/")) {
        withRequestId(requestId, () =>
          log.info(
            {
              method: req.method,
              path: loggablePath(path),
              status: res.statusCode,
              duration_ms: Math.round(performance.now() - started),
              aborted: !res.writableFinished || undefined,
            },
            "request",
          ),
        );
      }
      if (draining && inFlight === 0) drained();
    });
    if (!decodablePath(path)) return sendError(res, 400, "invalid_request", "The URL's path has a %-escape that is not UTF-8.");
    const oversized = serverActionTooLarge(req);
    if (oversized) {
      res.setHeader("Connection", "close"); // the body is not read: do not reuse the connection
      return sendError(res, ...oversized);
    }
    const canonical = canonicalRedirect({
      method: req.method ?? "GET",
      url: req.url ?? "/",
      host: req.headers.host,
      publicUrl: env.NEXTAUTH_URL,
      demo: env.DEMO_MODE,
    });
    if (canonical) {
      res.writeHead(307, { Location: canonical, "Cache-Control": "no-store" });
      return res.end();
    }
    if (path.startsWith("/api/")) jsonMethodNotAllowed(res);
    const hotPath = admitted(req.method, path);
    const run = (yieldTurn) =>
      withRequestId(
        requestId,
        () => {
          handle(req, res).catch((err) => {
            log.error({ err }, "unhandled request error");
            if (!res.headersSent)
              sendError(res, 500, "internal_error", `Something went wrong on our side. It has been logged (request ${requestId}).`);
            else res.destroy();
          });
        },
        // The metering hot path reads its body from the Node stream itself (lib/api/body.ts readJsonFrom)
        // and gives its admission slot back while it waits for its workspace's round trip.
        hotPath ? { body: req, yieldTurn } : undefined,
      );
    if (!hotPath) return run();
    const cancel = admission.admit(
      tenantOf(req.headers.authorization, req.headers[CLIENT_IP_HEADER]),
      (done, yieldTurn) => {
        res.once("close", done);
        run(yieldTurn);
      },
      (error) => sendError(res, error.status, error.code, error.message, error.options),
    );
    res.once("close", cancel); // the caller went away while waiting: its place goes to the next
  });
  // Requests Node's parser refuses before any handler runs (headers over its limit, malformed HTTP) get
  // the JSON error shape too, instead of Node's bare status line.
  server.on("clientError", (err, socket) => {
    if (!socket.writable) return socket.destroy();
    const [status, code, message] =
      err.code === "HPE_HEADER_OVERFLOW"
        ? [431, "invalid_request", "The request's headers are too large."]
        : err.code === "ERR_HTTP_REQUEST_TIMEOUT"
          ? [408, "invalid_request", "The request took too long to arrive."]
          : [400, "invalid_request", "The request is not valid HTTP."];
    const error = errorBody(code, message);
    if (status === 408) error.error.retryable = true; // it may well arrive in time on another try
    const body = JSON.stringify(error);
    socket.end(
      `HTTP/1.1 ${status} ${http.STATUS_CODES[status]}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\nConnection: close\r\n\r\n${body}`,
    );
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
      setTimeout(() => resolve(true), env.SHUTDOWN_TIMEOUT_MS).unref();
    });
    if (timedOut) {
      log.warn({ in_flight: inFlight, timeout_ms: env.SHUTDOWN_TIMEOUT_MS }, "shutdown timed out; closing the remaining connections");
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
}
