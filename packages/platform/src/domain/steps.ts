/**
 * Step histories as the control API edits them: one count per China-time day.
 */
import { isChinaDate, type ChinaDate } from '@openrun/core';
import type { StepDay } from '../stores/records.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';
import { requireUser } from './users.js';

/** Most steps OpenRun accepts for one day (the world record is far below). */
export const MAX_DAILY_STEPS = 1_000_000;

/** Writes days of a user's history in one transaction, after checking every date and count. */
export async function putSteps(ctx: PlatformContext, userId: string, days: StepDay[]): Promise<void> {
  await requireUser(ctx, userId);
  for (const [i, d] of days.entries()) {
    if (!isChinaDate(d.date)) throw new OpenRunApiError('INVALID_DATE', `days[${i}].date "${d.date}" is not a calendar date YYYY-MM-DD`);
    if (!Number.isInteger(d.steps) || d.steps < 0 || d.steps > MAX_DAILY_STEPS) {
      throw new OpenRunApiError('VALIDATION', `days[${i}].steps must be a whole number from 0 to ${MAX_DAILY_STEPS}`);
    }
  }
  const seen = new Set<string>();
  for (const d of days) {
    if (seen.has(d.date)) throw new OpenRunApiError('VALIDATION', `date ${d.date} appears twice`);
    seen.add(d.date);
  }
  await ctx.durable.putSteps(userId, days);
}

/** Reads a user's days between two dates (inclusive). */
export async function getSteps(ctx: PlatformContext, userId: string, from: ChinaDate, to: ChinaDate): Promise<StepDay[]> {
  await requireUser(ctx, userId);
  for (const d of [from, to]) {
    if (!isChinaDate(d)) throw new OpenRunApiError('INVALID_DATE', `"${d}" is not a calendar date YYYY-MM-DD`);
  }
  return ctx.durable.getSteps(userId, from, to);
}
