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

type Doc = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any

/** A response of an operation, its $ref followed. */
function response(doc: Doc, path: string, method: string, status: string): Doc {
  const r = doc.paths[path][method].responses[status];
  return r.$ref ? doc.components.responses[r.$ref.split("/").pop()] : r;
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
      expect(op.parameters).toEqual(
        expect.arrayContaining([expect.objectContaining({ in: "header", name: "PAYMENT-SIGNATURE", required: false })]),
      );
      expect(response(doc, p, "post", "402").headers["PAYMENT-REQUIRED"]).toBeTruthy();
      expect(response(doc, p, "post", "201").headers["PAYMENT-RESPONSE"]).toBeTruthy();
    }
    expect(response(doc, "/api/x402/credits", "post", "409").description).toContain("payment_replayed");
  });

  it("documents the error codes of the track endpoint", async () => {
    const doc = await GET().json();
    const track = doc.paths["/api/v1/track"].post;
    expect(Object.keys(track.responses)).toEqual(expect.arrayContaining(["201", "200", "202", "402", "409", "429"]));
    expect(response(doc, "/api/v1/track", "post", "402").description).toContain("insufficient_credits");
    expect(track.requestBody.content["application/json"].schema.properties.action).toBeTruthy();
  });

  it("gives every operation a unique operationId, a tag, a description, and a real schema for each 2xx (no open object)", async () => {
    const doc = await GET().json();
    const ids = new Set<string>();
    for (const [path, item] of Object.entries<Doc>(doc.paths)) {
      for (const [method, op] of Object.entries<Doc>(item)) {
        expect(op.operationId, `${method} ${path}`).toMatch(/^[a-z][A-Za-z0-9]+$/);
        expect(ids.has(op.operationId)).toBe(false);
        ids.add(op.operationId);
        expect(op.tags).toHaveLength(1);
        expect(op.description.length).toBeGreaterThan(20);
        for (const [status, r] of Object.entries<Doc>(op.responses)) {
          if (!status.startsWith("2") || path === "/api/v1/openapi.json") continue;
          const schema = r.content["application/json"].schema;
          expect(schema.$ref ?? schema.anyOf, `${method} ${path} ${status}`).toBeTruthy();
        }
      }
    }
    expect(ids.size).toBe(23);
  });

  it("documents the RateLimit headers on every metered 2xx, Retry-After on every 429, and the error codes of each status as an enum", async () => {
    const doc = await GET().json();
    for (const p of ["/api/v1/check", "/api/v1/balance", "/api/v1/usage"]) {
      const op = doc.paths[p].post ?? doc.paths[p].get;
      expect(Object.keys(op.responses["200"].headers)).toEqual(
        expect.arrayContaining([
          "RateLimit-Limit",
          "RateLimit-Remaining",
          "RateLimit-Reset",
          "RateLimit-Policy",
          "RateLimit",
          "X-Request-Id",
        ]),
      );
    }
    expect(doc.components.headers["RateLimit-Remaining"]).toMatchObject({ required: true, schema: { type: "integer" } });
    expect(doc.components.responses.Error429.headers["Retry-After"]).toMatchObject({ required: true });
    expect(doc.components.schemas.Error402.properties.error.properties.code.enum).toEqual(
      expect.arrayContaining(["insufficient_credits", "payment_required"]),
    );
    expect(doc.components.schemas.Error429.properties.error.properties.code.enum).toEqual([
      "rate_limited",
      "credits_exhausted",
      "too_many_pending",
    ]);
    expect(doc.components.schemas.Error402.properties.error.additionalProperties).toBe(false);
    expect(doc.components.schemas.TrackCharged.additionalProperties).toBe(false);
  });

  it("shows the typed client beside curl for every metering operation (x-codeSamples)", async () => {
    const doc = await GET().json();
    for (const [path, item] of Object.entries<Doc>(doc.paths)) {
      if (!path.startsWith("/api/v1/") || path === "/api/v1/openapi.json") continue;
      for (const op of Object.values<Doc>(item)) {
        expect(
          op["x-codeSamples"].map((s: Doc) => s.label),
          op.operationId,
        ).toEqual(["curl", "@creditbook/client"]);
      }
    }
  });

  it("states the idempotency, rate-limit and out-of-credits semantics", async () => {
    const doc = await GET().json();
    expect(doc.info.description).toMatch(/\*\*Idempotency\.\*\*/);
    expect(doc.info.description).toMatch(/\*\*Rate limits\.\*\*/);
    expect(doc.info.description).toMatch(/\*\*Out of credits\.\*\*/);
  });
});

describe("the contract check of the integration suite (contract.ts)", () => {
  const rateLimit = {
    "RateLimit-Limit": "3600",
    "RateLimit-Remaining": "3599",
    "RateLimit-Reset": "60",
    "RateLimit-Policy": '"hourly";q=3600;w=3600',
    RateLimit: '"hourly";r=3599;t=60',
  };
  const release = { reservation_id: "r1", status: "released", credits_released: 5, replayed: false };

  it("passes a documented response, and flags an undocumented field, status or header, a missing header and a wrong type", async () => {
    const { checkResponse, takeContractProblems } = await import("./contract");
    takeContractProblems();
    const path = "/api/v1/reservations/r1/release";
    checkResponse("POST", path, 200, new Headers({ ...rateLimit, "content-type": "application/json" }), release);
    expect(takeContractProblems()).toEqual([]);

    checkResponse("POST", path, 200, new Headers(rateLimit), { ...release, secret: 1 });
    checkResponse("POST", path, 201, new Headers(rateLimit), release);
    checkResponse("POST", path, 200, new Headers({ ...rateLimit, "X-Powered-By": "x" }), release);
    checkResponse("POST", path, 200, new Headers({ "RateLimit-Limit": "3600" }), release);
    checkResponse("POST", path, 200, new Headers(rateLimit), { ...release, credits_released: "5" });
    const problems = takeContractProblems();
    expect(problems).toHaveLength(8); // the field, the status, the header, 4 missing RateLimit headers, the type
    expect(problems[0]).toContain("must NOT have additional properties");
    expect(problems[1]).toContain("status 201 is not documented");
    expect(problems[2]).toContain("x-powered-by is not documented");
    expect(problems.slice(3, 7).join("\n")).toContain("required header ratelimit-remaining is missing");
    expect(problems[7]).toContain("must be integer");
  });

  it("flags an error whose code does not belong to its status", async () => {
    const { checkResponse, takeContractProblems } = await import("./contract");
    takeContractProblems();
    checkResponse("POST", "/api/v1/track", 402, new Headers(), { error: { code: "rate_limited", message: "m", retryable: true } });
    expect(takeContractProblems()[0]).toContain("must be equal to one of the allowed values");
  });
});
