import { Readable } from "node:stream";
import { describe, expect, it } from "vitest";
import { MAX_BODY_BYTES, readJson, readJsonFrom } from "@/lib/api/body";
import { takeRequestBody, withRequestId } from "@/lib/log";

// The metering hot path reads its body from the Node stream the server hands over (readJsonFrom) rather
// than the Request's web stream (readJson): every body gets the same answer either way.

function node(bytes: Buffer, chunk = 7): Readable {
  const parts: Buffer[] = [];
  for (let at = 0; at < bytes.length; at += chunk) parts.push(bytes.subarray(at, at + chunk));
  return Readable.from(parts, { objectMode: false });
}

function request(bytes: Buffer, headers: Record<string, string>): Request {
  return new Request("http://n/api/v1/track", { method: "POST", body: new Uint8Array(bytes), headers });
}

const outcome = async (read: Promise<unknown>) => {
  try {
    return { value: await read };
  } catch (err) {
    return { error: { name: (err as Error).name, code: (err as { code?: string }).code, message: (err as Error).message } };
  }
};

describe("readJsonFrom (the hot path's body, from the Node stream)", () => {
  const json = { "content-type": "application/json" };
  const cases: [string, string | Buffer, Record<string, string>][] = [
    ["a JSON body", JSON.stringify({ action: "aria.chat", metadata: { a: [1, 2, { b: "é" }] } }), json],
    ["an empty body", "", json],
    ["malformed JSON", "{nope", json],
    ["a JSON type with a suffix", "{}", { "content-type": "application/vnd.api+json; charset=utf-8" }],
    ["another content type", '{"action":"aria.chat"}', { "content-type": "text/plain" }],
    ["no content type", '{"action":"aria.chat"}', {}],
    ["a NUL character", JSON.stringify({ action: "a\u0000b" }), json],
    ["too deep", "[".repeat(40) + "]".repeat(40), json],
    ["multi-byte characters split across chunks", JSON.stringify({ subject: "naïve — 東京 🚀".repeat(20) }), json],
    ["invalid UTF-8", Buffer.from([0x7b, 0x22, 0x61, 0x22, 0x3a, 0x22, 0xff, 0xfe, 0x22, 0x7d]), json],
  ];
  it.each(cases)("answers %s as readJson does", async (_name, body, headers) => {
    const bytes = Buffer.isBuffer(body) ? body : Buffer.from(body);
    const withLength = { ...headers, "content-length": String(bytes.length) };
    const expected = await outcome(readJson(request(bytes, withLength)));
    expect(await outcome(readJsonFrom(request(bytes, withLength), node(bytes)))).toEqual(expected);
  });

  it("refuses a declared length over the limit before reading, as readJson does", async () => {
    const headers = { ...json, "content-length": String(MAX_BODY_BYTES + 1) };
    const stream = node(Buffer.from("{}"));
    const answer = await outcome(readJsonFrom(request(Buffer.from("{}"), headers), stream));
    expect(answer.error?.code).toBe("payload_too_large");
  });

  it("leaves a body without a declared length, or a stream already read, to readJson", async () => {
    const bytes = Buffer.from('{"action":"aria.chat"}');
    expect(await readJsonFrom(request(bytes, json), node(Buffer.from('{"other":1}')))).toEqual({ action: "aria.chat" });
    const read = node(Buffer.from('{"other":1}'));
    for await (const chunk of read) void chunk;
    expect(await readJsonFrom(request(bytes, { ...json, "content-length": String(bytes.length) }), read)).toEqual({ action: "aria.chat" });
    expect(await readJsonFrom(request(bytes, { ...json, "content-length": String(bytes.length) }), undefined)).toEqual({
      action: "aria.chat",
    });
  });

  it("fails when the stream breaks off, instead of waiting for ever", async () => {
    const broken = new Readable({ read() {} });
    broken.push(Buffer.from('{"act'));
    setImmediate(() => broken.destroy(new Error("aborted")));
    const bytes = Buffer.from('{"action":"aria.chat"}');
    await expect(readJsonFrom(request(bytes, { ...json, "content-length": String(bytes.length) }), broken)).rejects.toThrow("aborted");
  });

  it("is handed over once per request through the request context", async () => {
    const stream = node(Buffer.from("{}"));
    const taken = await withRequestId("r-1", async () => [takeRequestBody(), takeRequestBody()], { body: stream });
    expect(taken).toEqual([stream, undefined]);
    expect(await withRequestId("r-2", async () => takeRequestBody())).toBeUndefined();
  });
});
