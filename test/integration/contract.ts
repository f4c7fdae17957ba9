import fs from "node:fs";
import path from "node:path";
import { Ajv2020, type ValidateFunction } from "ajv/dist/2020.js";
import addFormatsModule from "ajv-formats";
import { openApiDocument } from "@/lib/api/openapi";

/**
 * The contract check of the integration suite: every response the API tests receive — through call()
 * (api-support.ts) and through the in-process routeTarget (route-target.ts) — is checked against the
 * OpenAPI document: the status is documented for the operation, the body matches its schema (objects are
 * strict, so an undocumented field fails), every required header is present with a valid value, and no
 * header is sent that the response does not document. Problems are collected here and fail the test
 * that caused them (setup.ts, afterEach); each file's count of checked responses is written to
 * .reports/contract/ and the total printed at the end of the run (global-setup.ts).
 */

// ajv-formats is CommonJS with a default export; under ESM interop it may arrive wrapped.
const addFormats = ((addFormatsModule as unknown as { default?: typeof addFormatsModule }).default ??
  addFormatsModule) as typeof addFormatsModule;

type Json = Record<string, any>; // eslint-disable-line @typescript-eslint/no-explicit-any
type Operation = { method: string; template: string; regex: RegExp; op: Json };

export const CONTRACT_DIR = ".reports/contract";

/** Headers any HTTP response may carry, whatever the document says. */
const TRANSPORT_HEADERS = new Set(["content-type", "content-length", "date", "connection", "keep-alive", "transfer-encoding", "vary"]);

const state = { checked: 0, problems: [] as string[] };
let compiled: { doc: Json; ajv: Ajv2020; operations: Operation[]; validators: Map<string, ValidateFunction> } | undefined;

function contract() {
  if (!compiled) {
    const doc = structuredClone(openApiDocument("http://localhost")) as Json;
    const ajv = new Ajv2020({ strict: false, allErrors: true });
    addFormats(ajv);
    ajv.addSchema(doc, "openapi");
    const operations: Operation[] = [];
    for (const [template, item] of Object.entries<Json>(doc.paths)) {
      const regex = new RegExp(`^${template.replace(/[.*+?^$()|[\]\\]/g, "\\$&").replace(/\{\w+\}/g, "[^/]+")}$`);
      for (const [method, op] of Object.entries<Json>(item)) operations.push({ method: method.toUpperCase(), template, regex, op });
    }
    // Static paths before templated ones, as Next matches them.
    operations.sort((a, b) => Number(a.template.includes("{")) - Number(b.template.includes("{")));
    compiled = { doc, ajv, operations, validators: new Map() };
  }
  return compiled;
}

const pointer = (...parts: string[]) => parts.map((p) => p.replace(/~/g, "~0").replace(/\//g, "~1")).join("/");

function resolve(doc: Json, node: Json): { node: Json; ref: string | null } {
  if (typeof node.$ref !== "string") return { node, ref: null };
  const parts = node.$ref.replace(/^#\//, "").split("/");
  let at: Json = doc;
  for (const p of parts) at = at[p.replace(/~1/g, "/").replace(/~0/g, "~")];
  return { node: at, ref: node.$ref };
}

/** The route file's handler → its operation, for call(), which is given a handler and no URL. */
const handlerOps = new Map<unknown, { method: string; path: string }>();
export async function operationOfHandler(handler: unknown): Promise<{ method: string; path: string } | undefined> {
  if (handlerOps.size === 0) {
    for (const { method, template } of contract().operations) {
      const file = path.resolve("app", `.${template.replace(/\{(\w+)\}/g, "[$1]")}`, "route.ts");
      if (!fs.existsSync(file)) continue;
      const mod = (await import(file)) as Record<string, unknown>;
      if (mod[method]) handlerOps.set(mod[method], { method, path: template });
    }
  }
  return handlerOps.get(handler);
}

/**
 * Checks one response. `pathname` is the request's path (templated or concrete); a path the document
 * does not describe (Stripe webhooks, pages, the catch-all) is not the metering API's and not counted.
 */
export function checkResponse(method: string, pathname: string, status: number, headers: Headers, body: unknown): void {
  const { doc, ajv, operations, validators } = contract();
  const candidates = operations.filter((o) => o.regex.test(pathname) || o.template === pathname);
  if (candidates.length === 0) return;
  const where = `${method} ${pathname} → ${status}`;
  const operation = candidates.find((o) => o.method === method);
  state.checked++;
  if (!operation) {
    // A method the path does not answer: the server's 405 in the error shape.
    if (status !== 405 || !isErrorShape(body)) state.problems.push(`${where}: the operation is not documented (expected a 405 error)`);
    return;
  }
  const documented = operation.op.responses[String(status)] as Json | undefined;
  if (!documented) {
    state.problems.push(
      `${where}: status ${status} is not documented for ${operation.op.operationId} (documented: ${Object.keys(operation.op.responses).join(", ")})`,
    );
    return;
  }
  const { node: reply, ref } = resolve(doc, documented);
  const schemaPointer = `${ref ?? `#/${pointer("paths", operation.template, operation.method.toLowerCase(), "responses", String(status))}`}/content/application~1json/schema`;
  let validate = validators.get(schemaPointer);
  if (!validate) {
    validate = ajv.compile({ $ref: `openapi${schemaPointer}` });
    validators.set(schemaPointer, validate);
  }
  if (!validate(body)) {
    state.problems.push(
      `${where}: the body does not match ${operation.op.operationId}'s ${status} schema: ${ajv.errorsText(validate.errors, { dataVar: "body" })}; body ${JSON.stringify(body).slice(0, 400)}`,
    );
  }
  const documentedHeaders = new Map<string, Json>();
  for (const [name, h] of Object.entries<Json>(reply.headers ?? {})) documentedHeaders.set(name.toLowerCase(), resolve(doc, h).node);
  for (const [name, h] of documentedHeaders) {
    const value = headers.get(name);
    if (value === null) {
      if (h.required) state.problems.push(`${where}: the required header ${name} is missing`);
      continue;
    }
    const valid = h.schema?.type === "integer" ? /^\d+$/.test(value) && Number(value) >= (h.schema.minimum ?? 0) : true;
    if (!valid) state.problems.push(`${where}: header ${name}: ${JSON.stringify(value)} is not a valid ${h.schema.type}`);
  }
  for (const name of headers.keys()) {
    if (!TRANSPORT_HEADERS.has(name) && !documentedHeaders.has(name))
      state.problems.push(`${where}: the header ${name} is not documented for this response`);
  }
}

function isErrorShape(body: unknown): boolean {
  const e = (body as { error?: Record<string, unknown> } | null)?.error;
  return Boolean(e && typeof e.code === "string" && typeof e.message === "string" && typeof e.retryable === "boolean");
}

/** Problems found since the last call (setup.ts fails the test that caused them). */
export function takeContractProblems(): string[] {
  return state.problems.splice(0);
}

/** Writes this file's count of checked responses for the end-of-run total. */
export function writeContractCount(file: string): void {
  if (state.checked === 0) return;
  fs.mkdirSync(CONTRACT_DIR, { recursive: true });
  fs.writeFileSync(
    path.join(CONTRACT_DIR, `${path.basename(file)}-${process.pid}-${Date.now()}.json`),
    JSON.stringify({ file, checked: state.checked }),
  );
}

/** Reads a response's body once for checking, leaving the Response readable for the caller. */
export async function checkFetchResponse(method: string, url: string, res: Response): Promise<void> {
  const text = await res.clone().text();
  let body: unknown = text;
  try {
    body = text ? JSON.parse(text) : null;
  } catch {
    // not JSON: the schema check reports it
  }
  checkResponse(method, new URL(url, "http://127.0.0.1").pathname, res.status, res.headers, body);
}
