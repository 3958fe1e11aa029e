/**
 * Step histories as the control API edits them: one count per China-time day. A generated history also keeps its
 * model, which supplies the days after the last written one (today grows with the clock) until a write overrides them.
 */
import { addChinaDays, chinaDateOf, isChinaDate, type ChinaDate } from '@openrun/core';
import type { StepDay } from '../stores/records.js';
import type { StepModelRecord } from '../stores/state-snapshot.js';
import type { PlatformContext } from './context.js';
import { OpenRunApiError } from './errors.js';
import { modelHistory, resolveStepModel, withLiveDays, type StepModelParams } from './step-model.js';
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

/** A user's days between two dates (inclusive), stored or from the live model, oldest first. No user check. */
export async function readHistory(ctx: PlatformContext, userId: string, from: ChinaDate, to: ChinaDate): Promise<StepDay[]> {
  const stored = await ctx.durable.getSteps(userId, from, to);
  const model = await ctx.durable.getStepModel(userId);
  return model ? withLiveDays(stored, model, from, to, ctx.clock.now()) : stored;
}

/** Reads a user's days between two dates (inclusive). */
export async function getSteps(ctx: PlatformContext, userId: string, from: ChinaDate, to: ChinaDate): Promise<StepDay[]> {
  await requireUser(ctx, userId);
  for (const d of [from, to]) {
    if (!isChinaDate(d)) throw new OpenRunApiError('INVALID_DATE', `"${d}" is not a calendar date YYYY-MM-DD`);
  }
  return readHistory(ctx, userId, from, to);
}

/** What `generateSteps` makes. */
export interface GenerateStepsOptions extends Partial<StepModelParams> {
  /** Days of history ending today (default 60). */
  days?: number;
}

/** A seed derived from the user id, so a history without an explicit seed is still reproducible. */
export function seedOf(userId: string): number {
  let h = 0;
  for (let i = 0; i < userId.length; i++) h = (Math.imul(h, 31) + userId.charCodeAt(i)) >>> 0;
  return h;
}

/** The written part (whole days before today) and the kept model of a generated history. */
export function plannedHistory(
  params: StepModelParams,
  today: ChinaDate,
  days: number,
): { days: StepDay[]; model: StepModelRecord } {
  const model = resolveStepModel(params);
  const written = modelHistory(model, today, days).slice(0, -1);
  return { days: written, model: { ...model, through: addChinaDays(today, -1) } };
}

/**
 * Generates a realistic history: whole days before today are written; today and later days come from the kept model,
 * so today's count grows with the platform clock. Returns the window as it reads now.
 */
export async function generateSteps(ctx: PlatformContext, userId: string, options: GenerateStepsOptions): Promise<StepDay[]> {
  await requireUser(ctx, userId);
  const days = options.days ?? 60;
  const today = chinaDateOf(ctx.clock.nowSeconds());
  const plan = plannedHistory({ ...options, seed: options.seed ?? seedOf(userId) }, today, days);
  await ctx.durable.saveGeneratedHistory(userId, plan.days, plan.model);
  return readHistory(ctx, userId, addChinaDays(today, 1 - days), today);
}
