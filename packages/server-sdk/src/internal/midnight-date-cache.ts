/**
 * Dates of China-time midnights, memoised: every snapshot of a day repeats the same 31 midnights, and formatting a
 * date costs more than decrypting a day's entry. Bounded; pure (the values are core's `chinaDateOf`).
 */
import { chinaDateOf, chinaDayStart } from '@openrun/core';
import type { ChinaDate } from '@openrun/core';

const MAX_ENTRIES = 4_096;
const dates = new Map<number, ChinaDate>();

/** The China-time date of `timestamp` if it is a China-time midnight, else undefined. */
export function midnightDate(timestamp: number): ChinaDate | undefined {
  const known = dates.get(timestamp);
  if (known !== undefined) return known;
  if (chinaDayStart(timestamp) !== timestamp) return undefined;
  if (dates.size >= MAX_ENTRIES) dates.clear();
  const date = chinaDateOf(timestamp);
  dates.set(timestamp, date);
  return date;
}
