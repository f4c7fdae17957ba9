/**
 * The process's life: graceful shutdown state and what to stop on the way out.
 *
 * scripts/server.mjs loads this file itself and Next.js bundles its own copy, so the state lives on
 * `globalThis` under one symbol: the database pool and the in-process jobs (created inside the bundle)
 * register their stop functions here, and the server runs them after the last request has finished.
 */
/** "work" (jobs, timers) stops before "connections" (the database pool the work uses). */
type Phase = "work" | "connections";
type Hook = { name: string; phase: Phase; stop: () => Promise<void> };
type Shared = { draining: boolean; hooks: Hook[] };

const KEY = Symbol.for("creditbook.lifecycle");

function shared(): Shared {
  const g = globalThis as typeof globalThis & { [KEY]?: Shared };
  return (g[KEY] ??= { draining: false, hooks: [] });
}

/** Graceful shutdown has begun: /api/ready answers 503 so load balancers stop sending new requests. */
export function isDraining(): boolean {
  return shared().draining;
}

export function startDraining(): void {
  shared().draining = true;
}

/** Registers something to stop at shutdown (replacing an earlier hook of the same name). */
export function onShutdown(name: string, phase: Phase, stop: () => Promise<void>): void {
  const state = shared();
  state.hooks = [...state.hooks.filter((h) => h.name !== name), { name, phase, stop }];
}

/** Stops what was registered, the work before the connections. Never throws. */
export async function runShutdownHooks(): Promise<Array<{ name: string; error?: unknown }>> {
  const results: Array<{ name: string; error?: unknown }> = [];
  const hooks = shared().hooks;
  for (const hook of [...hooks.filter((h) => h.phase === "work"), ...hooks.filter((h) => h.phase === "connections")]) {
    try {
      await hook.stop();
      results.push({ name: hook.name });
    } catch (error) {
      results.push({ name: hook.name, error });
    }
  }
  shared().hooks = [];
  return results;
}
