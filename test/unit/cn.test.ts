import fc from "fast-check";
import { twMerge } from "tailwind-merge";
import { clsx } from "clsx";
import { describe, expect, it } from "vitest";
import { cn } from "@/lib/cn";

// The base classes of components/ui (Button, Badge, Card, CardBody, fields) and what callers pass them.
const VOCABULARY = (
  "inline-flex items-center justify-center gap-2 whitespace-nowrap rounded-md px-3 py-2 sm:px-3.5 text-sm font-semibold shadow-xs " +
  "transition-colors focus-visible:outline-2 focus-visible:outline-offset-2 disabled:cursor-not-allowed bg-indigo-600 text-white " +
  "hover:bg-indigo-500 focus-visible:outline-indigo-600 disabled:bg-indigo-300 bg-white text-slate-900 ring-1 ring-inset ring-slate-300 " +
  "hover:bg-slate-50 disabled:text-slate-400 text-slate-700 hover:bg-slate-100 rounded-full px-2.5 py-0.5 text-xs font-medium " +
  "rounded-xl shadow-sm ring-slate-200 px-5 py-5 sm:px-6 break-words font-mono bg-red-600 hover:bg-red-500 focus-visible:outline-red-600 " +
  "disabled:bg-red-300 grid gap-6 lg:grid-cols-5 ring-amber-300 w-full whitespace-normal text-red-800 hover:bg-red-100 p-0 sm:p-0 " +
  "bg-slate-100 hidden sm:inline-flex gap-8 px-5 py-2.5 hover:text-white px-6 py-10 text-center py-12 ring-red-200 space-y-4 py-2 " +
  "mt-1.5 block rounded-md border-0 shadow-xs ring-red-400 focus:ring-red-500 focus:ring-2 focus:ring-inset focus:ring-indigo-600 " +
  "sm:text-sm placeholder:text-slate-400 mt-4 -mt-1 mx-auto m-0 h-28 animate-pulse shrink-0 text-base font-bold justify-between items-start"
).split(" ");

const same = (classes: string[]) => expect(cn(...classes)).toBe(twMerge(clsx(classes)));

describe("cn", () => {
  it("lets a caller's classes replace the base's of the same kind, as tailwind-merge does", () => {
    expect(cn("inline-flex px-3 py-2 bg-indigo-600", "hidden sm:inline-flex px-5 bg-red-600")).toBe(
      "py-2 hidden sm:inline-flex px-5 bg-red-600",
    );
    expect(cn("px-5 py-5 sm:px-6", "p-0 sm:p-0")).toBe("p-0 sm:p-0");
    expect(cn("ring-1 ring-slate-200", "ring-amber-300")).toBe("ring-1 ring-amber-300");
    expect(cn("text-sm text-white", "text-xs")).toBe("text-white text-xs");
    expect(cn("a", false, null, undefined, { b: true, c: false })).toBe("a b");
  });

  it("says what tailwind-merge says for every call of the components", () => {
    same([
      "inline-flex items-center rounded-md px-3 py-2 sm:px-3.5 text-sm bg-indigo-600 text-white hover:bg-indigo-500",
      "bg-red-600 hover:bg-red-500 focus-visible:outline-red-600 disabled:bg-red-300",
    ]);
    same(["text-slate-700 hover:bg-slate-100", "text-red-800 hover:bg-red-100"]);
    same(["px-3 py-2 sm:px-3.5 text-sm", "px-5 py-2.5 text-white hover:bg-indigo-500 hover:text-white"]);
    // NarrowField: the field's control with less padding on a phone.
    same([
      "mt-1.5 block w-full rounded-md border-0 px-3 py-2 text-slate-900 shadow-xs ring-1 ring-inset focus:ring-2 focus:ring-inset sm:text-sm",
      "min-w-0 bg-white px-2.5 sm:px-3",
      "ring-slate-300 focus:ring-indigo-600",
    ]);
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 14 }),
        fc.array(fc.constantFrom(...VOCABULARY), { maxLength: 6 }),
        (base, extra) => {
          // tailwind-merge also drops exact repeats; the components never repeat a class.
          const unique = [...new Set([...base, ...extra])];
          same([unique.slice(0, base.length).join(" "), unique.slice(base.length).join(" ")]);
        },
      ),
      { numRuns: 2000 },
    );
  });
});
