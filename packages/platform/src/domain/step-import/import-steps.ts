/**
 * Streams a step file into a user's history: CSV or JSON (one row per day, a date twice is an error) or an Apple
 * Health export (samples summed per China-time day). Rows are read in batches and checked as they come; the days are
 * written in one transaction at the end, so a bad row anywhere leaves the history untouched.
 */
import type { Readable } from 'node:stream';
import type { StepDay } from '../../stores/records.js';
import type { PlatformContext } from '../context.js';
import { MAX_DAILY_STEPS } from '../steps.js';
import { requireUser } from '../users.js';
import { appleHealthDays, type AppleHealthOptions } from './apple-health-days.js';
import type { HealthSourceCount } from './health-samples.js';
import { csvDays } from './csv-days.js';
import { importError, type ImportRow } from './import-row.js';
import { jsonDays } from './json-days.js';

/** The formats `importSteps` reads. */
export type StepImportFormat = 'csv' | 'json' | 'apple-health';

/** What an import did. */
export interface StepImportResult {
  /** Rows (days or samples) read. */
  rows: number;
  /** Days written. */
  days: number;
  /** First and last day written, when any. */
  from: string | null;
  to: string | null;
  /** Apple Health: every source in the file and how many step samples it wrote. */
  sources?: HealthSourceCount[];
}

function rowsOf(format: StepImportFormat, source: Readable, health: AppleHealthOptions): AsyncGenerator<ImportRow[]> {
  if (format === 'csv') return csvDays(source);
  if (format === 'json') return jsonDays(source);
  return appleHealthDays(source, health);
}

/** Reads the whole stream, checks every row, then writes the days in one transaction. */
export async function importSteps(
  ctx: PlatformContext,
  userId: string,
  format: StepImportFormat,
  source: Readable,
  options: { sources?: string[] } = {},
): Promise<StepImportResult> {
  await requireUser(ctx, userId);
  const sum = format === 'apple-health';
  const days = new Map<string, number>();
  let rows = 0;
  const report: { sources?: HealthSourceCount[] } = {};
  try {
    for await (const batch of rowsOf(format, source, { ...(options.sources ? { sources: options.sources } : {}), report })) {
      for (const row of batch) {
        rows++;
        const before = days.get(row.date);
        if (before !== undefined && !sum) throw importError(row.where, `date ${row.date} appears twice`);
        const total = (before ?? 0) + row.steps;
        if (total > MAX_DAILY_STEPS) throw importError(row.where, `${row.date} adds up to ${Math.round(total)} steps, more than ${MAX_DAILY_STEPS}`);
        days.set(row.date, total);
      }
    }
  } finally {
    // A rejected upload is drained, so the reply can still be written on the same connection.
    if (!source.readableEnded) source.resume();
  }
  const list: StepDay[] = [...days].map(([date, steps]) => ({ date, steps: Math.round(steps) })).sort((a, b) => (a.date < b.date ? -1 : 1));
  await ctx.durable.putSteps(userId, list);
  return { rows, days: list.length, from: list[0]?.date ?? null, to: list.at(-1)?.date ?? null, ...(report.sources ? { sources: report.sources } : {}) };
}
