/**
 * Decrypts a getWeRunData / getQQRunData result into a validated, dated snapshot.
 * @see PROTOCOL.md §5, §6, §7
 */
import { decryptOpenData } from './decrypt-open-data.js';
import type { DecryptOpenDataOptions } from './decrypt-open-data.js';
import { parseCompactWeRun } from './internal/compact-werun-parser.js';
import { decryptPlaintextFast } from './internal/open-data-fast-path.js';
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
  // Fast path: the platform's own compact serialization, read straight from the plaintext bytes.
  const plain = decryptPlaintextFast(sessionKey, encryptedData, iv, options.acceptSpaceAsPlus ?? true);
  const compact = plain === undefined ? undefined : parseCompactWeRun(plain.bytes, plain.length);
  if (compact !== undefined) {
    assertWatermark(compact, options);
    return compact;
  }
  // Any other form, and every error, goes through the general path.
  const payload = decryptOpenData(sessionKey, encryptedData, iv, options);
  return {
    stepInfoList: datedStepInfoList(payload['stepInfoList']),
    watermark: { timestamp: payload.watermark.timestamp, appid: payload.watermark.appid },
  };
}
