import { CsvError, parse } from 'csv-parse/sync';
import type { MailroomError } from '../../../shared/result';

export type CsvDelimiter = ',' | ';' | '\t';

/** One data row of the list: its spreadsheet row number (the header is row 1) and its cells by field. */
export interface CsvRow {
  row: number;
  cells: string[];
}

export interface ParsedCsv {
  fields: string[];
  delimiter: CsvDelimiter;
  rows: CsvRow[];
}

const BOM = '\uFEFF';
const CANDIDATES: readonly CsvDelimiter[] = [',', ';', '\t'];

/**
 * The delimiter the header line uses: the candidate found most often outside quotes. Spreadsheets
 * in locales with a decimal comma (German, French) save ";"-separated files under the same .csv
 * name, and a header line holds field names, not numbers, so it is the reliable line to count on.
 */
export function detectDelimiter(text: string): CsvDelimiter {
  const counts = new Map<CsvDelimiter, number>(CANDIDATES.map((c) => [c, 0]));
  let quoted = false;
  for (const char of text) {
    if (char === '"') quoted = !quoted;
    else if (!quoted && (char === '\n' || char === '\r')) break;
    else if (!quoted && counts.has(char as CsvDelimiter))
      counts.set(char as CsvDelimiter, counts.get(char as CsvDelimiter)! + 1);
  }
  let best: CsvDelimiter = ',';
  for (const c of CANDIDATES) if (counts.get(c)! > counts.get(best)!) best = c;
  return best;
}

function invalid(message: string, hint: string): { ok: false; error: MailroomError } {
  return { ok: false, error: { code: 'MERGE_CSV_INVALID', message, hint } };
}

/**
 * A recipients list: header row = field names, then one row per recipient. Parsed by csv-parse
 * (RFC 4180 quoting: quoted fields may hold the delimiter, quotes doubled, line breaks), with or
 * without a BOM, CRLF or LF. Blank lines keep their row number, as a spreadsheet shows them, and are
 * not recipients.
 */
export function parseCsv(text: string): { ok: true; value: ParsedCsv } | { ok: false; error: MailroomError } {
  const body = text.startsWith(BOM) ? text.slice(BOM.length) : text;
  if (!body.trim()) {
    return invalid(
      'The list is empty.',
      'Choose a CSV file whose first row names the fields (e.g. email,name).',
    );
  }
  const delimiter = detectDelimiter(body);
  let records: string[][];
  try {
    records = parse(body, {
      delimiter,
      relax_column_count: true,
      skip_empty_lines: false,
      trim: false,
    }) as string[][];
  } catch (error) {
    if (error instanceof CsvError) {
      const line = (error as CsvError & { lines?: number }).lines;
      return invalid(
        `The list could not be read${line ? ` at line ${line}` : ''}: ${error.message.replace(/^Invalid [^:]*: /, '')}`,
        'Check the quotes on that line: a field that holds the delimiter or a quote must be in double quotes, with its own quotes doubled ("").',
      );
    }
    throw error;
  }
  const [header, ...data] = records;
  const fields = (header ?? []).map((f) => f.trim());
  if (fields.every((f) => f === '')) {
    return invalid(
      'The first row of the list is empty.',
      'The first row must name the fields, e.g. email,name.',
    );
  }
  const seen = new Set<string>();
  for (const field of fields) {
    if (field !== '' && seen.has(field)) {
      return invalid(
        `The list names the field “${field}” twice in its first row.`,
        'Give every column its own name, then choose the file again.',
      );
    }
    seen.add(field);
  }
  const rows: CsvRow[] = [];
  data.forEach((cells, index) => {
    if (cells.every((c) => c.trim() === '')) return;
    rows.push({ row: index + 2, cells });
  });
  return { ok: true, value: { fields, delimiter, rows } };
}
