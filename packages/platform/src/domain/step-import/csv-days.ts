/**
 * CSV step import: `date,steps` per line (a header naming the `date` and `steps` columns is optional; other columns
 * are ignored). Streamed through csv-parse.
 */
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';
import { IMPORT_BATCH_SIZE, importError, type ImportRow } from './import-row.js';
import { parseDayCount } from './day-count.js';

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
    if (error instanceof Error && 'code' in error && String(error.code).startsWith('CSV_')) {
      throw importError('CSV', error.message);
    }
    throw error;
  }
  if (batch.length > 0) yield batch;
}
