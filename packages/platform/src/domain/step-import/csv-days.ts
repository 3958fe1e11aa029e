/**
 * CSV step import: `date,steps` per line (a header naming the `date` and `steps` columns is optional; other columns
 * are ignored). Streamed through csv-parse.
 */
import { CsvError, parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { IMPORT_BATCH_SIZE, importError, type ImportRow } from './import-row.js';
import { parseDayCount } from './day-count.js';

/** What csv-parse found wrong, without its own "at line N" (the import error names the line). */
function csvProblem(error: CsvError): string {
  return `${error.message.replace(/^[^:]*: /, '').replace(/ at line \d+/, '')} (${error.code})`;
}

/** Yields the rows of a CSV stream in batches. */
export async function* csvDays(source: Readable): AsyncGenerator<ImportRow[]> {
  const parser = source.pipe(parse({ info: true, skip_empty_lines: true, trim: true, relax_column_count: true, bom: true }));
  let dateCol = 0;
  let stepsCol = 1;
  let first = true;
  let batch: ImportRow[] = [];
  try {
    for await (const { record, info } of parser as AsyncIterable<{ record: string[]; info: { lines: number } }>) {
      const where = `line ${info.lines}`;
      if (first) {
        first = false;
        const names = record.map((c) => c.toLowerCase());
        if (!/^\d/.test(names[0] ?? '')) {
          dateCol = names.indexOf('date');
          stepsCol = names.indexOf('steps');
          if (dateCol < 0 || stepsCol < 0) throw importError(where, `the header needs "date" and "steps" columns, got "${record.join(',')}"`);
          continue;
        }
      }
      batch.push(parseDayCount(record[dateCol], record[stepsCol], where));
      if (batch.length >= IMPORT_BATCH_SIZE) {
        yield batch;
        batch = [];
      }
    }
  } catch (error) {
    // Every csv-parse failure (stray quote, unclosed quote, bad encoding …) is the caller's data, never a 500.
    if (error instanceof CsvError) throw importError(`line ${error.lines}`, csvProblem(error));
    throw error;
  }
  if (batch.length > 0) yield batch;
}
