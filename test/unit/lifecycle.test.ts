import { describe, expect, it } from "vitest";
import { isDraining, onShutdown, runShutdownHooks, startDraining } from "@/lib/lifecycle";
import { currentRequestId, requestIdFrom, withRequestId } from "@/lib/log";

describe("request ids", () => {
  it("keeps a sane caller id and replaces anything else with a new UUID", () => {
    expect(requestIdFrom("lb-1234.abc_DEF:9")).toBe("lb-1234.abc_DEF:9");
    for (const bad of [undefined, null, "", "has space", "x".repeat(129), "<script>", "a\nb"]) {
      expect(requestIdFrom(bad)).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    }
    expect(requestIdFrom(["first", "second"])).toBe("first");
  });

  it("follows a request through awaits, and two requests never see each other's id", async () => {
    const seen = await Promise.all(
      ["req-a", "req-b"].map((id) =>
        withRequestId(id, async () => {
          await new Promise((r) => setImmediate(r));
          return currentRequestId();
        }),
      ),
    );
    expect(seen).toEqual(["req-a", "req-b"]);
    expect(currentRequestId()).toBeUndefined();
  });
});

describe("shutdown", () => {
  it("stops the work before the connections it uses, keeps going past a failure, and drains once asked", async () => {
    const order: string[] = [];
    onShutdown("database", "connections", async () => void order.push("database"));
    onShutdown("jobs", "work", async () => void order.push("jobs (replaced below)"));
    onShutdown("jobs", "work", async () => {
      order.push("jobs");
      throw new Error("boom");
    });
    onShutdown("timers", "work", async () => void order.push("timers"));
    expect(isDraining()).toBe(false);
    startDraining();
    expect(isDraining()).toBe(true);
    const results = await runShutdownHooks();
    expect(order).toEqual(["jobs", "timers", "database"]);
    expect(results.map((r) => [r.name, r.error instanceof Error ? r.error.message : "ok"])).toEqual([
      ["jobs", "boom"],
      ["timers", "ok"],
      ["database", "ok"],
    ]);
    expect(await runShutdownHooks()).toEqual([]);
  });
});
