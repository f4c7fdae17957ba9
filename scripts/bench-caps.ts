// npm run bench:caps — the hourly cap is exact across app instances: two instances on one database,
// 200 parallel track calls with one key whose cap is 60. Exits non-zero unless exactly 60 succeed.
import { startApp } from "./app-harness.ts";

const harness = await startApp({ name: "bench-caps", instances: 2, basePort: 3210 });
let exitCode = 1;
try {
  const { db, closeDb } = await import("../lib/db.ts");
  const { createWorkspace } = await import("../lib/workspaces/create.ts");
  const { createApiKey } = await import("../lib/metering/keys.ts");
  const workspace = await db.$transaction((tx) => createWorkspace(tx, { name: "caps bench", at: new Date() }));
  const { key } = await createApiKey({ kind: "WORKSPACE", workspaceId: workspace.id, name: "caps", hourlyCap: 60 });

  const calls = Array.from({ length: 200 }, (_, i) =>
    fetch(`${harness.urls[i % harness.urls.length]}/api/v1/track`, {
      method: "POST",
      headers: { authorization: `Bearer ${key}`, "content-type": "application/json" },
      body: JSON.stringify({ action: "background.refresh" }),
    }).then((r) => r.status),
  );
  const statuses = await Promise.all(calls);
  const count = (s: number) => statuses.filter((x) => x === s).length;
  const events = await db.usageEvent.count({ where: { workspaceId: workspace.id } });
  console.log(`instances: ${harness.urls.length} (${harness.urls.join(", ")})`);
  console.log(`calls: 200 in parallel, one key, cap 60`);
  console.log(
    `succeeded (201): ${count(201)}   rate limited (429): ${count(429)}   other: ${200 - count(201) - count(429)}   events recorded: ${events}`,
  );
  const met = count(201) === 60 && count(429) === 140 && events === 60;
  console.log(`target met: ${met ? "yes" : "no"} (exactly 60 succeed)`);
  exitCode = met ? 0 : 1;
  await closeDb();
} catch (err) {
  console.error(err);
} finally {
  await harness.stop();
}
process.exit(exitCode);
