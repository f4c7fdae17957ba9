import fs from "node:fs";
import path from "node:path";
import { Validator } from "@seriousme/openapi-schema-validator";
import { describe, expect, it } from "vitest";
import { GET } from "@/app/api/v1/openapi.json/route";

/** Every route file under app/api/v1, as an OpenAPI path ("[id]" → "{id}"). */
function routePaths(dir = path.join(process.cwd(), "app/api/v1"), prefix = "/api/v1"): string[] {
  const out: string[] = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    if (entry.isFile() && entry.name === "route.ts") out.push(prefix);
    if (entry.isDirectory()) out.push(...routePaths(path.join(dir, entry.name), `${prefix}/${entry.name.replace(/^\[(.+)\]$/, "{$1}")}`));
  }
  return out;
}

describe("GET /api/v1/openapi.json", () => {
  it("is a valid OpenAPI 3.1 document", async () => {
    const doc = await GET().json();
    const validator = new Validator();
    const result = await validator.validate(doc);
    expect(result.errors ?? []).toEqual([]);
    expect(result.valid).toBe(true);
    expect(doc.openapi).toBe("3.1.0");
  });

  it("describes exactly the route files under app/api/v1 and app/api/x402", async () => {
    const doc = await GET().json();
    const x402 = routePaths(path.join(process.cwd(), "app/api/x402"), "/api/x402");
    expect(x402).toEqual(expect.arrayContaining(["/api/x402/credits", "/api/x402/status"]));
    expect(Object.keys(doc.paths).sort()).toEqual([...routePaths(), ...x402].sort());
  });

  it("documents the x402 headers: PAYMENT-SIGNATURE in, PAYMENT-REQUIRED on 402, PAYMENT-RESPONSE when paid", async () => {
    const doc = await GET().json();
    for (const p of ["/api/v1/track", "/api/x402/credits"]) {
      const op = doc.paths[p].post;
      expect(op.parameters).toEqual(expect.arrayContaining([expect.objectContaining({ in: "header", name: "PAYMENT-SIGNATURE", required: false })]));
      expect(op.responses["402"].headers["PAYMENT-REQUIRED"]).toBeTruthy();
      expect(op.responses["201"].headers["PAYMENT-RESPONSE"]).toBeTruthy();
    }
    expect(doc.paths["/api/x402/credits"].post.responses["409"].description).toContain("payment_replayed");
  });

  it("documents the error codes of the track endpoint", async () => {
    const doc = await GET().json();
    const track = doc.paths["/api/v1/track"].post;
    expect(Object.keys(track.responses)).toEqual(expect.arrayContaining(["201", "200", "202", "402", "409", "429"]));
    expect(track.responses["402"].description).toContain("insufficient_credits");
    expect(track.requestBody.content["application/json"].schema.properties.action).toBeTruthy();
  });
});
