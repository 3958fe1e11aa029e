/** Applies core's watermark check with the SDK's options and throws the matching DecryptError. */
import { checkWatermark } from '@openrun/core';
import { fromWatermarkProblem } from '../decrypt-error.js';

/** The watermark-related options shared by every decrypt and parse function. */
export interface WatermarkOptions {
  appid: string;
  maxAgeSeconds?: number;
  nowSeconds?: number;
  maxSkewSeconds?: number;
}

/** Throws {@link InvalidOpenDataError}, {@link WatermarkAppIdMismatchError}, {@link WatermarkTooOldError} or {@link WatermarkFromFutureError}. */
export function assertWatermark(payload: unknown, options: WatermarkOptions): void {
  const problem =
    options.maxAgeSeconds === undefined
      ? checkWatermark(payload, { appid: options.appid })
      : checkWatermark(payload, {
          appid: options.appid,
          maxAgeSeconds: options.maxAgeSeconds,
          nowSeconds: options.nowSeconds ?? Math.floor(Date.now() / 1000),
          ...(options.maxSkewSeconds === undefined ? {} : { maxSkewSeconds: options.maxSkewSeconds }),
        });
  if (problem !== undefined) throw fromWatermarkProblem(problem, options.appid);
}
