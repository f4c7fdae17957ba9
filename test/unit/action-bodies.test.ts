import { describe, expect, it } from "vitest";
import { acceptReserveBody, acceptTrackBody, reserveBody, trackBody } from "@/lib/metering/schemas";
import { MAX_ACTION_KEY_LENGTH, MAX_CREDITS, MAX_IDEMPOTENCY_KEY_LENGTH, MAX_QUANTITY } from "@/lib/pricing/limits";

// The hot path's hand-written body check (lib/metering/schemas.ts) against the zod schemas it stands in
// for: whatever it takes, zod takes too, with the very same output (fields, values, key order); what it
// leaves (null), zod answers. Every field is tried with valid, edge and invalid values, alone and together.

const text = (n: number, c = "a") => c.repeat(n);
const VALUES: Record<string, unknown[]> = {
  workspace_id: ["ws_1", "", text(100), text(101), 7, null, ["ws"], { id: "ws" }],
  external_id: ["acme-1", "", text(200), text(201), false, null, "x402:0xabc"],
  member_email: [
    "ann@example.com",
    "Ann.Lee+tag@Example.co.uk",
    " ann@example.com ",
    "ann@example",
    "ann@@example.com",
    ".ann@example.com",
    "ann..lee@example.com",
    "ann@exa_mple.com",
    `${text(243)}@example.com`,
    `${text(244)}@example.com`,
    "",
    12,
    null,
  ],
  action: [
    "aria.chat",
    "a",
    text(MAX_ACTION_KEY_LENGTH),
    text(MAX_ACTION_KEY_LENGTH + 1),
    "Aria.Chat",
    "aria chat",
    "",
    1,
    null,
    ["aria.chat"],
  ],
  quantity: [1, 2, MAX_QUANTITY, MAX_QUANTITY + 1, 0, -1, 1.5, 1e21, "2", null, true, Number.MAX_SAFE_INTEGER + 2, -0],
  estimate: [0, 5, MAX_CREDITS, MAX_CREDITS + 1, -1, 2.5, "5", null],
  idempotency_key: ["k-1", "", text(MAX_IDEMPOTENCY_KEY_LENGTH), text(MAX_IDEMPOTENCY_KEY_LENGTH + 1), 5, null],
  subject: ["doc-7", "", text(200), text(201), {}, null],
  metadata: [
    {},
    { a: 1, b: "two", c: [3], d: { e: null } },
    { 2: "b", 1: "a", z: 0, y: 1 },
    JSON.parse('{"__proto__": {"polluted": true}, "a": 1}'),
    JSON.parse('{"a": {"__proto__": 1}}'),
    { constructor: 1 },
    [],
    [1, 2],
    null,
    "meta",
    5,
  ],
  unknown: [0, "x"],
};

function bodies(fields: string[]): unknown[] {
  const out: unknown[] = [{ action: "aria.chat" }];
  // Each field's values on the minimal body, then pairs of valid-looking values.
  for (const field of fields) for (const value of VALUES[field]!) out.push({ action: "aria.chat", [field]: value });
  for (const field of fields) for (const value of VALUES.action!) out.push({ [field]: VALUES[field]![0], action: value });
  const full: Record<string, unknown> = {};
  for (const field of fields) if (field !== "unknown") full[field] = VALUES[field]![0];
  out.push(full, { ...full, metadata: VALUES.metadata![2] }, JSON.parse(JSON.stringify(full)));
  // Reversed key order in, the schema's order out.
  out.push(Object.fromEntries(Object.entries(full).reverse()));
  out.push({}, null, [], "aria.chat", 5, JSON.parse('{"action": "aria.chat", "__proto__": {"x": 1}}'));
  return out;
}

describe.each([
  ["track", trackBody, acceptTrackBody, Object.keys(trackBody.shape)],
  ["reserve", reserveBody, acceptReserveBody, Object.keys(reserveBody.shape)],
] as const)("the hot path's %s body check", (_kind, schema, accept, shape) => {
  const cases = bodies([...shape.filter((k) => k !== "action"), "unknown", ...(shape.includes("estimate") ? [] : ["estimate"])]);

  it("takes only what zod takes, and returns exactly zod's output", () => {
    let taken = 0;
    for (const raw of cases) {
      const fast = accept(raw);
      const parsed = schema.safeParse(raw);
      if (fast === null) continue;
      taken++;
      expect(parsed.success, JSON.stringify(raw)).toBe(true);
      expect(JSON.stringify(fast)).toBe(JSON.stringify(parsed.data));
      expect(fast).toStrictEqual(parsed.data);
    }
    expect(taken).toBeGreaterThan(20);
  });

  it("takes the bodies of ordinary calls itself (zod only answers the rest)", () => {
    const ordinary = [
      { action: "aria.chat" },
      { action: "aria.chat", quantity: 3, idempotency_key: "k-1" },
      { workspace_id: "ws_1", action: "aria.chat", subject: "doc-7", metadata: { model: "large", tokens: 1200 } },
      { external_id: "acme-1", member_email: "ann@example.com", action: "aria.chat" },
    ];
    for (const raw of ordinary) expect(accept(raw), JSON.stringify(raw)).not.toBeNull();
  });

  it("copies metadata, as zod does (the caller's object is not passed on)", () => {
    const metadata = { a: 1 };
    expect(accept({ action: "aria.chat", metadata })!.metadata).not.toBe(metadata);
  });
});
