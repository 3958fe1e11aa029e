/**
 * Decrypts a getWeRunData / getQQRunData result into a validated, dated snapshot.
 * @see PROTOCOL.md §5, §6, §7
 */
import { decryptOpenData } from './decrypt-open-data.js';
import type { DecryptOpenDataOptions } from './decrypt-open-data.js';
import { datedStepInfoList } from './parse-werun-data.js';
import type { WeRunSnapshot } from './parse-werun-data.js';

/**
 * Decrypts WeRun / QQ Run data and returns each day with its China-time date (`YYYY-MM-DD`), timestamp and steps,
 * plus the watermark. Throws the {@link decryptOpenData} errors, and {@link InvalidOpenDataError} when the
 * plaintext is not a well-formed step list (timestamps at China midnights, ascending; steps non-negative integers).
 * @example const { stepInfoList } = decryptWeRunData(sessionKey, encryptedData, iv, { appid, maxAgeSeconds: 600 });
 */
export function decryptWeRunData(
  sessionKey: string,
  encryptedData: string,
  iv: string,
  options: DecryptOpenDataOptions,
): WeRunSnapshot {
  const payload = decryptOpenData(sessionKey, encryptedData, iv, options);
  return {
    stepInfoList: datedStepInfoList(payload['stepInfoList']),
    watermark: { timestamp: payload.watermark.timestamp, appid: payload.watermark.appid },
  };
}
