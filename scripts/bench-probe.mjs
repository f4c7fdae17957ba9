// A worker thread of npm run bench:api (issue 20's T3): one caller that debits its own workspace back to
// back for `durationMs` and reports each call's latency. It runs on its own event loop, so the load
// generator beside it (autocannon, on the main thread) does not delay its clock.
//   workerData: { url, key, durationMs } → posts { latencies: number[] (ms), failures: number, firstFailure }
import http from "node:http";
import { parentPort, workerData } from "node:worker_threads";

const { url, key, durationMs } = workerData;
const target = new URL("/api/v1/track", url);
const agent = new http.Agent({ keepAlive: true, maxSockets: 1 });
const body = JSON.stringify({ action: "aria.chat" });

function debit() {
  return new Promise((resolve) => {
    const req = http.request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: "POST",
        agent,
        headers: { authorization: `Bearer ${key}`, "content-type": "application/json", "content-length": Buffer.byteLength(body) },
      },
      (res) => {
        res.resume();
        res.on("end", () => resolve(res.statusCode >= 200 && res.statusCode < 300 ? null : `HTTP ${res.statusCode}`));
      },
    );
    req.on("error", (err) => resolve(err.message));
    req.end(body);
  });
}

const latencies = [];
let failures = 0;
let firstFailure = null;
const until = performance.now() + durationMs;
while (performance.now() < until) {
  const started = performance.now();
  const failure = await debit();
  if (failure) {
    failures++;
    firstFailure ??= failure;
  } else latencies.push(performance.now() - started);
}
agent.destroy();
parentPort.postMessage({ latencies, failures, firstFailure });
