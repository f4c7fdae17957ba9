import fs from "node:fs";
import os from "node:os";
import path from "node:path";
import { ESLint, RuleTester, type Linter } from "eslint";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import projectConfig from "../../eslint.config.mjs";
import { serverOnlyBoundary } from "../../eslint/server-only-boundary.mjs";

/**
 * The import rules of docs/architecture.md must keep catching what they are there to catch: each case
 * below is a violation the lint must report, next to the same import done right, which must pass. If a
 * rule stops working (a config edit, a plugin upgrade, a resolver that no longer finds `@/`), this fails.
 */
const root = path.resolve(import.meta.dirname, "../..");
const config = projectConfig as Linter.Config[];
const parser = config
  .map((c) => c.languageOptions?.parser)
  .find((p): p is Linter.Parser => (p as { meta?: { name?: string } } | undefined)?.meta?.name === "typescript-eslint/parser")!;

describe("creditbook/server-only-boundary (eslint/server-only-boundary.mjs)", () => {
  // A small repository of its own: a query module with the marker, a pure-looking module that imports
  // it, a module that imports it for types only, and a secret holder without the marker.
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "server-only-boundary-"));
  const write = (file: string, text: string) => {
    fs.mkdirSync(path.dirname(path.join(dir, file)), { recursive: true });
    fs.writeFileSync(path.join(dir, file), text);
  };
  write("lib/query.ts", 'import "server-only";\nexport const rows = 1;\n');
  write("lib/pure.ts", 'import { rows } from "@/lib/query";\nexport const LABEL = "x";\nexport const count = rows;\n');
  write("lib/types-only.ts", 'import type { rows } from "@/lib/query";\nexport type Rows = typeof rows;\nexport const OK = 1;\n');
  write("lib/secret.ts", "export const token = 'secret';\n");
  afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

  const widget = path.join(dir, "components/widget.tsx");
  const page = path.join(dir, "app/page.tsx");
  const chain = (...files: string[]) =>
    `Client code imports a server-only module: ${files.join(" → ")}. Move what the UI needs into a pure module (docs/architecture.md).`;

  RuleTester.describe = describe;
  RuleTester.it = it;
  RuleTester.itOnly = it.only;
  new RuleTester({ languageOptions: { parser, parserOptions: { ecmaFeatures: { jsx: true } } } }).run(
    "server-only-boundary",
    serverOnlyBoundary,
    {
      valid: [
        // a pure module whose own imports are pure, or server-only for types alone
        { filename: widget, code: 'import { OK } from "@/lib/types-only";', options: [{ root: dir }] },
        // type imports are erased: nothing reaches the browser
        { filename: widget, code: 'import type { LABEL } from "@/lib/pure";', options: [{ root: dir }] },
        { filename: widget, code: 'import { type LABEL } from "@/lib/pure";', options: [{ root: dir }] },
        // server code may import server modules: a server component, and lib itself
        { filename: page, code: 'import { rows } from "@/lib/query";', options: [{ root: dir }] },
        { filename: path.join(dir, "lib/other.ts"), code: 'import { LABEL } from "./pure";', options: [{ root: dir }] },
        // packages are not followed
        { filename: widget, code: 'import { useState } from "react";', options: [{ root: dir }] },
      ],
      invalid: [
        {
          filename: widget,
          code: 'import { LABEL } from "@/lib/pure";',
          options: [{ root: dir }],
          errors: [{ message: chain("components/widget.tsx", "lib/pure.ts", "lib/query.ts") }],
        },
        {
          filename: page,
          code: '"use client";\nimport { rows } from "../lib/query";',
          options: [{ root: dir }],
          errors: [{ message: chain("app/page.tsx", "lib/query.ts") }],
        },
        {
          filename: widget,
          code: 'import "server-only";',
          options: [{ root: dir }],
          errors: [{ message: chain("components/widget.tsx", "server-only") }],
        },
        { filename: widget, code: 'export { LABEL } from "@/lib/pure";', options: [{ root: dir }], errors: 1 },
        { filename: widget, code: 'const load = () => import("@/lib/pure");', options: [{ root: dir }], errors: 1 },
        {
          filename: widget,
          code: 'import { token } from "@/lib/secret";',
          options: [{ root: dir, serverModules: ["lib/secret.ts"] }],
          errors: [{ message: chain("components/widget.tsx", "lib/secret.ts") }],
        },
      ],
    },
  );
});

describe("the project's lint config (eslint.config.mjs)", () => {
  // The files linted here exist only as text, which import/no-cycle cannot place in its module graph:
  // it is tested on real files below.
  const eslint = new ESLint({ cwd: root, overrideConfig: { rules: { "import/no-cycle": "off" } } });

  /** The rule ids `npm run lint` reports for `code` saved at `file` (relative to the repository). */
  async function reported(file: string, code: string): Promise<string[]> {
    const [result] = await eslint.lintText(code, { filePath: path.join(root, file) });
    return result!.messages.map((m) => m.ruleId ?? m.message);
  }

  it("keeps the database out of components, directly and through server-only modules", async () => {
    expect(await reported("components/lint-fixture.tsx", 'import { db } from "@/lib/db";\nexport const x = db;\n')).toEqual(
      expect.arrayContaining(["import/no-restricted-paths", "creditbook/server-only-boundary"]),
    );
    expect(
      await reported(
        "components/lint-fixture.tsx",
        'import { usageHistoryPage } from "@/lib/usage/history";\nexport const x = usageHistoryPage;\n',
      ),
    ).toEqual(["creditbook/server-only-boundary"]);
    expect(
      await reported("components/lint-fixture.tsx", 'import { Prisma } from "@/lib/generated/prisma/client";\nexport const x = Prisma;\n'),
    ).toContain("import/no-restricted-paths");
    expect(
      await reported(
        "components/lint-fixture.tsx",
        'import { GRANT_TYPE_LABEL } from "@/lib/usage/labels";\nexport const x = GRANT_TYPE_LABEL;\n',
      ),
    ).toEqual([]);
  });

  it("lets code outside lib/credits enter the ledger only through its index", async () => {
    expect(await reported("lib/lint-fixture.ts", 'import { grant } from "@/lib/credits/ledger";\nexport const x = grant;\n')).toEqual([
      "import/no-restricted-paths",
    ]);
    expect(
      await reported("lib/workspaces/lint-fixture.ts", 'import { openLedger } from "@/lib/credits";\nexport const x = openLedger;\n'),
    ).toEqual([]);
  });

  it("keeps the ledger below billing, HTTP and React", async () => {
    expect(
      await reported("lib/credits/lint-fixture.ts", 'import { stripe } from "@/lib/billing/stripe/client";\nexport const x = stripe;\n'),
    ).toContain("import/no-restricted-paths");
    expect(await reported("lib/credits/lint-fixture.ts", 'import { cache } from "react";\nexport const x = cache;\n')).toContain(
      "no-restricted-imports",
    );
    expect(await reported("lib/credits/lint-fixture.ts", 'import { db } from "@/lib/db";\nexport const x = db;\n')).toEqual([]);
  });

  it("keeps route handlers away from pages, and lib away from app", async () => {
    expect(
      await reported("app/api/lint-fixture.ts", 'import Pricing from "@/app/(marketing)/pricing/page";\nexport const x = Pricing;\n'),
    ).toEqual(["import/no-restricted-paths"]);
    expect(
      await reported("lib/lint-fixture.ts", 'import Pricing from "@/app/(marketing)/pricing/page";\nexport const x = Pricing;\n'),
    ).toEqual(["import/no-restricted-paths"]);
  });

  describe("import/no-cycle", () => {
    // Cycles need real files on disk: two modules that import each other, linted with the project's config.
    let dir: string;
    beforeAll(() => {
      dir = fs.mkdtempSync(path.join(os.tmpdir(), "no-cycle-"));
      fs.writeFileSync(path.join(dir, "a.ts"), 'import { b } from "./b";\nexport const a = () => b;\n');
      fs.writeFileSync(path.join(dir, "b.ts"), 'import { a } from "./a";\nexport const b = () => a;\n');
      fs.writeFileSync(path.join(dir, "c.ts"), 'import type { a } from "./a";\nexport type C = typeof a;\n');
    });
    afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

    it("reports two modules that import each other, not a type-only import", async () => {
      const outside = new ESLint({ cwd: dir, overrideConfigFile: true, overrideConfig: config });
      const results = await outside.lintFiles(["a.ts", "b.ts", "c.ts"]);
      const cycles = (name: string) =>
        results.find((r) => r.filePath.endsWith(name))!.messages.filter((m) => m.ruleId === "import/no-cycle").length;
      expect([cycles("a.ts"), cycles("b.ts"), cycles("c.ts")]).toEqual([1, 1, 0]);
    });
  });
});
