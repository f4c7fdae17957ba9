import { describe, expect, it } from "vitest";
import { admitted, FairAdmission, tenantOf } from "@/lib/metering/admission";
import type { AppError } from "@/lib/errors";

/** A FairAdmission with a hand-moved clock, recording who started and who was refused, in order. */
function setup(options: { concurrency: number; maxQueued?: number; maxWaitMs?: number }) {
  let clock = 0;
  const admission = new FairAdmission({ maxQueued: 100, maxWaitMs: 2_000, ...options, clock: () => clock });
  const started: string[] = [];
  const refused: { call: string; error: AppError }[] = [];
  const admit = (tenant: string, call: string) =>
    admission.admit(
      tenant,
      () => started.push(call),
      (error) => refused.push({ call, error }),
    );
  return { admission, started, refused, admit, tick: (ms: number) => (clock += ms) };
}

describe("fair admission to the metering hot path", () => {
  it("runs up to `concurrency` calls at once; the others wait and go as calls finish", () => {
    const { admission, started, admit } = setup({ concurrency: 2 });
    for (const call of ["a1", "a2", "a3", "a4"]) admit("A", call);
    expect(started).toEqual(["a1", "a2"]);
    expect(admission.stats).toEqual({ running: 2, waiting: 2, tenants: 1 });
    admission.done();
    expect(started).toEqual(["a1", "a2", "a3"]);
    admission.done();
    admission.done();
    expect(started).toEqual(["a1", "a2", "a3", "a4"]);
    expect(admission.stats).toEqual({ running: 1, waiting: 0, tenants: 0 });
  });

  it("lets a quiet key's call pass a hot key's backlog, and busy keys take turns", () => {
    const { admission, started, admit } = setup({ concurrency: 1 });
    for (let i = 0; i < 50; i++) admit("hot", `hot${i}`);
    admit("warm", "warm0");
    admit("warm", "warm1");
    admit("quiet", "quiet0");
    for (let i = 0; i < 6; i++) admission.done();
    // warm and quiet were not waiting: one call each first; then hot and warm round-robin.
    expect(started).toEqual(["hot0", "hot1", "warm0", "quiet0", "hot2", "warm1", "hot3"]);
  });

  it("answers 503 overloaded, with Retry-After, to a call that waited longer than maxWaitMs", () => {
    const { admission, started, refused, admit, tick } = setup({ concurrency: 1, maxWaitMs: 2_000 });
    admit("A", "a1");
    admit("A", "a2");
    tick(1_000);
    admit("B", "b1");
    tick(1_500); // a2 has waited 2.5 s, b1 1.5 s
    admission.done();
    expect(refused.map((r) => r.call)).toEqual(["a2"]);
    expect(refused[0]!.error).toMatchObject({ code: "overloaded", status: 503, options: { headers: { "Retry-After": "1" } } });
    expect(refused[0]!.error.message).toMatch(/Nothing was charged/);
    expect(started).toEqual(["a1", "b1"]);
  });

  it("when the queue is full, refuses the hot key's newest call to make room for another key's", () => {
    const { admission, started, refused, admit } = setup({ concurrency: 1, maxQueued: 3 });
    for (const call of ["a0", "a1", "a2", "a3"]) admit("A", call); // a0 runs, a1–a3 wait
    admit("A", "a4"); // full, and A is the longest lane: refused
    admit("B", "b1"); // full, but B waits less than A: A's newest (a3) goes
    expect(refused.map((r) => r.call)).toEqual(["a4", "a3"]);
    expect(admission.stats).toMatchObject({ waiting: 3 });
    admission.done();
    admission.done();
    admission.done();
    expect(started).toEqual(["a0", "a1", "b1", "a2"]);
  });

  it("forgets a call whose caller went away while it waited", () => {
    const { admission, started, admit } = setup({ concurrency: 1 });
    const cancelFirst = admit("A", "a0");
    const cancel = admit("B", "b1");
    admit("C", "c1");
    cancel();
    cancelFirst(); // already running: nothing to cancel
    expect(admission.stats).toEqual({ running: 1, waiting: 1, tenants: 1 });
    admission.done();
    expect(started).toEqual(["a0", "c1"]);
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
