// Runs lib/ code in plain Node as the server code it is. Modules that touch the database or secrets
// start with `import "server-only"`, a marker that throws outside a React Server environment (it
// keeps them out of client bundles; docs/architecture.md). Next.js resolves it to the package's empty
// `react-server` export in its server bundles; this hook does the same for scripts, and only for that
// one package, so React, Next and everything else resolve as usual.
//   node --import tsx --import ./scripts/server-runtime.mjs scripts/jobs.ts
//   tsx --import ./scripts/server-runtime.mjs prisma/seed.ts
// (vitest does the same with a resolve alias: vitest.config.ts.)
import { register } from "node:module";
import { isMainThread } from "node:worker_threads";

/** Module hook (runs in the loader thread): `server-only` resolves with the react-server condition. */
export async function resolve(specifier, context, nextResolve) {
  if (specifier === "server-only") return nextResolve(specifier, { ...context, conditions: [...context.conditions, "react-server"] });
  return nextResolve(specifier, context);
}

if (isMainThread) register(import.meta.url);
