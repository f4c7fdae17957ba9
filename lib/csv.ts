import { stringify } from "csv-stringify/sync";

/**
 * Every CSV the product writes (the usage history, the ledger) is made here: RFC 4180 with CRLF
 * between records. Cells come from API callers and operators (subjects, reasons), so they are made
 * safe for spreadsheets:
 * - a cell holding a CR or LF is always quoted. csv-stringify quotes a cell that contains the record
 *   delimiter (CRLF) but not a lone LF or CR, and spreadsheets start a new row at either: "Artist\n=1+1"
 *   went out bare and put `=1+1` in column A of a row of its own;
 * - a cell a spreadsheet would run as a formula (starting with = + - @, a tab or a CR) gets a leading
 *   single quote, and so does every line inside a multi-line cell, for readers that split lines
 *   before fields.
 */
const OPTIONS = { escape_formulas: true, record_delimiter: "windows", quoted_match: /[\r\n]/ } as const;

const LINE_START_FORMULA = /(?<=[\r\n])(?=[=+\-@\t])/g;

function guardLines(cell: string | number): string | number {
  return typeof cell === "string" ? cell.replace(LINE_START_FORMULA, "'") : cell;
}

/** Records (the header is a record too) as CSV text ending in CRLF. */
export function csvRecords(records: readonly (readonly (string | number)[])[]): string {
  return stringify(
    records.map((record) => record.map(guardLines)),
    OPTIONS,
  );
}
