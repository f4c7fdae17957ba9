import { describe, expect, it } from "vitest";
import { admitted, FairAdmission, tenantOf } from "@/lib/metering/admission";
import type { AppError } from "@/lib/errors";

/**
 * A FairAdmission with a hand-moved clock, recording who started and who was refused, in order.
 * `finish()` ends the call that started first of those still running (or the one named).
 */
function setup(options: { concurrency: number; perTenant?: number; parkedPerTenant?: number; maxQueued?: number; maxWaitMs?: number }) {
  let clock = 0;
  const admission = new FairAdmission({ maxQueued: 100, maxWaitMs: 2_000, ...options, clock: () => clock });
  const started: string[] = [];
  const refused: { call: string; error: AppError }[] = [];
  const running = new Map<string, () => void>();
  const yields = new Map<string, () => void>();
  const admit = (tenant: string, call: string) =>
    admission.admit(
      tenant,
      (done, yieldTurn) => {
        started.push(call);
        running.set(call, done);
        yields.set(call, yieldTurn);
      },
      (error) => refused.push({ call, error }),
    );
  const finish = (call?: string) => {
    const name = call ?? running.keys().next().value!;
    const done = running.get(name)!;
    running.delete(name);
    done();
    return done;
  };
  const park = (call: string) => yields.get(call)!();
  return { admission, started, refused, admit, finish, park, tick: (ms: number) => (clock += ms) };
}

describe("fair admission to the metering hot path", () => {
  it("runs up to `concurrency` calls at once; the others wait and go as calls finish", () => {
    const { admission, started, admit, finish } = setup({ concurrency: 2 });
    for (const call of ["a1", "a2", "a3", "a4"]) admit("A", call);
    expect(started).toEqual(["a1", "a2"]);
    expect(admission.stats).toEqual({ running: 2, waiting: 2, parked: 0, tenants: 1 });
    finish();
    expect(started).toEqual(["a1", "a2", "a3"]);
    finish();
    finish();
    expect(started).toEqual(["a1", "a2", "a3", "a4"]);
    expect(admission.stats).toEqual({ running: 1, waiting: 0, parked: 0, tenants: 0 });
  });

  it("lets a quiet key's call pass a hot key's backlog, and busy keys take turns", () => {
    const { started, admit, finish } = setup({ concurrency: 1 });
    for (let i = 0; i < 50; i++) admit("hot", `hot${i}`);
    admit("warm", "warm0");
    admit("warm", "warm1");
    admit("quiet", "quiet0");
    for (let i = 0; i < 6; i++) finish();
    // warm and quiet were not waiting: one call each first; then hot and warm round-robin.
    expect(started).toEqual(["hot0", "hot1", "warm0", "quiet0", "hot2", "warm1", "hot3"]);
  });

  it("answers 503 overloaded, with Retry-After, to a call that waited longer than maxWaitMs", () => {
    const { started, refused, admit, finish, tick } = setup({ concurrency: 1, maxWaitMs: 2_000 });
    admit("A", "a1");
    admit("A", "a2");
    tick(1_000);
    admit("B", "b1");
    tick(1_500); // a2 has waited 2.5 s, b1 1.5 s
    finish();
    expect(refused.map((r) => r.call)).toEqual(["a2"]);
    expect(refused[0]!.error).toMatchObject({ code: "overloaded", status: 503, options: { headers: { "Retry-After": "1" } } });
    expect(refused[0]!.error.message).toMatch(/Nothing was charged/);
    expect(started).toEqual(["a1", "b1"]);
  });

  it("when the queue is full, refuses the hot key's newest call to make room for another key's", () => {
    const { admission, started, refused, admit, finish } = setup({ concurrency: 1, maxQueued: 3 });
    for (const call of ["a0", "a1", "a2", "a3"]) admit("A", call); // a0 runs, a1–a3 wait
    admit("A", "a4"); // full, and A is the longest lane: refused
    admit("B", "b1"); // full, but B waits less than A: A's newest (a3) goes
    expect(refused.map((r) => r.call)).toEqual(["a4", "a3"]);
    expect(admission.stats).toMatchObject({ waiting: 3 });
    finish();
    finish();
    finish();
    expect(started).toEqual(["a0", "a1", "b1", "a2"]);
  });

  it("forgets a call whose caller went away while it waited", () => {
    const { admission, started, admit, finish } = setup({ concurrency: 1 });
    const cancelFirst = admit("A", "a0");
    const cancel = admit("B", "b1");
    admit("C", "c1");
    cancel();
    cancelFirst(); // already running: nothing to cancel
    expect(admission.stats).toEqual({ running: 1, waiting: 1, parked: 0, tenants: 1 });
    finish();
    expect(started).toEqual(["a0", "c1"]);
  });

  it("keeps the last slot from a key that holds the others: another key's call starts at once", () => {
    const { admission, started, admit, finish } = setup({ concurrency: 3, perTenant: 2 });
    for (let i = 0; i < 5; i++) admit("hot", `hot${i}`);
    expect(started).toEqual(["hot0", "hot1"]); // a slot is free, but hot runs its share
    expect(admission.stats).toEqual({ running: 2, waiting: 3, parked: 0, tenants: 1 });
    admit("probe", "probe0");
    expect(started).toEqual(["hot0", "hot1", "probe0"]);
    finish("hot0");
    expect(started.at(-1)).toBe("hot2"); // hot's next takes its freed place
    finish("probe0"); // the free slot stays for another key
    expect(started).toEqual(["hot0", "hot1", "probe0", "hot2"]);
    expect(admission.stats).toEqual({ running: 2, waiting: 2, parked: 0, tenants: 1 });
  });

  it("a call's done counts once, however often it is called", () => {
    const { admission, started, admit, finish } = setup({ concurrency: 1 });
    admit("A", "a0");
    admit("A", "a1");
    admit("A", "a2");
    const done = finish("a0");
    done();
    done();
    expect(started).toEqual(["a0", "a1"]);
    expect(admission.stats).toEqual({ running: 1, waiting: 1, parked: 0, tenants: 1 });
  });

  it("a call waiting for its workspace's round trip gives its slot back, up to `parkedPerTenant` of a key", () => {
    const { admission, started, admit, finish, park } = setup({ concurrency: 3, perTenant: 2, parkedPerTenant: 2 });
    for (let i = 0; i < 8; i++) admit("hot", `hot${i}`);
    expect(started).toEqual(["hot0", "hot1"]);
    park("hot0");
    park("hot0"); // once
    expect(started).toEqual(["hot0", "hot1", "hot2"]);
    park("hot1");
    expect(started.at(-1)).toBe("hot3");
    park("hot2"); // two of hot's calls wait without a slot already: hot2 keeps its own
    expect(started).toEqual(["hot0", "hot1", "hot2", "hot3"]);
    expect(admission.stats).toEqual({ running: 2, waiting: 4, parked: 2, tenants: 1 });
    admit("probe", "probe0"); // the slot kept for other keys is still there
    expect(started.at(-1)).toBe("probe0");
    finish("hot0"); // a parked call's end frees no slot, but makes room for another to park
    expect(admission.stats).toEqual({ running: 3, waiting: 4, parked: 1, tenants: 1 });
    park("hot2");
    expect(started.at(-1)).toBe("hot4");
    finish("hot2")(); // once
    expect(admission.stats).toEqual({ running: 3, waiting: 3, parked: 1, tenants: 1 });
  });

  it("parks at most `concurrency` calls of all keys together", () => {
    const { admission, started, admit, park } = setup({ concurrency: 2, parkedPerTenant: 5 });
    for (const tenant of ["A", "B", "C", "D"]) admit(tenant, `${tenant}0`);
    expect(started).toEqual(["A0", "B0"]);
    park("A0");
    park("B0");
    expect(started).toEqual(["A0", "B0", "C0", "D0"]);
    park("C0"); // two parked already
    expect(admission.stats).toEqual({ running: 2, waiting: 0, parked: 2, tenants: 0 });
  });

  it("parks nothing by default", () => {
    const { admission, started, admit, park } = setup({ concurrency: 1 });
    admit("A", "a0");
    admit("A", "a1");
    park("a0");
    expect(started).toEqual(["a0"]);
    expect(admission.stats).toEqual({ running: 1, waiting: 1, parked: 0, tenants: 1 });
  });

  it("admits only the action routes, and tells tenants apart by key prefix or else address", () => {
    expect(admitted("POST", "/api/v1/track")).toBe(true);
    expect(admitted("POST", "/api/v1/reservations")).toBe(true);
    expect(admitted("GET", "/api/v1/track")).toBe(false);
    expect(admitted("POST", "/api/v1/reservations/abc/commit")).toBe(false);
    expect(admitted("GET", "/api/v1/balance")).toBe(false);
    const key = `cb_live_ABCDEFGHIJKL_${"s".repeat(43)}`;
    expect(tenantOf(`Bearer ${key}`, "10.0.0.1")).toBe("key:cb_live_ABCDEFGHIJKL");
    expect(tenantOf(`Bearer ${key.replace(/s+$/, "t".repeat(43))}`, "10.0.0.2")).toBe("key:cb_live_ABCDEFGHIJKL");
    expect(tenantOf(undefined, "10.0.0.1")).toBe("ip:10.0.0.1");
    expect(tenantOf("Basic abc", "10.0.0.1")).toBe("ip:10.0.0.1");
  });
});
