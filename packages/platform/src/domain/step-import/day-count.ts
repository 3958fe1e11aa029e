/**
 * Checks one imported day: a real calendar date and a whole, non-negative, plausible step count.
 */
import { isChinaDate } from '@openrun/core';
import { MAX_DAILY_STEPS } from '../steps.js';
import { importError, type ImportRow } from './import-row.js';

/** The row, or a precise import error naming `where`. */
export function parseDayCount(date: unknown, steps: unknown, where: string): ImportRow {
  if (typeof date !== 'string' || !isChinaDate(date)) {
    throw importError(where, `date ${JSON.stringify(date ?? null)} is not a calendar date YYYY-MM-DD`);
  }
  const n = typeof steps === 'string' && /^\s*-?\d+(\.\d+)?\s*$/.test(steps) ? Number(steps) : steps;
  if (typeof n !== 'number' || !Number.isInteger(n)) {
    throw importError(where, `steps ${JSON.stringify(steps ?? null)} is not a whole number`);
  }
  if (n < 0 || n > MAX_DAILY_STEPS) throw importError(where, `steps ${n} is outside 0..${MAX_DAILY_STEPS}`);
  return { date, steps: n, where };
}
