/**
 * Validates a WeRun / QQ Run payload (decrypted, or resolved from a cloudID) and gives each day its China-time date.
 * Unknown keys are ignored, as the platform may add fields.
 * @see PROTOCOL.md §6.1
 */
import type { ChinaDate, StepInfo, Watermark } from '@openrun/core';
import { InvalidOpenDataError } from './decrypt-error.js';
import { midnightDate } from './internal/midnight-date-cache.js';
import { assertWatermark } from './internal/watermark-guard.js';

/** One day of steps with its China-time calendar date. */
export interface WeRunDay extends StepInfo {
  /** The China-time (UTC+8) calendar day, `YYYY-MM-DD`. */
  date: ChinaDate;
}

/** A validated WeRun / QQ Run snapshot: one entry per day, oldest first (the last is the snapshot's today). */
export interface WeRunSnapshot {
  stepInfoList: WeRunDay[];
  watermark: Watermark;
}

/** Options of {@link parseWeRunData}. */
export interface ParseWeRunDataOptions {
  /** Your appid: the watermark must name it. */
  appid: string;
  /** Reject data whose watermark is older than this many seconds. */
  maxAgeSeconds?: number;
  /** The current time in Unix seconds for the age check (default: the system clock). */
  nowSeconds?: number;
  /** With `maxAgeSeconds`: tolerated clock skew for data stamped in the future, seconds (default 300). */
  maxSkewSeconds?: number;
}

function invalid(detail: string): InvalidOpenDataError {
  return new InvalidOpenDataError(undefined, `not WeRun data: ${detail}`);
}

function isNonNegativeInteger(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** Checks the stepInfoList and adds dates; the watermark must already be checked. */
export function datedStepInfoList(list: unknown): WeRunDay[] {
  if (!Array.isArray(list)) throw invalid('stepInfoList is not an array');
  const days: WeRunDay[] = new Array<WeRunDay>(list.length);
  let previous = Number.NEGATIVE_INFINITY;
  for (let i = 0; i < list.length; i++) {
    const entry: unknown = list[i];
    if (typeof entry !== 'object' || entry === null) throw invalid(`stepInfoList[${i}] is not an object`);
    const { timestamp, step } = entry as { timestamp?: unknown; step?: unknown };
    const date = isNonNegativeInteger(timestamp) ? midnightDate(timestamp) : undefined;
    if (date === undefined || !isNonNegativeInteger(timestamp)) {
      throw invalid(`stepInfoList[${i}].timestamp is not a China-time midnight`);
    }
    if (!isNonNegativeInteger(step)) throw invalid(`stepInfoList[${i}].step is not a non-negative integer`);
    if (timestamp <= previous) throw invalid('stepInfoList is not in ascending day order');
    days[i] = { date, timestamp, step };
    previous = timestamp;
  }
  return days;
}

/**
 * Validates a WeRun / QQ Run payload and dates each day: checks the watermark (appid, optional age), that every
 * `timestamp` is a China-time midnight in ascending order and every `step` a non-negative integer.
 * Throws {@link InvalidOpenDataError}, {@link WatermarkAppIdMismatchError} or {@link WatermarkTooOldError}.
 * @example const snapshot = parseWeRunData(item.data, { appid }); // a cloudID's resolved data
 */
export function parseWeRunData(payload: unknown, options: ParseWeRunDataOptions): WeRunSnapshot {
  assertWatermark(payload, options);
  const { stepInfoList, watermark } = payload as { stepInfoList?: unknown; watermark: Watermark };
  return {
    stepInfoList: datedStepInfoList(stepInfoList),
    watermark: { timestamp: watermark.timestamp, appid: watermark.appid },
  };
}
