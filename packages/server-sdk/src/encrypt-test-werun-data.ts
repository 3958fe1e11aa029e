/**
 * A test helper: encrypts WeRun data for a session_key exactly as the platform does, so backend tests can feed
 * {@link decryptWeRunData} without a phone (like Stripe's signed-webhook helpers).
 * @see PROTOCOL.md §6.2, §7.1
 */
import { buildStepInfoList, DEFAULT_STEP_DAYS, serializeWeRunData } from '@openrun/core';
import type { ChinaDate } from '@openrun/core';
import { encryptOpenData } from '@openrun/core/cipher';

/** What {@link encryptTestWeRunData} should put in the payload. */
export interface TestWeRunDataOptions {
  /** The appid to stamp in the watermark. */
  appid: string;
  /** The snapshot instant, Unix seconds: the last day is this instant's China-time day. */
  nowSeconds: number;
  /** Steps per China-time date; other days count 0. */
  steps?: Readonly<Record<ChinaDate, number>>;
  /** Number of days (default 31; QQ uses 30). */
  days?: number;
}

/** Encrypts a realistic WeRun payload for `sessionKey`; returns the `{encryptedData, iv}` a client would send. */
export function encryptTestWeRunData(sessionKey: string, options: TestWeRunDataOptions): { encryptedData: string; iv: string } {
  const stepInfoList = buildStepInfoList(
    options.nowSeconds,
    new Map(Object.entries(options.steps ?? {})),
    options.days ?? DEFAULT_STEP_DAYS,
  );
  const text = serializeWeRunData({ stepInfoList, watermark: { timestamp: options.nowSeconds, appid: options.appid } });
  return encryptOpenData(sessionKey, text);
}
