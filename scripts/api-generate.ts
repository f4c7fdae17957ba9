// npm run api:generate — writes the OpenAPI document (packages/client/openapi.json) from the zod schemas
// (lib/api/openapi.ts) and the client's types from it (packages/client/src/schema.ts, openapi-typescript).
// `--check` writes nothing and fails when the committed files differ from what would be generated
// (test/unit/client-drift.test.ts runs the same comparison in every test run).
import fs from "node:fs";
import { generatedClientFiles } from "./api-generate-lib";

const files = await generatedClientFiles();
const stale = files.filter((f) => !fs.existsSync(f.path) || fs.readFileSync(f.path, "utf8") !== f.contents);
if (process.argv.includes("--check")) {
  for (const f of stale) console.error(`${f.path} is stale: run npm run api:generate and commit it`);
  process.exit(stale.length > 0 ? 1 : 0);
}
for (const f of files) fs.writeFileSync(f.path, f.contents);
console.log(files.map((f) => `${f.path}${stale.includes(f) ? " (updated)" : " (unchanged)"}`).join("\n"));
