/**
 * The China-time (UTC+8) step calendar: day starts, `YYYY-MM-DD` dates and the 31-entry stepInfoList, computed the
 * same way whatever the process's time zone.
 * @see PROTOCOL.md §6
 */

const DAY_SECONDS = 86_400;
const CHINA_OFFSET_SECONDS = 8 * 3_600;
const DATE_PATTERN = /^(\d{4})-(\d{2})-(\d{2})$/;

/** How many days a WeRun snapshot covers by default (today and the 30 before it). */
export const DEFAULT_STEP_DAYS = 31;

/** A calendar day in China time, `YYYY-MM-DD`. */
export type ChinaDate = string;

/** Unix seconds of 00:00 China time of the day that contains `epochSeconds`. */
export function chinaDayStart(epochSeconds: number): number {
  return Math.floor((epochSeconds + CHINA_OFFSET_SECONDS) / DAY_SECONDS) * DAY_SECONDS - CHINA_OFFSET_SECONDS;
}

/** The China-time date (`YYYY-MM-DD`) that contains `epochSeconds`. */
export function chinaDateOf(epochSeconds: number): ChinaDate {
  // Days since 1970-01-01 to a civil date (H. Hinnant's days_from_civil inverse): no Date objects on the hot path.
  const z = Math.floor((epochSeconds + CHINA_OFFSET_SECONDS) / DAY_SECONDS) + 719_468;
  const era = Math.floor(z / 146_097);
  const doe = z - era * 146_097;
  const yoe = Math.floor((doe - Math.floor(doe / 1460) + Math.floor(doe / 36_524) - Math.floor(doe / 146_096)) / 365);
  const doy = doe - (365 * yoe + Math.floor(yoe / 4) - Math.floor(yoe / 100));
  const mp = Math.floor((5 * doy + 2) / 153);
  const day = doy - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yoe + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(year).padStart(4, '0')}-${month < 10 ? '0' : ''}${month}-${day < 10 ? '0' : ''}${day}`;
}

/** True for a real calendar day written `YYYY-MM-DD` (rejects 2026-02-30). */
export function isChinaDate(value: string): value is ChinaDate {
  const m = DATE_PATTERN.exec(value);
  if (!m) return false;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  return !Number.isNaN(t) && new Date(t).toISOString().slice(0, 10) === value;
}

/** Unix seconds of 00:00 China time on `date`; throws RangeError for a date that is not a real day. */
export function chinaMidnightOf(date: ChinaDate): number {
  if (!isChinaDate(date)) throw new RangeError(`[openrun] "${date}" is not a calendar date (expected YYYY-MM-DD)`);
  return Date.parse(`${date}T00:00:00Z`) / 1000 - CHINA_OFFSET_SECONDS;
}

/** The day number of `date`: whole days since 1970-01-01 (how stores keep a date compactly). */
export function chinaDayNumber(date: ChinaDate): number {
  return (chinaMidnightOf(date) + CHINA_OFFSET_SECONDS) / DAY_SECONDS;
}

/** The date of a day number (the inverse of `chinaDayNumber`). */
export function chinaDateOfDayNumber(dayNumber: number): ChinaDate {
  return chinaDateOf(dayNumber * DAY_SECONDS - CHINA_OFFSET_SECONDS);
}

/** An instant (epoch ms) as China time with its offset: `2026-03-04 23:50:00 +08:00` (what the CLI and dashboard show). */
export function formatChinaTime(epochMs: number): string {
  const seconds = Math.floor(epochMs / 1000);
  const inDay = seconds - chinaDayStart(seconds);
  const two = (n: number) => (n < 10 ? '0' : '') + n;
  return `${chinaDateOf(seconds)} ${two(Math.floor(inDay / 3600))}:${two(Math.floor(inDay / 60) % 60)}:${two(inDay % 60)} +08:00`;
}

/** The date `days` calendar days after `date` (negative for before). */
export function addChinaDays(date: ChinaDate, days: number): ChinaDate {
  return chinaDateOf(chinaMidnightOf(date) + days * DAY_SECONDS);
}

/** The first and last of `stepWindowDates`, without writing out the days between (the range a snapshot reads). */
export function stepWindowBounds(epochSeconds: number, count: number = DEFAULT_STEP_DAYS): [first: ChinaDate, last: ChinaDate] {
  const today0 = chinaDayStart(epochSeconds);
  return [chinaDateOf(today0 - (count - 1) * DAY_SECONDS), chinaDateOf(today0)];
}

/** The window written out last: every snapshot of a day asks for the same one. */
let lastWindow: { today0: number; count: number; dates: readonly ChinaDate[] } | undefined;

/** The `count` dates of the window ending on the day that starts at `today0`, oldest first (memoised, read-only). */
function windowDates(today0: number, count: number): readonly ChinaDate[] {
  if (lastWindow?.today0 === today0 && lastWindow.count === count) return lastWindow.dates;
  const dates: ChinaDate[] = [];
  for (let i = count - 1; i >= 0; i--) dates.push(chinaDateOf(today0 - i * DAY_SECONDS));
  lastWindow = { today0, count, dates };
  return dates;
}

/** The `count` China-time dates ending with the day of `epochSeconds`, oldest first. */
export function stepWindowDates(epochSeconds: number, count: number = DEFAULT_STEP_DAYS): ChinaDate[] {
  return windowDates(chinaDayStart(epochSeconds), count).slice();
}

/** One day of a WeRun / QQ Run snapshot. */
export interface StepInfo {
  /** Unix seconds of 00:00 China time of that day. */
  timestamp: number;
  /** Steps walked that day (0 when nothing was recorded). */
  step: number;
}

/**
 * Builds the stepInfoList for a snapshot taken at `epochSeconds`: `count` entries, oldest first, one per China day,
 * the last being today; days missing from `stepsByDate` count 0.
 */
export function buildStepInfoList(
  epochSeconds: number,
  stepsByDate: ReadonlyMap<ChinaDate, number>,
  count: number = DEFAULT_STEP_DAYS,
): StepInfo[] {
  const today0 = chinaDayStart(epochSeconds);
  const dates = windowDates(today0, count);
  const list: StepInfo[] = [];
  for (let i = 0; i < count; i++) {
    list.push({ timestamp: today0 - (count - 1 - i) * DAY_SECONDS, step: stepsByDate.get(dates[i]!) ?? 0 });
  }
  return list;
}
