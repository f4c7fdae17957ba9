import type { Readable } from "node:stream";
import type { z } from "zod";
import { AppError, fieldErrors } from "@/lib/errors";

/** The largest JSON body any route accepts (webhooks have their own limit). */
export const MAX_BODY_BYTES = 64 * 1024;
/**
 * How deep any JSON body may nest (objects and arrays). Free-form fields (`metadata`) are stored as
 * jsonb; PostgreSQL refuses deep values with an error of its own (a 500 at 5,000 levels), and nothing
 * a caller means to store needs more than a few levels.
 */
export const MAX_JSON_DEPTH = 32;

/**
 * Reads a JSON body, streaming, refusing more than MAX_BODY_BYTES (413), a content type other than
 * JSON (415) and malformed JSON (400). An empty body reads as {}.
 */
export async function readJson(req: Request): Promise<unknown> {
  const declared = Number(req.headers.get("content-length") ?? "0");
  if (declared > MAX_BODY_BYTES) throw tooLarge();
  const reader = req.body?.getReader();
  const chunks: Uint8Array[] = [];
  let size = 0;
  if (reader) {
    for (;;) {
      const { done, value } = await reader.read();
      if (done) break;
      size += value.byteLength;
      if (size > MAX_BODY_BYTES) {
        await reader.cancel();
        throw tooLarge();
      }
      chunks.push(value);
    }
  }
  return parseBody(req, chunks, size);
}

const tooLarge = () => new AppError("payload_too_large", `The body is larger than ${MAX_BODY_BYTES / 1024} KB.`);

/**
 * readJson, reading the request's Node body stream (`raw`, handed over by scripts/server.mjs through
 * lib/log.ts takeRequestBody) instead of the Request's web stream: the same answers, without a promise
 * hop per chunk — the metering hot path's routes. Only for a declared length within the limit and a
 * stream nobody has read; anything else (chunked, too large, no stream) goes to readJson.
 */
export async function readJsonFrom(req: Request, raw: Readable | undefined): Promise<unknown> {
  const length = req.headers.get("content-length");
  if (!raw || length === null || raw.readableDidRead || raw.readableEnded || raw.destroyed || !(Number(length) <= MAX_BODY_BYTES))
    return readJson(req);
  const chunks = await new Promise<Buffer[]>((resolve, reject) => {
    const read: Buffer[] = [];
    let size = 0;
    const settle = (err?: unknown) => {
      raw.off("data", onData).off("end", onEnd).off("error", settle).off("close", onClose);
      if (err) reject(err);
      else resolve(read);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.byteLength;
      // Not past a declared length the HTTP parser holds the body to; kept as readJson has it.
      if (size > MAX_BODY_BYTES) {
        raw.destroy();
        settle(tooLarge());
      } else read.push(chunk);
    };
    const onEnd = () => settle();
    const onClose = () => settle(new Error("The request's body ended before it was complete."));
    raw.on("data", onData).once("end", onEnd).once("error", settle).once("close", onClose);
  });
  return parseBody(
    req,
    chunks,
    chunks.reduce((n, c) => n + c.byteLength, 0),
  );
}

/** The rest of readJson, once the body's bytes are read. */
function parseBody(req: Request, chunks: Uint8Array[], size: number): unknown {
  if (size === 0) return {};
  const type = req.headers.get("content-type") ?? "";
  if (!/^application\/(.+\+)?json\b/i.test(type)) {
    throw new AppError("unsupported_media_type", "Send the body as JSON with `Content-Type: application/json`.");
  }
  const text = new TextDecoder("utf-8", { fatal: false }).decode(chunks.length === 1 ? chunks[0] : Buffer.concat(chunks));
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new AppError("invalid_request", "The body is not valid JSON.");
  }
  if (containsNul(value)) throw nulRefused("The body");
  if (jsonDepth(value) > MAX_JSON_DEPTH) {
    throw new AppError("invalid_request", `The body nests objects or arrays more than ${MAX_JSON_DEPTH} levels deep. Flatten it.`);
  }
  return value;
}

/**
 * Does any string (or key) in a parsed JSON value contain U+0000? PostgreSQL's text cannot store it, so
 * such input is refused up front with a 400 instead of failing at the database. Iterative: fuzzed
 * bodies nest deeper than the call stack.
 */
export function containsNul(value: unknown): boolean {
  const stack: unknown[] = [value];
  while (stack.length > 0) {
    const v = stack.pop();
    if (typeof v === "string") {
      if (v.includes("\u0000")) return true;
    } else if (Array.isArray(v)) {
      stack.push(...v);
    } else if (v && typeof v === "object") {
      for (const [k, item] of Object.entries(v)) {
        if (k.includes("\u0000")) return true;
        stack.push(item);
      }
    }
  }
  return false;
}

/** How deep a parsed JSON value nests (a scalar is 0, `{}` and `[]` are 1). Iterative, like containsNul. */
export function jsonDepth(value: unknown): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (!v || typeof v !== "object") continue;
    deepest = Math.max(deepest, depth + 1);
    for (const item of Array.isArray(v) ? v : Object.values(v)) if (item && typeof item === "object") stack.push([item, depth + 1]);
  }
  return deepest;
}

export function nulRefused(where: string): AppError {
  return new AppError("invalid_request", `${where} contains the NUL character (\\u0000), which cannot be stored. Remove it.`);
}

/** The 400 for a body that does not match its schema, naming each field. */
export function invalidFields(error: z.ZodError): AppError {
  return new AppError("invalid_request", "Some fields are missing or invalid.", { details: { fields: fieldErrors(error.issues) } });
}

/** Reads and validates a JSON body in one step. */
export async function parseJsonBody<S extends z.ZodType>(req: Request, schema: S): Promise<z.infer<S>> {
  const parsed = schema.safeParse(await readJson(req));
  if (!parsed.success) throw invalidFields(parsed.error);
  return parsed.data;
}
