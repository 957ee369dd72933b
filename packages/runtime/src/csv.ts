/**
 * CSV/TSV annotations (Aff-Wild `path,valence,arousal`, OMG-Emotion, …) parsed by csv-parse, streamed so a
 * file of any length is read in bounded memory. Every row keeps its 1-based line number for error messages.
 */
import { createReadStream } from 'node:fs';
import { extname } from 'node:path';
import { parse } from 'csv-parse';
import { writeFileAtomic } from './atomic.js';
import { atLine, messageOf } from './errors.js';
import { decimalNumber } from './numbers.js';

/** Options of {@link readCsvRows} and {@link readCsv}. */
export interface ReadCsvOptions {
  /** The first row names the columns (default true). */
  header?: boolean;
  /** Field separator; default ',' or '\t' for `.tsv` files. */
  delimiter?: string;
}

/** One data row of a CSV file. */
export interface CsvRow {
  /** 1-based line of the row's first character in the file. */
  line: number;
  fields: string[];
  /** Fields by column name (only when the file has a header). */
  record?: Record<string, string>;
}

/** A whole CSV file: its header (if any) and rows. */
export interface CsvTable {
  header?: string[];
  rows: CsvRow[];
}

function delimiterFor(path: string, options: { delimiter?: string }): string {
  return options.delimiter ?? (extname(path).toLowerCase() === '.tsv' ? '\t' : ',');
}

/**
 * Streams the data rows of a CSV/TSV file. Rows whose field count differs from the first row's, and quoting
 * errors, fail with `file:line`.
 */
export async function* readCsvRows(path: string, options: ReadCsvOptions = {}): AsyncGenerator<CsvRow> {
  const source = createReadStream(path);
  const parser = parse({ delimiter: delimiterFor(path, options), info: true, skip_empty_lines: true, trim: true, bom: true });
  // pipe() does not forward the file's errors (a missing file): they end the iteration below instead.
  source.on('error', (err) => parser.destroy(err));
  source.pipe(parser);
  let header: string[] | undefined;
  try {
    for await (const item of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const { record, info } = item;
      if ((options.header ?? true) && header === undefined) {
        header = checkHeader(record, path, info.lines);
        continue;
      }
      yield header === undefined
        ? { line: info.lines, fields: record }
        : { line: info.lines, fields: record, record: toRecord(header, record) };
    }
  } catch (err) {
    const line = (err as { lines?: number }).lines;
    if (line === undefined) throw new Error(`${path}: ${messageOf(err)}`, { cause: err });
    throw atLine(path, line, messageOf(err));
  } finally {
    source.destroy();
    parser.destroy();
  }
}

/** Reads a whole CSV/TSV file (see {@link readCsvRows}); the header is returned separately. */
export async function readCsv(path: string, options: ReadCsvOptions = {}): Promise<CsvTable> {
  const rows: CsvRow[] = [];
  for await (const row of readCsvRows(path, { ...options, header: false })) rows.push(row);
  if (!(options.header ?? true)) return { rows };
  const first = rows.shift();
  const header = first === undefined ? [] : checkHeader(first.fields, path, first.line);
  for (const row of rows) row.record = toRecord(header, row.fields);
  return { header, rows };
}

/** The header row, unless two columns share a name (a record could then only hold one of them). */
function checkHeader(header: string[], path: string, line: number): string[] {
  const seen = new Map<string, number>();
  header.forEach((name, i) => {
    const first = seen.get(name);
    if (first !== undefined) throw atLine(path, line, `duplicate column name '${name}' (columns ${first + 1} and ${i + 1})`);
    seen.set(name, i);
  });
  return header;
}

function toRecord(header: readonly string[], fields: readonly string[]): Record<string, string> {
  return Object.fromEntries(header.map((name, i) => [name, fields[i]!]));
}

/**
 * A field as a finite decimal number (see {@link decimalNumber}: `0x10` is not one), or an error naming the
 * file, line and column.
 */
export function csvNumber(row: CsvRow, column: string | number, file = '<csv>'): number {
  const value = typeof column === 'number' ? row.fields[column] : row.record?.[column];
  const v = value === undefined ? NaN : decimalNumber(value);
  if (!Number.isFinite(v)) throw atLine(file, row.line, `column ${JSON.stringify(column)} is not a number: '${value}'`);
  return v;
}

function quote(field: string | number, delimiter: string): string {
  const s = String(field);
  return /["\r\n]/.test(s) || s.includes(delimiter) ? `"${s.replaceAll('"', '""')}"` : s;
}

/** Formats rows (and an optional header) as CSV/TSV text, quoting fields per RFC 4180. */
export function formatCsv(
  rows: readonly (readonly (string | number)[])[],
  options: { header?: readonly string[]; delimiter?: string } = {},
): string {
  const d = options.delimiter ?? ',';
  const all = options.header ? [options.header, ...rows] : rows;
  return all.map((r) => r.map((f) => quote(f, d)).join(d)).join('\n') + '\n';
}

/** Writes rows as a CSV (or TSV by `.tsv` extension) file atomically. */
export async function writeCsv(
  path: string,
  rows: readonly (readonly (string | number)[])[],
  options: { header?: readonly string[]; delimiter?: string } = {},
): Promise<void> {
  await writeFileAtomic(path, formatCsv(rows, { ...options, delimiter: delimiterFor(path, options) }));
}
