import fs from "node:fs";
import { describe, expect, it } from "vitest";
import { generatedClientFiles } from "../../scripts/api-generate-lib";

// The committed OpenAPI document and the client's generated types must be what `npm run api:generate`
// writes from the zod schemas now: a change to a request or response schema without regenerating fails here.
describe("packages/client generated files", () => {
  it("are up to date with the zod schemas (npm run api:generate)", async () => {
    for (const file of await generatedClientFiles()) {
      expect(fs.readFileSync(file.path, "utf8"), `${file.path} is stale: run npm run api:generate`).toBe(file.contents);
    }
  }, 60_000);
});
