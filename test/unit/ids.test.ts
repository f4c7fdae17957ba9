import { describe, expect, it } from "vitest";
import { uuidv7 } from "@/lib/ids";

describe("uuidv7", () => {
  it("is a version 7, variant 10 UUID carrying its millisecond timestamp", () => {
    const id = uuidv7(Date.UTC(2026, 10, 23, 12, 0, 0));
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(parseInt(id.replace(/-/g, "").slice(0, 12), 16)).toBe(Date.UTC(2026, 10, 23, 12, 0, 0));
  });

  it("sorts by time across milliseconds and is unique", () => {
    const ids = Array.from({ length: 1000 }, (_, i) => uuidv7(1_700_000_000_000 + i));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(Array.from({ length: 10_000 }, () => uuidv7())).size).toBe(10_000);
  });

  it("sorts in the order it was made within one millisecond, even past its 4,096-id sequence", () => {
    const at = Date.UTC(2026, 10, 23, 12, 0, 1);
    const ids = Array.from({ length: 10_000 }, () => uuidv7(at));
    expect([...ids].sort()).toEqual(ids);
    expect(new Set(ids).size).toBe(10_000);
    expect(parseInt(ids[0]!.replace(/-/g, "").slice(0, 12), 16)).toBe(at);
  });
});
