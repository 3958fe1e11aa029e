/**
 * Decrypts open data (getWeRunData, getQQRunData, …) and checks its watermark, throwing one {@link DecryptError}
 * subclass per cause.
 * @see PROTOCOL.md §7.1, §7.2
 */
import type { Watermark } from '@openrun/core';
import { decryptText, parsePlaintext } from './internal/open-data-text.js';
import { assertWatermark } from './internal/watermark-guard.js';

/** Options of {@link decryptOpenData}. */
export interface DecryptOpenDataOptions {
  /** Your appid: the watermark must name it, or {@link WatermarkAppIdMismatchError} is thrown. */
  appid: string;
  /** Reject data whose watermark is older than this many seconds ({@link WatermarkTooOldError}). */
  maxAgeSeconds?: number;
  /** The current time in Unix seconds for the age check (default: the system clock). */
  nowSeconds?: number;
  /** With `maxAgeSeconds`: tolerated clock skew for data stamped in the future, seconds (default 300). */
  maxSkewSeconds?: number;
  /**
   * Read spaces in the base64 inputs as `+` (default true). A client that sends `encryptedData` in a URL query or a
   * form-encoded body without escaping it turns every `+` into a space; this undoes that. Prefer JSON bodies.
   */
  acceptSpaceAsPlus?: boolean;
}

/** Decrypted open data: any JSON object with a watermark. */
export interface OpenData {
  watermark: Watermark;
  [key: string]: unknown;
}

/**
 * Decrypts `encryptedData` with the user's session_key and the iv, parses it and checks the watermark.
 * Throws {@link InvalidSessionKeyError} (-41001), {@link InvalidIvError} (-41002), {@link Base64DecodeError} (-41004),
 * {@link DecryptFailedError} (-41003, padding or JSON), {@link InvalidOpenDataError} (no watermark),
 * {@link WatermarkAppIdMismatchError} (-41003) or {@link WatermarkTooOldError}.
 * Accepts the common `+` → space mangling of form-encoded base64 (see `acceptSpaceAsPlus`).
 * @example const data = decryptOpenData(sessionKey, body.encryptedData, body.iv, { appid, maxAgeSeconds: 600 });
 */
export function decryptOpenData<T extends OpenData = OpenData>(
  sessionKey: string,
  encryptedData: string,
  iv: string,
  options: DecryptOpenDataOptions,
): T {
  const payload = parsePlaintext(decryptText(sessionKey, encryptedData, iv, options.acceptSpaceAsPlus ?? true));
  assertWatermark(payload, options);
  return payload as T;
}
