/**
 * The two errors domain rules throw. Route groups turn them into their wire reply; rules never format replies.
 */
import type { OpenRunErrorName, PlatformErrorName, RuntimePrompt } from '@openrun/core';

/** A platform (WeChat/QQ developer API) error, by catalogue name. */
export class PlatformApiError extends Error {
  override readonly name = 'PlatformApiError';
  /** `detail` is appended to the catalogue errmsg text (e.g. a failed cloud function's message). */
  constructor(
    readonly errorName: PlatformErrorName,
    readonly detail?: string,
  ) {
    super(`[openrun] platform error ${errorName}`);
  }
}

/** An OpenRun runtime/control API error, by catalogue name, with the client errMsg where one applies. */
export class OpenRunApiError extends Error {
  override readonly name = 'OpenRunApiError';
  constructor(
    readonly errorName: OpenRunErrorName,
    message: string,
    readonly errMsg?: string,
    readonly errCode?: number,
    /** With PROMPT_REQUIRED: the consent dialog the device must show. */
    readonly prompt?: RuntimePrompt,
  ) {
    super(message);
  }
}
