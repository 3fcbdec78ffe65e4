/**
 * CSV lines as RFC 4180 writes them, safe to open in a spreadsheet: a cell that a spreadsheet
 * would run as a formula (it starts with = + - @, a tab or a carriage return) gets a leading
 * apostrophe, OWASP's rule against CSV injection, since audited text comes from people and tools.
 */

const FORMULA_START = /^[=+\-@\t\r]/;
const NEEDS_QUOTES = /[",\r\n]/;

/** One cell; null is an empty cell. */
function csvCell(value: string | null): string {
  if (value === null) return '';
  const safe = FORMULA_START.test(value) ? `'${value}` : value;
  return NEEDS_QUOTES.test(safe) ? `"${safe.replaceAll('"', '""')}"` : safe;
}

/** One record, ended by CRLF as RFC 4180 asks. */
export function csvLine(values: readonly (string | null)[]): string {
  return `${values.map(csvCell).join(',')}\r\n`;
}
