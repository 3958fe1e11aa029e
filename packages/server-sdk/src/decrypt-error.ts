/**
 * Local decryption errors: one class per cause, each carrying the official WXBizDataCrypt code (-4100x) where one
 * exists. They translate core's {@link OpenDataCipherError} and add the watermark and payload-shape checks.
 * @see PROTOCOL.md §7.1, §7.2
 */
import type { WatermarkProblem } from '@openrun/core';
import { OpenDataCipherError } from '@openrun/core/cipher';
import { OpenRunError } from './errors.js';

/** The official WXBizDataCrypt codes: -41001 key, -41002 IV, -41003 decrypt/JSON/appid, -41004 base64. */
export type DecryptErrorCode = -41001 | -41002 | -41003 | -41004;

/** Open data could not be decrypted or did not pass validation. */
export class DecryptError extends OpenRunError {
  override readonly name: string = 'DecryptError';
  override readonly type: string = 'decrypt_error';
  /** The official WXBizDataCrypt code, when the cause has one. */
  readonly code: DecryptErrorCode | undefined;

  constructor(code: DecryptErrorCode | undefined, message: string, options?: { cause?: unknown }) {
    super(`[openrun] ${message}${code === undefined ? '' : ` (${code})`}`, options);
    this.code = code;
  }
}

/** -41001: the session_key is not the base64 of 16 bytes. */
export class InvalidSessionKeyError extends DecryptError {
  override readonly name = 'InvalidSessionKeyError';
  override readonly type = 'invalid_session_key';
}

/** -41002: the iv is not the base64 of 16 bytes. */
export class InvalidIvError extends DecryptError {
  override readonly name = 'InvalidIvError';
  override readonly type = 'invalid_iv';
}

/** -41004: encryptedData is not base64 of whole AES blocks. */
export class Base64DecodeError extends DecryptError {
  override readonly name = 'Base64DecodeError';
  override readonly type = 'base64_decode';
}

/** -41003: bad padding or a non-JSON plaintext, almost always a session_key that rotated since the data was made. */
export class DecryptFailedError extends DecryptError {
  override readonly name = 'DecryptFailedError';
  override readonly type = 'decrypt_failed';
  /** Which check failed: the PKCS#7 padding or the JSON parse. */
  readonly reason: 'bad-padding' | 'bad-json';

  constructor(reason: 'bad-padding' | 'bad-json', message: string, options?: { cause?: unknown }) {
    super(-41003, message, options);
    this.reason = reason;
  }
}

/** -41003: the watermark names another appid (the official samples reject this with -41003). */
export class WatermarkAppIdMismatchError extends DecryptError {
  override readonly name = 'WatermarkAppIdMismatchError';
  override readonly type = 'watermark_appid_mismatch';
}

/** The watermark is older than `maxAgeSeconds`: replayed or stale data. */
export class WatermarkTooOldError extends DecryptError {
  override readonly name = 'WatermarkTooOldError';
  override readonly type = 'watermark_too_old';
}

/** The watermark is stamped later than now plus the allowed clock skew (checked together with `maxAgeSeconds`). */
export class WatermarkFromFutureError extends DecryptError {
  override readonly name = 'WatermarkFromFutureError';
  override readonly type = 'watermark_from_future';
}

/** The plaintext is JSON but not the expected open data (no watermark, or a malformed stepInfoList). */
export class InvalidOpenDataError extends DecryptError {
  override readonly name = 'InvalidOpenDataError';
  override readonly type = 'invalid_open_data';
}

/** Translates core's cipher error into the SDK's class for its cause. */
export function fromCipherError(error: OpenDataCipherError): DecryptError {
  const options = { cause: error };
  switch (error.reason) {
    case 'bad-session-key':
      return new InvalidSessionKeyError(-41001, 'session_key is not the base64 of 16 bytes', options);
    case 'bad-iv':
      return new InvalidIvError(-41002, 'iv is not the base64 of 16 bytes', options);
    case 'bad-base64':
      return new Base64DecodeError(-41004, 'encryptedData is not base64 of whole AES blocks', options);
    case 'bad-padding':
      return new DecryptFailedError('bad-padding', 'decryption failed: wrong session_key or iv, or damaged data', options);
    case 'bad-json':
      return new DecryptFailedError('bad-json', 'decrypted data is not JSON: wrong session_key or iv', options);
  }
}

/** The error for a watermark problem reported by core's `checkWatermark`. */
export function fromWatermarkProblem(problem: WatermarkProblem, appid: string): DecryptError {
  switch (problem) {
    case 'missing':
      return new InvalidOpenDataError(-41003, 'decrypted data has no watermark');
    case 'appid-mismatch':
      return new WatermarkAppIdMismatchError(-41003, `the watermark names another appid than ${appid}`);
    case 'too-old':
      return new WatermarkTooOldError(undefined, 'the watermark is older than maxAgeSeconds');
    case 'from-future':
      return new WatermarkFromFutureError(undefined, 'the watermark is stamped in the future beyond the allowed clock skew');
  }
}
