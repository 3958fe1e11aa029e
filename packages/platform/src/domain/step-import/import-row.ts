/**
 * What every step-import parser yields: one dated count and where it came from, for precise error messages.
 */
import type { ChinaDate } from '@openrun/core';
import { OpenRunApiError } from '../errors.js';

/** One parsed row: a day (CSV, JSON) or a sample to add to a day (Apple Health). */
export interface ImportRow {
  date: ChinaDate;
  steps: number;
  /** "line 12", "object 3": where the row is in the input. */
  where: string;
}

/** Rows are handed over in batches of about this many. */
export const IMPORT_BATCH_SIZE = 5000;

/** The import error: what is wrong, where; nothing was written. */
export function importError(where: string, what: string): OpenRunApiError {
  return new OpenRunApiError('IMPORT_INVALID', `${where}: ${what}; nothing was imported`);
}
