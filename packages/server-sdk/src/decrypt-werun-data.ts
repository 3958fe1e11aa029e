/**
 * Decrypts a getWeRunData / getQQRunData result into a validated, dated snapshot.
 * @see PROTOCOL.md §5, §6, §7
 */
import type { DecryptOpenDataOptions } from './decrypt-open-data.js';
import { parseCompactWeRun } from './internal/compact-werun-parser.js';
import { decryptText, parsePlaintext } from './internal/open-data-text.js';
import { assertWatermark } from './internal/watermark-guard.js';
import { datedStepInfoList } from './parse-werun-data.js';
import type { WeRunSnapshot } from './parse-werun-data.js';

/**
 * Decrypts WeRun / QQ Run data and returns each day with its China-time date (`YYYY-MM-DD`), timestamp and steps,
 * plus the watermark. Throws the {@link decryptOpenData} errors, and {@link InvalidOpenDataError} when the
 * plaintext is not a well-formed step list (timestamps at China midnights, ascending; steps non-negative integers).
 * Accepts the common `+` → space mangling of form-encoded base64 (see `acceptSpaceAsPlus`).
 * @example const { stepInfoList } = decryptWeRunData(sessionKey, encryptedData, iv, { appid, maxAgeSeconds: 600 });
 */
export function decryptWeRunData(
  sessionKey: string,
  encryptedData: string,
  iv: string,
  options: DecryptOpenDataOptions,
): WeRunSnapshot {
  const text = decryptText(sessionKey, encryptedData, iv, options.acceptSpaceAsPlus ?? true);
  // The platform's own compact serialization is read in one pass; any other form goes through JSON.parse.
  const compact = parseCompactWeRun(text);
  if (compact !== undefined) {
    assertWatermark(compact, options);
    return compact;
  }
  const payload = parsePlaintext(text);
  assertWatermark(payload, options);
  const { stepInfoList, watermark } = payload as { stepInfoList?: unknown; watermark: { timestamp: number; appid: string } };
  return { stepInfoList: datedStepInfoList(stepInfoList), watermark: { timestamp: watermark.timestamp, appid: watermark.appid } };
}
