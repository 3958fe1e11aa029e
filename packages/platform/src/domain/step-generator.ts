/**
 * A seeded model of daily step counts: a personal baseline, a weekday/weekend rhythm, rest days, long walks and
 * day-to-day noise. The same seed gives the same history.
 */
import { addChinaDays, type ChinaDate } from '@openrun/core';
import type { StepDay } from '../stores/records.js';

/** A deterministic pseudo-random source in [0, 1) (mulberry32). */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Parameters of a generated history. */
export interface StepModel {
  seed: number;
  /** Typical weekday steps. */
  baseline?: number;
  /** Weekend steps relative to weekdays (e.g. 1.3 for a weekend hiker). */
  weekendFactor?: number;
  /** Chance of a rest day. */
  restDayChance?: number;
}

/** Generates `days` days ending with `lastDate` (oldest first) from the model. */
export function generateStepHistory(lastDate: ChinaDate, days: number, model: StepModel): StepDay[] {
  const random = seededRandom(model.seed);
  const baseline = model.baseline ?? 4000 + Math.floor(random() * 7000);
  const weekendFactor = model.weekendFactor ?? 0.6 + random() * 0.9;
  const restDayChance = model.restDayChance ?? 0.06;
  const out: StepDay[] = [];
  for (let i = days - 1; i >= 0; i--) {
    const date = addChinaDays(lastDate, -i);
    const weekday = new Date(`${date}T00:00:00Z`).getUTCDay();
    const weekend = weekday === 0 || weekday === 6;
    let steps = baseline * (weekend ? weekendFactor : 1) * (0.75 + random() * 0.5);
    const roll = random();
    if (roll < restDayChance) steps = 200 + random() * 1500;
    else if (roll > 0.95) steps *= 1.8 + random();
    out.push({ date, steps: Math.round(steps) });
  }
  return out;
}
