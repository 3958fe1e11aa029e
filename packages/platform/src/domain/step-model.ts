/**
 * The live step model: a seeded, per-day deterministic history (weekday/weekend rhythm, week-long streaks of more or
 * less activity, rest days, long walks, noise) and a daily curve, so that "today" grows as the platform clock moves.
 * Each day depends only on the seed and the date, so a history can be extended day by day and read at any instant.
 */
import { addChinaDays, chinaDateOf, chinaDateOfDayNumber, chinaDayNumber, chinaDayStart, type ChinaDate } from '@openrun/core';
import type { StepDay } from '../stores/records.js';
import type { StepModelRecord } from '../stores/state-snapshot.js';
import { seededRandom } from './step-generator.js';

/** The parameters of a model; unset ones are drawn from the seed. */
export interface StepModelParams {
  seed: number;
  baseline?: number;
  weekendFactor?: number;
  restDayChance?: number;
}

/** A model with every parameter decided. */
export type ResolvedStepModel = Omit<StepModelRecord, 'through'>;

/** Share of a day's steps walked by each whole hour of the China day (0 h … 24 h): sleep, commute, lunch, evening. */
const DAILY_CURVE = [
  0, 0, 0, 0, 0, 0, 0.01, 0.04, 0.12, 0.2, 0.25, 0.3, 0.4, 0.46, 0.5, 0.55, 0.6, 0.66, 0.76, 0.86, 0.93, 0.97, 0.99, 1, 1,
];

/** A 32-bit FNV-1a hash of a string. */
function hash(text: string): number {
  let h = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    h ^= text.charCodeAt(i);
    h = Math.imul(h, 0x01000193);
  }
  return h >>> 0;
}

/** Decides the unset parameters from the seed. */
export function resolveStepModel(params: StepModelParams): ResolvedStepModel {
  const random = seededRandom(params.seed);
  const baseline = params.baseline ?? 4000 + Math.floor(random() * 7000);
  const weekendFactor = params.weekendFactor ?? Math.round((0.6 + random() * 0.9) * 100) / 100;
  return { seed: params.seed, baseline, weekendFactor, restDayChance: params.restDayChance ?? 0.06 };
}

/** A whole day's steps under the model (`dayIndex` is the date's day number, when the caller has it). */
export function modelDaySteps(model: ResolvedStepModel, date: ChinaDate, dayIndex = chinaDayNumber(date)): number {
  const day = seededRandom(hash(`${model.seed}:${date}`));
  // Monday-based week number: a week shares one mood, which makes streaks of active and lazy days.
  const week = seededRandom(hash(`${model.seed}:week:${Math.floor((dayIndex + 3) / 7)}`));
  const mood = 0.8 + week() * 0.45;
  const weekday = (dayIndex + 4) % 7; // 0 = Sunday
  const weekend = weekday === 0 || weekday === 6;
  let steps = model.baseline * mood * (weekend ? model.weekendFactor : 1) * (0.8 + day() * 0.4);
  const roll = day();
  if (roll < model.restDayChance) steps = 200 + day() * 1500;
  else if (roll > 0.95) steps *= 1.6 + day() * 0.8;
  return Math.min(Math.round(steps), 99_999);
}

/** Share of a day's steps already walked at `nowMs` (China time). */
export function dayProgress(nowMs: number): number {
  const seconds = Math.floor(nowMs / 1000);
  const hours = (nowMs / 1000 - chinaDayStart(seconds)) / 3600;
  const h = Math.min(Math.floor(hours), 23);
  const a = DAILY_CURVE[h]!;
  const b = DAILY_CURVE[h + 1]!;
  return a + (b - a) * (hours - h);
}

/** The model's `days` whole days ending with `lastDate`, oldest first. */
export function modelHistory(model: ResolvedStepModel, lastDate: ChinaDate, days: number): StepDay[] {
  const out: StepDay[] = [];
  const last = chinaDayNumber(lastDate);
  for (let i = days - 1; i >= 0; i--) {
    const date = chinaDateOfDayNumber(last - i);
    out.push({ date, steps: modelDaySteps(model, date, last - i) });
  }
  return out;
}

/**
 * Fills the days after `model.through` up to today (never later) that have no stored count: whole days from the model,
 * today as far as the daily curve has got at `nowMs`.
 */
export function withLiveDays(stored: StepDay[], model: StepModelRecord, from: ChinaDate, to: ChinaDate, nowMs: number): StepDay[] {
  const today = chinaDateOf(Math.floor(nowMs / 1000));
  const last = to < today ? to : today;
  let date = addChinaDays(model.through, 1);
  if (date < from) date = from;
  const byDate = new Map(stored.map((d) => [d.date, d.steps]));
  for (; date <= last; date = addChinaDays(date, 1)) {
    if (byDate.has(date)) continue;
    const whole = modelDaySteps(model, date);
    byDate.set(date, date === today ? Math.round(whole * dayProgress(nowMs)) : whole);
  }
  return [...byDate].map(([d, steps]) => ({ date: d, steps })).sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}
