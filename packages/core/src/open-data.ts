/**
 * The decrypted / resolved WeRun payload: its types, its compact serialization (key order of the real platform) and
 * the watermark checks every decoder must make.
 * @see PROTOCOL.md §6, §7
 */
import type { StepInfo } from './step-calendar.js';

/** The watermark the platform stamps on open data. */
export interface Watermark {
  /** Unix seconds when the data was produced. */
  timestamp: number;
  /** The appid the data was issued to. */
  appid: string;
}

/** The WeRun / QQ Run open data: one entry per day, oldest first, plus the watermark. */
export interface WeRunData {
  stepInfoList: StepInfo[];
  watermark: Watermark;
}

/** Serializes WeRun data exactly as the platform encrypts it: compact, `stepInfoList` then `watermark`, `timestamp` first. */
export function serializeWeRunData(data: WeRunData): string {
  let text = '{"stepInfoList":[';
  const list = data.stepInfoList;
  for (let i = 0; i < list.length; i++) text += `${i === 0 ? '' : ','}{"timestamp":${list[i]!.timestamp},"step":${list[i]!.step}}`;
  return `${text}],"watermark":{"timestamp":${data.watermark.timestamp},"appid":${JSON.stringify(data.watermark.appid)}}}`;
}

/** Why a watermark was rejected. */
export type WatermarkProblem = 'missing' | 'appid-mismatch' | 'too-old' | 'from-future';

/** Options of {@link checkWatermark}. */
export interface WatermarkCheck {
  /** The decoder's own appid: the watermark must name it. */
  appid: string;
  /** Reject data produced longer ago than this many seconds (needs `nowSeconds`). */
  maxAgeSeconds?: number;
  /** The current time in Unix seconds, for the age check. */
  nowSeconds?: number;
  /** Tolerated clock skew for data stamped in the future, seconds (default 300). */
  maxSkewSeconds?: number;
}

/** Checks a decoded payload's watermark; returns the problem, or undefined when it is acceptable. */
export function checkWatermark(payload: unknown, check: WatermarkCheck): WatermarkProblem | undefined {
  const wm = (payload as { watermark?: unknown } | null)?.watermark as Partial<Watermark> | undefined;
  if (!wm || typeof wm !== 'object' || typeof wm.appid !== 'string' || typeof wm.timestamp !== 'number') {
    return 'missing';
  }
  if (wm.appid !== check.appid) return 'appid-mismatch';
  if (check.nowSeconds !== undefined) {
    if (check.maxAgeSeconds !== undefined && check.nowSeconds - wm.timestamp > check.maxAgeSeconds) return 'too-old';
    if (wm.timestamp - check.nowSeconds > (check.maxSkewSeconds ?? 300)) return 'from-future';
  }
  return undefined;
}
