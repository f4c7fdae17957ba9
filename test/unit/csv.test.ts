import { describe, expect, it } from "vitest";
import fc from "fast-check";
import { csvRecords } from "@/lib/csv";
import { parseCsv } from "../support/csv";

const FORMULA_START = /^[=+\-@\t\r]/;

describe("csvRecords", () => {
  it("quotes a cell with a lone LF or CR, so a spreadsheet keeps it in one cell", () => {
    const text = csvRecords([
      ["subject", "credits"],
      ["Artist\n=1+1", 5],
      ["refund\rreason", 1],
    ]);
    expect(text).toBe('subject,credits\r\n"Artist\n\'=1+1",5\r\n"refund\rreason",1\r\n');
    const rows = parseCsv(text);
    expect(rows).toHaveLength(3);
    expect(rows[1]).toEqual(["Artist\n'=1+1", "5"]);
  });

  it("guards the start of every cell and of every line inside a cell", () => {
    const text = csvRecords([['=HYPERLINK("http://x")', "@SUM(A1)", "ok\r\n+cmd", "-2"]]);
    for (const cell of parseCsv(text)[0]!) expect(cell).not.toMatch(FORMULA_START);
    // No physical line of the file starts with a formula character (readers that split lines first).
    for (const line of text.split(/\r\n|\n|\r/)) expect(line.replace(/^"/, "")).not.toMatch(/^[=+\-@\t]/);
  });

  it("round-trips any text: one record per row, no cell a spreadsheet would run", () => {
    const cell = fc.string({ unit: fc.constantFrom("a", "=", "+", "-", "@", "\t", "\r", "\n", '"', ",", " ", "1") });
    fc.assert(
      fc.property(fc.array(fc.array(cell, { minLength: 1, maxLength: 4 }), { minLength: 1, maxLength: 5 }), (records) => {
        const rows = parseCsv(csvRecords(records));
        expect(rows).toHaveLength(records.length);
        rows.forEach((row, i) => {
          expect(row).toHaveLength(records[i]!.length);
          for (const c of row) {
            expect(c).not.toMatch(FORMULA_START);
            for (const line of c.split(/\r\n|\n|\r/).slice(1)) expect(line).not.toMatch(/^[=+\-@\t]/);
          }
        });
      }),
    );
  });
});
