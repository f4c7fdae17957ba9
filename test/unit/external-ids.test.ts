import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { AppError } from "@/lib/errors";
import { assertExternalIdAllowed, isReservedExternalId } from "@/lib/workspaces/external-ids";

describe("the reserved x402: external-id space", () => {
  it("holds every casing of the prefix, with spaces or invisible characters anywhere in it", () => {
    const padding = fc.constantFrom("", " ", "\t", "\n", "\u200b", "\u2060", "\ufeff", "\u00ad");
    fc.assert(
      fc.property(
        fc.array(fc.boolean(), { minLength: 4, maxLength: 4 }),
        fc.array(padding, { minLength: 6, maxLength: 6 }),
        fc.string({ maxLength: 50 }),
        (upper, pads, rest) => {
          const letters = ["x", "4", "0", "2"].map((c, i) => (upper[i] ? c.toUpperCase() : c));
          const id = `${pads[0]}${letters[0]}${pads[1]}${letters[1]}${pads[2]}${letters[2]}${pads[3]}${letters[3]}${pads[4]}:${pads[5]}${rest}`;
          expect(isReservedExternalId(id)).toBe(true);
        },
      ),
    );
  });

  it("folds compatibility forms (fullwidth) but leaves look-alike ids of the platform's own alone", () => {
    expect(isReservedExternalId("\uff38\uff14\uff10\uff12\uff1a0xabc")).toBe(true);
    for (const id of ["x402-0xabc", "x402_0xabc", "customer:x402:0xabc", "x4020:1", "x40:2", ""])
      expect(isReservedExternalId(id), id).toBe(false);
  });

  it("is refused as 422 reserved_external_id naming the field and what to do", () => {
    const thrown = (() => {
      try {
        assertExternalIdAllowed("X402:0xABC");
      } catch (err) {
        return err;
      }
    })();
    expect(thrown).toBeInstanceOf(AppError);
    const body = (thrown as AppError).toBody();
    expect((thrown as AppError).status).toBe(422);
    expect(body.error).toMatchObject({ code: "reserved_external_id", field: "external_id", retryable: false });
    expect(body.error.actionable_next_step).toContain("x402:");
  });
});
