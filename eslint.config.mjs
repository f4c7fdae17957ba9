import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";
import creditbook from "./eslint/server-only-boundary.mjs";

const root = import.meta.dirname;
const see = "(docs/architecture.md)";

// The layers and who may import whom: docs/architecture.md, where each zone below is explained with
// what it prevents. Paths are relative to this file; a zone forbids `target` to import from `from`.
const zones = [
  {
    target: "./components",
    from: ["./lib/db.ts", "./lib/db"],
    message: `Components do not touch the database: the page fetches and passes data as props; constants the UI needs live in pure modules ${see}.`,
  },
  {
    target: "./components",
    from: "./lib/generated/prisma",
    except: ["./browser.ts", "./enums.ts"],
    message: `Components take Prisma's types and enums from @/lib/generated/prisma/browser, never the client ${see}.`,
  },
  {
    target: "./components",
    from: "./app",
    message: `Pages import components, not the other way round: pass data and server actions as props ${see}.`,
  },
  {
    target: [
      "./app",
      "./components",
      "./lib/!(credits)/**",
      "./lib/*.ts",
      "./scripts",
      "./prisma",
      "./e2e",
      "./proxy.ts",
      "./instrumentation.ts",
    ],
    from: "./lib/credits",
    except: ["./index.ts"],
    message: `Enter the credits ledger through its index, @/lib/credits ${see}.`,
  },
  {
    target: "./lib/credits",
    from: "./lib",
    except: [
      "./credits",
      "./db.ts",
      "./db",
      "./env.ts",
      "./clock.ts",
      "./errors.ts",
      "./ids.ts",
      "./format.ts",
      "./pricing",
      "./generated",
    ],
    message: `The credits ledger sits at the bottom: it uses the database, config, clock, errors, ids, number formats and the price table, nothing above them (billing, metering, the API, auth) ${see}.`,
  },
  {
    target: "./lib/credits",
    from: ["./app", "./components"],
    message: `The credits ledger knows nothing of pages, routes or UI ${see}.`,
  },
  {
    target: "./app/api",
    from: "./app",
    except: ["./api"],
    message: `Route handlers do not import pages, layouts, their actions or components: shared code belongs in lib/ ${see}.`,
  },
  {
    target: "./lib",
    from: "./app",
    message: `lib/ does not import from app/ ${see}.`,
  },
  {
    target: "./lib/auth",
    from: "./lib/accounts",
    message: `lib/auth (sessions, passwords, throttling) sits below lib/accounts (sign-up, verification, reset, deletion) ${see}.`,
  },
  {
    target: "./lib/webhooks",
    from: ["./lib/metering", "./lib/alerts", "./lib/billing"],
    message: `lib/webhooks (where a webhook may go, signing, sending) sits below the features that send webhooks ${see}.`,
  },
];

const framework = `The credits ledger is framework- and payment-free: routes, pages and webhooks call it ${see}.`;

const config = [
  {
    ignores: [
      ".next/**",
      "node_modules/**",
      "lib/generated/**",
      ".data/**",
      "test-results/**",
      "playwright-report/**",
      ".reports/**",
      ".tmp/**",
      "next-env.d.ts",
      "packages/client/dist/**",
    ],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    // import/no-cycle reads every module it reaches: the generated Prisma client (2 MB) and packages
    // cannot be part of a cycle of ours, so it does not read them (a third of the lint time).
    settings: { "import/ignore": ["node_modules", "lib/generated/"] },
    plugins: { creditbook },
    rules: {
      // lib/env.ts is the only place that reads configuration (docs/architecture.md).
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through `env` from lib/env.ts." },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "import/no-restricted-paths": ["error", { basePath: root, zones }],
      "import/no-cycle": ["error", { ignoreExternal: true }],
      // Client code (components/**, "use client" files) never reaches a module marked `import "server-only"`,
      // directly or through other modules. lib/env.ts holds secrets but cannot carry the marker:
      // scripts/server.mjs loads it in plain Node, where the marker throws.
      "creditbook/server-only-boundary": ["error", { root, serverModules: ["lib/env.ts"] }],
    },
  },
  {
    files: ["components/**/*.{ts,tsx}"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: [{ name: "pg", message: `Components do not touch the database ${see}.` }],
          patterns: [{ group: ["@prisma/*"], message: `Components do not touch the database ${see}.` }],
        },
      ],
    },
  },
  {
    files: ["lib/credits/**/*.ts"],
    rules: {
      "no-restricted-imports": [
        "error",
        {
          paths: ["react", "react-dom", "next", "next-auth", "stripe"].map((name) => ({ name, message: framework })),
          patterns: [{ group: ["next/*", "next-auth/*", "react-dom/*", "@x402/*"], message: framework }],
        },
      ],
    },
  },
  {
    // Config files, scripts and test harnesses run outside the app and read their own environment.
    files: ["lib/env.ts", "*.config.*", "scripts/**", "e2e/**", "test/**", "prisma/seed.ts"],
    rules: { "no-restricted-properties": "off" },
  },
  {
    // Playwright fixtures call `use(...)`, which is not React's hook.
    files: ["e2e/**"],
    rules: { "react-hooks/rules-of-hooks": "off" },
  },
];

export default config;
