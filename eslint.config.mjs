import nextCoreWebVitals from "eslint-config-next/core-web-vitals";
import nextTypescript from "eslint-config-next/typescript";

const config = [
  {
    ignores: [".next/**", "node_modules/**", "lib/generated/**", ".data/**", "test-results/**", "playwright-report/**", ".reports/**", ".tmp/**", "next-env.d.ts", "packages/client/dist/**"],
  },
  ...nextCoreWebVitals,
  ...nextTypescript,
  {
    rules: {
      // lib/env.ts is the only place that reads configuration (CONVENTIONS.md).
      "no-restricted-properties": [
        "error",
        { object: "process", property: "env", message: "Read configuration through `env` from lib/env.ts." },
      ],
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
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
