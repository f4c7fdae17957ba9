import { execFileSync } from "node:child_process";
import { existsSync, readFileSync } from "node:fs";
import { describe, expect, it } from "vitest";

// Every file the code and the docs point a reader at exists (docs/…, prisma/sql/…, scripts/…), and
// nothing cites a document outside the repository. Migrations are exempt: they are immutable history
// (docs/decisions/001-sql-migrations.md), and prisma/sql/ holds their live text.
const files = execFileSync("git", ["ls-files", "--cached", "--others", "--exclude-standard"], { encoding: "utf8" })
  .split("\n")
  .filter((f) => f && /\.(ts|tsx|mjs|js|sql|md|prisma|css)$/.test(f))
  .filter((f) => !f.startsWith("prisma/migrations/") && !f.startsWith("lib/generated/") && existsSync(f));

const CITED = /(?<![\w/.-])((?:docs|prisma\/sql|scripts)\/[\w./-]+\.(?:md|sql|ts|mjs|json))/g;

describe("references in code and docs", () => {
  it("every cited docs/, prisma/sql/ and scripts/ file exists", () => {
    const missing: string[] = [];
    let cited = 0;
    for (const file of files) {
      for (const [, path] of readFileSync(file, "utf8").matchAll(CITED)) {
        cited++;
        if (!existsSync(path!)) missing.push(`${file} → ${path}`);
      }
    }
    expect(cited).toBeGreaterThan(100);
    expect(missing).toEqual([]);
  });

  it("nothing cites the design document by its old name or a folder outside the repository", () => {
    const outside = files.filter((f) => f !== "test/unit/references.test.ts" && /DESIGN\.md|\.\.\/shared\//.test(readFileSync(f, "utf8")));
    expect(outside).toEqual([]);
  });
});
